"""The weekly rows of the report for a professional: pain at each moment against running load,
with the weeks that held a single-run spike or a long descent marked.

Pure: takes the period, the diary and the runs, returns frozen rows. The thresholds come from
the guidance parameters in force (docs/guidance.md): a spike is a run more than
``spike_caution_ratio`` times the longest run of the 30 days before it (Frandsen 2025); a long
descent is one continuous descent dropping ``downhill_long_drop_m`` or more, or
``downhill_steep_m`` or more of steep descent in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.domain.pain import PainEntry, PainWhen
from backstride.errors import InvalidInputError

#: The moments the chart draws, in the order of a run's day.
CHART_MOMENTS: tuple[PainWhen, ...] = (
    PainWhen.BEFORE,
    PainWhen.DURING,
    PainWhen.AFTER,
    PainWhen.NEXT_MORNING,
)
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class Period:
    """The days a report covers, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInputError(
                f"The report period ends ({self.end}) before it starts ({self.start}).",
                hint="Give --from before --to.",
            )
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise InvalidInputError(
                "A report covers at most three years.", hint="Choose a shorter period."
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def week_starts(self) -> tuple[date, ...]:
        """The Mondays of the ISO weeks the period touches."""
        first = self.start - timedelta(days=self.start.weekday())
        out: list[date] = []
        day = first
        while day <= self.end:
            out.append(day)
            day += timedelta(days=7)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class RunMark:
    """One run of the period, as the chart needs it."""

    day: date
    distance_m: float
    moving_time_s: float
    spike_ratio: float | None
    longest_descent_drop_m: float | None
    steep_descent_m: float | None


@dataclass(frozen=True, slots=True)
class MarkRules:
    spike_ratio: float
    long_drop_m: float
    steep_descent_m: float

    def is_spike(self, run: RunMark) -> bool:
        return run.spike_ratio is not None and run.spike_ratio > self.spike_ratio

    def is_long_descent(self, run: RunMark) -> bool:
        drop = run.longest_descent_drop_m or 0.0
        steep = run.steep_descent_m or 0.0
        return drop >= self.long_drop_m or steep >= self.steep_descent_m


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One ISO week: running distance and time, the highest pain at each moment (None when
    not recorded), and the days of its spikes and long descents."""

    start: date
    run_km: float
    run_min: float
    runs: int
    pain_high: tuple[int | None, ...]  # in CHART_MOMENTS order
    spike_days: tuple[date, ...]
    descent_days: tuple[date, ...]
    entries: int


def compute_week_rows(
    period: Period,
    *,
    pain: Iterable[PainEntry],
    runs: Iterable[RunMark],
    rules: MarkRules,
) -> tuple[WeekRow, ...]:
    """A row per ISO week the period touches; only days inside the period count."""
    starts = period.week_starts()
    index = {s: i for i, s in enumerate(starts)}
    km = [0.0] * len(starts)
    minutes = [0.0] * len(starts)
    count = [0] * len(starts)
    high: list[list[int | None]] = [[None] * len(CHART_MOMENTS) for _ in starts]
    entries = [0] * len(starts)
    spikes: list[list[date]] = [[] for _ in starts]
    descents: list[list[date]] = [[] for _ in starts]

    def week_of(day: date) -> int:
        return index[day - timedelta(days=day.weekday())]

    for run in runs:
        if not period.contains(run.day):
            continue
        w = week_of(run.day)
        km[w] += run.distance_m / 1000.0
        minutes[w] += run.moving_time_s / 60.0
        count[w] += 1
        if rules.is_spike(run):
            spikes[w].append(run.day)
        if rules.is_long_descent(run):
            descents[w].append(run.day)
    for entry in pain:
        if not period.contains(entry.day):
            continue
        w = week_of(entry.day)
        entries[w] += 1
        if entry.when in CHART_MOMENTS:
            m = CHART_MOMENTS.index(entry.when)
            current = high[w][m]
            high[w][m] = entry.score if current is None else max(current, entry.score)
    return tuple(
        WeekRow(
            start=s,
            run_km=round(km[i], 3),
            run_min=round(minutes[i], 1),
            runs=count[i],
            pain_high=tuple(high[i]),
            spike_days=tuple(sorted(set(spikes[i]))),
            descent_days=tuple(sorted(set(descents[i]))),
            entries=entries[i],
        )
        for i, s in enumerate(starts)
    )


def notable_entries(
    entries: Sequence[PainEntry], *, min_score: int, limit: int
) -> tuple[tuple[PainEntry, ...], int]:
    """The diary entries a professional should see first: red flags, leg symptoms on walking,
    or a score of ``min_score`` or more; the highest and most recent first, at most ``limit``
    (and how many more there were)."""
    chosen = [e for e in entries if e.red_flags or e.walking_leg_symptoms or e.score >= min_score]
    chosen.sort(key=lambda e: (bool(e.red_flags), e.score, e.day), reverse=True)
    kept = sorted(chosen[:limit], key=lambda e: (e.day, e.id or 0))
    return tuple(kept), max(0, len(chosen) - limit)
