"""``backstride import`` announces itself beside the SQLite file (adapters.db.import_marker)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from backstride.adapters.db.engine import sqlite_path
from backstride.adapters.db.import_marker import (
    ImportWatch,
    announce_import,
    import_running,
    marker_path,
    sqlite_file_of,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")


def test_an_import_is_seen_while_it_runs_and_tidies_up(tmp_path: Path) -> None:
    db = tmp_path / "backstride.sqlite3"
    assert not import_running(db)
    with announce_import(db):
        assert marker_path(db).exists()
        assert import_running(db)
    assert not import_running(db)
    assert not marker_path(db).exists()


def test_the_last_of_two_imports_removes_the_marker(tmp_path: Path) -> None:
    db = tmp_path / "backstride.sqlite3"
    with announce_import(db):
        with announce_import(db):
            assert import_running(db)
        assert import_running(db)  # the first still runs
        assert marker_path(db).exists()
    assert not import_running(db)
    assert not marker_path(db).exists()


def test_a_marker_left_behind_is_no_running_import(tmp_path: Path) -> None:
    """A killed import leaves its file, but not its lock (the kernel drops it)."""
    db = tmp_path / "backstride.sqlite3"
    marker_path(db).write_text("")
    assert not import_running(db)
    with announce_import(db):  # and a later import uses it as usual
        assert import_running(db)
    assert not marker_path(db).exists()


def test_nothing_is_announced_where_nothing_can_be_written(tmp_path: Path) -> None:
    db = tmp_path / "no such folder" / "backstride.sqlite3"
    with announce_import(db):
        assert not import_running(db)
    with announce_import(None):  # not an SQLite file
        pass


def test_the_watch_asks_the_file_at_most_every_so_often(tmp_path: Path) -> None:
    db = tmp_path / "backstride.sqlite3"
    fresh = ImportWatch(db, every_s=0.0)
    slow = ImportWatch(db, every_s=3600)
    assert not slow()
    with announce_import(db):
        assert fresh()
        assert not slow()  # asked a moment ago: the answer stands
    assert not fresh()


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///backstride.sqlite3",
        "sqlite:////tmp/a folder/backstride.sqlite3",
        "sqlite+pysqlite:////srv/data/b.sqlite3?timeout=5",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql+psycopg://runner:secret@127.0.0.1:5432/backstride",
        "not a url",
    ],
)
def test_the_file_is_the_one_sqlalchemy_opens(url: str) -> None:
    """The import finds its file without SQLAlchemy, as the dashboard does: the same file."""
    assert sqlite_file_of(url) == sqlite_path(url)
