"""The dashboard on a full or read-only disk, and when its database file is removed or replaced:
a 507 or 503 page that says what to do, one line in the log (no traceback), nothing lost."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.errors import DamagedDatabaseError, ForeignDatabaseError
from backstride.web.app import create_app
from backstride.web.nav import NAV
from tests.mounts import fill, make_room, remount_read_only, tmpfs
from tests.web.conftest import make_settings, seed

# SQLite's own behaviour: the database file on a full or read-only disk, removed, replaced or
# another program's (a PostgreSQL server keeps its files to itself).
pytestmark = pytest.mark.sqlite_only

TokenFn = Callable[[TestClient, str], str]
RUN = "sports-lib/6782987395.fit"


def _file_settings(root: Path) -> Settings:
    return make_settings(root, db=str(root / "web.sqlite3"))


def _client(settings: Settings) -> TestClient:
    application = create_app(settings, allowed_hosts=["testserver"])
    return TestClient(application, raise_server_exceptions=False)


def _close(client: TestClient) -> None:
    client.app.state.web.app.close()  # type: ignore[attr-defined]


def _activities(settings: Settings) -> int:
    path = settings.database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as con:
        return int(con.execute("SELECT count(*) FROM activities").fetchone()[0])


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in caplog.text


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", size_kb=3072) as mounted:
        yield mounted


@pytest.fixture
def on_disk(disk: Path) -> Iterator[tuple[TestClient, Settings]]:
    """A dashboard whose database and data folder (uploads) are on the small disk."""
    settings = _file_settings(disk)
    seed(settings, count=3)
    client = _client(settings)
    yield client, settings
    _close(client)


# --- full disk ---------------------------------------------------------------------------------


@pytest.mark.parametrize("leave_kb", [0, 64])
def test_an_upload_on_a_full_disk_answers_507_without_a_traceback(
    on_disk: tuple[TestClient, Settings],
    disk: Path,
    csrf_token: TokenFn,
    activities_dir: Path,
    caplog: pytest.LogCaptureFixture,
    leave_kb: int,
) -> None:
    client, settings = on_disk
    token = csrf_token(client, "/import")
    fill(disk, leave_bytes=leave_kb * 1024)
    caplog.set_level(logging.WARNING)
    data = (activities_dir / RUN).read_bytes()
    response = client.post("/import", data={"csrf_token": token}, files={"files": ("r.fit", data)})
    assert response.status_code == 507
    assert "The disk is full" in response.text or "is full" in response.text
    assert "Nothing stored before was lost" in response.text
    assert "Free some space" in response.text
    assert "Something unexpected" not in response.text
    _no_tracebacks(caplog)
    assert any("full" in r.getMessage() for r in caplog.records)
    api = client.post(
        "/api/imports?name=r.fit",
        content=data,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert api.status_code == 507
    assert api.json()["error"]["status"] == 507
    _no_tracebacks(caplog)
    make_room(disk)
    assert _activities(settings) == 3
    assert not any((settings.data_dir / "uploads").glob("*/*"))


def test_an_edit_on_a_full_disk_answers_507_and_keeps_the_old_value(
    on_disk: tuple[TestClient, Settings], disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client, settings = on_disk
    item = client.get("/api/activities").json()["items"][0]
    fill(disk, leave_bytes=0)
    caplog.set_level(logging.WARNING)
    response = client.patch(f"/api/activities/{item['id']}", json={"notes": "x" * 9000})
    assert response.status_code == 507
    assert "Free some space" in response.json()["error"]["hint"]
    _no_tracebacks(caplog)
    make_room(disk)
    again = client.get(f"/api/activities/{item['id']}").json()
    assert again.get("notes") == item.get("notes")


# --- read-only disk ----------------------------------------------------------------------------


def test_a_read_only_disk_shows_the_pages_and_refuses_changes(
    disk: Path, csrf_token: TokenFn, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _file_settings(disk)
    seed(settings, count=3)
    remount_read_only(disk)
    client = _client(settings)
    try:
        item = client.get("/api/activities").json()["items"][0]
        for path in (*(n.href for n in NAV), f"/activities/{item['id']}", "/api/load"):
            assert client.get(path).status_code == 200, path
        caplog.set_level(logging.WARNING)
        response = client.patch(f"/api/activities/{item['id']}", json={"notes": "new"})
        assert response.status_code == 503
        assert "viewing only" in response.json()["error"]["message"]
        token = csrf_token(client, "/import")
        page = client.post(
            f"/activities/{item['id']}/edit",
            data={"csrf_token": token, "sport": "run", "notes": "new"},
        )
        assert page.status_code == 503
        assert "read-only disk" in page.text and "Copy the database" in page.text
        _no_tracebacks(caplog)
    finally:
        _close(client)


# --- the database file removed or replaced while serving ---------------------------------------


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_the_dashboard_stops_when_its_database_file_goes(
    tmp_path: Path, csrf_token: TokenFn, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    settings = _file_settings(tmp_path)
    seed(settings, count=3)
    client = _client(settings)
    path = Path(settings.database_url.removeprefix("sqlite:///"))
    try:
        item = client.get("/api/activities").json()["items"][0]
        token = csrf_token(client, "/import")
        if how == "removed":
            path.unlink()
        else:
            shutil.copy(path, tmp_path / "restored.sqlite3")
            os.replace(tmp_path / "restored.sqlite3", path)
        caplog.set_level(logging.WARNING)
        response = client.patch(f"/api/activities/{item['id']}", json={"notes": "lost?"})
        assert response.status_code == 503
        assert "removed or replaced" in response.json()["error"]["message"]
        assert "Restart backstride" in response.json()["error"]["hint"]
        page = client.post(
            f"/activities/{item['id']}/edit",
            data={"csrf_token": token, "sport": "run", "notes": "lost?"},
        )
        assert page.status_code == 503 and "removed or replaced" in page.text
        assert client.get("/activities").status_code == 503
        _no_tracebacks(caplog)
    finally:
        _close(client)
    if how == "replaced":  # nothing was written into the file that is there now
        with closing(sqlite3.connect(path)) as con:
            notes = con.execute("SELECT notes FROM activities WHERE id = ?", (item["id"],))
            assert notes.fetchone()[0] != "lost?"


# --- files that are not the dashboard's to open ------------------------------------------------


def test_the_dashboard_will_not_open_another_programs_database(tmp_path: Path) -> None:
    other = tmp_path / "web.sqlite3"
    with closing(sqlite3.connect(other)) as con:
        con.execute("CREATE TABLE notes (body TEXT)")
        con.commit()
    with pytest.raises(ForeignDatabaseError):
        create_app(_file_settings(tmp_path))
    (tmp_path / "web.sqlite3").write_bytes(b"garbage" * 100)
    with pytest.raises(DamagedDatabaseError):
        create_app(_file_settings(tmp_path))
