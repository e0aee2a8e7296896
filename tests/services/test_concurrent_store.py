"""Several processes on one database at once: imports, a fresh database, migrations.

On SQLite one writer at a time is the file's own rule; on PostgreSQL these hold through the
advisory locks and the unique constraint on a file's activities (``adapters/db/postgres.py``,
migration 0014). Each test runs on every database chosen with ``--db``.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from backstride.adapters.db.tables import ActivityRow, AthleteRow
from backstride.config import get_settings
from backstride.services.context import App
from backstride.services.database import upgrade_database
from tests.corpus import corpus_files
from tests.databases import DbBackend

PROCESSES = 8
FILES = 24


def _count(url: str, column: Any) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count(column))).scalar_one())
    finally:
        engine.dispose()


def _open(url: str, tmp_path: Path) -> int:
    app = App(get_settings(db=url, data_dir=tmp_path / "data"))
    try:
        return app.athlete_id
    finally:
        app.close()


def _backstride(*args: str, tmp_path: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKSTRIDE_")}
    env.update(
        BACKSTRIDE_CONFIG_FILE=str(tmp_path / "no-config.toml"),
        BACKSTRIDE_DATA_DIR=str(tmp_path / "data"),
        COLUMNS="200",
    )
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "backstride"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def some_files(tmp_path: Path, activities_dir: Path) -> Path:
    """A folder of real activity files (FIT and GPX from the corpus)."""
    folder = tmp_path / "files"
    folder.mkdir()
    chosen = [p for p in corpus_files((".fit", ".gpx")) if p.stat().st_size < 400_000][:FILES]
    for i, path in enumerate(chosen):
        shutil.copy(path, folder / f"{i:02d}-{path.name}")
    return folder


def test_two_concurrent_imports_store_each_activity_once(
    db_url: str, some_files: Path, tmp_path: Path
) -> None:
    _open(db_url, tmp_path)  # migrated, with its athlete, as a server's database is
    runs = [
        _backstride("--db", db_url, "import", "--workers", "1", str(some_files), tmp_path=tmp_path)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode in (0, 1), err  # 1: some corpus files are refused on purpose
    stored = _count(db_url, ActivityRow.id)
    assert stored > 0
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            copies = conn.execute(
                text(
                    "SELECT content_hash, file_part, count(*) FROM activities "
                    "GROUP BY content_hash, file_part HAVING count(*) > 1"
                )
            ).all()
            same_start = conn.execute(
                text(
                    "SELECT sport, start_at, count(*) FROM activities "
                    "GROUP BY sport, start_at HAVING count(*) > 1"
                )
            ).all()
    finally:
        engine.dispose()
    assert copies == []
    assert same_start == []
    # A third import of the same files stores nothing new.
    again = _backstride("--db", db_url, "import", str(some_files), tmp_path=tmp_path)
    again.communicate(timeout=600)
    assert _count(db_url, ActivityRow.id) == stored


def _open_fresh(url: str, data_dir: str, barrier: Any, queue: Any) -> None:
    """One process: wait for the others, then migrate and find (or create) the athlete."""
    os.environ["BACKSTRIDE_CONFIG_FILE"] = os.path.join(data_dir, "no-config.toml")
    settings = get_settings(db=url, data_dir=data_dir)
    barrier.wait(timeout=60)
    try:
        migrated = upgrade_database(settings).migrated
        app = App(settings)
        try:
            queue.put(("ok", migrated, app.athlete_id))
        finally:
            app.close()
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with it
        queue.put(("error", repr(exc), None))


def test_eight_processes_opening_a_fresh_database_create_one_athlete_and_migrate_once(
    db_backend: DbBackend, tmp_path: Path
) -> None:
    url = db_backend.new_url(tmp_path, filename="fresh.sqlite3", empty=True)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    queue = context.Queue()
    processes = [
        context.Process(target=_open_fresh, args=(url, str(tmp_path), barrier, queue))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    answers = [queue.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert [a for a in answers if a[0] != "ok"] == []
    assert sum(1 for a in answers if a[1]) == 1  # one process migrated, the others waited
    assert {a[2] for a in answers} == {1}
    assert _count(url, AthleteRow.id) == 1
    assert _open(url, tmp_path) == 1  # and it opens as usual
