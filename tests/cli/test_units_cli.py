"""Miles on the command line: the --units flag, BACKSTRIDE_UNITS and config.toml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Runner = Callable[..., CliResult]


def test_three_miles_are_stored_in_metres_and_shown_in_miles(cli: Runner) -> None:
    logged = cli(
        "--units", "mi", "log", "--on", "2026-12-01", "--sport", "run", "--duration", "30m",
        "--distance", "3mi",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    assert "3.00 mi" in logged.stdout
    (row,) = cli("activity", "list", "--json").json()
    assert row["distance_m"] == pytest.approx(4828.0, abs=0.1)  # the JSON stays SI
    miles = cli("--units", "mi", "activity", "list").stdout
    assert "3.00 mi" in miles and "10:00 /mi" in miles
    kilometres = cli("activity", "list").stdout
    assert "4.83 km" in kilometres and "6:13 /km" in kilometres


def test_the_environment_and_the_config_file_choose_miles(
    cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("log", "--on", "2026-12-01", "--sport", "run", "--duration", "30m", "--distance", "5")
    monkeypatch.setenv("BACKSTRIDE_UNITS", "mi")
    assert "3.11 mi" in cli("activity", "list").stdout
    assert "5.00 km" in cli("--units", "km", "activity", "list").stdout  # the flag wins
    monkeypatch.delenv("BACKSTRIDE_UNITS")
    config = tmp_path / "config.toml"
    config.write_text('units = "mi"\n', encoding="utf-8")
    monkeypatch.setenv("BACKSTRIDE_CONFIG_FILE", str(config))
    assert "3.11 mi" in cli("activity", "list").stdout
    shown = cli("config", "show", "--json").json()
    assert shown["units"] == "mi"


def test_a_plain_distance_is_in_the_chosen_units(cli: Runner) -> None:
    cli("--units", "mi", "log", "--on", "2026-12-01", "--sport", "run", "--duration", "30m",
        "--distance", "2")  # fmt: skip
    (row,) = cli("activity", "list", "--json").json()
    assert row["distance_m"] == pytest.approx(3218.7, abs=0.1)


def test_swims_read_per_100_yards_and_climbs_in_feet(cli: Runner) -> None:
    cli("log", "--on", "2026-12-01", "--sport", "swim", "--duration", "25m", "--distance", "1km")
    assert "/100 yd" in cli("--units", "mi", "activity", "list").stdout
    assert "/100 m" in cli("activity", "list").stdout


def test_unknown_units_are_a_usage_mistake(cli: Runner) -> None:
    result = cli("--units", "furlongs", "today")
    assert result.exit_code == 2
    assert "Usage: backstride" in result.stderr and "km" in result.stderr


def test_activity_show_reads_in_words_and_the_chosen_units(cli: Runner) -> None:
    cli("log", "--on", "2026-12-01", "--sport", "run", "--duration", "30m", "--distance", "3mi")
    shown = cli("--units", "mi", "activity", "show", "1").stdout
    assert "distance" in shown and "3.00 mi" in shown and "10:00 /mi" in shown
    assert "distance_m" not in shown and "duration_s" not in shown
    assert cli("activity", "show", "1", "--json").json()["distance_m"] == pytest.approx(4828.0, 0.1)
