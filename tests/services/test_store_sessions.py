"""The store's units of work: reads never wait for a writer and cannot write; one process's
writers take turns without SQLite's busy polling; the sort keys of the Activities list have
indexes (migration 0006)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from backstride.adapters.db.engine import Store
from backstride.errors import StorageError


def _athletes(store: Store) -> list[str]:
    with store.read_session() as session:
        return [
            str(n) for n in session.execute(text("SELECT name FROM athletes ORDER BY id")).scalars()
        ]


def test_a_read_session_refuses_to_write(db_url: str) -> None:
    store = Store(db_url)
    try:
        with pytest.raises(StorageError), store.read_session() as session:
            session.execute(text("INSERT INTO athletes (name, created_at) VALUES ('x', '2024')"))
        assert _athletes(store) == []
    finally:
        store.dispose()


def test_a_reader_does_not_wait_for_a_writer_and_sees_only_committed_data(db_url: str) -> None:
    store = Store(db_url)
    try:
        with store.session() as session:
            session.execute(text("INSERT INTO athletes (name, created_at) VALUES ('a', '2024')"))
        seen: list[list[str]] = []
        writing = threading.Event()
        read_done = threading.Event()

        def writer() -> None:
            with store.session() as session:  # holds the write lock until the read is done
                session.execute(
                    text("INSERT INTO athletes (name, created_at) VALUES ('b', '2024')")
                )
                writing.set()
                assert read_done.wait(10)

        thread = threading.Thread(target=writer)
        thread.start()
        assert writing.wait(10)
        t0 = time.monotonic()
        seen.append(_athletes(store))
        elapsed = time.monotonic() - t0
        read_done.set()
        thread.join(10)
        assert seen == [["a"]] and elapsed < 1.0
        assert _athletes(store) == ["a", "b"]
    finally:
        store.dispose()


def test_writers_of_one_process_take_turns(db_url: str) -> None:
    store = Store(db_url)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for k in range(10):
                with store.session() as session:
                    count = session.execute(text("SELECT count(*) FROM athletes")).scalar_one()
                    session.execute(
                        text("INSERT INTO athletes (name, created_at) VALUES (:n, '2024')"),
                        {"n": f"{i}-{k}-{count}"},
                    )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert errors == []
        names = _athletes(store)
        assert len(names) == 60
        # Each unit of work read the count and wrote without another in between.
        assert sorted(int(n.rsplit("-", 1)[1]) for n in names) == list(range(60))
    finally:
        store.dispose()


def test_the_activity_list_sort_keys_have_indexes(db_url: str) -> None:
    store = Store(db_url)
    try:
        with store.read_session() as session:
            names = {
                str(n)
                for n in session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'index'")
                ).scalars()
            }
            plan = " ".join(
                str(row[-1])
                for row in session.execute(
                    text(
                        "EXPLAIN QUERY PLAN SELECT * FROM activities WHERE athlete_id = 1 "
                        "ORDER BY distance_m, id LIMIT 50 OFFSET 500"
                    )
                )
            )
    finally:
        store.dispose()
    for column in ("distance", "duration", "elevation", "hr", "sport"):
        assert f"ix_activities_athlete_{column}" in names
    assert "ix_activities_athlete_distance" in plan and "TEMP B-TREE" not in plan
