"""Pages in miles when the runner chose miles; the JSON API stays SI and says so."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from backstride.web.app import create_app
from tests.databases import DbBackend
from tests.web.conftest import make_settings, seed


def _client(root: Path, units: str, db_backend: DbBackend) -> TestClient:
    settings = make_settings(root, db=db_backend.new_url(root), units=units)
    seed(settings, count=4)
    return TestClient(create_app(settings, allowed_hosts=["testserver"]))


def test_the_activities_page_shows_miles_when_chosen(tmp_path: Path, db_backend: DbBackend) -> None:
    miles = _client(tmp_path / "mi", "mi", db_backend)
    page = miles.get("/activities").text
    assert " mi<" in page or " mi " in page
    assert "/mi" in page
    kilometres = _client(tmp_path / "km", "km", db_backend).get("/activities").text
    assert " km" in kilometres and "/km" in kilometres
    assert miles.get("/api/activities").json()["items"][0]["distance_m"] > 1000  # SI


def test_the_api_schema_says_figures_are_si(tmp_path: Path, db_backend: DbBackend) -> None:
    schema = _client(tmp_path, "mi", db_backend).get("/openapi.json").json()
    assert "always metric (SI)" in schema["info"]["description"]
    props = schema["components"]["schemas"]["ActivityOut"]["properties"]
    assert "metres" in props["distance_m"]["description"]
    assert "whatever the units setting" in props["duration_s"]["description"]


def test_charts_follow_the_chosen_units(tmp_path: Path, db_backend: DbBackend) -> None:
    miles = _client(tmp_path / "mi", "mi", db_backend)
    overview = miles.get("/").text
    assert "Running distance per week (mi)" in overview
    first = miles.get("/api/activities").json()["items"][0]["id"]
    page = miles.get(f"/activities/{first}").text
    assert "Elevation profile (ft)" in page or "Elevation profile" not in page
    assert "min/mi" in page or "mph" in page
    kilometres = _client(tmp_path / "km", "km", db_backend)
    assert "Running distance per week (km)" in kilometres.get("/").text
