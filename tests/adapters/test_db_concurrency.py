"""Concurrent writers wait for each other instead of failing with "database is locked"."""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from pathlib import Path

import pytest

from backstride.adapters.db import engine
from backstride.adapters.db.engine import Store
from backstride.adapters.db.repos import AthleteRepo, ImportRecordRepo
from backstride.errors import StorageError
from tests.databases import DbBackend


def test_read_then_write_transactions_in_parallel_threads_all_succeed(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="c.sqlite3"))
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(10):
                with store.session() as s:
                    repo = ImportRecordRepo(s)
                    repo.list(athlete)  # read first ...
                    repo.add(  # ... then write, in the same transaction
                        athlete,
                        file_name=f"{i}-{j}",
                        content_hash=None,
                        size_bytes=0,
                        status="skipped",
                        reason=None,
                        activity_ids=[],
                    )
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.session() as s:
        assert len(ImportRecordRepo(s).list(athlete, limit=1000)) == 80
    store.dispose()


def test_a_write_waiting_for_another_connections_lock_starts_as_soon_as_it_is_released(
    tmp_path: Path,
) -> None:
    """SQLite's own busy handler sleeps 100 ms at a time once a wait passes a quarter second,
    so a waiting write started up to 100 ms after the lock was released (an import's free
    gap between batches had to last that long). The store's writes try every few ms."""
    path = tmp_path / "w.sqlite3"
    store = Store(f"sqlite:///{path}")
    with store.session() as s:
        AthleteRepo(s).get_or_create_default()  # the file, its schema and a connection exist
    lags: list[float] = []
    for held_s in (0.34, 0.44, 0.54):  # each just after a try of SQLite's 100 ms steps
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process writes
        started: list[float] = []

        def write(started: list[float]) -> None:
            with store.session() as s:
                s.connection()  # BEGIN IMMEDIATE: waits for the holder
                started.append(time.monotonic())

        thread = threading.Thread(target=write, args=(started,))
        thread.start()
        time.sleep(held_s)
        holder.execute("ROLLBACK")
        released = time.monotonic()
        thread.join()
        holder.close()
        lags.append(started[0] - released)
    store.dispose()
    # ~0.09 s each with SQLite's busy handler; a few ms when it polls finely (a busy shared
    # machine may delay a thread now and then: the median)
    assert statistics.median(lags) < 0.04, lags


def test_a_write_that_never_gets_the_lock_gives_up_with_the_busy_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.sqlite3"
    store = Store(f"sqlite:///{path}")
    with store.session() as s:
        AthleteRepo(s).get_or_create_default()
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    t0 = time.monotonic()
    try:
        with pytest.raises(StorageError) as busy, store.session() as s:
            s.connection()
        waited = time.monotonic() - t0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert 0.25 < waited < 5.0
    assert "busy" in busy.value.message
    with store.session() as s:  # within a transaction, statements wait as long as before
        assert s.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
    store.dispose()
