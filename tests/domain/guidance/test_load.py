"""Daily guidance, training load: spikes, progression, breaks.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from backstride.domain.body import Condition
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    World,
    calm,
    days_ago,
    long_run_saturday,
)

# --- load --------------------------------------------------------------------------------------


def test_spike_above_30_percent_asks_for_an_easy_capped_run() -> None:
    w = calm()
    long_run_saturday(w, 6.6)
    f = w.get("load.single_run_spike")
    assert f.level == "reduce" and f.asks == "run_easy"
    assert f.evidence == {
        "run_on": days_ago(2).isoformat(),
        "activity_id": f.evidence["activity_id"],
        "run_km": 6.6,
        "longest_prev_30d_km": 5.0,
        "spike_pct": 32,
    }
    plan = w.plan()
    assert plan.decision == "run_easy"
    assert plan.cap_km == 5.0


def test_spike_of_exactly_30_percent_is_only_a_caution() -> None:
    w = calm()
    long_run_saturday(w, 6.5)
    f = w.get("load.single_run_spike")
    assert f.level == "caution" and f.asks == "run"


def test_a_10_percent_step_is_no_spike() -> None:
    w = calm()
    long_run_saturday(w, 5.5)
    assert "load.single_run_spike" not in w.ids()


def test_past_injuries_make_a_20_percent_spike_an_easy_day() -> None:
    w = calm()
    w.profile = replace(w.profile, past_injuries=("stress fracture 2019",))
    long_run_saturday(w, 6.0)
    assert w.get("load.single_run_spike").asks == "run_easy"
    assert w.get("history.past_injury").level == "caution"


def test_no_past_injury_no_history_finding() -> None:
    assert "history.past_injury" not in calm().ids()


def test_hip_problem_counts_as_history() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.HIP_PROBLEM,))
    assert "history.past_injury" in w.ids()


def _last_two_weeks_km(w: World, km: float) -> None:
    for s in w.runs():
        if s.day >= days_ago(13):
            s.km = km


def test_progression_above_30_percent_over_two_weeks() -> None:
    w = calm()
    _last_two_weeks_km(w, 6.6)
    f = w.get("load.progression")
    assert f.asks == "run_easy"
    assert f.evidence["progression_pct"] == 32


def test_progression_just_under_30_percent_does_not_fire() -> None:
    w = calm()
    _last_two_weeks_km(w, 6.49)
    assert "load.progression" not in w.ids()


def test_progression_needs_a_base() -> None:
    w = calm()
    for s in w.runs():
        s.km = 0.5 if s.day < days_ago(13) else 2.0
    assert "load.progression" not in w.ids()


def test_acute_chronic_is_context_only_and_never_above_caution() -> None:
    w = calm()
    for s in w.sessions:
        if s.day >= days_ago(6):
            s.rpe = 10.0
            s.minutes = 90.0
    f = w.get("load.acute_chronic")
    assert f.level == "caution" and f.asks == "run"
    ratio = f.evidence["load_ratio"]
    assert ratio >= 1.5
    assert "contested" in f.reason
    below = P.with_overrides({"load_ratio_caution": ratio + 0.01})
    assert "load.acute_chronic" not in w.ids(below)
