"""Shoes: distance = start + assigned runs, wear states, rotation, pain per pair."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.activity import Sport
from backstride.domain.shoes import (
    DEFAULT_INSPECT_KM,
    DEFAULT_RETIRE_KM,
    GearUse,
    Shoe,
    clean_shoe_name,
    default_shoe_for,
    name_key,
    rotation_nudge,
    shoe_status,
    validate_shoe,
)
from backstride.errors import InvalidInputError

TODAY = date(2025, 3, 31)


def use(
    activity_id: int,
    km: float | None,
    *,
    days_ago: int = 3,
    sport: str = "run",
    pain: int | None = None,
) -> GearUse:
    return GearUse(
        activity_id=activity_id,
        day=TODAY - timedelta(days=days_ago),
        sport=sport,
        distance_m=None if km is None else km * 1000,
        next_morning_pain=pain,
    )


def test_defaults_are_500_to_inspect_and_800_to_retire() -> None:
    assert (DEFAULT_INSPECT_KM, DEFAULT_RETIRE_KM) == (500.0, 800.0)
    shoe = Shoe("Blue")
    assert (shoe.inspect_km, shoe.retire_km, shoe.start_km) == (500.0, 800.0, 0.0)


def test_distance_is_start_plus_sum_of_assigned_runs_hand_computed() -> None:
    # 690 + 5.0 + 12.0 + 7.5 + unknown (0) = 714.5 km
    uses = [use(1, 5.0, pain=2), use(2, 12.0, pain=3), use(3, 7.5), use(4, None)]
    status = shoe_status(Shoe("Blue", start_km=690, bought_on=date(2024, 9, 1)), uses, today=TODAY)
    assert status.assigned_km == 24.5
    assert status.total_km == 714.5
    assert (status.activities, status.runs, status.without_distance) == (4, 4, 1)
    assert status.state == "inspect"
    assert status.age_days == 211  # 2024-09-01 .. 2025-03-31
    assert status.avg_next_morning_pain == 2.5  # (2 + 3) / 2 mornings known
    assert status.pain_mornings == 2
    assert "past the 500 km mark to inspect" in status.warnings[0]


@pytest.mark.parametrize(
    ("start", "state"),
    [
        (0, "ok"),
        (499.9, "ok"),
        (500, "inspect"),
        (799.9, "inspect"),
        (800, "retire"),
        (950, "retire"),
    ],
)
def test_wear_states_at_the_thresholds(start: float, state: str) -> None:
    assert shoe_status(Shoe("A", start_km=start), [], today=TODAY).state == state


def test_thresholds_are_configurable_per_pair() -> None:
    shoe = Shoe("Racer", start_km=300, inspect_km=250, retire_km=400)
    status = shoe_status(shoe, [use(1, 100)], today=TODAY)
    assert status.total_km == 400 and status.state == "retire"
    assert "past the 400 km mark to replace" in status.warnings[0]
    assert "not from injury studies" in status.warnings[0]


def test_wear_warnings_in_miles_give_every_distance_in_miles() -> None:
    shoe = Shoe("Racer", start_km=300, inspect_km=250, retire_km=400)
    km = shoe_status(shoe, [use(1, 20)], today=TODAY)
    mi = shoe_status(shoe, [use(1, 20)], today=TODAY, units="mi")
    assert (km.state, km.total_km) == (mi.state, mi.total_km) == ("inspect", 320)
    assert "has 320 km, past the 250 km mark" in km.warnings[0]
    assert "has 199 mi, past the 155 mi mark" in mi.warnings[0]
    assert "replace by 249 mi at the latest" in mi.warnings[0] and "km" not in mi.warnings[0]


def test_a_retired_pair_has_no_wear_warning() -> None:
    status = shoe_status(Shoe("Old", start_km=900, retired_on=TODAY), [], today=TODAY)
    assert status.state == "retired" and status.warnings == ()


@given(
    st.floats(min_value=0, max_value=5000),
    st.lists(st.floats(min_value=0, max_value=100_000), max_size=30),
)
def test_distance_is_always_start_plus_sum(start: float, metres: list[float]) -> None:
    uses = [GearUse(i, TODAY, "run", m) for i, m in enumerate(metres)]
    status = shoe_status(Shoe("A", start_km=start), uses, today=TODAY)
    assert status.total_km == pytest.approx(start + sum(metres) / 1000, abs=1e-3)
    assert status.total_km >= start - 1e-3


@pytest.mark.parametrize(
    ("shoe", "message"),
    [
        (Shoe("A", start_km=-1), "between 0"),
        (Shoe("A", inspect_km=800, retire_km=800), "must be below the retire"),
        (Shoe("A", inspect_km=0), "more than 0"),
        (Shoe("A", bought_on=TODAY + timedelta(days=1)), "in the future"),
        (Shoe("A", bought_on=TODAY, retired_on=TODAY - timedelta(days=1)), "before it was bought"),
        (Shoe("A", start_km=float("nan")), "between 0"),
    ],
)
def test_invalid_shoes_are_refused(shoe: Shoe, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        validate_shoe(shoe, today=TODAY)


def test_names_are_trimmed_and_match_without_case() -> None:
    assert clean_shoe_name("  Blue   Pegasus ") == "Blue Pegasus"
    assert name_key("Blue  PEGASUS") == name_key("blue pegasus")
    with pytest.raises(InvalidInputError):
        clean_shoe_name("   ")
    with pytest.raises(InvalidInputError):
        clean_shoe_name("x" * 101)


def test_default_for_run_covers_trail_and_treadmill_runs_but_not_cycling() -> None:
    defaults = {"run": "Road", "trail_run": "Trail"}
    assert default_shoe_for(Sport.RUN, defaults) == "Road"
    assert default_shoe_for(Sport.TRAIL_RUN, defaults) == "Trail"
    assert default_shoe_for(Sport.TREADMILL_RUN, defaults) == "Road"
    assert default_shoe_for(Sport.CYCLE, defaults) is None
    assert default_shoe_for(Sport.WALK, {"walk": "Comfy"}) == "Comfy"


def test_rotation_nudge_when_every_recent_run_was_in_one_pair() -> None:
    blue, red = Shoe("Blue"), Shoe("Red")
    one = {name_key("Blue"): [use(1, 5), use(2, 5, days_ago=20)]}
    message = rotation_nudge([blue, red], one, today=TODAY)
    assert message is not None and "'Blue'" in message and "Malisoux 2015" in message
    two = {**one, name_key("Red"): [use(3, 5, days_ago=10)]}
    assert rotation_nudge([blue, red], two, today=TODAY) is None


def test_rotation_ignores_old_runs_and_other_sports() -> None:
    blue, red = Shoe("Blue"), Shoe("Red")
    uses = {
        name_key("Blue"): [use(1, 5)],
        name_key("Red"): [use(2, 5, days_ago=57), use(3, 20, sport="walk")],
    }
    assert rotation_nudge([blue, red], uses, today=TODAY) is not None  # only Blue counts
    assert rotation_nudge([blue, red], {}, today=TODAY) is None  # no runs, no nudge


def test_rotation_nudge_when_only_one_active_pair_is_left() -> None:
    old = Shoe("Old", retired_on=TODAY)
    new = Shoe("New")
    uses = {name_key("Old"): [use(1, 5, days_ago=9)], name_key("New"): [use(2, 5)]}
    message = rotation_nudge([old, new], uses, today=TODAY)
    assert message is not None and "'New' are the only pair" in message
