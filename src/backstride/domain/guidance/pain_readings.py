"""What the pain rules read from the state beyond its fields: the recent runs' pain checks,
each week's median score, a run of weeks in which morning pain rose (pure functions)."""

from __future__ import annotations

import statistics
from datetime import timedelta

from backstride.domain.guidance.state import GuidanceState
from backstride.domain.pain import MorningWeek, RunPainCheck


def recent_run_checks(state: GuidanceState, days: int) -> list[RunPainCheck]:
    """The pain checks of the runs in the last ``days`` days, today included."""
    start = state.today - timedelta(days=days - 1)
    return [c for c in state.run_checks if start <= c.day <= state.today]


def weekly_median_pain(state: GuidanceState, weeks: int) -> list[float | None]:
    """Median check-in score in each of the last ``weeks`` 7-day blocks, oldest first."""
    out: list[float | None] = []
    for k in range(weeks - 1, -1, -1):
        end = state.today - timedelta(days=7 * k)
        start = end - timedelta(days=6)
        scores = [e.score for e in state.pain if start <= e.day <= end]
        out.append(float(statistics.median(scores)) if scores else None)
    return out


def rising_morning_weeks(state: GuidanceState, last: MorningWeek) -> list[MorningWeek]:
    """The weeks up to ``last`` in which the mean morning pain rose every week (oldest first,
    starting with the week before the first rise)."""
    by_start = {w.week_start: w for w in state.morning_weeks}
    run = [last]
    while True:
        prev = by_start.get(run[0].week_start - timedelta(days=7))
        if prev is None or not prev.mean_score < run[0].mean_score:
            break
        run.insert(0, prev)
    return run
