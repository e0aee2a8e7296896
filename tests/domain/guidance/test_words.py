"""Words follow the numbers (issue 13, point 6): every message that names a threshold is built
from the parameter in force.

For every documented override (``guidance_overrides``, :class:`GuidanceParams`), a history in
which the finding fires both with the default and with the override: the finding's words must
change, and name the overridden number. The few parameters no message names (look-back
windows and filters that decide which records are read) are listed with that reason, so a new
parameter cannot slip through unlisted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import timedelta

import pytest

from backstride.domain.activity import Sport, Surface
from backstride.domain.body import Experience
from backstride.domain.guidance import Finding
from backstride.domain.pain import PainFeel, PainSite
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from backstride.domain.params import GuidanceParams
from tests.domain.guidance_world import TODAY, Session, World, calm, days_ago

# Look-back windows and filters: they decide which records are read, and no message names them.
NOT_NAMED = {
    "pain_recent_run_days": "which runs' pain is read (the message names the run's day)",
    "confirm_window_days": "which entries are asked about (the message names each entry's day)",
    "spike_lookback_days": "which runs are checked (the message names the run's day)",
    "break_pain_days": "which entries before a break are read (the message names their days)",
    "stride_window_days": "which runs are judged (the message counts them)",
    "stride_min_runs": "how many runs are needed before judging (the message counts them)",
    "stride_min_cadence_spm": "leaves run/walk sessions out of the stride judgement",
    "stride_min_speed_m_s": "leaves run/walk sessions out of the stride judgement",
    "checkin_lookback_days": "which runs are checked (the message names the run's day)",
    # Named in the distance limit of the day's advice (RunCaps.why), not in a finding: the
    # tests of run_caps in test_today.py check that those words follow the override.
    "cap_typical_margin": "named in the run's distance limit (advice), tested in test_guidance",
    "flare_cap_share": "named in the run's distance limit (advice), tested in test_guidance",
}


def _rest_day_pain(w: World, *scores: tuple[int, int]) -> World:
    for ago, score in scores:
        w.entry(days_ago(ago), "rest-day", score)
    return w


def _no_pain() -> World:
    w = calm()
    w.pain = []
    return w


def _weekly_pain(median: int, weeks: int = 4) -> World:
    w = calm()
    w.pain = []
    for k in range(weeks):
        for j in (0, 2, 4):
            w.entry(days_ago(7 * k + j), "rest-day", median)
    return w


def _mornings(weekly: list[float], *, stiff_last: bool = False) -> World:
    """Next-morning scores: one list item per week, oldest first, three mornings each."""
    w = calm()
    w.pain = [e for e in w.pain if e.when.value != "next-morning"]
    last_monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    for k, score in enumerate(reversed(weekly)):
        for j in (1, 3, 5):
            day = last_monday - timedelta(weeks=k) + timedelta(days=j)
            feels = (PainFeel.STIFFNESS,) if stiff_last and k == 0 else ()
            w.entry(day, "next-morning", int(score), feels=feels)
    return w


def _leg_pattern() -> World:
    w = calm()
    w.entry(days_ago(3), "rest-day", 3, where=(PainSite.LEG_LEFT,), walking_leg_symptoms=True,
            eases_sitting=True)  # fmt: skip
    return w


def _nerve_root() -> World:
    w = calm()
    w.entry(days_ago(1), "rest-day", 3, where=(PainSite.LOWER_LEG_LEFT,),
            feels=(PainFeel.TINGLING,))  # fmt: skip
    return w


def _saturday_km(km: float) -> World:
    w = calm()
    for s in w.runs():
        if s.day == days_ago(2):
            s.km, s.minutes = km, km * 6.0
    return w


def _two_weeks_km(km: float) -> World:
    w = calm()
    for s in w.runs():
        if s.day >= days_ago(13):
            s.km = km
    return w


def _after_break() -> World:
    """Eight weeks of 8 km runs, six weeks off, then three 8 km runs."""
    w = calm()
    w.sessions = [s for s in w.sessions if not s.sport.is_run]
    back = days_ago(4)
    last_before = back - timedelta(days=43)
    day = last_before - timedelta(weeks=8)
    while day <= last_before:
        if day.weekday() in (1, 3, 5):
            w.add(Session(day=day, km=8.0, minutes=48.0))
        day += timedelta(days=1)
    for k in (0, 2, 4):
        w.add(Session(day=back + timedelta(days=k), km=8.0, minutes=48.0))
    w.pain = []
    return w


def _hard_week() -> World:
    w = calm()
    for s in w.sessions:
        if s.day >= days_ago(6):
            s.rpe, s.minutes = 10.0, 90.0
    return w


def _returning_two_days() -> World:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    w.drop_on(days_ago(3))
    w.add(Session(day=days_ago(1)))
    return w


def _seven_days_training() -> World:
    w = calm()
    for n in range(1, 8):
        if not any(s.day == days_ago(n) for s in w.sessions):
            w.add(Session(day=days_ago(n), sport=Sport.CYCLE, km=10.0, cadence=None))
    return w


def _hard_yesterday() -> World:
    w = calm()
    w.add(Session(day=days_ago(1), sport=Sport.CYCLE, km=30.0, rpe=8.0, hard=True, cadence=None))
    return w


def _daily_runs() -> World:
    w = calm()
    for n in range(1, 8):
        w.drop_on(days_ago(n))
        w.add(Session(day=days_ago(n), minutes=30.0 + 30 * (n % 2), gear="Road A"))
    return w


def _running_only() -> World:
    w = calm()
    w.sessions = [s for s in w.sessions if s.sport.is_run]
    return w


def _descent(steep_m: float, drop_m: float = 10.0, ago: int = 2) -> World:
    w = calm()
    for s in w.runs():
        if s.day == days_ago(ago):
            s.descent_bands = ((-8.0, steep_m), (-4.0, 400.0), (-1.0, 300.0))
            s.longest_drop_m = drop_m
    return w


def _trail() -> World:
    w = calm()
    w.profile = replace(w.profile, experience=Experience.RETURNING)
    for s in w.runs():
        if (TODAY - s.day).days in {2, 4, 6, 9}:
            s.surface = Surface.TRAIL
    return w


def _overstriding() -> World:
    w = calm()
    for s in w.runs():
        s.cadence = 140.0
    return w


def _skipped_warm_up() -> World:
    w = calm()
    w.runs()[-1].notes = "Skipped the warm-up walk."
    return w


def _pregnant() -> World:
    w = calm()
    w.profile = replace(w.profile, pregnant_since=days_ago(60))
    return w


@dataclass(frozen=True)
class Case:
    """An override, a history where the finding fires either way, and words to find."""

    override: float
    world: Callable[[], World]
    finding: str
    expect: str


CASES: dict[str, Case] = {
    "pain_acceptable_max": Case(6, lambda: _rest_day_pain(calm(), (0, 7)), "pain.high_recent",
                                "Pain above 6 today"),
    "persistent_window_days": Case(
        21, lambda: _rest_day_pain(calm(), (1, 6), (5, 6), (9, 6)), "pain.persistent",
        "the last 21 days"),
    "persistent_high_days": Case(
        2, lambda: _rest_day_pain(calm(), (1, 6), (5, 6), (9, 6)), "pain.persistent",
        "(2 or more count)"),
    "persistent_weeks": Case(3, lambda: _weekly_pain(3), "pain.persistent",
                             "For 3 weeks in a row"),
    "persistent_weekly_median": Case(2, lambda: _weekly_pain(3), "pain.persistent",
                                     "was 2 or more"),
    "leg_pattern_days": Case(10, _leg_pattern, "pain.leg_symptom_pattern",
                             "in the last 10 days"),
    "morning_rise_points": Case(1.5, lambda: _mornings([1, 3]), "pain.rising_trend",
                                "a rise of 1.5 points"),
    "stiffness_rise_share": Case(0.4, lambda: _mornings([1, 1], stiff_last=True),
                                 "pain.rising_trend", "counts 40 points"),
    "rising_weeks_refer": Case(2, lambda: _mornings([1, 2, 3, 4]), "pain.rising_trend",
                               "for 2 weeks or more"),
    "pain_severe_min": Case(9, lambda: _rest_day_pain(calm(), (0, 9)), "pain.flare_referral",
                            "pain of 9 or more is severe"),
    "flare_window_days": Case(5, lambda: _rest_day_pain(calm(), (1, 7), (0, 7)),
                              "pain.flare_referral", "within 5 days"),
    "flare_high_days": Case(3, lambda: _rest_day_pain(calm(), (2, 7), (1, 7), (0, 7)),
                            "pain.flare_referral", "3 or more count"),
    "flare_memory_days": Case(21, lambda: _rest_day_pain(_no_pain(), (4, 6)), "pain.high_recent",
                              "for up to 21 days"),
    "nerve_root_refer_days": Case(10, _nerve_root, "pain.nerve_root", "last 10 days"),
    "spike_caution_ratio": Case(1.05, lambda: _saturday_km(6.0), "load.single_run_spike",
                                "steps above 5 %"),
    "spike_reduce_ratio": Case(1.35, lambda: _saturday_km(7.0), "load.single_run_spike",
                               "easy runs above 35 %"),
    "spike_severe_ratio": Case(2.2, lambda: _saturday_km(12.5), "load.single_run_spike",
                               "More than 120 % longer"),
    "progression_reduce": Case(0.4, lambda: _two_weeks_km(7.5), "load.progression",
                               "above 40 %"),
    "progression_min_base_km": Case(4.0, lambda: _two_weeks_km(7.5), "load.progression",
                                    "base of 4 km"),
    "break_min_days": Case(21, _after_break, "load.after_break", "(21 days or more"),
    "break_step_per_week": Case(0.15, _after_break, "load.after_break",
                                "15 % shorter per week off"),
    "break_floor_share": Case(0.5, _after_break, "load.after_break", "at least 50 % of it"),
    "load_ratio_caution": Case(1.2, _hard_week, "load.acute_chronic", "notes it from 1.2"),
    "careful_max_consecutive_run_days": Case(2, _returning_two_days, "recovery.no_rest_day",
                                             "No more than 2 running days in a row"),
    "max_days_without_rest": Case(5, _seven_days_training, "recovery.no_rest_day",
                                  "one after 5"),
    "hard_gap_hours": Case(36, _hard_yesterday, "recovery.hard_sessions_close",
                           "about 36 hours"),
    "monotony_reduce": Case(1.5, _daily_runs, "variety.monotony", "above 1.5 is high"),
    "run_only_share": Case(0.8, _running_only, "variety.run_only", "notes 80 % or more"),
    "run_only_min_runs": Case(5, _running_only, "variety.run_only", "from 5 runs"),
    "terrain_recent_days": Case(10, lambda: _descent(400.0), "terrain.downhill",
                                "in the last 10 days"),
    "downhill_grade_pct": Case(-4.0, lambda: _descent(400.0), "terrain.downhill",
                               "steeper than 4 %"),
    "downhill_steep_m": Case(250, lambda: _descent(400.0), "terrain.downhill",
                             "notes 250 m or more"),
    "downhill_long_drop_m": Case(60, lambda: _descent(0.0, 100.0), "terrain.downhill",
                                 "notes 60 m or more"),
    "uneven_window_days": Case(10, _trail, "terrain.uneven", "in the last 10 days"),
    "uneven_share": Case(0.4, _trail, "terrain.uneven", "notes 40 % or more"),
    "stride_ref_speed_m_s": Case(2.0, _overstriding, "form.stride", "usually take about"),
    "stride_ref_spm": Case(170, _overstriding, "form.stride", "usually take about"),
    "stride_spm_per_m_s": Case(20, _overstriding, "form.stride", "usually take about"),
    "stride_shortfall": Case(0.05, _overstriding, "form.stride", "more than 5 % below"),
    "warm_up_window_days": Case(10, _skipped_warm_up, "warmup.skipped", "In the last 10 days"),
    "cap_window_days": Case(21, _pregnant, "history.pregnancy", "of the last 21 days"),
}  # fmt: skip


def _words(f: Finding) -> str:
    return " ".join((f.title, f.reason, f.action))


def _fired(world: World, finding_id: str, params: GuidanceParams) -> Finding:
    found = [f for f in world.findings(params) if f.id == finding_id]
    assert found, f"{finding_id} did not fire; got {sorted(world.ids(params))}"
    return found[0]


def test_every_override_is_either_named_in_a_message_or_listed_as_not_named() -> None:
    names = {f.name for f in fields(GuidanceParams)}
    assert set(CASES) | set(NOT_NAMED) == names
    assert not set(CASES) & set(NOT_NAMED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_words_follow_each_overridden_threshold(name: str) -> None:
    case = CASES[name]
    assert getattr(P, name) != case.override
    changed = P.with_overrides({name: case.override})
    before = _words(_fired(case.world(), case.finding, P))
    after = _words(_fired(case.world(), case.finding, changed))
    assert after != before, f"{name}: the words did not change"
    assert case.expect in after, after
