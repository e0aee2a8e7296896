"""Killing ``backstride import`` (TERM or KILL) ends its parser workers and damages nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from backstride.adapters.db.engine import sqlite_path
from backstride.adapters.db.import_marker import import_running, marker_path
from backstride.adapters.files.fit.writer import encode_fit_activity
from tests.databases import count_rows

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the process table in /proc"
)

FILES = 700
BACKSTRIDE = Path(sys.executable).with_name("backstride")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A zip of FIT runs, large enough that an import is still running when it is killed."""
    path = tmp_path_factory.mktemp("signals") / "runs.zip"
    start = datetime(2020, 1, 1, 6, 0, tzinfo=UTC)
    n = 900
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(FILES):
            begin = start + timedelta(hours=30 * i)
            epoch = begin.timestamp() + np.arange(n) * 2.0
            data = encode_fit_activity(
                start_at=begin,
                sport="running",
                sub_sport=None,
                epoch_s=epoch,
                lat_deg=47.0 + np.arange(n) * 5e-5,
                lon_deg=np.full(n, 8.0 + i * 1e-4),
                hr_bpm=np.full(n, 140.0),
            )
            zf.writestr(f"runs/{i:04d}.fit", data)
    return path


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has ended


def stored(db: str) -> int:
    try:
        return count_rows(db, "activities")
    except SQLAlchemyError:  # not created yet
        return 0


def start_import(db: str, archive: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BACKSTRIDE_DB": db,
        "BACKSTRIDE_DATA_DIR": str(tmp_path / "data"),
        "BACKSTRIDE_CONFIG_FILE": str(tmp_path / "none.toml"),
        "BACKSTRIDE_IMPORT_WORKERS": "2",
    }
    return subprocess.Popen(
        [str(BACKSTRIDE), "import", "--json", str(archive)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def check_database(db: str) -> tuple[int, int]:
    """Integrity (of an SQLite file), and nothing half-written: every activity has its
    samples, analysis and import record. Returns (activities, import records)."""
    engine = create_engine(db)
    try:
        with engine.connect() as con:
            if engine.dialect.name == "sqlite":
                assert con.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]

            def count(sql: str) -> int:
                return int(con.execute(text(sql)).scalar_one())

            activities = count("SELECT count(*) FROM activities")
            missing_streams = count(
                "SELECT count(*) FROM activities a LEFT JOIN streams s ON s.activity_id = a.id "
                "WHERE s.activity_id IS NULL"
            )
            missing_metrics = count(
                "SELECT count(*) FROM activities a LEFT JOIN activity_metrics m "
                "ON m.activity_id = a.id WHERE m.activity_id IS NULL"
            )
            recorded = count("SELECT count(*) FROM import_records WHERE status = 'imported'")
            all_records = count("SELECT count(*) FROM import_records")
    finally:
        engine.dispose()
    assert (missing_streams, missing_metrics) == (0, 0)
    assert recorded == activities
    return activities, all_records


@pytest.mark.slow  # an import of 700 files, killed, then run again to its end
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_killed_import_leaves_no_worker_and_an_intact_database(
    sig: signal.Signals, archive: Path, tmp_path: Path, db_url: str
) -> None:
    db = db_url
    proc = start_import(db, archive, tmp_path)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            workers |= children_of(proc.pid)
            if len(workers) >= 2 and stored(db) > 0:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the import ended before it could be killed"
        assert len(workers) >= 2
        file = sqlite_path(db)
        if file is not None:  # announced to a dashboard serving the file (web.cpu_share)
            assert import_running(file)
        os.kill(proc.pid, sig)
        # the output closes: nothing holds it open (orphaned workers used to, for 90+ s);
        # generous, as a loaded CI machine may take seconds to finish the batch in hand
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    gone_by = time.monotonic() + 2.0  # the workers' grace to exit after their parent
    while any(alive(w) for w in workers) and time.monotonic() < gone_by:
        time.sleep(0.02)
    assert [w for w in workers if alive(w)] == []
    if file is not None:  # a killed import is no running one (its lock ended with it)
        assert not import_running(file)
        assert marker_path(file).exists() == (sig == signal.SIGKILL)  # TERM tidies up
    if sig == signal.SIGTERM:
        assert proc.returncode == 143, err.decode()
        report = json.loads(out)
        assert "Stopped by a termination signal" in err.decode()
    else:
        assert proc.returncode == -signal.SIGKILL
        report = None
    activities, records = check_database(db)
    assert 0 < activities < FILES
    assert records == activities
    if report is not None:
        assert report["imported"] == activities  # the report tells what was stored
    # importing again finishes the job: stored files are recognised, none twice
    again = start_import(db, archive, tmp_path)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    rerun = json.loads(out)
    assert rerun["imported"] + rerun["duplicate"] == FILES
    assert rerun["duplicate"] == activities
    assert check_database(db) == (FILES, FILES + activities)
