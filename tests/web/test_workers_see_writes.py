"""``serve --workers 2``: a change made by another process shows on the next read in every
worker (SQLite: the file's size and time; PostgreSQL: the data version in the database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.web.conftest import free_port

READS = 12
NEW_NAME = "Renamed from the command line"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKSTRIDE_")}
    env.update(
        BACKSTRIDE_CONFIG_FILE=str(tmp_path / "no-config.toml"),
        BACKSTRIDE_DATA_DIR=str(tmp_path / "data"),
        COLUMNS="200",
    )
    return env


def _backstride(tmp_path: Path, *args: str) -> str:
    exe = str(Path(sys.executable).parent / "backstride")
    result = subprocess.run(
        [exe, *args], env=_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _get(url: str) -> object:
    # A new connection for every read, so the kernel hands reads to both workers.
    request = urllib.request.Request(url, headers={"Connection": "close"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())


@pytest.fixture
def two_workers(db_url: str, tmp_path: Path, cli: Callable[..., CliResult]) -> object:
    # The first run is logged in this process (the command line's own code, without starting
    # an interpreter); the writes the tests are about come from processes of their own.
    logged = cli("log", "--on", "2026-03-01", "--sport", "run",
                 "--duration", "30m", "--distance", "5km", "--name", "Easy run")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    port = free_port()
    exe = str(Path(sys.executable).parent / "backstride")
    log = tmp_path / "server.log"
    with open(log, "wb") as out:  # a file: the workers may outlive a failed start
        server = subprocess.Popen(
            [exe, "--db", db_url, "serve", "--workers", "2", "--port", str(port)],
            env=_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            _get(base + "/api/activities")
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                output = log.read_text(errors="replace")
                raise RuntimeError("the server did not start: " + output) from None
            time.sleep(0.2)
    yield base
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def test_a_write_from_another_process_shows_on_the_next_read_in_every_worker(
    two_workers: str, db_url: str, tmp_path: Path
) -> None:
    base = two_workers
    items = _get(base + "/api/activities")["items"]  # type: ignore[index]
    activity_id = items[0]["id"]
    for _ in range(READS):  # both workers cache the list and the activity
        assert _get(base + "/api/activities")["items"][0]["name"] == "Easy run"  # type: ignore[index]
        _get(f"{base}/api/activities/{activity_id}")
    _backstride(tmp_path, "--db", db_url, "activity", "edit", str(activity_id), "--name", NEW_NAME)
    names = [
        _get(base + "/api/activities")["items"][0]["name"]  # type: ignore[index]
        for _ in range(READS)
    ]
    details = [_get(f"{base}/api/activities/{activity_id}")["name"] for _ in range(READS)]  # type: ignore[index]
    assert names == [NEW_NAME] * READS
    assert details == [NEW_NAME] * READS


def test_a_check_in_from_another_process_changes_today_in_every_worker(
    two_workers: str, db_url: str, tmp_path: Path
) -> None:
    """A write to the diary only (on PostgreSQL it leaves the answers that never read the
    diary kept) still changes the day's answer everywhere on the next read, and the
    Overview's decision with it."""
    base = two_workers
    activity_id = _get(base + "/api/activities")["items"][0]["id"]  # type: ignore[index]
    for _ in range(READS):  # both workers cache the day, the Overview and the activity
        before = _get(base + "/api/today")
        _get(base + "/api/overview")
        _get(f"{base}/api/activities/{activity_id}")
    _backstride(tmp_path, "--db", db_url, "pain", "add", "--score", "9", "--when", "rest-day")
    days = [_get(base + "/api/today") for _ in range(READS)]
    overviews = [_get(base + "/api/overview")["today"] for _ in range(READS)]  # type: ignore[index]
    assert all(day != before for day in days)
    assert len({json.dumps(day, sort_keys=True) for day in days}) == 1
    assert {o["decision"] for o in overviews} == {days[0]["decision"]}  # type: ignore[index]
    details = [_get(f"{base}/api/activities/{activity_id}")["name"] for _ in range(READS)]  # type: ignore[index]
    assert details == ["Easy run"] * READS
