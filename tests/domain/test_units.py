"""Durations and distances typed by people, and their formatting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.units import (
    format_duration,
    format_km,
    format_pace,
    parse_distance_m,
    parse_duration_s,
)
from backstride.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("35m", 2100.0),
        ("35", 2100.0),
        ("1h05m", 3900.0),
        ("1h 5min 30s", 3930.0),
        ("90s", 90.0),
        ("1.5h", 5400.0),
        ("35:00", 2100.0),
        ("1:05:00", 3900.0),
    ],
)
def test_durations_in_common_spellings(text: str, seconds: float) -> None:
    assert parse_duration_s(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "35x", "1:75", "1:2:3:4", "0m", "49h", "m35"])
def test_bad_durations_are_refused_with_a_hint(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_duration_s(text)


@pytest.mark.parametrize(
    ("text", "metres"),
    [("5.2km", 5200.0), ("5.2k", 5200.0), ("800m", 800.0), ("3mi", 4828.032), ("10", 10000.0)],
)
def test_distances_in_common_units(text: str, metres: float) -> None:
    assert parse_distance_m(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "five km", "0km", "2000km", "5 parsecs", "-3km"])
def test_bad_distances_are_refused(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_distance_m(text)


@given(st.integers(min_value=1, max_value=47 * 60))
def test_minutes_round_trip_through_clock_format(minutes: int) -> None:
    h, m = divmod(minutes, 60)
    assert parse_duration_s(f"{h}:{m:02d}:00") == minutes * 60
    assert parse_duration_s(f"{minutes}m") == minutes * 60


def test_formatting_and_unknowns() -> None:
    assert format_duration(3930.4) == "1:05:30"
    assert format_duration(75) == "1:15"
    assert format_duration(None) == "–"
    assert format_duration(float("nan")) == "–"
    assert format_km(5234.0) == "5.23 km"
    assert format_km(None) == "–"
    assert format_pace(330.0) == "5:30 /km"
    assert format_pace(0.0) == "–"
    assert format_pace(None) == "–"
