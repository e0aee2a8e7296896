"""A dashboard write waits for another process's write lock without holding up the reads."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from backstride.adapters.db.write_turn import WriteTurnProbe
from backstride.services.activities import list_activities
from backstride.services.context import App
from tests.web.conftest import make_settings, seed, start_server

# SQLite's own behaviour: its file's write lock, taken by another process (PostgreSQL locks rows,
# and its writers never wait for the whole database).
pytestmark = pytest.mark.sqlite_only


def _db_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


def test_probe_sees_the_write_lock_of_another_connection(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, db=str(tmp_path / "web.sqlite3"))
    App(settings).close()  # create and migrate the database
    probe = WriteTurnProbe(settings.database_url)
    other = sqlite3.connect(_db_file(settings.database_url), isolation_level=None)
    try:
        assert probe.is_free()
        other.execute("BEGIN IMMEDIATE")
        t0 = time.monotonic()
        assert not probe.is_free()
        assert time.monotonic() - t0 < 1.0  # answers at once, not after a busy timeout
        other.execute("ROLLBACK")
        assert probe.is_free()
    finally:
        other.close()
        probe.close()


def test_probe_of_a_database_that_is_not_an_sqlite_file_is_always_free() -> None:
    assert WriteTurnProbe("sqlite://").is_free()
    assert WriteTurnProbe("postgresql://u@localhost/x").is_free()


def test_patch_waiting_for_the_lock_does_not_hold_up_reads(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, db=str(tmp_path / "web.sqlite3"))
    seed(settings, count=4)
    app = App(settings)
    try:
        activity_id = list_activities(app)[0].id
    finally:
        app.close()
    server = start_server(settings)
    other = sqlite3.connect(_db_file(settings.database_url), isolation_level=None)
    results: dict[str, float | int] = {}
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            http.get(f"/api/activities/{activity_id}").raise_for_status()  # warm
        other.execute("BEGIN IMMEDIATE")  # another process is writing, until we say so

        def patch() -> None:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                r = http.patch(f"/api/activities/{activity_id}", json={"rpe": 6})
                results["patch_status"] = r.status_code
                results["patch_done_at"] = time.monotonic()

        writer = threading.Thread(target=patch)
        writer.start()
        time.sleep(0.5)  # the PATCH is now waiting for its turn
        with httpx.Client(base_url=server.url, timeout=30) as http:
            r = http.get(f"/api/activities/{activity_id}")
        patch_done_while_locked = "patch_done_at" in results
        released_at = time.monotonic()
        other.execute("ROLLBACK")
        writer.join(timeout=30)
    finally:
        other.close()
        server.stop()
    # The read was answered while the other process still held the lock and the PATCH waited;
    # the PATCH went through once the lock was released (ordering, not a stopwatch).
    assert r.status_code == 200
    assert not patch_done_while_locked
    assert results["patch_status"] == 200
    assert results["patch_done_at"] >= released_at
    app = App(settings)
    try:
        assert next(r for r in list_activities(app) if r.id == activity_id).rpe == 6
    finally:
        app.close()


def test_probe_never_creates_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "gone.sqlite3"
    probe = WriteTurnProbe(f"sqlite:///{missing}")
    assert probe.is_free()  # go ahead: the write itself reports the missing file
    assert not missing.exists()
    probe.close()


def test_patch_that_changes_nothing_answers_while_another_process_writes(
    tmp_path: Path,
) -> None:
    """An edit that sets what is already stored writes nothing, so it does not wait for the
    write lock an import's batch holds; one that changes something still waits its turn."""
    settings = make_settings(tmp_path, db=str(tmp_path / "web.sqlite3"))
    seed(settings, count=4)
    server = start_server(settings)
    other = sqlite3.connect(_db_file(settings.database_url), isolation_level=None)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            activity_id = http.get("/api/activities?per_page=1").json()["items"][0]["id"]
            path = f"/api/activities/{activity_id}"
            http.patch(path, json={"rpe": 6}).raise_for_status()
            other.execute("BEGIN IMMEDIATE")  # another process is writing
            same = http.patch(path, json={"rpe": 6})
            assert same.status_code == 200 and same.json()["rpe"] == 6
            changed: dict[str, int] = {}

            def patch() -> None:
                with httpx.Client(base_url=server.url, timeout=30) as writer_http:
                    changed["status"] = writer_http.patch(path, json={"rpe": 7}).status_code

            writer = threading.Thread(target=patch)
            writer.start()
            time.sleep(0.5)
            waited = "status" not in changed
            other.execute("ROLLBACK")
            writer.join(timeout=30)
    finally:
        other.close()
        server.stop()
    assert waited and changed["status"] == 200


def test_pages_that_only_read_never_wait_for_the_write_lock(tmp_path: Path) -> None:
    """An activity's page (its shoes to choose from) and the shoes' list only read: while
    another process holds the write lock (an import's batch) they answer at once instead of
    queueing for the lock on the dashboard's one request thread."""
    settings = make_settings(tmp_path, db=str(tmp_path / "web.sqlite3"))
    seed(settings, count=4)
    server = start_server(settings)
    other = sqlite3.connect(_db_file(settings.database_url), isolation_level=None)
    try:
        with httpx.Client(base_url=server.url, timeout=5) as http:
            activity_id = http.get("/api/activities?per_page=1").json()["items"][0]["id"]
            http.get("/api/load").raise_for_status()  # every activity analysed and stored
            other.execute("BEGIN IMMEDIATE")  # another process is writing
            page = http.get(f"/activities/{activity_id}")
            shoes = http.get("/api/shoes")
            other.execute("ROLLBACK")
    finally:
        other.close()
        server.stop()
    assert page.status_code == 200 and shoes.status_code == 200
