"""What the load report shows: a day's row, a week's row, the runs with their spike, and the
span of days the series run over.

Shared by the report computed with numpy (:mod:`backstride.domain.load`, the reference, used by
the Load page and ``backstride load``) and the one in plain Python that the day's answer uses
(:mod:`backstride.domain.quick_load`): both cut their series to the window and hand them here,
so the rows are built in one place. No numpy here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.domain.load import SessionSummary

SpikeBand = Literal["no_prior", "le_10", "10_30", "30_100", "gt_100"]
ProgressionBand = Literal["lt_10", "10_30", "gt_30"]

SPIKE_BANDS: tuple[SpikeBand, ...] = ("le_10", "10_30", "30_100", "gt_100")
PROGRESSION_BANDS: tuple[ProgressionBand, ...] = ("lt_10", "10_30", "gt_30")


@dataclass(frozen=True, slots=True)
class Span:
    """The days a report's series run over: from the first session kept (or the window's
    start, if earlier) to ``today``, with the window shown (the ISO week of ``today`` and the
    ``weeks - 1`` before it). Day ``i`` of a series is ``index_start + i days``."""

    today: date
    weeks: int
    window_start: date
    kept: tuple[SessionSummary, ...]
    first_day: date
    index_start: date

    @property
    def n_days(self) -> int:
        return (self.today - self.index_start).days + 1

    @property
    def origin(self) -> int:
        """The ordinal of day 0."""
        return self.index_start.toordinal()

    @property
    def shown_from(self) -> int:
        """The index of the window's first day."""
        return (self.window_start - self.index_start).days


def span_of(sessions: Iterable[SessionSummary], *, today: date, weeks: int) -> Span:
    """The span of a report over the last ``weeks`` ISO weeks up to ``today`` (sessions after
    ``today`` are left out)."""
    if weeks < 1:
        raise InvalidInputError(f"The report needs at least one week, got {weeks}.")
    window_start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    kept = tuple(s for s in sessions if s.day <= today)
    first_day = min((s.day for s in kept), default=window_start)
    return Span(today, weeks, window_start, kept, first_day, min(first_day, window_start))


def day_rows(
    span: Span,
    *,
    run_distance: Sequence[float],
    run_time: Sequence[float],
    load: Sequence[float],
    runs: Sequence[float],
    sessions: Sequence[float],
    hard: Sequence[float],
    run_distance_14d: Sequence[float],
    run_distance_prev_14d: Sequence[float],
    progression: Sequence[float],
    progression_band: Sequence[int],
    acute: Sequence[float],
    chronic: Sequence[float],
    ratio: Sequence[float],
    uncoupled: Sequence[float],
    monotony: Sequence[float],
    strain: Sequence[float],
    fitness: Sequence[float],
    fatigue: Sequence[float],
    form: Sequence[float],
    since_rest: Sequence[int],
    run_streak: Sequence[int],
    hard_gap: Sequence[float],
    shares: Sequence[list[float | None]],
) -> tuple[DayLoad, ...]:
    """The window's days, from series already cut to the window (counts as floats; NaN and
    infinity where a figure is undefined)."""
    shown_progression = finite_or_none(progression)
    bands = [
        PROGRESSION_BANDS[b] if p is not None else None
        for p, b in zip(shown_progression, progression_band, strict=True)
    ]
    first = span.shown_from
    columns: list[Sequence[Any]] = [
        [span.index_start + timedelta(days=i) for i in range(first, span.n_days)],
        run_distance,
        run_time,
        load,
        [int(v) for v in runs],
        [int(v) for v in sessions],
        [int(v) for v in hard],
        run_distance_14d,
        run_distance_prev_14d,
        shown_progression,
        bands,
        acute,
        chronic,
        finite_or_none(ratio),
        finite_or_none(uncoupled),
        finite_or_none(monotony),
        finite_or_none(strain),
        fitness,
        fatigue,
        form,
        since_rest,
        run_streak,
        finite_or_none(hard_gap),
        *shares,
    ]
    return tuple(DayLoad(*row) for row in zip(*columns, strict=True))


def week_rows(
    span: Span,
    *,
    run_distance: Sequence[float],
    run_time: Sequence[float],
    total_time: Sequence[float],
    load: Sequence[float],
    runs: Sequence[float],
    sessions: Sequence[float],
    hard: Sequence[float],
    group_time: Sequence[Sequence[float]],
    shares: Sequence[list[float | None]],
) -> tuple[WeekLoad, ...]:
    """The window's ISO weeks, from weekly totals of the window's weeks (``group_time``: time
    per sport group, in the order of ``load.GROUPS``)."""
    starts = [span.window_start + timedelta(days=7 * k) for k in range(span.weeks)]
    columns: list[Sequence[Any]] = [
        [iso_week(d) for d in starts],
        starts,
        run_distance,
        run_time,
        total_time,
        load,
        [int(v) for v in runs],
        [int(s - r) for s, r in zip(sessions, runs, strict=True)],
        [int(v) for v in hard],
        *group_time[1:],
        *shares,
    ]
    return tuple(WeekLoad(*row) for row in zip(*columns, strict=True))


@dataclass(frozen=True, slots=True)
class RunSpike:
    """One run in the report window with its single-run spike."""

    activity_id: int
    day: date
    distance_m: float | None
    longest_prev_30d_m: float | None
    spike_ratio: float | None
    spike_band: SpikeBand | None

    def to_json(self) -> dict[str, Any]:
        return {
            "activity_id": self.activity_id,
            "date": self.day.isoformat(),
            "distance_m": self.distance_m,
            "longest_prev_30d_m": self.longest_prev_30d_m,
            "spike_ratio": self.spike_ratio,
            "spike_band": self.spike_band,
        }


@dataclass(frozen=True, slots=True)
class DayLoad:
    """Every daily series for one local date. None = undefined (never NaN or infinity).

    Ratios and shares are fractions (0.25 = 25 %). ``load_ratio`` (EWMA 7/28, Williams 2017)
    and ``uncoupled_load_ratio`` (last 7 d / days 7-27 before) are contested context: see
    :data:`LOAD_RATIO_CAVEAT`. Fitness, fatigue and form follow TrainingPeaks' PMC (Coggan).
    """

    day: date
    run_distance_m: float
    run_time_s: float
    load: float
    runs: int
    sessions: int
    hard_sessions: int
    run_distance_14d_m: float
    run_distance_prev_14d_m: float
    progression: float | None
    progression_band: ProgressionBand | None
    acute_load: float
    chronic_load: float
    load_ratio: float | None
    uncoupled_load_ratio: float | None
    monotony: float | None
    strain: float | None
    fitness: float
    fatigue: float
    form: float
    days_since_rest: int
    consecutive_run_days: int
    hours_since_previous_hard: float | None
    running_share_28d: float | None
    other_cardio_share_28d: float | None
    strength_mobility_share_28d: float | None
    other_share_28d: float | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"date": self.day.isoformat()}
        for name in _DAY_FIELDS[1:]:
            out[name] = getattr(self, name)
        return out


_DAY_FIELDS: tuple[str, ...] = tuple(DayLoad.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """Totals for one ISO week (Monday to Sunday, local dates; the current week so far)."""

    week: str
    start: date
    run_distance_m: float
    run_time_s: float
    total_time_s: float
    load: float
    runs: int
    cross_training_sessions: int
    hard_sessions: int
    other_cardio_time_s: float
    strength_mobility_time_s: float
    other_time_s: float
    running_share: float | None
    other_cardio_share: float | None
    strength_mobility_share: float | None
    other_share: float | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"week": self.week, "start": self.start.isoformat()}
        for name in _WEEK_FIELDS[2:]:
            out[name] = getattr(self, name)
        return out


_WEEK_FIELDS: tuple[str, ...] = tuple(WeekLoad.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class LoadReport:
    """Load over the report window: ISO weeks, runs with their spike, and days."""

    today: date
    weeks: tuple[WeekLoad, ...]
    runs: tuple[RunSpike, ...]
    days: tuple[DayLoad, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"weeks": [...], "runs": [...], "days": [...]}``; null where undefined."""
        return {
            "weeks": [w.to_json() for w in self.weeks],
            "runs": [r.to_json() for r in self.runs],
            "days": [d.to_json() for d in self.days],
        }


def finite_or_none(values: Iterable[float]) -> list[float | None]:
    """None for NaN and infinity (the report never holds either)."""
    return [v if math.isfinite(v) else None for v in values]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
