"""Storage trouble on the command line: each error says what happened and what to do.

Another program's database, a file that is not a database, a full disk during an import (the
``--json`` report still printed, nothing lost) and a read-only disk (viewing works).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.mounts import fill, make_room, remount_read_only, tmpfs

# SQLite's own behaviour: a full, read-only or foreign SQLite file.
pytestmark = pytest.mark.sqlite_only

Runner = Callable[..., CliResult]
FIRST = "sports-lib/2067489619.fit"
MORE = ("sports-lib/6782987395.fit", "sports-lib/6860622783.fit", "sports-lib/4623204522.fit")


def _said(result: CliResult) -> str:
    """stderr with its line breaks undone (rich wraps long messages at the console width)."""
    return " ".join(result.stderr.split())


def _sql(path: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute(query).fetchall()


def test_another_programs_database_is_left_untouched(cli: Runner, tmp_path: Path) -> None:
    other = tmp_path / "other-app.sqlite"
    with closing(sqlite3.connect(other)) as con:
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        con.commit()
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    result = cli("activity", "list", db=str(other))
    assert result.exit_code == 2
    assert f"'{other}' is another program's database" in _said(result)
    assert "left it untouched" in _said(result) and "--db" in _said(result)
    assert "something unexpected" not in _said(result)
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    assert _sql(other, "PRAGMA journal_mode") == [("delete",)]
    assert [r[0] for r in _sql(other, "SELECT name FROM sqlite_master")] == ["notes"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == [
        "other-app.sqlite"
    ]


def test_a_file_that_is_not_a_database_is_named(cli: Runner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    result = cli("today", db=str(notes))
    assert result.exit_code == 1
    assert f"'{notes}' is damaged or is not a database" in _said(result)
    assert "Restore the file from a backup copy" in _said(result)
    assert "something unexpected" not in _said(result)
    assert notes.read_text() == "not a database\n" * 100


# --- a real full disk --------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    # Room for the four files, their samples and their originals as imported (about 2.5 MB).
    with tmpfs(tmp_path / "disk", size_kb=4096) as mounted:
        yield mounted


def test_import_on_a_full_disk_prints_the_report_and_loses_nothing(
    cli: Runner, disk: Path, activities_dir: Path
) -> None:
    db = str(disk / "runs.sqlite3")
    first = cli("import", "--json", str(activities_dir / FIRST), db=db)
    assert first.exit_code == 0, first.stderr
    fill(disk, leave_bytes=64 * 1024)
    paths = [str(activities_dir / p) for p in MORE]
    result = cli("import", "--json", *paths, db=db)
    assert result.exit_code == 1
    report = result.json()
    assert report["imported"] == 0 and report["failed"] == len(MORE)
    assert [f["path"] for f in report["files"]] == paths
    assert {f["reason"] for f in report["files"]} == {"not stored: the disk is full"}
    assert "disk holding" in report["stopped"]["message"]
    assert "Error: The disk holding" in _said(result)
    assert "Nothing stored before was lost" in _said(result)
    assert "Free some space" in _said(result)
    assert "something unexpected" not in _said(result)
    assert "OperationalError" not in _said(result)
    assert "database or disk is full" not in _said(result)

    make_room(disk)
    listed = cli("activity", "list", "--json", db=db).json()
    assert [a["id"] for a in listed] == first.json()["files"][0]["activity_ids"]
    assert _sql(disk / "runs.sqlite3", "PRAGMA integrity_check") == [("ok",)]
    again = cli("import", "--json", *paths, db=db)
    assert again.exit_code == 0, again.stderr
    assert again.json()["imported"] == len(MORE)


def test_a_table_report_on_a_full_disk_ends_with_the_error(
    cli: Runner, disk: Path, activities_dir: Path
) -> None:
    db = str(disk / "runs.sqlite3")
    assert cli("activity", "list", db=db).exit_code == 0
    fill(disk, leave_bytes=64 * 1024)
    result = cli("import", str(activities_dir / MORE[0]), db=db)
    assert result.exit_code == 1
    assert "not stored: the disk is full" in result.stdout
    assert "0 imported, 0 duplicate, 0 skipped, 1 failed." in result.stdout
    assert "Error: The disk holding" in _said(result)


# --- a real read-only disk ---------------------------------------------------------------------


def test_a_read_only_disk_opens_for_viewing(cli: Runner, disk: Path, activities_dir: Path) -> None:
    db = str(disk / "runs.sqlite3")
    assert cli("import", str(activities_dir / FIRST), db=db).exit_code == 0
    remount_read_only(disk)
    listed = cli("activity", "list", "--json", db=db)
    assert listed.exit_code == 0, listed.stderr
    assert len(listed.json()) == 1
    for command in (("today",), ("load",), ("pain", "list"), ("activity", "show", "1")):
        shown = cli(*command, db=db)
        assert shown.exit_code == 0, (command, shown.stderr)
    for command in (
        ("log", "--on", "2024-05-01", "--sport", "run", "--duration", "30m"),
        ("pain", "add", "--score", "2", "--when", "rest-day"),
        ("activity", "edit", "1", "--notes", "x"),
        ("import", str(activities_dir / MORE[0])),
    ):
        refused = cli(*command, db=db)
        assert refused.exit_code == 1, command
        assert "read-only disk or in a read-only folder" in _said(refused), command
        assert "viewing only" in _said(refused) and "Copy the database" in _said(refused)
        assert "no other program holds the file locked" not in _said(refused)
    assert sorted(p.name for p in disk.iterdir()) == ["runs.sqlite3"]
