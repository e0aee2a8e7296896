"""Outcome measures: scoring, bounds, change against the minimal important change, retests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.measures import (
    INSTRUMENTS,
    Instrument,
    MeasureScore,
    compute_changes,
    format_score,
    judge_change,
    parse_instrument,
    retests_due,
    score_peg,
    score_psfs,
    score_single,
)
from backstride.errors import InvalidInputError

D = date(2026, 3, 2)


def test_peg_is_the_mean_of_its_three_answers() -> None:
    s = score_peg(pain=6, enjoyment=4, general=5)
    assert s.score == pytest.approx(5.0)
    assert [i.value for i in s.items] == [6, 4, 5]
    assert s.instrument is Instrument.PEG


@pytest.mark.parametrize("bad", [-1, 10.5, float("nan"), float("inf")])
def test_peg_answer_outside_0_to_10_is_refused(bad: float) -> None:
    with pytest.raises(InvalidInputError, match="between 0 and 10"):
        score_peg(pain=bad, enjoyment=1, general=1)


def test_psfs_is_the_mean_of_the_rated_activities() -> None:
    s = score_psfs([("Running 20 minutes", 3), ("Sitting an hour", 7)])
    assert s.score == pytest.approx(5.0)
    assert [i.label for i in s.items] == ["Running 20 minutes", "Sitting an hour"]


def test_psfs_needs_one_to_five_named_activities() -> None:
    with pytest.raises(InvalidInputError, match="at least one"):
        score_psfs([])
    with pytest.raises(InvalidInputError, match="at most 5"):
        score_psfs([(f"a{i}", 5) for i in range(6)])
    with pytest.raises(InvalidInputError, match="needs a name"):
        score_psfs([("  ", 5)])


def test_walking_test_takes_0_to_30_minutes() -> None:
    assert score_single(Instrument.WALK, 30).score == 30
    with pytest.raises(InvalidInputError, match="0 to 30 min"):
        score_single(Instrument.WALK, 31)
    assert format_score(Instrument.WALK, 30) == "30 min (no symptom)"
    assert format_score(Instrument.WALK, 12.5) == "12.5 min"


def test_a_recorded_score_needs_its_questionnaire_name() -> None:
    with pytest.raises(InvalidInputError, match="name of its questionnaire"):
        score_single(Instrument.RECORDED, 22)
    s = score_single(Instrument.RECORDED, 22, name="  Oswestry   Disability Index ")
    assert s.name == "Oswestry Disability Index"


def test_unknown_instrument_names_the_known_ones() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_instrument("oswestry")
    assert "peg" in (info.value.hint or "")


def test_pain_change_counts_two_points_or_thirty_percent() -> None:
    spec = INSTRUMENTS[Instrument.PAIN]
    assert judge_change(spec, 6, 4) == "better"  # 2 points
    assert judge_change(spec, 3, 2) == "better"  # 1 point is 33 % of 3
    assert judge_change(spec, 8, 7) == "no important change"  # 1 point, 12.5 %
    assert judge_change(spec, 2, 4) == "worse"


def test_psfs_higher_is_better_and_walk_has_no_threshold() -> None:
    assert judge_change(INSTRUMENTS[Instrument.PSFS], 3, 4.3) == "better"
    assert judge_change(INSTRUMENTS[Instrument.PSFS], 3, 4.2) == "no important change"
    assert judge_change(INSTRUMENTS[Instrument.WALK], 8, 14) == "changed"


@given(
    first=st.floats(0, 10, allow_nan=False),
    last=st.floats(0, 10, allow_nan=False),
    instrument=st.sampled_from([Instrument.PAIN, Instrument.PEG, Instrument.PSFS]),
)
def test_swapping_first_and_last_swaps_better_and_worse(
    first: float, last: float, instrument: Instrument
) -> None:
    spec = INSTRUMENTS[instrument]
    there, back = judge_change(spec, first, last), judge_change(spec, last, first)
    if instrument is Instrument.PAIN:
        # The 30 % share depends on the first score, so only the direction is symmetric.
        assert not (there == "better" and back == "better")
        assert not (there == "worse" and back == "worse")
    else:
        swap = {"better": "worse", "worse": "better", "no important change": "no important change"}
        assert back == swap[there]


def _s(day: date, instrument: Instrument, score: float, name: str | None = None) -> MeasureScore:
    return MeasureScore(day, instrument, score, name=name)


def test_changes_compare_first_and_last_in_the_period_per_measure() -> None:
    scores = [
        _s(D, Instrument.PEG, 6.0),
        _s(D + timedelta(days=28), Instrument.PEG, 5.5),
        _s(D + timedelta(days=56), Instrument.PEG, 4.0),
        _s(D, Instrument.WALK, 8.0),
        _s(D, Instrument.RECORDED, 30, "Oswestry"),
        _s(D + timedelta(days=30), Instrument.RECORDED, 20, "oswestry"),
    ]
    changes = compute_changes(scores)
    assert [c.instrument for c in changes] == [Instrument.PEG, Instrument.WALK, Instrument.RECORDED]
    peg = changes[0]
    assert (peg.first.score, peg.last.score, peg.count) == (6.0, 4.0, 3)
    assert peg.change == pytest.approx(-2.0)
    assert peg.verdict == "better"
    assert changes[1].verdict == "one score"
    assert changes[2].count == 2 and changes[2].verdict == "changed"
    later = compute_changes(scores, since=D + timedelta(days=1))
    assert [c.instrument for c in later] == [Instrument.PEG, Instrument.RECORDED]
    assert later[0].first.score == 5.5


def test_retest_is_due_four_weeks_after_the_last_score() -> None:
    scores = [_s(D, Instrument.PEG, 5), _s(D + timedelta(days=10), Instrument.WALK, 9)]
    assert retests_due(scores, today=D + timedelta(days=27)) == ()
    due = retests_due(scores, today=D + timedelta(days=28))
    assert [(r.instrument, r.due_on) for r in due] == [(Instrument.PEG, D + timedelta(days=28))]
    assert due[0].overdue_days(D + timedelta(days=30)) == 2
    # A later score resets the clock; clinician-recorded scores never ask for a retest.
    again = [*scores, _s(D + timedelta(days=20), Instrument.PEG, 4)]
    assert [r.instrument for r in retests_due(again, today=D + timedelta(days=40))] == [
        Instrument.WALK
    ]
    assert retests_due([_s(D, Instrument.RECORDED, 1, "x")], today=D + timedelta(days=90)) == ()
    with pytest.raises(InvalidInputError):
        retests_due(scores, today=D, every_days=0)
