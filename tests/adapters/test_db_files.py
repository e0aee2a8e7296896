"""The database file: only backstride's is opened, damage and disk trouble are named, a file
removed or replaced under an open store stops it."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from backstride.adapters.db.engine import Store
from backstride.adapters.db.repos import ActivityRepo, AthleteRepo
from backstride.adapters.db.sqlite_file import (
    APPLICATION_ID,
    inspect_file,
    is_fatal,
    storage_error,
)
from backstride.adapters.db.tables import AthleteRow
from backstride.domain.activity import Activity, Sport, Streams
from backstride.errors import (
    DamagedDatabaseError,
    DatabaseReplacedError,
    DiskFullError,
    ForeignDatabaseError,
    ReadOnlyStorageError,
    StorageError,
)
from tests.mounts import fill, make_room, remount_read_only, tmpfs


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sql(path: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute(query).fetchall()


def _tables(path: Path) -> set[str]:
    return {str(r[0]) for r in _sql(path, "SELECT name FROM sqlite_master WHERE type='table'")}


def _run(n: int = 0, samples: int = 50) -> Activity:
    return Activity(
        sport=Sport.RUN,
        source_sport="running",
        source_format="fit",
        start_at=datetime(2024, 5, 1 + n, 7, 0, tzinfo=UTC),
        utc_offset_s=0,
        duration_s=1800.0,
        distance_m=5000.0,
        streams=Streams(
            time_s=np.arange(samples, dtype=float),
            hr_bpm=np.random.default_rng(n).uniform(90, 180, samples),
        ),
    )


def _store_run(store: Store, n: int = 0, samples: int = 50) -> int:
    with store.session() as session:
        athlete = AthleteRepo(session).get_or_create_default()
        return ActivityRepo(session).add(
            athlete, _run(n, samples), source_label=f"run{n}.fit", content_hash=None
        )


def _count(store: Store) -> int:
    with store.read_session() as session:
        athlete = AthleteRepo(session).get_or_create_default()
        return ActivityRepo(session).count(athlete)


# --- whose file is it? -------------------------------------------------------------------------


def _other_app(path: Path, *, app_id: int = 0) -> Path:
    with closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        con.execute("INSERT INTO notes (body) VALUES ('keep me')")
        if app_id:
            con.execute(f"PRAGMA application_id = {app_id}")
        con.commit()
    return path


def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = _other_app(tmp_path / "other-app.sqlite")
    before = _digest(path)
    with pytest.raises(ForeignDatabaseError) as refused:
        Store(_url(path))
    assert str(path) in refused.value.message and "notes" in refused.value.message
    assert refused.value.exit_code == 2
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-app.sqlite"]  # no WAL
    assert _sql(path, "PRAGMA journal_mode") == [("delete",)]
    assert _tables(path) == {"notes"}


def test_a_database_marked_by_another_program_is_refused_even_with_our_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.sqlite3"
    Store(_url(path)).dispose()
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA application_id = 1234")
        con.commit()
    with pytest.raises(ForeignDatabaseError, match="0x4d2"):
        Store(_url(path))


def test_a_new_database_is_marked_as_backstrides(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Store(_url(path)).dispose()
    assert _sql(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert inspect_file(path).has_id


@pytest.mark.parametrize("kind", ["zero bytes", "no tables"])
def test_an_empty_file_is_free_to_use(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "empty.sqlite3"
    if kind == "zero bytes":
        path.touch()
    else:
        with closing(sqlite3.connect(path)) as con:
            con.execute("PRAGMA user_version = 0")
            con.execute("VACUUM")  # writes the header: a database with no tables
    store = Store(_url(path))
    _store_run(store)
    store.dispose()
    assert _sql(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert {"activities", "alembic_version"} <= _tables(path)


def test_a_backstride_database_from_before_the_mark_is_recognised_and_marked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    store = Store(_url(path))
    _store_run(store)
    store.dispose()
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA application_id = 0")
        con.commit()
    assert not inspect_file(path).has_id
    store = Store(_url(path))
    assert _count(store) == 1
    store.dispose()
    assert _sql(path, "PRAGMA application_id") == [(APPLICATION_ID,)]


# --- damaged files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"hello, this is a text file\n" * 50, b"SQLite format 2\x00" + b"\x00" * 4000, b"\x00"],
)
def test_a_file_that_is_not_a_database_is_named_with_a_restore_hint(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "runs.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DamagedDatabaseError) as refused:
        Store(_url(path))
    assert f"'{path}'" in refused.value.message
    assert "backup" in (refused.value.hint or "")
    assert path.read_bytes() == content


@pytest.mark.parametrize("first_page", [2, 3])
def test_a_database_damaged_inside_is_named_when_read(tmp_path: Path, first_page: int) -> None:
    path = tmp_path / "damaged.sqlite3"
    store = Store(_url(path))
    for n in range(5):
        _store_run(store, n, samples=3000)
    store.dispose()
    with path.open("r+b") as f:  # keep the header page, scramble pages after it
        f.seek(4096 * (first_page - 1))
        f.write(np.random.default_rng(1).bytes(4096 * 30))
    with pytest.raises(DamagedDatabaseError) as refused:
        store = Store(_url(path))
        _count(store)
    assert f"'{path}'" in refused.value.message
    assert "Restore the file from a backup copy" in (refused.value.hint or "")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"):
        Store(_url(tmp_path))


# --- removed or replaced under an open store --------------------------------------------------


@pytest.mark.parametrize("how", ["removed", "replaced", "moved away"])
def test_a_store_stops_when_its_file_is_removed_or_replaced(tmp_path: Path, how: str) -> None:
    path = tmp_path / "live.sqlite3"
    store = Store(_url(path))
    _store_run(store, 0)
    if how == "removed":
        path.unlink()
    elif how == "replaced":
        shutil.copy(path, tmp_path / "copy.sqlite3")
        os.replace(tmp_path / "copy.sqlite3", path)
    else:
        path.rename(tmp_path / "elsewhere.sqlite3")
    with pytest.raises(DatabaseReplacedError) as stopped:
        _store_run(store, 1)
    assert "removed or replaced" in stopped.value.message
    assert "Restart backstride" in (stopped.value.hint or "")
    assert stopped.value.http_status == 503
    with pytest.raises(DatabaseReplacedError):
        _count(store)
    store.dispose()
    if how == "replaced":  # the new file holds what the old one had, and nothing more
        assert _sql(path, "SELECT count(*) FROM activities") == [(1,)]


def test_a_store_goes_on_while_its_file_stays(tmp_path: Path) -> None:
    path = tmp_path / "steady.sqlite3"
    store = Store(_url(path))
    for n in range(3):
        _store_run(store, n)
    assert _count(store) == 3
    store.dispose()


# --- real disks: read-only and full ------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", size_kb=2048) as mounted:
        yield mounted


def test_a_database_on_a_read_only_disk_opens_for_viewing(disk: Path) -> None:
    path = disk / "runs.sqlite3"
    store = Store(_url(path))
    _store_run(store, 0)
    store.dispose()
    remount_read_only(disk)
    store = Store(_url(path))
    assert store.read_only
    assert _count(store) == 1
    with store.session() as session:  # a write session that only reads works too
        assert AthleteRepo(session).get_or_create_default() >= 1
    with pytest.raises(ReadOnlyStorageError) as refused:
        _store_run(store, 1)
    assert f"'{path}'" in refused.value.message and "viewing only" in refused.value.message
    with pytest.raises(ReadOnlyStorageError):
        store.require_writable()
    store.dispose()
    assert sorted(p.name for p in disk.iterdir()) == ["runs.sqlite3"]


def _refuse_a_write(store: Store, *, flush: bool) -> None:
    """A write that the database refuses: in the flush (ORM) or at the commit."""
    with pytest.raises(ReadOnlyStorageError), store.read_session() as session:
        session.add(AthleteRow(name="never stored"))
        if flush:
            session.flush()


@pytest.mark.parametrize("flush", [True, False], ids=["in-the-flush", "at-the-commit"])
def test_a_refused_write_leaves_no_connection_that_writes_later(
    tmp_path: Path, flush: bool
) -> None:
    """A unit of work whose write failed rolls back; the connection it goes back to the pool
    with must not still count that write, or the next unit of work on it tries to bump the
    data version (a write) and fails too (issue 18: the page after a refused change on a
    read-only disk answered 503)."""
    store = Store(_url(tmp_path / "runs.sqlite3"))
    version = store.data_version()
    _refuse_a_write(store, flush=flush)  # reads refuse writes (PRAGMA query_only)
    for _ in range(4):  # every pooled connection in turn
        with store.read_session() as session:
            assert session.execute(select(func.count()).select_from(AthleteRow)).scalar() == 0
        assert store.data_version() == version  # nothing was stored, nothing was counted
    store.dispose()


def test_a_read_only_disk_answers_every_read_after_a_refused_write(disk: Path) -> None:
    path = disk / "runs.sqlite3"
    store = Store(_url(path))
    _store_run(store, 0)
    store.dispose()
    remount_read_only(disk)
    store = Store(_url(path))
    for flush in (True, False):
        with pytest.raises(ReadOnlyStorageError):
            _store_run(store, 1)
        _refuse_a_write(store, flush=flush)
        assert [_count(store) for _ in range(4)] == [1, 1, 1, 1]
    store.dispose()


def test_a_new_database_on_a_read_only_disk_is_refused(disk: Path) -> None:
    remount_read_only(disk)
    with pytest.raises(ReadOnlyStorageError, match="Cannot create the database"):
        Store(_url(disk / "new.sqlite3"))


@pytest.mark.parametrize("leave_kb", [0, 48])
def test_a_full_disk_refuses_the_write_and_keeps_what_was_stored(disk: Path, leave_kb: int) -> None:
    path = disk / "runs.sqlite3"
    store = Store(_url(path))
    _store_run(store, 0)
    store.dispose()  # the WAL is folded back and removed: only the database file remains
    fill(disk, leave_bytes=leave_kb * 1024)
    with pytest.raises(DiskFullError) as full:
        # With no byte left even opening fails (SQLite cannot make its WAL index: a disk
        # I/O error, told apart by the free space); with a little room, the write fails.
        store = Store(_url(path))
        _store_run(store, 1, samples=50_000)
    assert full.value.http_status == 507
    assert f"'{path}'" in full.value.message and "Nothing stored before was lost" in (
        full.value.message
    )
    assert "Free some space" in (full.value.hint or "")
    if leave_kb:
        store.dispose()
    make_room(disk)
    store = Store(_url(path))
    assert _count(store) == 1
    _store_run(store, 1, samples=50_000)
    assert _count(store) == 2
    store.dispose()
    assert _sql(path, "PRAGMA integrity_check") == [("ok",)]


# --- SQLite's and the OS's errors in backstride's words ----------------------------------------


def test_a_busy_database_says_another_program_is_writing(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    Store(_url(path)).dispose()
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        with closing(sqlite3.connect(path, timeout=0)) as other:
            with pytest.raises(sqlite3.OperationalError) as locked:
                other.execute("BEGIN IMMEDIATE")
    error = storage_error(locked.value, path, "The database refused the change")
    assert type(error) is StorageError
    assert "busy" in error.message and "no other program holds the file locked" in (
        error.hint or ""
    )
    assert not is_fatal(locked.value)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (errno.ENOSPC, DiskFullError),
        (errno.EDQUOT, DiskFullError),
        (errno.EROFS, ReadOnlyStorageError),
    ],
)
def test_os_errors_about_the_disk_are_named(
    tmp_path: Path, code: int, kind: type[StorageError]
) -> None:
    error = storage_error(OSError(code, os.strerror(code)), tmp_path / "x.sqlite3", "Failed")
    assert type(error) is kind


def test_an_error_of_no_known_kind_keeps_what_was_being_done(tmp_path: Path) -> None:
    with closing(sqlite3.connect(":memory:")) as con:
        with pytest.raises(sqlite3.OperationalError) as bad:
            con.execute("SELECT * FROM missing_table")
    error = storage_error(bad.value, tmp_path / "x.sqlite3", "The database could not be read")
    assert type(error) is StorageError
    assert error.message == "The database could not be read: no such table: missing_table."
    assert not is_fatal(bad.value)
