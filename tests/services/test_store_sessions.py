"""The store's units of work: reads never wait for a writer and cannot write; on SQLite one
process's writers take turns without SQLite's busy polling, on PostgreSQL they run at once;
the sort keys of the Activities list have indexes (migration 0006). On every engine."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import insert, inspect, text

from backstride.adapters.db.engine import Store
from backstride.adapters.db.tables import AthleteRow
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
            session.execute(insert(AthleteRow).values(name="x"))
        assert _athletes(store) == []
    finally:
        store.dispose()


def test_a_reader_does_not_wait_for_a_writer_and_sees_only_committed_data(db_url: str) -> None:
    store = Store(db_url)
    try:
        with store.session() as session:
            session.execute(insert(AthleteRow).values(name="a"))
        seen: list[list[str]] = []
        writing = threading.Event()
        read_done = threading.Event()

        def writer() -> None:
            with store.session() as session:  # holds the write lock until the read is done
                session.execute(insert(AthleteRow).values(name="b"))
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


@pytest.mark.sqlite_only(reason="SQLite has one writer: a process's threads take turns")
def test_writers_of_one_process_take_turns(db_url: str) -> None:
    store = Store(db_url)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for k in range(10):
                with store.session() as session:
                    count = session.execute(text("SELECT count(*) FROM athletes")).scalar_one()
                    session.execute(insert(AthleteRow).values(name=f"{i}-{k}-{count}"))
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


@pytest.mark.postgresql_only
def test_writers_of_one_process_run_at_once_on_postgresql(db_url: str) -> None:
    """PostgreSQL locks only the rows two writers share: a thread's unit of work does not wait
    for another thread's that is still open (it did, for up to ``WRITE_WAIT_S``, when the
    process's writers took turns as on SQLite)."""
    store = Store(db_url)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.session() as session:
            session.execute(insert(AthleteRow).values(name="held"))
            inside.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(30)
        t0 = time.monotonic()
        with store.session() as session:
            session.execute(insert(AthleteRow).values(name="beside"))
        waited = time.monotonic() - t0
        assert _athletes(store) == ["beside"]  # stored while the other is still open
    finally:
        release.set()
        holder.join(30)
    try:
        assert waited < 2.0
        assert sorted(_athletes(store)) == ["beside", "held"]
    finally:
        store.dispose()


def test_the_activity_list_sort_keys_have_indexes(db_url: str) -> None:
    store = Store(db_url)
    query = (
        "SELECT * FROM activities WHERE athlete_id = 1 ORDER BY distance_m, id LIMIT 50 OFFSET 500"
    )
    try:
        names = {str(ix["name"]) for ix in inspect(store.engine).get_indexes("activities")}
        with store.read_session() as session:
            if store.is_postgresql:  # an empty table: make the planner show an index it can use
                session.execute(text("SET LOCAL enable_seqscan = off"))
                plan = " ".join(str(r[0]) for r in session.execute(text(f"EXPLAIN {query}")))
            else:
                plan = " ".join(
                    str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {query}"))
                )
    finally:
        store.dispose()
    for column in ("distance", "duration", "elevation", "hr", "sport"):
        assert f"ix_activities_athlete_{column}" in names
    assert "ix_activities_athlete_distance" in plan, plan
    if not store.is_postgresql:  # its index holds the id: no sort of the rows at all
        assert "TEMP B-TREE" not in plan, plan
