"""Route terrain and the taxing score: flat beats hilly, steep descents weigh most."""

from __future__ import annotations

import numpy as np
import pytest

from backstride.domain.activity import Surface
from backstride.domain.routes import (
    band_for,
    clean_route_name,
    compute_route_terrain,
    compute_taxing_score,
    route_key,
)
from backstride.errors import InvalidInputError


def course(
    profile: list[tuple[float, float]], step_m: float = 5.0
) -> tuple[np.ndarray, np.ndarray]:
    """Distance and altitude along a course given as (km, altitude m) knots."""
    km = np.array([k for k, _ in profile]) * 1000.0
    alt = np.array([a for _, a in profile])
    d = np.arange(0.0, km[-1] + 1e-9, step_m)
    return d, np.interp(d, km, alt)


FLAT = course([(0, 100), (5, 101)])
STEEP_DOWN = course([(0, 100), (3.0, 250), (5.0, 50)])  # 200 m down in 2 km: -10 %
GENTLE_DOWN = course([(0, 100), (2.0, 250), (5.0, 100)])  # 150 m down in 3 km: -5 %


def test_a_flat_road_is_gentle_with_a_plain_explanation() -> None:
    t = compute_route_terrain(*FLAT, surface=Surface.ROAD)
    s = compute_taxing_score(t)
    assert s.score < 10 and s.band == "gentle"
    assert s.explanation == ("Flat and even: the gentlest kind of route for a sore back.",)
    assert t.distance_m == pytest.approx(5000, abs=1)


def test_a_steep_descent_scores_highest_and_is_explained() -> None:
    steep = compute_taxing_score(compute_route_terrain(*STEEP_DOWN, surface=None))
    gentle = compute_taxing_score(compute_route_terrain(*GENTLE_DOWN, surface=None))
    flat = compute_taxing_score(compute_route_terrain(*FLAT, surface=None))
    assert flat.score < gentle.score < steep.score
    assert any("km of steep descent" in line and "arching" in line for line in steep.explanation)
    steep_part = {p.key: p.points for p in steep.parts}["steep_descent"]
    assert steep_part > 40  # about 2 km of 5 km, 1.5 points per %


def test_the_same_course_run_the_other_way_is_kinder_when_the_steep_part_is_uphill() -> None:
    d, alt = STEEP_DOWN
    forward = compute_taxing_score(compute_route_terrain(d, alt, surface=None))
    backward = compute_taxing_score(compute_route_terrain(d, alt[::-1].copy(), surface=None))
    assert backward.score < forward.score


def test_trail_adds_points_and_says_why() -> None:
    road = compute_taxing_score(compute_route_terrain(*FLAT, surface=Surface.ROAD))
    trail = compute_taxing_score(compute_route_terrain(*FLAT, surface=Surface.TRAIL))
    assert trail.score == pytest.approx(road.score + 10.0)
    assert any("uneven ground" in line for line in trail.explanation)


def test_no_altitude_is_said_not_guessed() -> None:
    d, _ = FLAT
    t = compute_route_terrain(d, None, surface=Surface.ROAD)
    assert t.climb_m is None and t.steep_descent_m is None
    s = compute_taxing_score(t)
    assert s.score == 0.0
    assert "No height data" in s.explanation[-1]


def test_bands_and_names() -> None:
    assert [band_for(x) for x in (0, 9.9, 10, 29.9, 30, 60, 500)] == [
        "gentle",
        "gentle",
        "moderate",
        "moderate",
        "hard",
        "very hard",
        "very hard",
    ]
    assert clean_route_name("  River   loop ") == "River loop"
    assert route_key("River  LOOP") == route_key("river loop")
    with pytest.raises(InvalidInputError):
        clean_route_name("   ")
    with pytest.raises(InvalidInputError):
        compute_route_terrain(np.zeros(3), None, surface=None)
