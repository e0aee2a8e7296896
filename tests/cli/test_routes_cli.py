"""``backstride route``: add, list, compare, delete, with plain explanations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.scenario_kit import gpx_route

Cli = Callable[..., Any]


def test_route_commands_explain_what_makes_a_route_taxing(cli: Cli, tmp_path: Path) -> None:
    flat = tmp_path / "flat.gpx"
    flat.write_bytes(gpx_route("Flat", 5.0))
    hill = tmp_path / "hill.gpx"
    hill.write_bytes(gpx_route("Hill", 5.0, profile="steep"))
    added = cli("route", "add", str(flat), "--name", "Flat loop")
    assert added.exit_code == 0, added.stderr
    assert "Flat and even" in added.stdout
    assert (
        cli("route", "add", str(hill), "--name", "Hill loop", "--surface", "trail").exit_code == 0
    )

    listed = cli("route", "list")
    assert listed.stdout.index("Flat loop") < listed.stdout.index("Hill loop")
    compared = cli("route", "compare", "Hill loop", "Flat loop")
    assert compared.exit_code == 0
    assert "km of steep descent" in compared.stdout and "dislikes arching" in compared.stdout
    assert "Gentlest: 'Flat loop'." in compared.stdout

    again = cli("route", "add", str(flat), "--name", "flat LOOP")
    assert again.exit_code == 1 and "already a route" in again.stderr
    missing = cli("route", "compare", "Nope")
    assert missing.exit_code == 1 and "Flat loop" in missing.stderr
    assert cli("route", "delete", "Hill loop").exit_code == 0
    assert [r["name"] for r in cli("route", "list", "--json").json()["routes"]] == ["Flat loop"]


def test_a_file_that_is_not_a_course_is_refused(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "x.gpx"
    bad.write_bytes(b'<?xml version="1.0"?><gpx><wpt lat="1" lon="1"/></gpx>')
    result = cli("route", "add", str(bad), "--name", "X")
    assert result.exit_code != 0
    assert "at least two points" in result.stderr
