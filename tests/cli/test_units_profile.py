"""The runner's units in her profile, and every level of the rule on the command line:
--units > BACKSTRIDE_UNITS > profile > config file > km."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from backstride.config import get_settings
from tests.conftest import CliResult

Runner = Callable[..., CliResult]


def _listed(cli: Runner, *before: str) -> str:
    return cli(*before, "activity", "list").stdout


def test_every_level_of_the_rule_on_the_command_line(
    cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("log", "--on", "2026-12-01", "--sport", "run", "--duration", "30m", "--distance", "5")
    assert "5.00 km" in _listed(cli)  # the default
    config = tmp_path / "config.toml"
    config.write_text('units = "mi"\n', encoding="utf-8")
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(config))
    assert "3.11 mi" in _listed(cli)  # the config file beats the default
    saved = cli("profile", "set", "--units", "km")
    assert saved.exit_code == 0, saved.stderr
    assert "kilometres (from your profile)" in saved.stdout
    assert "5.00 km" in _listed(cli)  # the profile beats the config file
    monkeypatch.setenv("BACKSTRIDE_UNITS", "mi")
    assert "3.11 mi" in _listed(cli)  # the environment beats the profile
    assert "5.00 km" in _listed(cli, "--units", "km")  # the flag beats the environment
    monkeypatch.delenv("BACKSTRIDE_UNITS")
    cli("profile", "set", "--units", "mi")
    assert "3.11 mi" in _listed(cli)
    assert "5.00 km" in _listed(cli, "--units", "km")  # the flag beats the profile
    cleared = cli("profile", "set", "--units", "none")
    assert "miles (from the config file)" in cleared.stdout
    assert cli("profile", "show", "--json").json()["units"] is None


def test_the_profile_keeps_the_choice_and_shows_where_the_units_come_from(cli: Runner) -> None:
    assert cli("profile", "show", "--json").json()["units"] is None
    assert "kilometres (from the default)" in cli("profile", "show").stdout
    cli("profile", "set", "--units", "Miles")
    shown = cli("profile", "show", "--json").json()
    assert shown["units"] == "mi" and shown["stored"] is True
    assert "miles (from your profile)" in cli("profile", "show").stdout
    assert "kilometres (from the --units option)" in cli("--units", "km", "profile", "show").stdout
    logged = cli("log", "--on", "2026-12-01", "--sport", "run", "--duration", "30m",
                 "--distance", "2")  # fmt: skip
    assert "2.00 mi" in logged.stdout  # a plain number is in the profile's units
    (row,) = cli("activity", "list", "--json").json()
    assert row["distance_m"] == pytest.approx(3218.7, abs=0.1)  # stored metric


def test_setting_the_units_leaves_the_rest_of_the_profile(cli: Runner) -> None:
    cli("profile", "set", "--birth-year", "1970", "--experience", "regular")
    cli("profile", "set", "--units", "mi")
    shown = cli("profile", "show", "--json").json()
    assert (shown["birth_year"], shown["experience"], shown["units"]) == (1970, "regular", "mi")
    cli("profile", "set", "--birth-year", "1971")
    assert cli("profile", "show", "--json").json()["units"] == "mi"


def test_unknown_units_in_the_profile_are_a_usage_mistake(cli: Runner) -> None:
    refused = cli("profile", "set", "--units", "furlongs")
    assert refused.exit_code == 2
    assert "Usage: backstride profile set" in refused.stderr and "km" in refused.stderr
    assert cli("profile", "show", "--json").json()["stored"] is False  # nothing saved


def test_the_settings_say_where_their_units_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BACKSTRIDE_UNITS", raising=False)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(config))
    assert (get_settings().units, get_settings().units_from) == ("km", "default")
    config.write_text('units = "mi"\n', encoding="utf-8")
    assert (get_settings().units, get_settings().units_from) == ("mi", "config file")
    monkeypatch.setenv("BACKSTRIDE_UNITS", "km")
    assert (get_settings().units, get_settings().units_from) == ("km", "environment")
    flagged = get_settings(units="mi")
    assert (flagged.units, flagged.units_from) == ("mi", "flag")
    monkeypatch.setenv("BACKSTRIDE___UNITS_FROM__", "flag")  # the tag cannot be forged
    assert get_settings().units_from == "environment"


def test_the_days_words_follow_the_profiles_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    from backstride.services.body import set_profile
    from backstride.services.context import App
    from backstride.services.guidance import message_units, today

    monkeypatch.delenv("BACKSTRIDE_UNITS", raising=False)
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(tmp_path / "no-config.toml"))
    db = db_url
    app = App(get_settings(db=db))
    try:
        on = date(2026, 12, 2)
        assert (message_units(app), today(app, on=on).units) == ("km", "km")
        set_profile(app, today=on, units="mi")
        assert (message_units(app), today(app, on=on).units) == ("mi", "mi")
    finally:
        app.close()
    flagged = App(get_settings(db=db, units="km"))  # --units km beats the profile
    try:
        assert today(flagged, on=on).units == "km"
    finally:
        flagged.close()
