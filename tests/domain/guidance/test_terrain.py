"""Daily guidance, downhills and uneven ground.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from backstride.domain.activity import Surface
from backstride.domain.body import Clearance, Condition, Experience
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    TODAY,
    World,
    calm,
    days_ago,
    route,
)

# --- terrain -----------------------------------------------------------------------------------


def _descent(w: World, steep_m: float, drop_m: float = 3.0) -> None:
    for s in w.runs():
        if s.day == days_ago(2):
            s.descent_bands = ((-8.0, steep_m), (-4.0, 400.0), (-1.0, 300.0))
            s.longest_drop_m = drop_m


def test_steep_descent_is_a_caution_for_a_back_without_complaints() -> None:
    w = calm()
    _descent(w, P.downhill_steep_m)
    f = w.get("terrain.downhill")
    assert f.level == "caution" and f.asks == "run"
    assert f.evidence["steep_descent_m"] == 300


def test_steep_descent_with_stenosis_asks_for_flat_easy_runs_on_the_gentlest_route() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    w.clearances.append(Clearance(on=days_ago(60), by="Dr Jones"))
    w.routes = [
        route("Hills", 6.0, 80.0, "very hard"),
        route("River", 5.2, 3.0),
        route("Track", 2.0, 0.0),
    ]
    _descent(w, 2000.0, 200.0)
    f = w.get("terrain.downhill")
    assert f.asks == "run_easy" and f.level == "reduce"
    plan = w.plan()
    assert plan.decision == "run_easy"
    assert plan.route is not None and plan.route.name == "River"
    assert plan.route_note is not None and "River" in plan.route_note


def test_pain_after_a_downhill_run_makes_it_matter() -> None:
    w = calm()
    _descent(w, 400.0)
    w.entry(days_ago(2), "after", 3)
    assert w.get("terrain.downhill").asks == "run_easy"


def test_just_under_the_steep_descent_threshold() -> None:
    w = calm()
    _descent(w, P.downhill_steep_m - 1, P.downhill_long_drop_m - 1)
    assert "terrain.downhill" not in w.ids()


def test_one_long_descent_fires() -> None:
    w = calm()
    _descent(w, 0.0, P.downhill_long_drop_m)
    assert w.get("terrain.downhill").evidence["longest_descent_drop_m"] == 80


def _trail(w: World, days: set[int]) -> None:
    for s in w.runs():
        if (TODAY - s.day).days in days:
            s.surface = Surface.TRAIL


def test_mostly_trail_for_a_returning_runner() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    _trail(w, {2, 4, 6, 9})  # 4 of the 6 runs of the last 14 days
    f = w.get("terrain.uneven")
    assert f.evidence["uneven_share_pct"] == 67


def test_less_than_half_on_trail_or_a_regular_runner_does_not_fire() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    _trail(w, {2, 4})  # 2 of 6
    assert "terrain.uneven" not in w.ids()
    w = calm()
    _trail(w, {2, 4, 6, 9, 11, 13})
    assert "terrain.uneven" not in w.ids()
