"""Pages in miles when the runner chose miles; the JSON API stays SI and says so."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from backstride.web.app import create_app
from tests.web.conftest import make_settings, seed


def _client(root: Path, units: str) -> TestClient:
    settings = make_settings(root, units=units)
    seed(settings, count=4)
    return TestClient(create_app(settings, allowed_hosts=["testserver"]))


def test_the_activities_page_shows_miles_when_chosen(tmp_path: Path) -> None:
    miles = _client(tmp_path / "mi", "mi")
    page = miles.get("/activities").text
    assert " mi<" in page or " mi " in page
    assert "/mi" in page
    kilometres = _client(tmp_path / "km", "km").get("/activities").text
    assert " km" in kilometres and "/km" in kilometres
    assert miles.get("/api/activities").json()["items"][0]["distance_m"] > 1000  # SI


def test_the_api_schema_says_figures_are_si(tmp_path: Path) -> None:
    schema = _client(tmp_path, "mi").get("/openapi.json").json()
    assert "always metric (SI)" in schema["info"]["description"]
    props = schema["components"]["schemas"]["ActivityOut"]["properties"]
    assert "metres" in props["distance_m"]["description"]
    assert "whatever the units setting" in props["duration_s"]["description"]
