"""One date for every page (the runner's today, in the ``timezone`` setting) and cache
invalidation in one place for every unsafe method (``web.context``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from backstride.services.local_days import runner_today
from backstride.web.app import create_app
from tests.databases import DbBackend
from tests.web.conftest import make_settings

WEB = Path(__file__).resolve().parents[2] / "src" / "backstride" / "web"


def test_runner_today_follows_the_timezone_setting() -> None:
    at = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert runner_today("UTC", now=at).isoformat() == "2026-12-06"
    assert runner_today("UTC+02:00", now=at).isoformat() == "2026-12-07"
    assert runner_today("America/New_York", now=at).isoformat() == "2026-12-06"
    assert runner_today("Pacific/Kiritimati", now=at).isoformat() == "2026-12-07"


def test_pages_use_the_runners_today(tmp_path: Path, db_backend: DbBackend) -> None:
    for zone in ("UTC-12:00", "UTC+14:00"):
        root = tmp_path / zone.replace(":", "")
        settings = make_settings(root, db=db_backend.new_url(root), timezone=zone)
        application = create_app(settings, allowed_hosts=["testserver"])
        try:
            client = TestClient(application, raise_server_exceptions=False)
            page = client.get("/checkin").text
            day = re.search(r'name="day" value="(\d{4}-\d\d-\d\d)"', page)
            assert day and day.group(1) == runner_today(zone).isoformat(), zone
            assert f'max="{runner_today(zone).isoformat()}"' in page
        finally:
            application.state.web.app.close()


def test_the_web_reads_the_clock_in_one_place() -> None:
    for path in WEB.rglob("*.py"):
        text = path.read_text()
        assert "date.today()" not in text, path
        if path.name not in ("context.py", "cache.py"):
            assert "cache.bump()" not in text, f"{path}: invalidation is web.context's job"


def test_every_unsafe_request_drops_the_cache(seeded_client: TestClient) -> None:
    """On an SQLite file every unsafe request drops the cache, whatever it did; on a server
    database (PostgreSQL) nothing is dropped here: an answer is kept with the database's data
    version, which only a writing transaction bumps (``web.context``, docs/postgresql.md)."""
    web = seeded_client.app.state.web  # type: ignore[attr-defined]
    calls: list[int] = []
    web.cache.get(("probe",), lambda: calls.append(1) or 1)
    web.cache.get(("probe",), lambda: calls.append(1) or 1)
    assert calls == [1]  # cached
    refused = seeded_client.post("/routes/delete", data={"name": "x"})  # no token: refused
    assert refused.status_code == 403
    web.cache.get(("probe",), lambda: calls.append(1) or 1)
    # SQLite: dropped all the same, every unsafe method drops it; PostgreSQL: kept, the refused
    # request wrote nothing and so left the data version as it was.
    expected = [1] if web.cache.versioned_by_database else [1, 1]
    assert calls == expected
    seeded_client.get("/activities")
    web.cache.get(("probe",), lambda: calls.append(1) or 1)
    assert calls == expected  # a read keeps it
