"""Kilometres or miles: the one formatter of the command line and the pages."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.units import (
    check_units,
    format_activity_speed,
    format_distance,
    format_elevation,
    format_pace_in,
    format_speed,
    format_swim_pace,
    from_distance,
    parse_distance_in,
    to_distance,
)
from backstride.errors import InvalidInputError


def test_three_miles_are_stored_as_metres_and_shown_as_miles() -> None:
    metres = parse_distance_in("3mi", "km")
    assert metres == pytest.approx(4828.032)
    assert format_distance(metres, "mi") == "3.00 mi"
    assert format_distance(metres, "km") == "4.83 km"
    assert parse_distance_in("3", "mi") == pytest.approx(4828.032)
    assert parse_distance_in("3", "km") == 3000.0


def test_paces_speeds_swims_and_heights_in_either_unit() -> None:
    assert format_pace_in(300.0, "km") == "5:00 /km"
    assert format_pace_in(300.0, "mi") == "8:03 /mi"
    assert format_speed(10.0, "km") == "36.0 km/h"
    assert format_speed(10.0, "mi") == "22.4 mph"
    assert format_swim_pace(1.0, "km") == "1:40 /100 m"
    assert format_swim_pace(1.0, "mi") == "1:31 /100 yd"
    assert format_elevation(100.0, "km") == "100 m"
    assert format_elevation(100.0, "mi") == "328 ft"


def test_each_sport_reads_its_own_way() -> None:
    assert format_activity_speed("run", 5000.0, 1500.0, "km") == "5:00 /km"
    assert format_activity_speed("swim", 1000.0, 1500.0, "km") == "2:30 /100 m"
    assert format_activity_speed("cycle", 20000.0, 3600.0, "mi") == "12.4 mph"
    assert format_activity_speed("run", None, 1500.0, "km") == "–"
    assert format_activity_speed("run", 5000.0, 0.0, "km") == "–"


@given(st.floats(min_value=0.0, max_value=1e7), st.sampled_from(["km", "mi"]))
def test_a_distance_round_trips_through_the_display_unit(metres: float, units: str) -> None:
    assert math.isclose(from_distance(to_distance(metres, units), units), metres, abs_tol=1e-6)


@given(st.floats(min_value=60.0, max_value=3600.0))
def test_a_mile_pace_is_slower_than_the_km_pace(seconds_per_km: float) -> None:
    def seconds(text: str) -> int:
        m, s = text.split()[0].split(":")
        return int(m) * 60 + int(s)

    km, mi = format_pace_in(seconds_per_km, "km"), format_pace_in(seconds_per_km, "mi")
    assert abs(seconds(mi) - seconds_per_km * 1.609344) <= 1
    assert seconds(mi) > seconds(km)


@pytest.mark.parametrize(("text", "units"), [("km", "km"), (" MI ", "mi"), ("miles", "mi")])
def test_units_are_read_loosely(text: str, units: str) -> None:
    assert check_units(text) == units


def test_other_units_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="not a choice of units") as refused:
        check_units("furlongs")
    assert "km" in (refused.value.hint or "") and "mi" in (refused.value.hint or "")
