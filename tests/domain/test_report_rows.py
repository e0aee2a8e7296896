"""The report's weekly rows: pain per moment against running, spikes and descents marked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backstride.domain.pain import PainEntry, PainWhen, RedFlag
from backstride.domain.report import MarkRules, Period, RunMark, compute_week_rows, notable_entries
from backstride.errors import InvalidInputError

MON = date(2026, 3, 2)
RULES = MarkRules(spike_ratio=1.1, long_drop_m=80, steep_descent_m=300)


def run(day: date, km: float, *, spike: float | None = None, drop: float | None = None) -> RunMark:
    return RunMark(day, km * 1000, km * 400, spike, drop, None)


def test_weeks_hold_distance_highest_pain_and_marks() -> None:
    period = Period(MON + timedelta(days=2), MON + timedelta(days=9))
    pain = [
        PainEntry(MON + timedelta(days=2), PainWhen.AFTER, 3),
        PainEntry(MON + timedelta(days=2), PainWhen.AFTER, 5),
        PainEntry(MON + timedelta(days=3), PainWhen.NEXT_MORNING, 2),
        PainEntry(MON + timedelta(days=4), PainWhen.REST_DAY, 7),  # not a chart moment
        PainEntry(MON, PainWhen.AFTER, 9),  # before the period
    ]
    runs = [
        run(MON + timedelta(days=2), 5, spike=1.05),
        run(MON + timedelta(days=8), 8, spike=1.6, drop=120),
        run(MON + timedelta(days=1), 20, spike=3.0),  # before the period
    ]
    rows = compute_week_rows(period, pain=pain, runs=runs, rules=RULES)
    assert [r.start for r in rows] == [MON, MON + timedelta(days=7)]
    first, second = rows
    assert (first.run_km, first.runs, first.pain_high) == (5.0, 1, (None, None, 5, 2))
    assert first.entries == 4 and first.spike_days == () and first.descent_days == ()
    assert second.spike_days == (MON + timedelta(days=8),)
    assert second.descent_days == (MON + timedelta(days=8),)
    assert second.pain_high == (None, None, None, None)


def test_period_must_run_forwards_and_stay_within_three_years() -> None:
    with pytest.raises(InvalidInputError, match="before it starts"):
        Period(MON, MON - timedelta(days=1))
    with pytest.raises(InvalidInputError, match="three years"):
        Period(MON, MON + timedelta(days=3 * 366))
    assert Period(MON, MON).days == 1


def test_notable_entries_put_red_flags_and_high_scores_first() -> None:
    entries = [
        PainEntry(MON, PainWhen.AFTER, 2),
        PainEntry(MON + timedelta(days=1), PainWhen.AFTER, 6),
        PainEntry(MON + timedelta(days=2), PainWhen.REST_DAY, 1, red_flags=(RedFlag.FEVER,)),
        PainEntry(MON + timedelta(days=3), PainWhen.AFTER, 4),
        PainEntry(MON + timedelta(days=4), PainWhen.AFTER, 1, walking_leg_symptoms=True),
    ]
    kept, more = notable_entries(entries, min_score=4, limit=2)
    assert more == 2
    assert [e.day for e in kept] == [MON + timedelta(days=1), MON + timedelta(days=2)]
