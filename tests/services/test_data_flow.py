"""The runner's data in her hands, on the demo athlete: the original files kept as imported,
export -> import into an empty database gives the same answers, backup and delete everything.
On every engine; the online backup and the file's VACUUM are SQLite's own (checked there)."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from backstride.config import Settings, get_settings
from backstride.errors import ConflictError, InvalidInputError
from backstride.services.activities import delete_activity, list_activities
from backstride.services.context import App
from backstride.services.data import MANIFEST, export_archive, import_archive
from backstride.services.demo_load import DemoLoaded
from tests.conftest import CliResult
from tests.databases import DbBackend, count_rows

END = date(2026, 3, 15)
FROM = "2025-11-24"


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> tuple[str, DemoLoaded]:
    settings, loaded = demo_settings
    return settings.database_url, loaded


@pytest.fixture(scope="module")
def demo_files(demo_settings: tuple[Settings, DemoLoaded]) -> Path:
    """The demo's own files (beside its data folder: ``demo_settings``)."""
    return demo_settings[0].data_dir.parent / "files"


def copy_of(db: str, tmp_path: Path, db_backend: DbBackend, cli: Callable[..., CliResult]) -> str:
    """A copy of the database ``db`` to change: on SQLite made by ``backstride backup``
    (``copy.sqlite3`` in ``tmp_path``), on PostgreSQL a database copied from it."""
    if db_backend.is_sqlite:
        backed = cli("backup", str(tmp_path / "copy.sqlite3"), db=db)
        assert backed.exit_code == 0, backed.stderr
        return f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    return db_backend.keep_copy(db, tmp_path)


def rows_per_table(db: str) -> dict[str, int]:
    engine = create_engine(db)
    try:
        names = [n for n in inspect(engine).get_table_names() if not n.startswith("sqlite_")]
        return {n: count_rows(db, n) for n in names}
    finally:
        engine.dispose()


def answers(cli: Callable[..., CliResult], db: str) -> dict[str, Any]:
    """What a runner and her physiotherapist see: today, load and the report, as JSON."""
    out: dict[str, Any] = {}
    for key, args in {
        "today": ("today", "--json", "--on", END.isoformat()),
        "load": ("load", "--json", "--on", END.isoformat()),
        "report": ("report", "--json", "--from", FROM, "--to", END.isoformat()),
    }.items():
        result = cli(*args, db=db)
        assert result.exit_code == 0, result.stderr
        out[key] = result.json()
    return out


def test_every_imported_file_is_kept_exactly_as_imported(
    demo: tuple[str, DemoLoaded], demo_files: Path, tmp_path: Path
) -> None:
    db, loaded = demo
    counts = rows_per_table(db)
    assert counts["original_files"] == loaded.report.count("imported") == len(loaded.story.files)
    target = tmp_path / "export.zip"
    app = App(get_settings(db=db))
    try:
        summary = export_archive(app, target, now=__import__("datetime").datetime(2026, 3, 15))
    finally:
        app.close()
    assert summary.originals == len(loaded.story.files)
    folder = demo_files
    with zipfile.ZipFile(target) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        assert manifest["format"] == "backstride-export" and manifest["schema_revision"]
        assert manifest["tables"]["activities"] == counts["activities"]
        originals = {Path(n).name: zf.read(n) for n in zf.namelist() if n.startswith("originals/")}
        # Every table is there as JSON with its columns.
        table = json.loads(zf.read("tables/pain_entries.json"))
        assert len(table["rows"]) == counts["pain_entries"]
        assert ["score", "int"] in table["columns"]
    for f in loaded.story.files:
        name = Path(f.file).name
        assert originals[name] == (folder / f.file).read_bytes(), name


@pytest.mark.slow  # the demo athlete exported, imported and exported again
def test_export_then_import_into_an_empty_database_gives_the_same_answers(
    demo: tuple[str, DemoLoaded],
    tmp_path: Path,
    cli: Callable[..., CliResult],
    db_backend: DbBackend,
) -> None:
    db, loaded = demo
    archive = tmp_path / "mine.zip"
    out = cli("export", str(archive), "--json", db=db)
    assert out.exit_code == 0, out.stderr
    assert out.json()["originals"] == len(loaded.story.files)
    fresh = db_backend.new_url(tmp_path, filename="fresh.sqlite3", empty=True)
    restored = cli("import", str(archive), "--json", db=fresh)
    assert restored.exit_code == 0, restored.stderr
    assert restored.json()["rows"] == out.json()["rows"]
    assert rows_per_table(fresh) == rows_per_table(db)
    before, after = answers(cli, db), answers(cli, fresh)
    assert after["today"] == before["today"]
    assert after["load"] == before["load"]
    assert after["report"] == before["report"]
    assert before["report"]["measures"]["changes"][0]["verdict"] == "better"
    # The restored database exports the very same tables and files.
    again = tmp_path / "again.zip"
    assert cli("export", str(again), db=fresh).exit_code == 0
    with zipfile.ZipFile(archive) as a, zipfile.ZipFile(again) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            if name != MANIFEST:
                assert a.read(name) == b.read(name), name


def test_an_archive_is_only_imported_into_an_empty_database(
    demo: tuple[str, DemoLoaded], tmp_path: Path
) -> None:
    db, _ = demo
    archive = tmp_path / "a.zip"
    app = App(get_settings(db=db))
    try:
        export_archive(app, archive, now=__import__("datetime").datetime(2026, 3, 15))
        before = rows_per_table(db)
        with pytest.raises(ConflictError, match="already holds data"):
            import_archive(app, archive)
        assert rows_per_table(db) == before
    finally:
        app.close()


def test_a_damaged_archive_stores_nothing(
    demo: tuple[str, DemoLoaded], tmp_path: Path, db_backend: DbBackend
) -> None:
    db, _ = demo
    good = tmp_path / "good.zip"
    app = App(get_settings(db=db))
    try:
        export_archive(app, good, now=__import__("datetime").datetime(2026, 3, 15))
    finally:
        app.close()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "tables/pain_entries.json":
                table = json.loads(data)
                table["rows"][-1]["score"] = "seven"
                data = json.dumps(table).encode()
            dst.writestr(item, data)
    empty = db_backend.new_url(tmp_path, filename="empty.sqlite3", empty=True)
    target = App(get_settings(db=empty))
    try:
        with pytest.raises(InvalidInputError, match="not a backstride export"):
            import_archive(target, bad)
        assert sum(rows_per_table(empty).values()) <= 1  # alembic_version
        not_zip = tmp_path / "x.zip"
        not_zip.write_bytes(b"not a zip")
        with pytest.raises(InvalidInputError, match="not a readable zip"):
            import_archive(target, not_zip)
    finally:
        target.close()


def test_deleting_an_activity_deletes_its_original_file(
    demo: tuple[str, DemoLoaded],
    tmp_path: Path,
    cli: Callable[..., CliResult],
    db_backend: DbBackend,
) -> None:
    db = copy_of(demo[0], tmp_path, db_backend, cli)
    app = App(get_settings(db=db))
    try:
        before = rows_per_table(db)["original_files"]
        from_files = [r for r in list_activities(app, since=date(2025, 1, 1)) if r.content_hash]
        manual = [r for r in list_activities(app, since=date(2025, 1, 1)) if not r.content_hash]
        delete_activity(app, manual[0].id)  # logged by hand: no original
        assert rows_per_table(db)["original_files"] == before
        delete_activity(app, from_files[0].id)
        assert rows_per_table(db)["original_files"] == before - 1
    finally:
        app.close()


def test_delete_everything_leaves_no_row_and_no_file(
    demo: tuple[str, DemoLoaded],
    tmp_path: Path,
    cli: Callable[..., CliResult],
    db_url: str,
    db_backend: DbBackend,
) -> None:
    db, _ = demo
    copy = copy_of(db, tmp_path, db_backend, cli)
    assert rows_per_table(copy) == rows_per_table(db)
    uploads = Path(get_settings().data_dir) / "uploads" / "tmp1"
    uploads.mkdir(parents=True)
    (uploads / "half.fit").write_bytes(b"x")
    bookkeeping = ("alembic_version", "data_versions")
    stored = sum(v for k, v in rows_per_table(copy).items() if k not in bookkeeping)
    gone = cli("delete", "--everything", "--yes-i-am-sure", "--json", db=copy)
    assert gone.exit_code == 0, gone.stderr
    assert gone.json() == {"rows_deleted": stored, "files_deleted": 1}
    counts = rows_per_table(copy)
    assert {k: v for k, v in counts.items() if k not in bookkeeping and v} == {}
    assert not uploads.parent.exists()
    # nothing but the copy (and the cli fixture's own database, another file) is left
    left = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    if db_backend.is_sqlite:
        assert left == sorted(["copy.sqlite3", Path(make_url(db_url).database or "").name])
        con = sqlite3.connect(make_url(copy).database or "")
        try:  # SQLite's own: the freed pages are gone from the file
            assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0  # vacuumed
        finally:
            con.close()
    else:
        assert left == []


def test_delete_needs_the_typed_confirmation(
    demo: tuple[str, DemoLoaded],
    tmp_path: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    db_backend: DbBackend,
) -> None:
    db, _ = demo
    copy = copy_of(db, tmp_path, db_backend, cli)
    monkeypatch.setattr(sys, "stdin", io.StringIO("delete it\n"))
    refused = cli("delete", "--everything", db=copy)
    assert refused.exit_code != 0
    assert "Nothing was deleted" in refused.stdout + refused.stderr
    assert rows_per_table(copy) == rows_per_table(db)
    assert cli("delete", db=copy).exit_code == 2  # --everything is required
    monkeypatch.setattr(sys, "stdin", io.StringIO("Delete Everything\n"))
    assert cli("delete", "--everything", db=copy).exit_code == 0
    assert rows_per_table(copy)["activities"] == 0
