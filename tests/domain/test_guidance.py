"""Daily guidance rules: each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from backstride.domain.activity import Sport, Surface
from backstride.domain.body import Clearance, Condition, Experience
from backstride.domain.guidance import (
    DECISIONS,
    LEVELS,
    Finding,
    WarmUpSkip,
    compute_findings,
    decide,
    expected_cadence_spm,
    gentlest_route,
    rule_hard_close,
    rule_monotony,
    run_caps,
    sort_findings,
)
from backstride.domain.pain import PainFeel, PainSite, RedFlag, SeenRecord
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    TODAY,
    Session,
    World,
    calm,
    days_ago,
    route,
    with_tests,
)

# --- the baseline ------------------------------------------------------------------------------


def test_the_calm_baseline_runs_with_nothing_above_info() -> None:
    w = calm()
    findings = w.findings()
    assert all(f.level == "info" for f in findings), [f.id for f in findings]
    assert decide(findings) == "run"
    assert w.plan().decision == "run"


def test_every_finding_has_the_public_shape() -> None:
    w = calm()
    w.entry(days_ago(2), "during", 7)
    w.profile = replace(w.profile, past_injuries=("knee",))
    for f in w.findings():
        data = f.to_json()
        assert {"id", "level", "title", "reason", "evidence", "source", "action"} <= set(data)
        assert data["level"] in LEVELS
        assert "EVIDENCE.md" in data["source"] or "Malisoux" in data["source"]
        assert data["reason"] and data["action"] and data["title"]


# --- red flags ---------------------------------------------------------------------------------


def test_redflag_emergency_fires_first_and_asks_for_urgent_care() -> None:
    w = calm()
    w.entry(TODAY, "rest-day", 3, red_flags=(RedFlag.SADDLE_NUMBNESS,))
    w.entry(days_ago(1), "during", 8)
    findings = w.findings()
    assert findings[0].id == "redflag.emergency"
    assert findings[0].level == "urgent"
    assert decide(findings) == "urgent_care"
    assert w.plan().headline.startswith("EMERGENCY")


def test_redflag_emergency_closes_once_the_runner_was_seen() -> None:
    w = calm()
    w.entry(days_ago(3), "rest-day", 3, red_flags=(RedFlag.BLADDER_CHANGE,))
    w.seen.append(SeenRecord(RedFlag.BLADDER_CHANGE, days_ago(3)))
    assert "redflag.emergency" not in w.ids()


def test_a_prompt_flag_is_not_an_emergency() -> None:
    w = calm()
    w.entry(days_ago(1), "rest-day", 3, red_flags=(RedFlag.FEVER,))
    assert "redflag.emergency" not in w.ids()
    f = w.get("redflag.prompt")
    assert f.asks == "see_professional"
    assert decide(w.findings()) == "see_professional"


def test_redflag_prompt_closes_when_seen_after_it() -> None:
    w = calm()
    w.entry(days_ago(5), "rest-day", 3, red_flags=(RedFlag.NIGHT_PAIN,))
    w.seen.append(SeenRecord(RedFlag.NIGHT_PAIN, days_ago(2)))
    assert "redflag.prompt" not in w.ids()


# --- screening ---------------------------------------------------------------------------------


def test_clearance_needed_for_a_spine_condition_without_clearance() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    f = w.get("screening.clearance_needed")
    assert f.asks == "see_professional"
    assert "condition:lumbar-spinal-stenosis" in f.evidence["reasons"]
    plan = w.plan()
    assert plan.decision == "see_professional"
    assert any("physician" in r.who for r in plan.professionals)


def test_no_clearance_finding_once_cleared() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    w.clearances.append(Clearance(on=days_ago(30), by="Dr Jones"))
    assert "screening.clearance_needed" not in w.ids()


def test_a_screening_yes_needs_clearance_and_no_screening_means_start_here() -> None:
    w = calm()
    assert w.screening is not None
    w.screening = replace(w.screening, answers={**w.screening.answers, "chest-discomfort": True})
    assert "screening.clearance_needed" in w.ids()
    w.screening = None
    f = w.get("data.no_screening")
    assert (f.level, f.asks) == ("stop", "start_here")
    assert w.plan().decision == "start_here"  # issue 12.8: never "run" without the health questions


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


# --- load --------------------------------------------------------------------------------------


def _long_run_saturday(w: World, km: float) -> None:
    last = [s for s in w.runs() if s.day == days_ago(2)]
    assert last, "the baseline runs on Saturdays"
    last[0].km = km
    last[0].minutes = km * 6.0


def test_spike_above_30_percent_asks_for_an_easy_capped_run() -> None:
    w = calm()
    _long_run_saturday(w, 6.6)
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
    _long_run_saturday(w, 6.5)
    f = w.get("load.single_run_spike")
    assert f.level == "caution" and f.asks == "run"


def test_a_10_percent_step_is_no_spike() -> None:
    w = calm()
    _long_run_saturday(w, 5.5)
    assert "load.single_run_spike" not in w.ids()


def test_past_injuries_make_a_20_percent_spike_an_easy_day() -> None:
    w = calm()
    w.profile = replace(w.profile, past_injuries=("stress fracture 2019",))
    _long_run_saturday(w, 6.0)
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


# --- recovery ----------------------------------------------------------------------------------


def test_a_returning_runner_who_ran_yesterday_cross_trains() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    w.drop_on(days_ago(3))  # keep a rest day in the week
    w.add(Session(day=days_ago(1)))
    f = w.get("recovery.no_rest_day")
    assert f.asks == "cross_train"
    assert f.evidence["consecutive_run_days"] == 2


def test_a_returning_runner_s_own_run_today_is_not_a_streak() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    w.drop_on(days_ago(1))
    w.drop_on(days_ago(0))
    w.add(Session(day=days_ago(0)))  # she ran this morning, not yesterday
    assert "recovery.no_rest_day" not in w.ids()
    w.add(Session(day=days_ago(1)))  # ... and yesterday too: two days in a row
    assert w.get("recovery.no_rest_day").evidence["consecutive_run_days"] >= 2


def test_a_returning_runner_with_a_day_off_may_run() -> None:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    assert "recovery.no_rest_day" not in w.ids()


def test_a_regular_runner_may_run_on_consecutive_days() -> None:
    w = calm()
    w.drop_on(days_ago(3))
    w.add(Session(day=days_ago(1), minutes=40.0))
    assert "recovery.no_rest_day" not in w.ids()


def test_six_training_days_in_a_row_ask_for_rest() -> None:
    w = calm()
    for n in range(1, P.max_days_without_rest + 1):
        if not any(s.day == days_ago(n) for s in w.sessions):
            w.add(Session(day=days_ago(n), sport=Sport.CYCLE, km=10.0, cadence=None))
    f = w.get("recovery.no_rest_day")
    assert f.asks == "rest"
    assert f.evidence["days_since_rest"] == P.max_days_without_rest


def test_five_training_days_in_a_row_are_fine() -> None:
    w = calm()
    w.drop_on(days_ago(P.max_days_without_rest))
    for n in range(1, P.max_days_without_rest):
        if not any(s.day == days_ago(n) for s in w.sessions):
            w.add(Session(day=days_ago(n), sport=Sport.CYCLE, km=10.0, cadence=None))
    assert "recovery.no_rest_day" not in w.ids()


def test_a_hard_session_yesterday_keeps_today_easy() -> None:
    w = calm()
    w.add(Session(day=days_ago(1), sport=Sport.CYCLE, km=30.0, rpe=8.0, hard=True, cadence=None))
    (own,) = rule_hard_close(w.state(), P)
    assert own.asks == "run_easy"
    # Six training days in a row make it a rest day: the finding is then advice for later.
    f = w.get("recovery.hard_sessions_close")
    assert decide(w.findings()) == "rest"
    assert f.asks == "rest" and f.for_later and f.to_json()["for_later"] is True


def test_a_hard_session_two_days_ago_is_long_enough() -> None:
    w = calm()
    for s in w.runs():
        if s.day == days_ago(2):
            s.hard = True
    assert "recovery.hard_sessions_close" not in w.ids()


def test_hard_sessions_on_consecutive_days_are_too_close() -> None:
    w = calm()
    for s in w.sessions:
        if s.day in (days_ago(5), days_ago(4)):  # Wednesday ride and Thursday run
            s.hard = True
    f = w.get("recovery.hard_sessions_close")
    assert f.level == "caution"
    assert f.evidence["first_on"] == days_ago(5).isoformat()


def test_hard_sessions_two_days_apart_are_fine() -> None:
    w = calm()
    for s in w.sessions:
        if s.day in (days_ago(6), days_ago(4)):  # Tuesday and Thursday runs
            s.hard = True
    assert "recovery.hard_sessions_close" not in w.ids()


# --- variety -----------------------------------------------------------------------------------


def _daily_runs(w: World, days: int) -> None:
    for n in range(1, days + 1):
        w.drop_on(days_ago(n))
        w.add(Session(day=days_ago(n), minutes=30.0 + 30 * (n % 2), gear="Road A"))


def test_identical_daily_runs_are_monotonous_and_ask_for_something_else() -> None:
    w = calm()
    _daily_runs(w, 7)
    f = w.get("variety.monotony")
    assert f.asks == "cross_train"
    assert f.evidence["monotony"] > P.monotony_reduce
    below = P.with_overrides({"monotony_reduce": min(5.0, f.evidence["monotony"] + 0.01)})
    assert "variety.monotony" not in w.ids(below)


def test_varied_but_equally_busy_days_are_only_a_caution() -> None:
    w = calm()
    for n in range(1, 8):
        w.drop_on(days_ago(n))
        sport = Sport.RUN if n in (2, 5) else Sport.CYCLE
        minutes = 30.0 + 2 * (n % 2)
        w.add(Session(day=days_ago(n), sport=sport, km=5.0, minutes=minutes, gear="Road A"))
    (f,) = rule_monotony(w.state(), P)
    assert f.level == "caution" and f.asks == "run"
    assert w.get("variety.monotony").asks == decide(w.findings()) != "run"


def test_running_only_for_four_weeks() -> None:
    w = calm()
    w.sessions = [s for s in w.sessions if s.sport.is_run]
    f = w.get("variety.run_only")
    assert f.evidence["running_share_28d_pct"] == 100
    assert f.level == "caution"


def test_run_only_just_below_its_share() -> None:
    w = calm()
    w.sessions = [s for s in w.sessions if s.sport.is_run or s.sport is Sport.STRENGTH]
    for s in w.sessions:
        if s.sport is Sport.STRENGTH:
            s.minutes = 8.0
    share = w.get("variety.run_only").evidence["running_share_28d_pct"] / 100
    assert 0.8 < share < 1.0
    below = P.with_overrides({"run_only_share": share + 0.01})
    assert "variety.run_only" not in w.ids(below)
    assert "variety.run_only" not in calm().ids()


# --- gear --------------------------------------------------------------------------------------


def _shoe_km(w: World, name: str, km: float) -> None:
    used = sum(s.km or 0.0 for s in w.sessions if s.gear == name)
    w.shoes = [replace(s, start_km=round(km - used, 3)) if s.name == name else s for s in w.shoes]


def test_shoes_past_the_inspect_mark() -> None:
    w = calm()
    _shoe_km(w, "Road A", 501.0)
    f = w.get("gear.shoes_worn")
    assert f.evidence["shoe"] == "Road A" and f.evidence["state"] == "inspect"
    assert f.level == "caution" and f.asks == "run"


def test_shoes_past_the_retire_mark_need_replacing() -> None:
    w = calm()
    _shoe_km(w, "Road B", 801.0)
    f = w.get("gear.shoes_worn")
    assert f.evidence["state"] == "retire"
    assert "replacing" in f.title


def test_shoes_just_under_the_inspect_mark() -> None:
    w = calm()
    _shoe_km(w, "Road A", 499.0)
    assert "gear.shoes_worn" not in w.ids()


def test_a_single_pair_is_a_rotation_nudge() -> None:
    w = calm()
    for s in w.sessions:
        if s.gear:
            s.gear = "Road A"
    w.shoes = [w.shoes[0]]
    f = w.get("gear.single_pair")
    assert f.level == "info"
    assert "Malisoux" in f.source


def test_two_pairs_in_rotation_no_nudge() -> None:
    assert "gear.single_pair" not in calm().ids()


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


# --- body --------------------------------------------------------------------------------------


def test_abdominals_outlasting_back_extensors_is_a_core_finding() -> None:
    w = with_tests(calm(), trunk_flexor_hold=120.0, trunk_extensor_hold=120.0)  # ratio 1.0
    f = w.get("body.core_endurance")
    assert f.evidence["flexion/extension"]["value"] == 1.0


def test_a_ratio_just_under_one_is_fine() -> None:
    w = with_tests(calm(), trunk_flexor_hold=119.0, trunk_extensor_hold=120.0)
    assert "body.core_endurance" not in w.ids()


def test_short_hamstrings_are_a_flexibility_finding() -> None:
    w = with_tests(calm(), straight_leg_raise_left=69.0)
    f = w.get("body.flexibility")
    assert "straight-leg-raise-left" in f.evidence


def test_hamstrings_at_70_degrees_are_fine() -> None:
    w = with_tests(calm(), straight_leg_raise_left=70.0)
    assert "body.flexibility" not in w.ids()


def test_no_tests_or_old_tests_are_info_only() -> None:
    w = calm()
    w.tests = []
    assert w.get("data.no_selftests").level == "info"
    w = calm()
    w.tests = [replace(t, day=days_ago(60)) for t in w.tests]
    assert w.get("body.retest_due").level == "info"


# --- form --------------------------------------------------------------------------------------


def _cadence(w: World, cadence: float, km: float = 5.4) -> None:
    for s in w.runs():
        s.cadence = cadence
        s.km = km  # 5.4 km in 30 min = 3.0 m/s


def test_expected_cadence_rises_with_speed() -> None:
    assert expected_cadence_spm(2.5, P) == 160.0
    assert expected_cadence_spm(3.0, P) == 165.0


def test_cadence_well_below_the_pace_suggests_overstriding() -> None:
    w = calm()
    _cadence(w, 148.0)  # 10.3 % below 165
    f = w.get("form.stride")
    assert f.level == "caution"
    assert f.evidence["expected_cadence_spm"] == 165
    assert "5-10 %" in f.action and ("coach" in f.action and "physiotherapist" in f.action)
    assert "Heiderscheit 2011" in f.source


def test_cadence_just_within_10_percent_is_fine() -> None:
    w = calm()
    _cadence(w, 149.0)  # 9.7 % below
    assert "form.stride" not in w.ids()


def test_run_walk_sessions_are_not_judged_for_stride() -> None:
    w = calm()
    _cadence(w, 130.0, km=4.0)  # walk breaks: low cadence and slow
    assert "form.stride" not in w.ids()


# --- warm-up -----------------------------------------------------------------------------------


def test_a_skipped_warm_up_in_the_notes_is_a_caution() -> None:
    w = calm()
    w.runs()[-1].notes = "Felt good. Skipped the warm-up walk."
    f = w.get("warmup.skipped")
    assert f.level == "caution" and "brisk walking" in f.action


def test_a_skipped_warm_up_followed_by_pain_in_the_routine_log_is_a_caution() -> None:
    w = calm()
    w.warm_up_skips.append(WarmUpSkip(activity_id=7, day=days_ago(2), worst_pain=4))
    f = w.get("warmup.skipped")
    assert f.evidence["skipped_then_pain"] == 1 and f.evidence["runs"] == [7]
    w.warm_up_skips = [WarmUpSkip(7, days_ago(P.warm_up_window_days), 4)]
    assert "warmup.skipped" not in w.ids()


def test_a_warm_up_mentioned_as_done_or_long_ago_does_not_fire() -> None:
    w = calm()
    w.runs()[-1].notes = "Warm-up walk first, then easy."
    assert "warmup.skipped" not in w.ids()
    w = calm()
    old = [s for s in w.runs() if s.day <= days_ago(P.warm_up_window_days)]
    old[-1].notes = "no warm-up"
    assert "warmup.skipped" not in w.ids()


# --- missing data ------------------------------------------------------------------------------


def test_a_missing_next_morning_check_in_is_said() -> None:
    w = calm()
    w.pain = [e for e in w.pain if not (e.day == days_ago(1) and e.when.value == "next-morning")]
    f = w.get("data.no_morning_checkin")
    assert f.level == "caution" and f.asks == "run" and "backstride checkin" in f.action


def test_no_heart_rate_and_no_shoes_are_said() -> None:
    w = calm()
    last = max(w.runs(), key=lambda s: s.day)
    last.heart_rate = False
    last.gear = None
    assert w.get("data.no_heart_rate").level == "info"
    assert w.get("data.no_shoes").evidence["runs"]


# --- the decision ------------------------------------------------------------------------------


def _f(fid: str, level: str, asks: str) -> Finding:
    return Finding(fid, level, "t", "r", {}, "s", "a", asks)  # type: ignore[arg-type]


def test_the_decision_is_the_most_cautious_any_finding_asks_for() -> None:
    assert decide([]) == "run"
    fs = [_f("a", "caution", "run"), _f("b", "reduce", "run_easy"), _f("c", "stop", "rest")]
    assert decide(fs) == "rest"
    for i, d in enumerate(DECISIONS):
        assert decide([_f("x", "info", d), _f("y", "info", DECISIONS[max(0, i - 1)])]) == d


def test_findings_are_sorted_most_serious_first() -> None:
    fs = [
        _f("info", "info", "run"),
        _f("easy", "reduce", "run_easy"),
        _f("redflag.emergency", "urgent", "urgent_care"),
        _f("caution", "caution", "run"),
        _f("pro", "stop", "see_professional"),
    ]
    assert [f.id for f in sort_findings(fs)] == [
        "redflag.emergency",
        "pro",
        "easy",
        "caution",
        "info",
    ]


def test_see_professional_says_who_and_why() -> None:
    w = calm()
    for n in (1, 5, 9):
        w.entry(days_ago(n), "rest-day", 6)
    _cadence(w, 140.0)
    plan = w.plan()
    assert plan.decision == "see_professional"
    who = " ".join(r.who for r in plan.professionals)
    assert "physiotherapist" in who and "running coach" in who


def test_cross_training_for_stenosis_starts_with_cycling_and_names_muscles() -> None:
    w = calm()
    w.profile = replace(
        w.profile,
        conditions=(Condition.LUMBAR_SPINAL_STENOSIS,),
        experience=Experience.RETURNING,
    )
    w.clearances.append(Clearance(on=days_ago(60), by="Dr Jones"))
    w.drop_on(days_ago(3))
    w.add(Session(day=days_ago(1)))
    plan = w.plan()
    assert plan.decision == "cross_train"
    cycling = plan.activities[0]
    assert cycling.activity == "cycling"
    assert "stenosis" in cycling.spares and "thighs" in cycling.works
    assert "§6" in cycling.source


def test_gentlest_route_must_cover_the_distance() -> None:
    routes = [route("Short flat", 2.0, 1.0), route("River", 5.0, 3.0), route("Hill", 6.0, 40.0)]
    assert gentlest_route(routes, 5.0 * 1000).name == "River"  # type: ignore[union-attr]
    assert gentlest_route(routes, 5.5 * 1000).name == "River"  # type: ignore[union-attr]
    assert gentlest_route(routes, 6.0 * 1000).name == "Hill"  # type: ignore[union-attr]
    assert gentlest_route(routes, 9.0 * 1000) is None
    assert gentlest_route(routes, None).name == "Short flat"  # type: ignore[union-attr]


def test_nothing_after_today_counts() -> None:
    w = calm()
    w.entry(TODAY + timedelta(days=1), "rest-day", 2, red_flags=(RedFlag.SADDLE_NUMBNESS,))
    w.add(Session(day=TODAY + timedelta(days=1), km=20.0))
    assert w.plan().decision == "run"


def test_every_guidance_threshold_cites_a_source_and_a_range() -> None:
    from dataclasses import fields

    for f in fields(P):
        assert len(f.metadata["source"]) > 20, f.name
        low, high = f.metadata["range"]
        assert low <= getattr(P, f.name) <= high, f.name


# --- overrides ---------------------------------------------------------------------------------


def test_overrides_change_a_threshold() -> None:
    p = P.with_overrides({"spike_reduce_ratio": 1.2, "pain_recent_run_days": 2.0})
    assert p.spike_reduce_ratio == 1.2
    assert p.pain_recent_run_days == 2 and isinstance(p.pain_recent_run_days, int)
    w = calm()
    _long_run_saturday(w, 6.1)  # +22 %: a caution by default, an easy day with the override
    assert w.get("load.single_run_spike").asks == "run"
    assert w.get("load.single_run_spike", p).asks == "run_easy"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"spike_ratio": 1.2}, "Unknown guidance setting 'spike_ratio'"),
        ({"spike_reduce_ratio": 9.0}, "outside its range"),
        ({"pain_recent_run_days": 2.5}, "whole number"),
        ({"monotony_reduce": "high"}, "must be a number"),
        ({"spike_caution_ratio": 1.5, "spike_reduce_ratio": 1.3}, "must rise"),
    ],
)
def test_bad_overrides_are_refused_clearly(overrides: dict[str, object], words: str) -> None:
    from backstride.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        P.with_overrides(overrides)
    assert words in info.value.message
    if "Unknown" in words:
        assert "spike_reduce_ratio" in (info.value.hint or "")


# --- the run cap from her own runs (issues 13.3 and 12.6) ---------------------------------------


def test_the_cap_is_the_shorter_of_her_longest_run_and_her_typical_run_plus_10_percent() -> None:
    w = calm()  # 5 km runs
    w.add(Session(day=days_ago(20), km=9.0, minutes=55.0))  # one long run three weeks ago
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.longest_m == 9000.0 and caps.typical_m == 5000.0
    assert caps.cap_km == 5.5
    assert caps.why is not None and "plus 10 %" in caps.why


def test_after_a_flare_the_cap_goes_below_the_run_that_caused_it() -> None:
    w = calm(today=days_ago(0))
    last = max(s.day for s in w.runs())
    w.entry(last, "during", 8)
    w.entry(last + timedelta(days=1), "next-morning", 7)
    w.today = last + timedelta(days=3)
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.flare_run_on == last
    assert caps.cap_m is not None and caps.cap_m < 5000.0
    assert caps.cap_km == 3.8  # three quarters of the 5 km that flared
    assert caps.why is not None and "above 5/10" in caps.why


def test_a_flare_stops_capping_once_a_run_that_long_went_within_the_rules() -> None:
    w = calm()
    runs = sorted(s.day for s in w.runs())
    flared = runs[-4]
    w.entry(flared, "during", 7)
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.flare_run_on is None and caps.cap_km == 5.0


def test_the_flare_share_is_a_setting_and_the_words_follow_it() -> None:
    w = calm()
    last = max(s.day for s in w.runs())
    w.entry(last, "after", 7)
    w.today = last + timedelta(days=1)
    p = P.with_overrides({"flare_cap_share": 0.5})
    state = w.state()
    caps = run_caps(state, compute_findings(state, p), p)
    assert caps.cap_km == 2.5 and caps.why is not None and caps.why.startswith("50 %")


def test_no_runs_no_cap() -> None:
    w = calm()
    w.sessions = []
    state = w.state()
    caps = run_caps(state, compute_findings(state))
    assert caps.cap_m is None and caps.why is None


def test_a_finding_with_its_own_distance_limit_caps_the_run() -> None:
    w = calm()
    state = w.state()
    own = Finding("x.after_break", "reduce", "Back after a break", "r", {"cap_km": 2.5}, "s", "a")
    caps = run_caps(state, (*compute_findings(state), own))
    assert caps.cap_km == 2.5 and caps.why == "back after a break (2.5 km)"


def test_the_typical_run_margin_is_a_setting_and_the_words_follow_it() -> None:
    w = calm()
    w.add(Session(day=days_ago(20), km=9.0, minutes=55.0))
    p = P.with_overrides({"cap_typical_margin": 0.2})
    state = w.state()
    caps = run_caps(state, compute_findings(state, p), p)
    assert caps.cap_km == 6.0 and caps.why is not None and "plus 20 %" in caps.why
