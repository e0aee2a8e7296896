"""The indexed :func:`check_runs` against the reference: :func:`check_run` run by run.

:func:`check_run`, :func:`usual_level` and :func:`flare_days` are the straightforward
implementations of the pain rules; :func:`check_runs` answers the same from entries indexed
once. These properties pin the two together on random diaries and random rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.domain.pain import (
    PAIN_RULES,
    PainEntry,
    PainRules,
    PainWhen,
    RedFlag,
    RunPainCheck,
    RunRef,
    check_run,
    check_runs,
    flare_days,
    usual_level,
)
from backstride.domain.pain.monitoring import _Diary, _flare_days_indexed

START = date(2026, 3, 2)
SPAN_DAYS = 70
ACTIVITY_IDS = (1, 2, 3, 4, 5, 6)
FLAG = (RedFlag.NIGHT_PAIN,)


def reference_check_runs(
    runs: Sequence[RunRef], entries: Sequence[PainEntry], *, rules: PainRules = PAIN_RULES
) -> tuple[RunPainCheck, ...]:
    """The rules applied run by run, each run scanning every entry (the reference)."""
    per_day: dict[date, int] = {}
    for run in runs:
        per_day[run.day] = per_day.get(run.day, 0) + 1
    return tuple(
        check_run(run, entries, only_run_that_day=per_day[run.day] == 1, rules=rules)
        for run in sorted(runs, key=lambda r: (r.day, r.activity_id))
    )


@st.composite
def entries(draw: st.DrawFn) -> PainEntry:
    when = draw(st.sampled_from(list(PainWhen)))
    linked = when is not PainWhen.REST_DAY and draw(st.booleans())
    flags = draw(st.sampled_from([(), (), (), (), (RedFlag.NIGHT_PAIN,), (RedFlag.FEVER,)]))
    return PainEntry(
        day=START + timedelta(days=draw(st.integers(0, SPAN_DAYS))),
        when=when,
        # calm scores are common, high ones frequent enough for flares to start and end
        score=draw(st.one_of(st.integers(0, 3), st.integers(0, 10))),
        red_flags=flags,
        activity_id=draw(st.sampled_from(ACTIVITY_IDS)) if linked else None,
    )


# several runs on one day are likely: few days, few ids
runs = st.lists(
    st.builds(
        RunRef,
        activity_id=st.sampled_from(ACTIVITY_IDS),
        day=st.integers(0, SPAN_DAYS).map(lambda n: START + timedelta(days=n)),
    ),
    max_size=12,
    unique_by=lambda r: r.activity_id,
)


@st.composite
def rule_sets(draw: st.DrawFn) -> PainRules:
    safe = draw(st.integers(0, 4))
    return PainRules(
        safe_max=safe,
        acceptable_max=draw(st.integers(safe, 9)),
        baseline_window_days=draw(st.integers(1, 40)),
    )


diaries = st.lists(entries(), max_size=120)
any_rules = st.one_of(st.just(PAIN_RULES), rule_sets())
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(diary=diaries, refs=runs, rules=any_rules)
def test_check_runs_equals_check_run_run_by_run(
    diary: list[PainEntry], refs: list[RunRef], rules: PainRules
) -> None:
    assert check_runs(refs, diary, rules=rules) == reference_check_runs(refs, diary, rules=rules)


@SETTINGS
@given(diary=diaries, rules=any_rules)
def test_indexed_flare_days_equal_flare_days(diary: list[PainEntry], rules: PainRules) -> None:
    assert _flare_days_indexed(diary, rules) == flare_days(diary, rules=rules)


@SETTINGS
@given(diary=diaries, rules=any_rules, cut=st.integers(-1, SPAN_DAYS + 1))
def test_flare_days_are_causal(diary: list[PainEntry], rules: PainRules, cut: int) -> None:
    """Later entries never change which earlier days were a flare: the premise of computing
    the flares once for every run."""
    until = START + timedelta(days=cut)
    whole = flare_days(diary, rules=rules)
    cut_off = flare_days([e for e in diary if e.day <= until], rules=rules)
    assert cut_off == {d for d in whole if d <= until}


@SETTINGS
@given(diary=diaries, rules=any_rules)
def test_indexed_usual_level_equals_usual_level_on_every_day(
    diary: list[PainEntry], rules: PainRules
) -> None:
    indexed = _Diary(diary, rules)
    for n in range(-1, SPAN_DAYS + rules.baseline_window_days + 2):
        on = START + timedelta(days=n)
        assert indexed.usual_level(on) == usual_level(diary, on=on, rules=rules), on


def test_check_runs_on_a_diary_with_a_flare_two_runs_a_day_and_linked_entries() -> None:
    """Values by hand: the flare days 10-11 stay out of the usual level, unlinked entries count
    only for the single run of its day, a linked entry follows its run."""
    d = START
    diary = [
        PainEntry(day=d, when=PainWhen.REST_DAY, score=1),
        PainEntry(day=d + timedelta(days=1), when=PainWhen.REST_DAY, score=3),
        PainEntry(day=d + timedelta(days=10), when=PainWhen.REST_DAY, score=7),  # flare
        PainEntry(day=d + timedelta(days=11), when=PainWhen.REST_DAY, score=5),  # still above 2
        PainEntry(day=d + timedelta(days=12), when=PainWhen.REST_DAY, score=2),  # over
        # day 14: two runs; the unlinked "during" belongs to neither, the linked one to run 2
        PainEntry(day=d + timedelta(days=14), when=PainWhen.DURING, score=9),
        PainEntry(day=d + timedelta(days=14), when=PainWhen.AFTER, score=4, activity_id=2),
        PainEntry(day=d + timedelta(days=15), when=PainWhen.NEXT_MORNING, score=3),
        # day 20: one run; its unlinked "during" counts; rest-day next morning stands in
        PainEntry(day=d + timedelta(days=20), when=PainWhen.DURING, score=6),
        PainEntry(day=d + timedelta(days=21), when=PainWhen.REST_DAY, score=2),
    ]
    refs = [
        RunRef(2, d + timedelta(days=14)),
        RunRef(1, d + timedelta(days=14)),
        RunRef(3, d + timedelta(days=20)),
    ]
    one, two, three = check_runs(refs, diary)
    assert (one.activity_id, one.during, one.after, one.next_morning) == (1, None, None, 3)
    assert (two.activity_id, two.during, two.after, two.next_morning) == (2, None, 4, 3)
    # usual level: rest-day scores 1, 3, 2 (days 10 and 11 are the flare) -> median 2
    assert one.usual_level == two.usual_level == 2.0
    assert (one.settled, one.verdict) == ("no", "outside")
    assert (three.during, three.during_zone, three.next_morning) == (6, "too-much", 2)
    assert three.usual_level == 2.0  # days 0-20 are in its 28 days: again 1, 3, 2
    assert three.verdict == "outside"
    assert check_runs(refs, diary) == reference_check_runs(refs, diary)


def test_a_red_flag_entry_stays_out_of_a_flares_baseline_in_check_runs() -> None:
    """The flare from day 2 is measured against day 0 alone (day 1 has a red flag): limit 4,
    so day 3 (3/10) ends it and counts in the usual level, which is then median(4, 3)."""
    d = START
    diary = [
        PainEntry(day=d, when=PainWhen.REST_DAY, score=4),
        PainEntry(day=d + timedelta(days=1), when=PainWhen.REST_DAY, score=0, red_flags=FLAG),
        PainEntry(day=d + timedelta(days=2), when=PainWhen.REST_DAY, score=7),
        PainEntry(day=d + timedelta(days=3), when=PainWhen.REST_DAY, score=3),
        PainEntry(day=d + timedelta(days=4), when=PainWhen.NEXT_MORNING, score=4),
    ]
    (check,) = check_runs([RunRef(1, d + timedelta(days=3))], diary)
    assert check.usual_level == usual_level(diary, on=d + timedelta(days=3)) == 3.5
    assert (check.next_morning, check.settled) == (4, "yes")
