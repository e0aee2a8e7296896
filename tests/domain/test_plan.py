"""The plan's schedules, calendar and adaptation to pain (pure; Hypothesis for invariants)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.pain import PainEntry, PainFeel, PainWhen, RunPainCheck
from backstride.domain.plan import (
    FIVE_K_STANDARD,
    FIVE_K_STENOSIS,
    PLACEMENT_WINDOW_DAYS,
    SCHEDULES,
    TEN_K_STANDARD,
    TEN_K_STENOSIS,
    Block,
    BlockKind,
    DayKind,
    Goal,
    Outcome,
    PauseState,
    PlanSpec,
    PlanWeek,
    RecentRun,
    SessionFact,
    Variant,
    calendar,
    day_plan,
    describe_blocks,
    easier_session,
    first_week,
    interrupt,
    judge_session,
    morning_rise,
    parse_days,
    parse_goal,
    parse_variant,
    place,
    project,
    settle,
    week_longest_run_s,
    week_roles,
)
from backstride.errors import InvalidInputError

MONDAY = date(2025, 1, 6)
VALID_DAYS = [
    combo
    for combo in itertools.combinations(range(7), 3)
    if all((d + 1) % 7 not in combo for d in combo)
]


def check(day: date, *, during: int = 1, morning: int | None = 0) -> RunPainCheck:
    too_much = during > 5
    if too_much:
        verdict, settled = "outside", "yes" if morning is not None else "not-known-yet"
    elif morning is None:
        verdict, settled = "not-known-yet", "not-known-yet"
    elif morning > 2:
        verdict, settled = "outside", "no"
    else:
        verdict, settled = "within", "yes"
    reasons: list[str] = []
    if too_much:
        reasons.append(f"Pain during the run was {during}/10, above 5: too much.")
    if settled == "no":
        reasons.append(f"Next morning pain was {morning}/10, above the safe zone: not settled.")
    zone = "too-much" if too_much else "safe"
    return RunPainCheck(
        0, day, None, during, zone, None, None, morning, None,  # type: ignore[arg-type]
        settled, verdict, tuple(reasons),  # type: ignore[arg-type]
    )  # fmt: skip


def fact(day: date, kind: str) -> SessionFact:
    if kind == "green":
        return SessionFact(day, done=True, check=check(day))
    if kind == "no-morning":
        return SessionFact(day, done=True, check=check(day, morning=None))
    if kind == "skip":
        return SessionFact(day, skipped=True, reason="busy")
    if kind == "red-during":
        return SessionFact(day, done=True, check=check(day, during=7))
    if kind == "red-morning":
        return SessionFact(day, done=True, check=check(day, morning=6))
    return SessionFact(day)


def spec(days: tuple[int, ...] = (0, 2, 5), variant: Variant = Variant.STANDARD) -> PlanSpec:
    return PlanSpec(Goal.FIVE_K, variant, days, MONDAY)


# --- schedules ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(SCHEDULES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_session_has_a_sane_total_time(key: tuple[Goal, Variant]) -> None:
    for week in SCHEDULES[key]:
        assert len(week.sessions) == 3
        for session in week.sessions:
            assert 15 * 60 <= session.main_s <= 65 * 60
            assert 35 * 60 <= session.total_s <= 95 * 60
            assert all(b.seconds > 0 for b in session.blocks)


def test_five_k_goes_from_short_intervals_to_thirty_minutes_in_nine_weeks() -> None:
    assert len(FIVE_K_STANDARD) == 9
    first = FIVE_K_STANDARD[0].sessions[0]
    assert first.longest_run_s == 60 and first.seconds_of(BlockKind.WALK) > 0
    assert all(s.blocks == (Block(BlockKind.RUN, 1800),) for s in FIVE_K_STANDARD[-1].sessions)


@pytest.mark.parametrize("schedule", [FIVE_K_STANDARD, FIVE_K_STENOSIS], ids=["std", "lss"])
def test_five_k_running_time_grows_by_at_most_a_third_a_week(schedule: tuple) -> None:  # type: ignore[type-arg]
    previous = 0
    for week in schedule:
        for session in week.sessions:
            if previous:
                assert session.run_s <= previous * 1.34 + 60
        previous = max(s.run_s for s in week.sessions)


@pytest.mark.parametrize("schedule", [TEN_K_STANDARD, TEN_K_STENOSIS], ids=["std", "lss"])
def test_ten_k_long_run_grows_about_ten_percent_over_the_longest_in_30_days(
    schedule: tuple,  # type: ignore[type-arg]
) -> None:
    history = [1800] * 4  # the finished 5K: 30 minutes
    for week in schedule:
        longest_30d = max(history[-4:])
        for session in week.sessions:
            assert session.run_s <= longest_30d * 1.10 + 1
        history.append(max(s.run_s for s in week.sessions))


def test_stenosis_variant_starts_with_walking_and_cycling_and_is_slower() -> None:
    first = FIVE_K_STENOSIS[0].sessions[0]
    assert first.seconds_of(BlockKind.CYCLE) > 0 and first.seconds_of(BlockKind.WALK) > 0
    assert first.run_s == 0
    assert len(FIVE_K_STENOSIS) > len(FIVE_K_STANDARD)
    assert len(TEN_K_STENOSIS) > len(TEN_K_STANDARD)
    assert all(s.note and "downhill" in s.note for w in FIVE_K_STENOSIS for s in w.sessions)


def test_blocks_are_described_compactly() -> None:
    assert describe_blocks(FIVE_K_STANDARD[0].sessions[0].blocks) == "8 x (run 1 min, walk 90 s)"
    assert describe_blocks(FIVE_K_STENOSIS[0].sessions[0].blocks) == (
        "cycle 10 min, then 5 x (walk 2 min, sit or lean forward 1 min)"
    )
    assert describe_blocks((Block(BlockKind.RUN, 150),)) == "run 2 min 30 s"


# --- days ---------------------------------------------------------------------------------------


@given(st.sets(st.integers(0, 6), min_size=3, max_size=3))
def test_days_are_accepted_exactly_when_no_two_are_consecutive(chosen: set[int]) -> None:
    names = ",".join(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d] for d in chosen)
    ok = all((d + 1) % 7 not in chosen for d in chosen)
    if ok:
        assert parse_days(names) == tuple(sorted(chosen))
    else:
        with pytest.raises(InvalidInputError, match="consecutive"):
            parse_days(names)


def test_days_parse_names_and_refuse_nonsense() -> None:
    assert parse_days("Monday, wed ,Sat") == (0, 2, 5)
    assert parse_days(["tue", "thu", "sat"]) == (1, 3, 5)
    with pytest.raises(InvalidInputError, match="not a day"):
        parse_days("mon,wed,funday")
    with pytest.raises(InvalidInputError, match="twice"):
        parse_days("mon,mon,wed")
    with pytest.raises(InvalidInputError, match="3 run days"):
        parse_days("mon,wed,fri,sun")
    assert parse_goal("5K") is Goal.FIVE_K
    assert parse_variant("Stenosis") is Variant.STENOSIS
    with pytest.raises(InvalidInputError):
        parse_goal("marathon")
    with pytest.raises(InvalidInputError):
        parse_variant("fast")


@pytest.mark.parametrize("days", VALID_DAYS)
def test_each_week_has_three_runs_strength_cross_training_and_two_rest_days(
    days: tuple[int, ...],
) -> None:
    roles = list(week_roles(days).values())
    assert roles.count(DayKind.RUN) == 3
    assert roles.count(DayKind.STRENGTH) == 1
    assert roles.count(DayKind.CROSS_TRAIN) == 1
    assert roles.count(DayKind.REST) >= 2


# --- judging sessions --------------------------------------------------------------------------


def test_session_lights() -> None:
    d = MONDAY
    assert judge_session(fact(d, "green"), on=d + timedelta(2)).light == "green"
    assert judge_session(fact(d, "no-morning"), on=d + timedelta(1)).light == "pending"
    assert judge_session(fact(d, "no-morning"), on=d + timedelta(2)).light == "amber"
    assert judge_session(fact(d, "skip"), on=d).light == "amber"
    assert judge_session(fact(d, "none"), on=d).light == "pending"
    assert judge_session(fact(d, "none"), on=d + timedelta(1)).light == "amber"
    red = judge_session(fact(d, "red-during"), on=d)
    assert red.light == "red" and red.detected_on == d and "7/10" in red.reasons[0]
    assert judge_session(fact(d, "red-morning"), on=d).light == "pending"
    late = judge_session(fact(d, "red-morning"), on=d + timedelta(1))
    assert late.light == "red" and late.detected_on == d + timedelta(1)


def test_rising_morning_pain_or_stiffness_is_found() -> None:
    def entry(day: date, score: int, stiff: bool = False) -> PainEntry:
        feels = (PainFeel.STIFFNESS,) if stiff else ()
        return PainEntry(day=day, when=PainWhen.NEXT_MORNING, score=score, feels=feels)

    before = [entry(MONDAY - timedelta(5), 1), entry(MONDAY - timedelta(2), 1)]
    rising = [entry(MONDAY + timedelta(1), 3), entry(MONDAY + timedelta(3), 2)]
    reasons = morning_rise(before + rising, start=MONDAY, end=MONDAY + timedelta(7))
    assert reasons and "Morning pain rose" in reasons[0]
    steady = [entry(MONDAY + timedelta(1), 1)]
    assert morning_rise(before + steady, start=MONDAY, end=MONDAY + timedelta(7)) == ()
    stiff = [entry(MONDAY + timedelta(1), 1, True), entry(MONDAY + timedelta(3), 1, True)]
    assert "stiffness" in morning_rise(before + stiff, start=MONDAY, end=MONDAY + timedelta(7))[0]
    assert morning_rise(rising, start=MONDAY, end=MONDAY + timedelta(7)) == ()


# --- settling ------------------------------------------------------------------------------------


def run_all(
    s: PlanSpec, kinds: Mapping[date, str], *, until: date, daily: bool = False
) -> tuple[PlanWeek, ...]:
    weeks: tuple[PlanWeek, ...] = (first_week(s),)
    days = (
        [until]
        if not daily
        else [s.start_on + timedelta(k) for k in range((until - s.start_on).days + 1)]
    )
    for day in days:
        weeks = settle(
            s, weeks, facts=lambda d: fact(d, kinds.get(d, "green")), mornings=(), until=day
        ).weeks
    return weeks


def test_smooth_weeks_advance_and_finish_after_nine() -> None:
    s = spec()
    progress = settle(
        s, (first_week(s),), facts=lambda d: fact(d, "green"), mornings=(), until=date(2025, 6, 1)
    )
    assert [w.template_week for w in progress.weeks] == list(range(1, 10))
    assert [w.outcome for w in progress.weeks] == [Outcome.ADVANCE] * 8 + [Outcome.FINISHED]
    assert progress.finished_on == MONDAY + timedelta(weeks=9)
    assert project(s, progress.weeks) == ()


def test_a_week_is_decided_only_after_the_morning_after_its_last_run() -> None:
    s = spec()
    sunday = MONDAY + timedelta(6)
    weeks = run_all(s, {}, until=sunday)
    assert not weeks[0].settled
    weeks = run_all(s, {}, until=sunday + timedelta(1))
    assert weeks[0].outcome is Outcome.ADVANCE


def test_amber_session_repeats_the_week() -> None:
    s = spec()
    weeks = run_all(s, {MONDAY + timedelta(2): "no-morning"}, until=MONDAY + timedelta(8))
    assert weeks[0].outcome is Outcome.REPEAT
    assert weeks[1].template_week == 1
    assert any("next-morning" in r for r in weeks[0].reasons)


def test_red_session_steps_back_and_makes_the_next_run_day_a_rest_day() -> None:
    s = spec()
    red_day = MONDAY + timedelta(weeks=1, days=2)  # Wednesday of week 2
    weeks = run_all(s, {red_day: "red-during"}, until=red_day)
    assert [w.template_week for w in weeks] == [1, 2, 1]
    stepped = weeks[1]
    assert stepped.outcome is Outcome.STEP_BACK and stepped.cut_on == red_day
    assert stepped.rest_day_on == red_day + timedelta(3)  # Saturday
    assert weeks[2].starts_on == red_day + timedelta(4)
    assert day_plan(s, weeks, stepped.rest_day_on).kind is DayKind.INSERTED_REST
    assert day_plan(s, weeks, red_day + timedelta(1)).kind is DayKind.REST


def test_red_in_week_one_starts_week_one_again() -> None:
    s = spec()
    weeks = run_all(s, {MONDAY: "red-morning"}, until=MONDAY + timedelta(1))
    assert weeks[0].outcome is Outcome.STEP_BACK and weeks[1].template_week == 1
    assert any("no earlier week" in r for r in weeks[0].reasons)


def test_pause_repeats_short_and_steps_back_long() -> None:
    s = spec()
    weeks = run_all(s, {}, until=MONDAY + timedelta(weeks=2, days=1))
    assert weeks[-1].template_week == 3
    short = interrupt(
        s, weeks, paused_from=MONDAY + timedelta(weeks=2, days=3),
        resume_on=MONDAY + timedelta(weeks=2, days=8), why="a cold",
    )  # fmt: skip
    assert short.weeks[-2].outcome is Outcome.REPEAT and short.weeks[-1].template_week == 3
    long = interrupt(
        s, weeks, paused_from=MONDAY + timedelta(weeks=2, days=3),
        resume_on=MONDAY + timedelta(weeks=5), why="travel",
    )  # fmt: skip
    assert long.weeks[-2].outcome is Outcome.STEP_BACK and long.weeks[-1].template_week == 2
    assert day_plan(s, long.weeks, MONDAY + timedelta(weeks=3)).kind is DayKind.PAUSED


def test_a_short_pause_for_safety_steps_back_one_week() -> None:
    s = spec()
    weeks = run_all(s, {}, until=MONDAY + timedelta(weeks=2, days=1))
    after_flag = interrupt(
        s, weeks, paused_from=MONDAY + timedelta(weeks=2, days=3),
        resume_on=MONDAY + timedelta(weeks=2, days=6), why="the safety check is clear again.",
        step_back=True,
    )  # fmt: skip
    assert after_flag.weeks[-2].outcome is Outcome.STEP_BACK
    assert after_flag.weeks[-1].template_week == 2
    assert any("one step back" in r for r in after_flag.weeks[-2].reasons)


def test_a_held_plan_repeats_good_weeks_instead_of_building_up() -> None:
    s = spec()
    progress = settle(
        s, (first_week(s),), facts=lambda d: fact(d, "green"), mornings=(),
        until=MONDAY + timedelta(weeks=3, days=1), hold="no build-up during a pregnancy.",
    )  # fmt: skip
    assert [w.template_week for w in progress.weeks] == [1, 1, 1, 1]
    assert all(w.outcome is Outcome.REPEAT for w in progress.weeks[:-1])
    assert "no build-up during a pregnancy." in progress.weeks[0].reasons[-1]


def test_calendar_days_before_during_pause_and_after() -> None:
    s = spec()
    weeks = (first_week(s),)
    assert day_plan(s, weeks, MONDAY - timedelta(1)).kind is DayKind.BEFORE_START
    pause = PauseState(MONDAY + timedelta(3), "Paused: fever.", by_gate=True)
    assert day_plan(s, weeks, MONDAY + timedelta(4), pause=pause).kind is DayKind.PAUSED
    assert day_plan(s, weeks, MONDAY + timedelta(400)).kind is DayKind.AFTER_END
    weeks_cal = calendar(s, weeks, pause=pause)
    assert weeks_cal[0].days[4].kind is DayKind.PAUSED
    assert len(weeks_cal) == 9
    cross = day_plan(s, weeks, MONDAY + timedelta(3))
    assert cross.kind is DayKind.CROSS_TRAIN and cross.cross_training == "cycling"
    assert cross.cross_minutes == 20


@pytest.mark.parametrize("key", list(SCHEDULES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_easier_session_is_about_two_thirds_and_shorter(key: tuple[Goal, Variant]) -> None:
    s = PlanSpec(key[0], key[1], (0, 2, 5), MONDAY)
    for week in s.templates:
        for index, session in enumerate(week.sessions, start=1):
            easy = easier_session(s, week.number, index)
            assert easy.main_s < session.main_s
            assert easy.main_s >= session.main_s // 2 or easy.main_s >= 10 * 60
            assert easy.run_s <= session.run_s
            if session.run_s:
                assert easy.run_s < session.run_s
    if key == (Goal.FIVE_K, Variant.STANDARD):
        assert describe_blocks(easier_session(s, 9, 1).blocks) == "run 20 min"


outcome_kinds = st.sampled_from(
    ["green", "green", "green", "no-morning", "skip", "red-during", "red-morning", "none"]
)


@settings(max_examples=60, deadline=None)
@given(
    days=st.sampled_from(VALID_DAYS),
    variant=st.sampled_from(list(Variant)),
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    kinds=st.lists(outcome_kinds, min_size=40, max_size=40),
    span_days=st.integers(7, 120),
)
def test_adapted_calendars_keep_the_invariants(
    days: tuple[int, ...],
    variant: Variant,
    start: date,
    kinds: list[str],
    span_days: int,
) -> None:
    s = PlanSpec(Goal.FIVE_K, variant, days, start)
    run_days = [
        start + timedelta(k)
        for k in range(span_days + 7)
        if (start + timedelta(k)).weekday() in days
    ]
    plan = {d: kinds[i % len(kinds)] for i, d in enumerate(run_days)}
    until = start + timedelta(span_days)
    weeks = run_all(s, plan, until=until)
    # Deciding all at once is the same as deciding day by day (lazy settling is path-free).
    assert run_all(s, plan, until=until, daily=True) == weeks
    templates = s.templates
    assert all(1 <= w.template_week <= len(templates) for w in weeks)
    for before, after in itertools.pairwise(weeks):
        step = after.template_week - before.template_week
        expected = {
            Outcome.ADVANCE: 1,
            Outcome.REPEAT: 0,
            Outcome.STEP_BACK: -1 if before.template_week > 1 else 0,
        }[before.outcome]  # type: ignore[index]
        assert step == expected
        assert after.starts_on > (before.cut_on or before.starts_on)
    lived = [d for summary in calendar(s, weeks) for d in summary.days]
    runs = [d.day for d in lived if d.kind is DayKind.RUN]
    assert all(b - a >= timedelta(days=2) for a, b in itertools.pairwise(runs))
    for summary in calendar(s, weeks):
        if (summary.span.end - summary.span.start).days >= 7:
            rest = [d for d in summary.days if d.kind in (DayKind.REST, DayKind.INSERTED_REST)]
            assert len(rest) >= 2
        for d in summary.days:
            if d.session is not None:
                assert 35 * 60 <= d.session.total_s <= 95 * 60


def test_docs_show_every_schedule() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "plan.md").read_text("utf-8")
    for weeks in SCHEDULES.values():
        for week in weeks:
            assert week.sessions[0].describe() in docs
    assert f"({len(FIVE_K_STANDARD)} weeks)" in docs and f"({len(FIVE_K_STENOSIS)} weeks)" in docs


# --- where a plan starts (issue 13.2) ------------------------------------------------------------

PLACE_START = date(2026, 3, 2)  # a Monday


def three_a_week(weeks: int, minutes: float, *, flare_on: date | None = None) -> list[RecentRun]:
    out = []
    day = PLACE_START - timedelta(days=7 * weeks)
    while day < PLACE_START:
        if day.weekday() in (1, 3, 5):
            out.append(RecentRun(day, minutes * 60.0, minutes * 60.0 + 300.0, day == flare_on))
        day += timedelta(days=1)
    return out


def spec_of(variant: Variant = Variant.STANDARD) -> PlanSpec:
    return PlanSpec(Goal.FIVE_K, variant, (0, 2, 5), PLACE_START)


def test_no_runs_start_at_week_1() -> None:
    p = place(spec_of(), [])
    assert (p.week, p.matched_week) == (1, 1)
    assert "No runs" in p.reasons[0]


def test_eight_weeks_of_24_minute_runs_start_past_the_walk_breaks() -> None:
    p = place(spec_of(), three_a_week(8, 24.0))
    assert p.week == 7 and p.matched_week == 7  # "24 minutes of continuous running"
    assert p.runs == 12 and "12 times" in p.reasons[0] and "24 minutes" in p.reasons[0]
    stenosis = place(spec_of(Variant.STENOSIS), three_a_week(8, 24.0))
    assert stenosis.week == 14  # two thirteen-minute runs; the walk/cycle weeks are skipped
    assert all(s.run_s > 0 for s in FIVE_K_STENOSIS[stenosis.week - 1].sessions)


def test_a_flare_in_the_last_4_weeks_steps_back_one_week() -> None:
    runs = three_a_week(8, 24.0, flare_on=PLACE_START - timedelta(days=9))  # a Saturday
    p = place(spec_of(), runs)
    assert (p.matched_week, p.week) == (7, 6)
    assert "followed by pain" in p.reasons[-1]


def test_a_break_of_two_weeks_steps_back_one_week() -> None:
    runs = [r for r in three_a_week(8, 24.0) if r.day < PLACE_START - timedelta(days=15)]
    p = place(spec_of(), runs)
    assert (p.matched_week, p.week) == (7, 5)  # fewer than 2 a week, and a break: two back
    assert "fewer than 2" in p.reasons[-2] and "break of 16 days" in p.reasons[-1]


def test_fewer_runs_a_week_start_lower() -> None:
    twice = [r for r in three_a_week(4, 24.0) if r.day.weekday() != 3]
    assert place(spec_of(), twice).week == 7  # 8 runs in 4 weeks: 2 a week
    once = [r for r in twice if r.day.weekday() == 1]
    p = place(spec_of(), once)
    assert p.week == 6 and "fewer than 2" in p.reasons[-1]  # 1 a week: one back
    rare = once[-2:]  # 2 runs in 4 weeks; the gap before them is a break, too
    assert place(spec_of(), rare).week == 1


def test_runs_older_than_4_weeks_do_not_count() -> None:
    old = [
        RecentRun(PLACE_START - timedelta(days=PLACEMENT_WINDOW_DAYS + 1 + k), 1800.0, 1800.0)
        for k in range(12)
    ]
    assert place(spec_of(), old).week == 1


def test_without_a_measured_stretch_the_moving_time_counts() -> None:
    runs = [RecentRun(r.day, None, 12 * 60.0) for r in three_a_week(4, 0.0)]
    assert place(spec_of(), runs).matched_week == 5  # 10-minute runs; week 6 has 20


@given(
    minutes=st.lists(st.floats(min_value=0.0, max_value=60.0), min_size=1, max_size=20),
    variant=st.sampled_from(list(Variant)),
)
def test_placement_stays_in_the_plan_and_never_above_her_running(
    minutes: list[float], variant: Variant
) -> None:
    runs = [
        RecentRun(PLACE_START - timedelta(days=1 + 2 * k), m * 60.0, m * 60.0)
        for k, m in enumerate(minutes[:14])
    ]
    spec = spec_of(variant)
    p = place(spec, runs)
    assert 1 <= p.week <= p.matched_week <= len(spec.templates)
    if p.matched_week > 1:
        typical = p.typical_continuous_s or 0.0
        assert week_longest_run_s(spec.templates[p.matched_week - 1]) <= typical + 1e-6
    longer = place(spec, [RecentRun(r.day, (r.continuous_s or 0.0) + 60.0, None) for r in runs])
    assert longer.matched_week >= p.matched_week
