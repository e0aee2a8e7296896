"""Pain diary domain: validation, red-flag triage, the leg-symptom pattern, pain rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.pain import (
    EMERGENCY_FLAGS,
    PAIN_RULES,
    PROMPT_FLAGS,
    RED_FLAGS,
    SAME_DAY_FLAGS,
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    RunRef,
    SeenRecord,
    Urgency,
    check_day,
    check_run,
    check_runs,
    claudication_advice,
    first_claudication_day,
    flare_days,
    known_red_flags,
    next_morning_score,
    open_red_flags,
    pain_zone,
    parse_feels,
    parse_red_flags,
    parse_score,
    parse_sites,
    parse_when,
    triage,
    usual_level,
    weekly_morning_trend,
)
from backstride.errors import InvalidInputError

D = date(2025, 3, 3)  # a Monday


def entry(
    day: date,
    when: PainWhen,
    score: int,
    *,
    activity_id: int | None = None,
    feels: tuple[PainFeel, ...] = (),
    red_flags: tuple[RedFlag, ...] = (),
    entry_id: int | None = None,
    walking: bool = False,
    eases: bool = False,
) -> PainEntry:
    return PainEntry(
        day=day,
        when=when,
        score=score,
        activity_id=activity_id,
        feels=feels,
        red_flags=red_flags,
        id=entry_id,
        walking_leg_symptoms=walking,
        eases_sitting=eases,
    )


# --- validation -------------------------------------------------------------------------------


def test_vocabularies_match_the_issue() -> None:
    assert [w.value for w in PainWhen] == [
        "before",
        "during",
        "after",
        "next-morning",
        "rest-day",
    ]
    assert [s.value for s in PainSite] == [
        "low-back",
        "upper-back",
        "buttock-left",
        "buttock-right",
        "leg-left",
        "leg-right",
        "lower-leg-left",
        "lower-leg-right",
    ]
    assert [f.value for f in PainFeel] == [
        "ache",
        "sharp",
        "burning",
        "numbness",
        "tingling",
        "stiffness",
    ]
    assert {f.value for f in EMERGENCY_FLAGS} == {
        "bladder-change",
        "bowel-change",
        "saddle-numbness",
        "both-legs-weak",
    }
    # A progressive neurological deficit and major trauma: a doctor today (IFOMPT 2020).
    assert {f.value for f in SAME_DAY_FLAGS} == {"progressive-weakness", "major-trauma"}
    assert {f.value for f in PROMPT_FLAGS} == {
        "fever",
        "feeling-unwell",
        "immunosuppressed",
        "unexplained-weight-loss",
        "night-pain",
        "cancer-history",
        "recent-trauma",
        "steroids-or-osteoporosis",
        "thoracic-pain",
    }


@given(st.integers(min_value=0, max_value=10))
def test_score_in_range_is_accepted(score: int) -> None:
    assert parse_score(score) == score
    assert parse_score(str(score)) == score
    assert parse_score(float(score)) == score


@given(st.integers().filter(lambda n: not 0 <= n <= 10))
def test_score_outside_0_to_10_is_refused_with_a_clear_message(score: int) -> None:
    with pytest.raises(InvalidInputError, match="between 0 and 10") as info:
        parse_score(score)
    assert info.value.hint and "0 (no pain)" in info.value.hint


@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not float(x).is_integer()))
def test_fractional_or_nan_scores_are_refused(score: float) -> None:
    with pytest.raises(InvalidInputError):
        parse_score(score)


@pytest.mark.parametrize("bad", ["", "three", "3.5", "True", True, None])
def test_non_numeric_scores_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        parse_score(bad)


def test_entry_refuses_a_score_outside_range_or_a_linked_rest_day() -> None:
    with pytest.raises(InvalidInputError):
        PainEntry(day=D, when=PainWhen.AFTER, score=11)
    with pytest.raises(InvalidInputError, match="rest-day"):
        PainEntry(day=D, when=PainWhen.REST_DAY, score=2, activity_id=4)


@given(st.integers(min_value=1, max_value=3650))
def test_a_date_in_the_future_is_refused(days_ahead: int) -> None:
    with pytest.raises(InvalidInputError, match="in the future"):
        check_day(D + timedelta(days=days_ahead), today=D)


def test_today_and_the_past_are_accepted_but_not_before_1990() -> None:
    assert check_day(D, today=D) == D
    assert check_day(date(1990, 1, 1), today=D) == date(1990, 1, 1)
    with pytest.raises(InvalidInputError, match="too long ago"):
        check_day(date(1989, 12, 31), today=D)


@given(st.text(min_size=1, max_size=30))
def test_an_unknown_red_flag_is_refused_with_the_list_of_flags(name: str) -> None:
    known = {f.value for f in RedFlag}
    cleaned = [p.strip().lower().replace("_", "-").replace(" ", "-") for p in name.split(",")]
    if all(c in known or not c for c in cleaned):
        return  # the text happens to be made of real flags (or blanks)
    with pytest.raises(InvalidInputError, match="not a known red flag") as info:
        parse_red_flags([name])
    assert info.value.hint is not None and "bladder-change" in info.value.hint


def test_lists_accept_commas_and_repeats_and_keep_vocabulary_order() -> None:
    assert parse_sites(["leg-left,low-back", "leg-left"]) == (PainSite.LOW_BACK, PainSite.LEG_LEFT)
    assert parse_feels(["Stiffness", "ache"]) == (PainFeel.ACHE, PainFeel.STIFFNESS)
    assert parse_red_flags(["fever,bladder_change"]) == (RedFlag.BLADDER_CHANGE, RedFlag.FEVER)
    assert parse_when("Next Morning") is PainWhen.NEXT_MORNING
    with pytest.raises(InvalidInputError, match="not a known place"):
        parse_sites(["knee"])
    with pytest.raises(InvalidInputError, match="not a time"):
        parse_when("lunch")


def test_known_red_flags_ignores_unknown_names() -> None:
    assert known_red_flags(["bladder", "saddle-numbness", "fever,nonsense"]) == (
        RedFlag.SADDLE_NUMBNESS,
        RedFlag.FEVER,
    )


# --- triage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", list(EMERGENCY_FLAGS))
def test_each_cauda_equina_sign_is_an_emergency(flag: RedFlag) -> None:
    result = triage([flag])
    assert result is not None
    assert result.urgency is Urgency.EMERGENCY
    assert result.headline.startswith("EMERGENCY: this needs emergency care today")
    assert "cauda equina" in result.what_it_may_mean
    assert RED_FLAGS[flag].plain in result.what_it_may_mean
    assert "emergency department" in result.where_to_go
    assert "112" in result.where_to_go and "999" in result.where_to_go
    assert f"--flag {flag.value}" in result.meanwhile
    assert "NICE" in result.source


@pytest.mark.parametrize("flag", list(PROMPT_FLAGS))
def test_each_prompt_sign_means_a_doctor_within_days(flag: RedFlag) -> None:
    result = triage([flag])
    assert result is not None
    assert result.urgency is Urgency.PROMPT
    assert result.headline == "See a doctor within the next few days about this."
    assert RED_FLAGS[flag].plain in result.what_it_may_mean
    assert "GP or family doctor" in result.where_to_go
    assert "emergency department at once" in result.where_to_go  # what to do if it escalates
    assert "paused" in result.meanwhile


def test_an_emergency_sign_wins_over_prompt_signs_and_both_are_named() -> None:
    result = triage([RedFlag.FEVER, RedFlag.BOWEL_CHANGE])
    assert result is not None and result.urgency is Urgency.EMERGENCY
    assert RED_FLAGS[RedFlag.BOWEL_CHANGE].plain in result.what_it_may_mean
    assert RED_FLAGS[RedFlag.FEVER].plain not in result.what_it_may_mean
    assert RED_FLAGS[RedFlag.FEVER].plain in result.where_to_go  # "mention it there too"


def test_no_flags_no_triage() -> None:
    assert triage([]) is None


def test_a_seen_record_closes_a_flag_until_it_is_reported_again() -> None:
    entries = [
        entry(D, PainWhen.REST_DAY, 3, red_flags=(RedFlag.FEVER,), entry_id=1),
        entry(D, PainWhen.REST_DAY, 3, red_flags=(RedFlag.BLADDER_CHANGE,), entry_id=2),
    ]
    open_now = open_red_flags(entries, [])
    assert [o.flag for o in open_now] == [RedFlag.BLADDER_CHANGE, RedFlag.FEVER]
    assert open_now[0].urgency is Urgency.EMERGENCY
    seen = [SeenRecord(RedFlag.FEVER, D + timedelta(days=2))]
    assert [o.flag for o in open_red_flags(entries, seen)] == [RedFlag.BLADDER_CHANGE]
    later = [
        *entries,
        entry(D + timedelta(days=5), PainWhen.REST_DAY, 2, red_flags=(RedFlag.FEVER,), entry_id=3),
    ]
    reopened = open_red_flags(later, seen)
    fever = next(o for o in reopened if o.flag is RedFlag.FEVER)
    assert fever.first_reported_on == D + timedelta(days=5)
    assert fever.entry_ids == (3,)


# --- neurogenic claudication ------------------------------------------------------------------


def test_the_leg_symptom_pattern_needs_both_walking_symptoms_and_relief() -> None:
    both = entry(D, PainWhen.REST_DAY, 2, walking=True, eases=True)
    walking_only = entry(D, PainWhen.REST_DAY, 2, walking=True)
    assert both.has_claudication_pattern
    assert not walking_only.has_claudication_pattern
    assert first_claudication_day([walking_only, both]) == D
    assert first_claudication_day([walking_only]) is None


def test_the_pattern_without_a_stenosis_diagnosis_calls_for_a_physician() -> None:
    advice = claudication_advice(has_stenosis_diagnosis=False)
    assert advice.blocks_plans
    assert "doctor's assessment" in advice.text and "not an emergency" in advice.text
    assert "NASS 2011" in advice.source and "Suri 2010" in advice.source
    known = claudication_advice(has_stenosis_diagnosis=True)
    assert not known.blocks_plans
    assert "stenosis" in known.text


# --- pain-monitoring rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "zone"),
    [
        (0, "safe"),
        (2, "safe"),
        (3, "acceptable"),
        (5, "acceptable"),
        (6, "too-much"),
        (10, "too-much"),
    ],
)
def test_pain_zones_follow_the_model(score: int, zone: str) -> None:
    assert pain_zone(score) == zone


def _week_of_runs() -> tuple[list[RunRef], list[PainEntry]]:
    """Runs Mon/Wed/Fri, 3-7 March 2025, with hand-chosen scores."""
    runs = [RunRef(1, D), RunRef(2, D + timedelta(days=2)), RunRef(3, D + timedelta(days=4))]
    entries = [
        entry(D - timedelta(days=6), PainWhen.REST_DAY, 2),
        entry(D - timedelta(days=4), PainWhen.REST_DAY, 1),
        entry(D, PainWhen.BEFORE, 2, activity_id=1),
        entry(D, PainWhen.DURING, 3),  # unlinked: counts for the day's only run
        entry(D, PainWhen.AFTER, 4, activity_id=1),
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 2, feels=(PainFeel.STIFFNESS,)),
        entry(D + timedelta(days=2), PainWhen.BEFORE, 3, activity_id=2),
        entry(D + timedelta(days=2), PainWhen.DURING, 6, activity_id=2),
        entry(D + timedelta(days=3), PainWhen.NEXT_MORNING, 3, activity_id=2),
        entry(D + timedelta(days=4), PainWhen.BEFORE, 1, activity_id=3),
        entry(D + timedelta(days=4), PainWhen.AFTER, 2, activity_id=3),
    ]
    return runs, entries


def test_pain_rules_per_run_hand_computed() -> None:
    runs, entries = _week_of_runs()
    first, second, third = check_runs(runs, entries)
    # Run 1: usual level = median(2, 1, 2) = 2; during 3 and after 4 acceptable; morning 2 <= 2.
    assert first.usual_level == 2.0
    assert (first.before, first.during, first.after, first.next_morning) == (2, 3, 4, 2)
    assert (first.during_zone, first.after_zone) == ("acceptable", "acceptable")
    assert first.settled == "yes" and first.verdict == "within"
    # Run 2: usual = median(2, 1, 2, 3) = 2; during 6 too much; morning 3 > 2 not settled.
    assert second.usual_level == 2.0
    assert second.during_zone == "too-much"
    assert second.settled == "no" and second.verdict == "outside"
    assert any("above 5" in r for r in second.reasons)
    # Run 3: no next-morning check-in: "not known yet", never fine.
    # The flare of run 2 (6 during, 3 next morning) is left out: median(2, 1, 2, 1).
    assert third.usual_level == 1.5
    assert third.after_zone == "safe"
    assert third.next_morning is None
    assert third.settled == "not-known-yet" and third.verdict == "not-known-yet"
    assert "not known" in third.reasons[-1]


def test_usual_level_uses_the_28_days_up_to_the_run_and_rounds_up_for_settling() -> None:
    entries = [
        entry(D - timedelta(days=29), PainWhen.REST_DAY, 9),  # outside the window
        entry(D - timedelta(days=28), PainWhen.REST_DAY, 1),
        entry(D - timedelta(days=1), PainWhen.BEFORE, 2),
        entry(D, PainWhen.AFTER, 3, activity_id=7),  # after/next-morning never count
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 2),
    ]
    assert PAIN_RULES.baseline_window_days == 28
    assert usual_level(entries, on=D) == 1.5
    result = check_run(RunRef(7, D), entries)
    assert result.settled == "yes"  # 2 <= ceil(1.5)
    worse = [*entries[:-1], entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 3)]
    assert check_run(RunRef(7, D), worse).settled == "no"


def test_without_a_usual_level_settled_means_back_in_the_safe_zone() -> None:
    two = [entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 2)]
    three = [entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 3)]
    assert check_run(RunRef(1, D), two).settled == "yes"
    result = check_run(RunRef(1, D), three)
    assert result.usual_level is None and result.settled == "no"
    assert "not known yet" in result.reasons[-1]


def test_pain_above_5_after_a_run_is_outside_even_before_the_next_morning() -> None:
    result = check_run(RunRef(1, D), [entry(D, PainWhen.AFTER, 7, activity_id=1)])
    assert result.after_zone == "too-much"
    assert result.verdict == "outside"


def test_unlinked_entries_are_not_guessed_on_a_two_run_day() -> None:
    runs = [RunRef(1, D), RunRef(2, D)]
    entries = [entry(D, PainWhen.DURING, 7)]
    assert all(c.during is None for c in check_runs(runs, entries))


def test_next_morning_score_takes_the_worst_unlinked_or_linked_entry() -> None:
    entries = [
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 2),
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 4, activity_id=1),
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 9, activity_id=99),  # another run
    ]
    assert next_morning_score(RunRef(1, D), entries) == 4


def test_weekly_morning_trend_hand_computed() -> None:
    s = (PainFeel.STIFFNESS,)
    entries = [
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 2, feels=s),
        entry(D + timedelta(days=3), PainWhen.NEXT_MORNING, 3),
        entry(D + timedelta(days=8), PainWhen.NEXT_MORNING, 4, feels=s),
        entry(D + timedelta(days=10), PainWhen.NEXT_MORNING, 3, feels=s),
        entry(D + timedelta(days=22), PainWhen.NEXT_MORNING, 1),
        entry(D + timedelta(days=22), PainWhen.REST_DAY, 8),  # not a morning check-in
    ]
    w1, w2, w3 = weekly_morning_trend(entries)
    assert (w1.week_start, w1.mornings, w1.mean_score, w1.stiffness_share) == (D, 2, 2.5, 0.5)
    assert w1.pain_trend == "no-week-before"
    # 3.5 - 2.5 = 1.0 >= 1 point: rising; stiffness 2/2 vs 1/2: +0.5 >= 0.25: rising.
    assert (w2.mean_score, w2.stiffness_share) == (3.5, 1.0)
    assert (w2.pain_trend, w2.stiffness_trend) == ("rising", "rising")
    # The week of 17 March has no mornings, so 24 March has no week before to compare with.
    assert w3.week_start == D + timedelta(days=21)
    assert (w3.mean_score, w3.pain_trend) == (1.0, "no-week-before")


def test_weekly_trend_falling_and_steady() -> None:
    entries = [
        entry(D, PainWhen.NEXT_MORNING, 4),
        entry(D + timedelta(days=7), PainWhen.NEXT_MORNING, 3),
        entry(D + timedelta(days=14), PainWhen.NEXT_MORNING, 2),
        entry(D + timedelta(days=15), PainWhen.NEXT_MORNING, 3),
    ]
    weeks = weekly_morning_trend(entries)
    assert [w.pain_trend for w in weeks] == ["no-week-before", "falling", "steady"]


# --- the usual level leaves out flares and red-flag days (issue 13.3) ---------------------------


def test_a_flare_lasts_until_pain_is_back_at_the_level_before_it() -> None:
    entries = [
        entry(D - timedelta(days=10), PainWhen.REST_DAY, 2),
        entry(D - timedelta(days=8), PainWhen.BEFORE, 2),
        entry(D, PainWhen.AFTER, 7),  # the flare starts
        entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 5),
        entry(D + timedelta(days=2), PainWhen.REST_DAY, 4),
        entry(D + timedelta(days=4), PainWhen.REST_DAY, 2),  # back at the level before: ends
        entry(D + timedelta(days=5), PainWhen.BEFORE, 3),
    ]
    assert flare_days(entries) == {D, D + timedelta(days=1), D + timedelta(days=2)}


def test_the_usual_level_leaves_out_flare_days_red_flag_days_and_high_scores() -> None:
    entries = [
        entry(D - timedelta(days=12), PainWhen.REST_DAY, 1),
        entry(D - timedelta(days=10), PainWhen.BEFORE, 1),
        entry(D - timedelta(days=9), PainWhen.REST_DAY, 8),  # a flare on its own
        entry(D - timedelta(days=8), PainWhen.REST_DAY, 5),  # still the flare (above 1)
        entry(D - timedelta(days=7), PainWhen.REST_DAY, 1),  # settled
        entry(D - timedelta(days=5), PainWhen.REST_DAY, 4, red_flags=(RedFlag.NIGHT_PAIN,)),
        entry(D - timedelta(days=3), PainWhen.BEFORE, 2),
    ]
    assert usual_level(entries, on=D) == 1.0  # median(1, 1, 1, 2): no 8, 5 or 4


def test_without_any_calm_day_the_usual_level_is_unknown() -> None:
    entries = [entry(D - timedelta(days=2), PainWhen.REST_DAY, 7)]
    assert usual_level(entries, on=D) is None


def test_a_rest_day_check_in_the_morning_after_counts_as_the_next_morning() -> None:
    run = RunRef(1, D)
    rest = [entry(D + timedelta(days=1), PainWhen.REST_DAY, 1)]
    assert next_morning_score(run, rest) == 1
    both = [*rest, entry(D + timedelta(days=1), PainWhen.NEXT_MORNING, 3)]
    assert next_morning_score(run, both) == 3  # a real next-morning check-in comes first
    later = [entry(D + timedelta(days=2), PainWhen.REST_DAY, 1)]
    assert next_morning_score(run, later) is None
    assert check_run(run, rest).settled == "yes"
