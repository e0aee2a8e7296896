"""Daily guidance, the pain rules.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from backstride.domain.body import Clearance, Condition
from backstride.domain.guidance import (
    decide,
)
from backstride.domain.pain import PainFeel, PainSite
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    World,
    calm,
    days_ago,
)

# --- pain --------------------------------------------------------------------------------------

LEG = (PainSite.LEG_LEFT,)


def test_leg_pattern_without_stenosis_asks_for_a_physician() -> None:
    w = calm()
    w.entry(days_ago(3), "rest-day", 3, where=LEG, walking_leg_symptoms=True, eases_sitting=True)
    f = w.get("pain.leg_symptom_pattern")
    assert f.asks == "see_professional"
    assert f.evidence["stenosis_diagnosed"] is False
    assert decide(w.findings()) == "see_professional"


def test_leg_pattern_with_known_stenosis_asks_for_short_flat_runs() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    w.clearances.append(Clearance(on=days_ago(40), by="Dr Jones"))
    w.entry(days_ago(3), "rest-day", 3, where=LEG, walking_leg_symptoms=True, eases_sitting=True)
    f = w.get("pain.leg_symptom_pattern")
    assert f.asks == "run_easy"
    assert "screening.clearance_needed" not in w.ids()


def test_leg_symptoms_that_do_not_ease_sitting_or_are_old_do_not_fire() -> None:
    w = calm()
    w.entry(days_ago(3), "rest-day", 3, where=LEG, walking_leg_symptoms=True)
    assert "pain.leg_symptom_pattern" not in w.ids()
    w = calm()
    w.entry(
        days_ago(P.leg_pattern_days),
        "rest-day",
        3,
        where=LEG,
        walking_leg_symptoms=True,
        eases_sitting=True,
    )
    assert "pain.leg_symptom_pattern" not in w.ids()


def test_persistent_when_pain_above_5_returns_on_3_days() -> None:
    w = calm()
    for n in (1, 5, 9):
        w.entry(days_ago(n), "rest-day", 6)
    f = w.get("pain.persistent")
    assert f.asks == "see_professional"
    assert len(f.evidence["high_pain_days"]) == 3


def test_not_persistent_with_only_2_high_days() -> None:
    w = calm()
    for n in (1, 9):
        w.entry(days_ago(n), "rest-day", 6)
    assert "pain.persistent" not in w.ids()


def _weekly(w: World, medians: list[int]) -> None:
    """Rest-day check-ins so that the last len(medians) 7-day blocks have these medians."""
    w.pain = []
    for k, m in enumerate(reversed(medians)):
        for j in (0, 2, 4):
            w.entry(days_ago(7 * k + j), "rest-day", m)


def test_persistent_when_typical_pain_stays_at_3_for_4_weeks() -> None:
    w = calm()
    _weekly(w, [3, 4, 3, 3])
    f = w.get("pain.persistent")
    assert f.evidence["weekly_median_scores"] == [3.0, 4.0, 3.0, 3.0]


def test_not_persistent_when_one_week_is_lower_or_it_improves() -> None:
    w = calm()
    _weekly(w, [3, 2, 3, 3])
    assert "pain.persistent" not in w.ids()
    w = calm()
    _weekly(w, [4, 4, 3, 3])  # improving: last week lower than the first
    assert "pain.persistent" not in w.ids()


def test_high_pain_during_a_run_asks_for_cross_training() -> None:
    w = calm()
    w.entry(days_ago(2), "during", P.pain_acceptable_max + 1)
    f = w.get("pain.high_during")
    assert f.asks == "cross_train"
    assert f.evidence["during"] == 6
    plan = w.plan()
    assert plan.decision == "cross_train"
    assert plan.activities[0].activity == "cycling"


def test_pain_of_5_during_a_run_is_within_the_rules() -> None:
    w = calm()
    w.entry(days_ago(2), "during", P.pain_acceptable_max)
    assert "pain.high_during" not in w.ids()


def test_not_settled_next_morning_asks_for_cross_training() -> None:
    w = calm()
    w.pain = [e for e in w.pain if e.day != days_ago(1)]
    w.entry(days_ago(1), "next-morning", 3)
    f = w.get("pain.not_settled")
    assert f.asks == "cross_train"


def test_not_settled_above_5_asks_for_rest() -> None:
    w = calm()
    w.pain = [e for e in w.pain if e.day != days_ago(1)]
    w.entry(days_ago(1), "next-morning", 6)
    assert w.get("pain.not_settled").asks == "rest"
    assert w.plan().decision == "rest"


def test_settled_at_the_safe_limit_does_not_fire() -> None:
    w = calm()
    w.pain = [e for e in w.pain if e.day != days_ago(1)]
    w.entry(days_ago(1), "next-morning", 2)  # no usual level known: safe zone 0-2
    assert "pain.not_settled" not in w.ids()


def _mornings(w: World, before: list[int], last: list[int]) -> None:
    w.pain = [e for e in w.pain if e.when.value != "next-morning"]
    for i, score in enumerate(before):
        w.entry(days_ago(14 - 2 * i), "next-morning", score)
    for i, score in enumerate(last):
        w.entry(days_ago(7 - 2 * i), "next-morning", score)


def test_rising_morning_pain_asks_to_step_back() -> None:
    w = calm()
    _mornings(w, [1, 1, 1], [2, 2, 2])
    f = w.get("pain.rising_trend")
    assert f.asks == "run_easy"
    assert f.evidence["morning_mean"] == 2.0


def test_a_rise_just_under_one_point_does_not_fire() -> None:
    w = calm()
    _mornings(w, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 2, 2, 2, 1])
    assert "pain.rising_trend" not in w.ids()


def test_rising_stiffness_fires_too() -> None:
    w = calm()
    w.pain = [e for e in w.pain if e.when.value != "next-morning"]
    for i in range(3):
        w.entry(days_ago(14 - 2 * i), "next-morning", 1)
        w.entry(days_ago(7 - 2 * i), "next-morning", 1, feels=(PainFeel.STIFFNESS,))
    assert "pain.rising_trend" in w.ids()
