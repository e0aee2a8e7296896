"""Shoes use cases: distances from logged runs, defaults at import, names, retirement."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.errors import ConflictError, InvalidInputError, NotFoundError
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.shoes import (
    add_shoe,
    assign_default_shoes,
    edit_shoe,
    get_shoe,
    list_shoes,
    resolve_shoe_name,
    retire_shoe,
    set_default_shoe,
    shoe_names_on,
)

D = date(2025, 3, 3)
TODAY = date(2025, 3, 31)
Cli = Callable[..., Any]


def log(cli: Cli, day: date, *, distance: str = "5km", sport: str = "run") -> int:
    result = cli(
        "log",
        "--on",
        day.isoformat(),
        "--sport",
        sport,
        "--duration",
        "40m",
        "--distance",
        distance,
    )
    assert result.exit_code == 0, result.stderr
    match = re.search(r"activity (\d+)", result.stdout)
    assert match
    return int(match.group(1))


def test_distance_is_start_plus_assigned_runs_hand_computed(app: App, cli: Cli) -> None:
    add_shoe(app, "Blue Pegasus", start_km=100, bought_on=date(2025, 1, 1), today=TODAY)
    set_default_shoe(app, "blue pegasus", sport="run", today=TODAY)
    ids = [log(cli, D), log(cli, D + timedelta(days=2), distance="7.5km")]
    ride = log(cli, D + timedelta(days=3), sport="cycle", distance="20km")
    listed = {a["id"]: a["gear"] for a in cli("activity", "list", "--json").json()}
    assert listed == {ids[0]: "Blue Pegasus", ids[1]: "Blue Pegasus", ride: None}
    result = assign_default_shoes(app, [*ids, ride])  # `log` already assigned: idempotent
    assert result.assigned == ()
    shoe = get_shoe(app, "Blue Pegasus", today=TODAY).to_json()
    assert shoe["distance_km"] == 112.5  # 100 + 5 + 7.5
    assert shoe["assigned_km"] == 12.5
    assert (shoe["runs"], shoe["activities"]) == (2, 2)
    assert shoe["age_days"] == 89
    assert shoe["default_for"] == ["run"]
    assert shoe["state"] == "ok"


def test_default_for_run_reaches_treadmill_runs_and_keeps_existing_gear(app: App, cli: Cli) -> None:
    add_shoe(app, "Road", today=TODAY)
    add_shoe(app, "Trail", today=TODAY)
    set_default_shoe(app, "Road", sport="run", today=TODAY)
    treadmill = log(cli, D, sport="treadmill_run")
    named = log(cli, D + timedelta(days=1))
    assert cli("activity", "edit", str(named), "--shoes", "Trail").exit_code == 0
    listed = {a["id"]: a["gear"] for a in cli("activity", "list", "--json").json()}
    assert listed == {treadmill: "Road", named: "Trail"}
    assert assign_default_shoes(app, [treadmill, named]).assigned == ()  # keeps "Trail"
    shoes = {s["name"]: s for s in list_shoes(app, today=TODAY).to_json()["shoes"]}
    assert shoes["Trail"]["distance_km"] == 5.0
    assert shoes["Road"]["distance_km"] == 5.0


def test_gear_names_from_an_export_become_shoes(
    app: App, cli: Cli, activities_dir: Path, tmp_path: Path
) -> None:
    export = tmp_path / "strava"
    (export / "activities").mkdir(parents=True)
    shutil.copy(activities_dir / "sports-lib/2067489619.fit", export / "activities" / "1.fit")
    shutil.copy(
        activities_dir / "python-fitparse/garmin-fenix-5-bike.fit", export / "activities" / "2.fit"
    )
    (export / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
        "Elapsed Time,Distance,Activity Gear,Filename\n"
        "1,,Run,Run,,0,0,Kinvara 14,activities/1.fit\n"
        "2,,Ride,Ride,,0,0,Gravel bike,activities/2.fit\n",
        encoding="utf-8",
    )
    result = cli("import", str(export))
    assert result.exit_code == 0, result.stdout
    run_km = (
        next(a for a in cli("activity", "list", "--json").json() if a["sport"] == "run")[
            "distance_m"
        ]
        / 1000
    )
    shoes = list_shoes(app, today=TODAY).to_json()["shoes"]
    # the run's gear becomes a pair of shoes; a bike is not a pair of shoes
    assert [s["name"] for s in shoes] == ["Kinvara 14"]
    assert shoes[0]["distance_km"] == pytest.approx(run_km, abs=0.01)


def test_names_are_unique_without_case_and_resolve_to_the_stored_spelling(app: App) -> None:
    add_shoe(app, "Blue Pegasus", today=TODAY)
    with pytest.raises(ConflictError, match="already shoes called 'Blue Pegasus'"):
        add_shoe(app, "blue  pegasus", today=TODAY)
    assert resolve_shoe_name(app, "BLUE pegasus") == "Blue Pegasus"
    assert resolve_shoe_name(app, "none") is None
    with pytest.raises(InvalidInputError, match="no shoes called 'Red'") as info:
        resolve_shoe_name(app, "Red")
    assert info.value.hint is not None and "Blue Pegasus" in info.value.hint
    with pytest.raises(NotFoundError):
        set_default_shoe(app, "Red", sport="run", today=TODAY)
    with pytest.raises(InvalidInputError, match="not a known sport"):
        set_default_shoe(app, "Blue Pegasus", sport="rowing", today=TODAY)


def test_invalid_pairs_are_refused(app: App) -> None:
    with pytest.raises(InvalidInputError, match="below the retire"):
        add_shoe(app, "A", inspect_km=900, today=TODAY)
    with pytest.raises(InvalidInputError, match="in the future"):
        add_shoe(app, "A", bought_on=TODAY + timedelta(days=1), today=TODAY)
    assert list_shoes(app, today=TODAY).shoes == ()


def test_edit_thresholds_and_wear_warnings(app: App) -> None:
    add_shoe(app, "Old", start_km=720, today=TODAY)
    view = get_shoe(app, "Old", today=TODAY).to_json()
    assert view["state"] == "inspect" and view["warnings"]
    edited = edit_shoe(app, "Old", retire_km=700, inspect_km=600, today=TODAY).to_json()
    assert edited["state"] == "retire"
    with pytest.raises(InvalidInputError, match="Nothing to change"):
        edit_shoe(app, "Old", today=TODAY)


def test_retire_clears_the_default_and_new_runs_get_nothing(app: App, cli: Cli) -> None:
    add_shoe(app, "Road", today=TODAY)
    set_default_shoe(app, "Road", sport="run", today=TODAY)
    retired = retire_shoe(app, "road", today=TODAY).to_json()
    assert retired["state"] == "retired" and retired["default_for"] == []
    assert retired["retired_on"] == TODAY.isoformat()
    with pytest.raises(ConflictError, match="already retired"):
        retire_shoe(app, "Road", today=TODAY)
    with pytest.raises(InvalidInputError, match="retired"):
        set_default_shoe(app, "Road", sport="run", today=TODAY)
    run = log(cli, D)
    assert assign_default_shoes(app, [run]).assigned == ()


def test_average_next_morning_pain_per_pair_and_rotation(app: App, cli: Cli) -> None:
    add_shoe(app, "Road", today=TODAY)
    set_default_shoe(app, "Road", sport="run", today=TODAY)
    ids = [log(cli, TODAY - timedelta(days=d)) for d in (10, 8, 6)]
    assign_default_shoes(app, ids)
    for days_ago, score in ((9, 2), (7, 5)):  # mornings after the first two runs
        add_pain(
            app,
            PainInput(day=TODAY - timedelta(days=days_ago), when="next-morning", score=score),
            today=TODAY,
        )
    listing = list_shoes(app, today=TODAY)
    road = listing.shoes[0].to_json()
    assert road["avg_next_morning_pain"] == 3.5 and road["pain_mornings"] == 2
    assert listing.rotation is not None and "Malisoux 2015" in listing.rotation
    assert listing.rotation in listing.to_json()["warnings"]


def test_wear_warnings_follow_the_units_in_force(app: App, cli: Cli) -> None:
    """The shoes command, like the report and the day's words, writes the warnings' distances
    in the runner's units (here from her profile), and its JSON stays in km."""
    add_shoe(app, "Old Clifton", start_km=805, bought_on=date(2024, 1, 1), today=TODAY)
    in_km = cli("shoes", "list").stdout
    assert "805 km" in in_km and " mi" not in in_km
    assert cli("profile", "set", "--units", "mi").exit_code == 0
    listed = cli("shoes", "list")
    assert listed.exit_code == 0, listed.stderr
    assert "500 mi" in listed.stdout and " km" not in listed.stdout  # 805 km = 500.2 mi
    (pair,) = cli("shoes", "list", "--json").json()["shoes"]
    assert pair["distance_km"] == 805
    assert any("500 mi" in w for w in pair["warnings"])  # texts follow the units, numbers SI
    in_km_json = list_shoes(app, today=TODAY, units="km").shoes[0].to_json()
    assert any("805 km" in w for w in in_km_json["warnings"])


def test_the_names_in_use_on_a_day_are_those_of_the_shoe_list(app: App) -> None:
    """The activity page's choice of pairs (``shoe_names_on``, one statement) names the
    pairs the shoe list shows as in use that day, in its order."""
    for name in ("Road", "Old trail", "Racers", "Spare"):
        add_shoe(app, name, today=D)
    retire_shoe(app, "Old trail", today=TODAY, on=D + timedelta(days=10))
    retire_shoe(app, "Road", today=TODAY, on=D + timedelta(days=3))
    for day in (D, D + timedelta(days=5), D + timedelta(days=10), TODAY):
        listed = [
            v.status.shoe.name
            for v in list_shoes(app, today=day).shoes
            if v.status.shoe.retired_on is None or v.status.shoe.retired_on >= day
        ]
        assert shoe_names_on(app, day) == listed
    assert shoe_names_on(app, D) == ["Racers", "Spare", "Road", "Old trail"]
    assert shoe_names_on(app, TODAY) == ["Racers", "Spare"]
