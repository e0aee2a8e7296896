"""The runner's units on the pages: chosen on the Profile page ("Distances in kilometres /
miles"), weighed by the one rule (--units > BACKSTRIDE_UNITS > profile > config file > km on
this computer), and per runner on a shared server, where each runner's profile wins."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings, get_settings
from backstride.services.body import set_profile
from backstride.services.context import App
from backstride.web.app import create_app
from tests.web.conftest import seed
from tests.web.server_kit import client_for, csrf, log_in, seed_runner

CHART = "Running distance per week ({})"


def _settings(root: Path, monkeypatch: pytest.MonkeyPatch, db: str, **overrides: str) -> Settings:
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(root / "config.toml"))
    return get_settings(db=db, data_dir=str(root / "data"), **overrides)


def _units_of(client: TestClient) -> str:
    page = client.get("/").text
    shown = [u for u in ("km", "mi") if CHART.format(u) in page]
    assert len(shown) == 1, shown
    return shown[0]


def _choose(client: TestClient, units: str) -> None:
    token = csrf(client, "/profile")
    saved = client.post(
        "/profile", data={"csrf_token": token, "units": units}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text[:800]


def test_every_level_of_the_rule_on_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.delenv("BACKSTRIDE_UNITS", raising=False)
    seed(_settings(tmp_path, monkeypatch, db_url), count=4)

    def client(**overrides: str) -> TestClient:
        settings = _settings(tmp_path, monkeypatch, db_url, **overrides)
        return TestClient(create_app(settings, allowed_hosts=["testserver"]))

    assert _units_of(client()) == "km"  # the default
    (tmp_path / "config.toml").write_text('units = "mi"\n', encoding="utf-8")
    local = client()
    assert _units_of(local) == "mi"  # the config file
    profile = html.unescape(local.get("/profile").text)
    assert "Distances in" in profile and "Not chosen yet: the pages show miles" in profile
    assert not re.search(r'name="units" value="(km|mi)" checked', profile)
    _choose(local, "km")
    assert _units_of(local) == "km"  # the profile beats the config file
    assert re.search(r'name="units" value="km" checked', local.get("/profile").text)
    assert local.get("/api/profile").json()["units"] == "km"
    monkeypatch.setenv("BACKSTRIDE_UNITS", "mi")
    started_with_miles = client()
    assert _units_of(started_with_miles) == "mi"  # the environment beats the profile
    assert "For now the pages show miles" in started_with_miles.get("/profile").text
    assert _units_of(client(units="km")) == "km"  # the flag beats the environment
    monkeypatch.delenv("BACKSTRIDE_UNITS")
    _choose(local, "mi")
    assert _units_of(local) == "mi"
    assert _units_of(client(units="km")) == "km"  # the flag beats the profile
    first = local.get("/api/activities").json()["items"][0]
    assert first["distance_m"] > 1000  # the JSON API stays SI


def test_a_profile_form_without_a_choice_keeps_the_stored_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.delenv("BACKSTRIDE_UNITS", raising=False)
    settings = _settings(tmp_path, monkeypatch, db_url)
    seed(settings, count=2)
    local = TestClient(create_app(settings, allowed_hosts=["testserver"]))
    _choose(local, "mi")
    token = csrf(local, "/profile")
    saved = local.post("/profile", data={"csrf_token": token, "birth_year": "1975"})
    assert saved.status_code == 200
    stored = local.get("/api/profile").json()
    assert (stored["birth_year"], stored["units"]) == (1975, "mi")
    refused = local.post("/profile", data={"csrf_token": token, "units": "furlongs"})
    assert refused.status_code == 422 and "not a choice of units" in refused.text
    assert local.get("/api/profile").json()["units"] == "mi"


def test_two_runners_on_a_server_see_their_own_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    # The server is started with miles in its environment: a default for runners.
    monkeypatch.setenv("BACKSTRIDE_UNITS", "mi")
    settings = _settings(tmp_path, monkeypatch, db_url, mode="server")
    assert settings.units_from == "environment"
    context = App(settings)
    seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA")
    seed_runner(context, email="ben@example.org", name="Ben", marker="BEN")
    web_app = create_app(settings, allowed_hosts=["testserver"])
    anna, ben = client_for(web_app), client_for(web_app)
    log_in(anna, "anna@example.org")
    log_in(ben, "ben@example.org")
    assert _units_of(anna) == _units_of(ben) == "mi"  # nobody chose: the server's setting
    _choose(anna, "km")
    assert _units_of(anna) == "km"  # her profile beats the server's environment
    assert _units_of(ben) == "mi"  # his pages are unchanged
    assert "as this server is set up" in html.unescape(ben.get("/profile").text)
    _choose(ben, "km")
    _choose(anna, "mi")
    assert (_units_of(anna), _units_of(ben)) == ("mi", "km")
    web_app.state.web.app.close()
    context.close()


@pytest.mark.sqlite_only
def test_units_chosen_from_another_process_show_on_the_next_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    """The units a page shows are kept with the dashboard's other answers (no read of the
    profile per page): a change from the command line (another connection to the file)
    still shows on the next page, and so does the dashboard's own."""
    monkeypatch.delenv("BACKSTRIDE_UNITS", raising=False)
    settings = _settings(tmp_path, monkeypatch, db_url)
    seed(settings, count=2)
    local = TestClient(create_app(settings, allowed_hosts=["testserver"]))
    assert _units_of(local) == "km"
    assert _units_of(local) == "km"  # kept: the second page reads no profile
    cli = App(settings)
    try:
        set_profile(cli, today=date.today(), units="mi")
    finally:
        cli.close()
    assert _units_of(local) == "mi"
    _choose(local, "km")
    assert _units_of(local) == "km"
