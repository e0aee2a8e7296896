"""Training load over time: daily and weekly series, spikes, progression, ratios, recovery.

Input is a sequence of :class:`SessionSummary` records (one per activity, small and frozen);
:func:`compute_load_report` turns them into a :class:`LoadReport`. All series run over a
contiguous index of the athlete's *local* dates, from the first session (or the start of the
report window, if earlier) to ``today``; days without activity count as zero. Sessions after
``today`` are ignored. Every constant is in :class:`~backstride.domain.params.LoadParams` with
its source; ``docs/metrics.md`` explains each series in plain words.

The acute:chronic load ratios are context only: they are contested (Lolli 2019,
Impellizzeri 2020; EVIDENCE 1) and must never block a session. See :data:`LOAD_RATIO_CAVEAT`.

numpy is imported inside the functions that compute with arrays: the day's answer
(``backstride today``) imports this module for its records only and computes the same report
in plain Python (:mod:`backstride.domain.quick_load`), without paying for numpy's import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from backstride.domain.activity import Sport
from backstride.domain.evidence import cite
from backstride.domain.load_rows import (
    SPIKE_BANDS,
    Span,
    SpikeBand,
    day_rows,
    finite_or_none,
    span_of,
    week_rows,
)

# The report's records live in load_rows (shared with quick_load) and are imported from here.
from backstride.domain.load_rows import DayLoad as DayLoad
from backstride.domain.load_rows import LoadReport as LoadReport
from backstride.domain.load_rows import RunSpike as RunSpike
from backstride.domain.load_rows import WeekLoad as WeekLoad
from backstride.domain.params import DEFAULT_LOAD_PARAMS, LoadParams
from backstride.errors import InvalidInputError

if TYPE_CHECKING:
    from backstride.domain.activity import Activity
    from backstride.domain.arrays import BoolArray, FloatArray, IntArray
    from backstride.domain.metrics import ActivityAnalysis

LoadKind = Literal["srpe", "trimp", "duration"]
SportGroup = Literal["running", "other_cardio", "strength_mobility", "other"]

SPORT_GROUPS: Mapping[Sport, SportGroup] = {
    Sport.RUN: "running",
    Sport.TRAIL_RUN: "running",
    Sport.TREADMILL_RUN: "running",
    Sport.CYCLE: "other_cardio",
    Sport.SWIM: "other_cardio",
    Sport.WALK: "other_cardio",
    Sport.HIKE: "other_cardio",
    Sport.STRENGTH: "strength_mobility",
    Sport.MOBILITY: "strength_mobility",
    Sport.OTHER: "other",
}
GROUPS: tuple[SportGroup, ...] = ("running", "other_cardio", "strength_mobility", "other")

LOAD_RATIO_CAVEAT = (
    "The acute:chronic load ratio is contested: the acute week sits inside the chronic window "
    f"({cite('lolli-2019')}) and random denominators predict injuries as well "
    f"({cite('impellizzeri-2020')}). "
    "It is shown as context only, never as a reason to skip or cut a session."
)

_DAY_S = 86_400.0


# ---------------------------------------------------------------------------------------------
# Sessions


@dataclass(frozen=True, slots=True)
class SessionLoad:
    """A session's load and where it came from."""

    load: float
    kind: LoadKind


def primary_load(
    *,
    srpe: float | None,
    trimp: float | None,
    minutes: float,
    params: LoadParams = DEFAULT_LOAD_PARAMS,
) -> SessionLoad:
    """The one load figure a session contributes: sRPE, else TRIMP, else a duration estimate.

    sRPE = RPE x minutes (Foster). TRIMP = Banister's heart-rate TRIMP (Morton 1990). Without
    either: minutes x ``duration_load_per_min`` (about 0.89: Banister's TRIMP per minute at 50 %
    heart-rate reserve, a moderate effort). The kinds sit on different scales (a minute at RPE 5
    scores 5; a minute at 70 % HRR about 1.8 TRIMP); ``load_kind`` is kept so a later
    calibration per athlete can reconcile them.
    """
    if srpe is not None and math.isfinite(srpe):
        return SessionLoad(load=max(srpe, 0.0), kind="srpe")
    if trimp is not None and math.isfinite(trimp):
        return SessionLoad(load=max(trimp, 0.0), kind="trimp")
    return SessionLoad(load=max(minutes, 0.0) * params.duration_load_per_min, kind="duration")


def is_hard_session(
    *,
    rpe: float | None,
    high_intensity_min: float | None,
    params: LoadParams = DEFAULT_LOAD_PARAMS,
) -> bool:
    """Hard = RPE >= 7 ('very hard' on CR-10); without RPE, >= 10 min at >= 80 % HRR."""
    if rpe is not None:
        return rpe >= params.hard_rpe
    return high_intensity_min is not None and high_intensity_min >= params.hard_high_intensity_min


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What the load model needs to know about one activity.

    ``day`` is the athlete's local date; ``start_at`` an aware UTC datetime. ``load`` is the
    session's primary load (:func:`primary_load`) and ``load_kind`` its origin.
    """

    activity_id: int
    day: date
    start_at: datetime
    sport: Sport
    distance_m: float | None
    duration_s: float
    moving_time_s: float | None
    load: float
    load_kind: LoadKind
    hard: bool

    def __post_init__(self) -> None:
        if self.start_at.tzinfo is None:
            raise InvalidInputError("A session start must be an aware UTC datetime.")
        if not (math.isfinite(self.load) and self.load >= 0.0):
            raise InvalidInputError(f"Session load must be >= 0, got {self.load}.")
        if not (math.isfinite(self.duration_s) and self.duration_s >= 0.0):
            raise InvalidInputError(f"Session duration must be >= 0 s, got {self.duration_s}.")
        for name in ("distance_m", "moving_time_s"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0.0):
                raise InvalidInputError(f"Session {name} must be >= 0, got {value}.")

    @property
    def time_s(self) -> float:
        """Moving time when known, else the duration."""
        return self.moving_time_s if self.moving_time_s is not None else self.duration_s

    @property
    def end_at(self) -> datetime:
        return self.start_at + timedelta(seconds=self.duration_s)


def summarise_session(
    activity: Activity,
    analysis: ActivityAnalysis,
    *,
    activity_id: int,
    params: LoadParams = DEFAULT_LOAD_PARAMS,
) -> SessionSummary:
    """Build the load model's record of an analysed activity."""
    time_s = analysis.moving_time_s if analysis.moving_time_s is not None else activity.duration_s
    heart = analysis.heart
    session = primary_load(
        srpe=analysis.srpe_load,
        trimp=heart.trimp if heart is not None else None,
        minutes=time_s / 60.0,
        params=params,
    )
    return SessionSummary(
        activity_id=activity_id,
        day=activity.local_start.date(),
        start_at=activity.start_at,
        sport=activity.sport,
        distance_m=analysis.distance_m,
        duration_s=activity.duration_s,
        moving_time_s=analysis.moving_time_s,
        load=session.load,
        load_kind=session.kind,
        hard=is_hard_session(
            rpe=activity.rpe,
            high_intensity_min=heart.high_intensity_min if heart is not None else None,
            params=params,
        ),
    )


# ---------------------------------------------------------------------------------------------
# Building blocks (numpy over the day index)


def compute_ewma(values: FloatArray, *, alpha: float, initial: float | None = None) -> FloatArray:
    """Exponentially weighted moving average: y_t = y_(t-1) + alpha x (x_t - y_(t-1)).

    ``initial`` is y before the first value; None starts from the first value itself, so the
    average is a convex combination of the inputs and stays within their minimum and maximum
    (each step is clamped between y_(t-1) and x_t against rounding).
    """
    import numpy as np

    xs: list[float] = values.tolist()
    if not xs:
        return np.zeros(0)
    return np.asarray(ewma_list(xs, alpha=alpha, initial=initial), dtype=np.float64)


def ewma_list(xs: Sequence[float], *, alpha: float, initial: float | None = None) -> list[float]:
    """:func:`compute_ewma` on a list of floats (the step both implementations of the load
    report share: ``domain/quick_load.py``)."""
    if not xs:
        return []
    y = xs[0] if initial is None else initial
    out = [0.0] * len(xs)
    for i, x in enumerate(xs):
        step = y + alpha * (x - y)
        if x >= y:
            y = x if step > x else (y if step < y else step)
        else:
            y = x if step < x else (y if step > y else step)
        out[i] = y
    return out


def rolling_sum(values: FloatArray, window: int) -> FloatArray:
    """Sum over the trailing ``window`` days (today included); days before the index are 0.

    Summed window by window (no running-total subtraction), so an all-zero window is exactly 0.
    """
    import numpy as np

    padded = np.concatenate((np.zeros(window - 1), values))
    out: FloatArray = np.lib.stride_tricks.sliding_window_view(padded, window).sum(axis=1)
    return out


@dataclass(frozen=True, slots=True)
class Monotony:
    """Foster's monotony and strain per day; NaN where undefined."""

    monotony: FloatArray
    strain: FloatArray


def compute_monotony(daily_load: FloatArray, *, window: int) -> Monotony:
    """Monotony = mean / SD of the daily loads over the trailing window; strain = sum x monotony.

    Rest days count as 0 (Foster 1998). The SD is the population SD (as Runalyze's
    Monotony.php). Undefined (NaN here, None in reports) when the window has no load or the SD
    is zero (within rounding): never infinite.
    """
    import numpy as np

    padded = np.concatenate((np.zeros(window - 1), daily_load))
    view = np.lib.stride_tricks.sliding_window_view(padded, window)
    mean = view.mean(axis=1)
    sd = view.std(axis=1)
    defined = (mean > 0.0) & (sd > 1e-9 * mean)
    monotony = np.full(daily_load.size, np.nan)
    np.divide(mean, sd, out=monotony, where=defined)
    strain = np.where(defined, mean * window * monotony, np.nan)
    return Monotony(monotony=monotony, strain=strain)


def _sparse_table_max(values: FloatArray) -> FloatArray:
    """Row k holds max(values[i : i + 2**k]) (-inf past the end)."""
    import numpy as np

    n = values.size
    levels = max(int(n).bit_length(), 1)
    table = np.full((levels, n), -np.inf)
    table[0] = values
    span = 1
    for k in range(1, levels):
        table[k, : n - span] = np.maximum(table[k - 1, : n - span], table[k - 1, span:])
        table[k, n - span :] = table[k - 1, n - span :]
        span *= 2
    return table


def compute_range_max(values: FloatArray, lo: IntArray, hi: IntArray) -> FloatArray:
    """max(values[lo:hi]) for every pair, vectorised; -inf for empty ranges."""
    import numpy as np

    out = np.full(lo.size, -np.inf)
    length = hi - lo
    ok = length > 0
    if not ok.any() or values.size == 0:
        return out
    table = _sparse_table_max(values)
    k = np.zeros(lo.size, dtype=np.int64)
    k[ok] = np.floor(np.log2(length[ok])).astype(np.int64)
    # Guard the float log2 at exact powers of two.
    too_big = ok & ((np.int64(1) << k) > length)
    k[too_big] -= 1
    span = np.int64(1) << k
    out[ok] = np.maximum(table[k[ok], lo[ok]], table[k[ok], (hi - span)[ok]])
    return out


@dataclass(frozen=True, slots=True)
class Spikes:
    """Per run: longest run in the window before it, ratio and band (NaN/None when undefined)."""

    longest_prev_m: FloatArray
    ratio: FloatArray
    bands: tuple[SpikeBand | None, ...]


def compute_spikes(
    start_s: FloatArray,
    distance_m: FloatArray,
    *,
    window_s: float,
    band_edges: tuple[float, float, float] = DEFAULT_LOAD_PARAMS.spike_band_edges,
) -> Spikes:
    """Single-run spike (Frandsen 2025): distance / the longest run starting in [s - window, s).

    ``start_s`` must be sorted ascending; ``distance_m`` NaN means unknown (such a run is never
    the longest before another and gets no band). No earlier run with a distance > 0 in the
    window gives the band ``no_prior`` and no ratio. Bands: <= +10 % ``le_10``, <= +30 %
    ``10_30``, <= +100 % ``30_100``, more ``gt_100``.
    """
    import numpy as np

    lo = np.searchsorted(start_s, start_s - window_s, side="left").astype(np.int64)
    hi = np.searchsorted(start_s, start_s, side="left").astype(np.int64)
    known = np.where(np.isfinite(distance_m), distance_m, -np.inf)
    longest = compute_range_max(known, lo, hi)
    has_prior = longest > 0.0
    ratio = np.full(start_s.size, np.nan)
    np.divide(distance_m, longest, out=ratio, where=has_prior & np.isfinite(distance_m))
    band_idx = np.searchsorted(np.asarray(band_edges), ratio, side="left")
    bands: list[SpikeBand | None] = []
    for prior, r, b in zip(has_prior.tolist(), ratio.tolist(), band_idx.tolist(), strict=True):
        if not prior:
            bands.append("no_prior")
        elif r != r:  # NaN: this run's own distance is unknown
            bands.append(None)
        else:
            bands.append(SPIKE_BANDS[b])
    return Spikes(
        longest_prev_m=np.where(has_prior, longest, np.nan),
        ratio=ratio,
        bands=tuple(bands),
    )


def _shift(values: FloatArray, days: int) -> FloatArray:
    """The series ``days`` days earlier (zeros before the index)."""
    import numpy as np

    if days <= 0:
        return values.copy()
    out: FloatArray = np.concatenate((np.zeros(min(days, values.size)), values[:-days]))
    return out


def compute_days_since(mask: BoolArray) -> IntArray:
    """Days since the last day where ``mask`` is true (0 on such a day).

    The day before the index counts as true, so the first day gives 1 when false.
    """
    import numpy as np

    idx = np.arange(mask.size, dtype=np.int64)
    last = np.maximum.accumulate(np.where(mask, idx, -1))
    result: IntArray = idx - last
    return result


# ---------------------------------------------------------------------------------------------
# The report


def _shares(parts: list[FloatArray]) -> list[list[float | None]]:
    import numpy as np

    total = np.sum(parts, axis=0)
    ok = total > 0.0
    out = []
    for part in parts:
        share = np.full(total.size, np.nan)
        np.divide(part, total, out=share, where=ok)
        out.append(finite_or_none(share.tolist()))
    return out


def compute_load_report(
    sessions: Iterable[SessionSummary],
    *,
    today: date,
    weeks: int,
    params: LoadParams = DEFAULT_LOAD_PARAMS,
) -> LoadReport:
    """All load series for the last ``weeks`` ISO weeks up to and including ``today``.

    The series are computed over the whole history (so fitness and the 30-day spike have their
    past) but reported only for the window: the ISO week of ``today`` and the ``weeks - 1``
    before it, days up to ``today``.
    """
    return report_over(span_of(sessions, today=today, weeks=weeks), params)


def report_over(span: Span, params: LoadParams = DEFAULT_LOAD_PARAMS) -> LoadReport:
    """The load report over ``span`` (:func:`compute_load_report`, with numpy)."""
    import numpy as np

    weeks = span.weeks
    kept, n_days, origin = span.kept, span.n_days, span.origin
    n = len(kept)
    day_idx = np.fromiter((s.day.toordinal() - origin for s in kept), np.int64, n)
    sport_list = [s.sport for s in kept]
    is_run = np.fromiter((sp.is_run for sp in sport_list), np.bool_, n)
    group = np.fromiter((GROUPS.index(SPORT_GROUPS[sp]) for sp in sport_list), np.int64, n)
    dist = np.fromiter(
        (s.distance_m if s.distance_m is not None else np.nan for s in kept), np.float64, n
    )
    time_s = np.fromiter((s.time_s for s in kept), np.float64, n)
    load_v = np.fromiter((s.load for s in kept), np.float64, n)
    hard = np.fromiter((s.hard for s in kept), np.bool_, n)
    start_s = np.fromiter((s.start_at.timestamp() for s in kept), np.float64, n)
    end_s = start_s + np.fromiter((s.duration_s for s in kept), np.float64, n)

    def daily(weights: FloatArray | BoolArray) -> FloatArray:
        out: FloatArray = np.bincount(day_idx, weights=weights, minlength=n_days).astype(np.float64)
        return out

    run_dist_known = np.where(is_run & np.isfinite(dist), dist, 0.0)
    d_run_dist = daily(run_dist_known)
    d_run_time = daily(np.where(is_run, time_s, 0.0))
    d_load = daily(load_v)
    d_runs = daily(is_run.astype(np.float64))
    d_sessions = daily(np.ones(n))
    d_hard = daily(hard.astype(np.float64))
    d_group = [daily(np.where(group == g, time_s, 0.0)) for g in range(len(GROUPS))]
    d_non_mobility = daily(
        np.fromiter((sp is not Sport.MOBILITY for sp in sport_list), np.float64, n)
    )

    # Two-week progression (Nielsen 2014): last 14 days vs the 14 before.
    p_days = params.progression_days
    last_2w = rolling_sum(d_run_dist, p_days)
    prev_2w = _shift(last_2w, p_days)
    growth = np.full(n_days, np.nan)
    np.divide(last_2w, prev_2w, out=growth, where=prev_2w > 0.0)
    low_edge, high_edge = params.progression_band_edges
    prog_band = (growth >= 1.0 + low_edge).astype(np.int64) + (growth > 1.0 + high_edge)
    progression = growth - 1.0

    # EWMA acute and chronic load (Williams 2017), lambda = 2 / (N + 1).
    acute = compute_ewma(d_load, alpha=2.0 / (params.acute_days + 1))
    chronic = compute_ewma(d_load, alpha=2.0 / (params.chronic_days + 1))
    history_days = np.arange(n_days) - (span.first_day.toordinal() - origin)
    enough = history_days >= params.chronic_days - 1
    ratio = np.full(n_days, np.nan)
    np.divide(acute, chronic, out=ratio, where=enough & (chronic > 0.0))
    a_days, c_days = params.acute_days, params.chronic_days
    recent = rolling_sum(d_load, a_days) / a_days
    earlier = _shift(rolling_sum(d_load, c_days - a_days), a_days) / (c_days - a_days)
    uncoupled = np.full(n_days, np.nan)
    np.divide(recent, earlier, out=uncoupled, where=enough & (earlier > 0.0))

    mono = compute_monotony(d_load, window=params.monotony_days)

    # Fitness / fatigue / form: TrainingPeaks PMC (Coggan), starting from 0.
    fitness = compute_ewma(d_load, alpha=1.0 / params.fitness_days, initial=0.0)
    fatigue = compute_ewma(d_load, alpha=1.0 / params.fatigue_days, initial=0.0)
    form = np.concatenate(([0.0], (fitness - fatigue)[:-1]))

    since_rest = compute_days_since(d_non_mobility == 0.0)
    run_streak = compute_days_since(d_runs == 0.0)

    # Hours from the end of the previous hard session to the start of each hard one.
    hard_gap = np.full(n_days, np.inf)
    if hard.any():
        order = np.argsort(start_s[hard], kind="stable")
        h_start = start_s[hard][order]
        h_end = end_s[hard][order]
        h_day = day_idx[hard][order]
        gaps = np.maximum(h_start[1:] - np.maximum.accumulate(h_end)[:-1], 0.0) / 3600.0
        np.minimum.at(hard_gap, h_day[1:], gaps)

    mix = [rolling_sum(g, params.mix_days) for g in d_group]

    # ---- the window ----
    sl = slice(span.shown_from, n_days)
    days = day_rows(
        span,
        run_distance=d_run_dist[sl].tolist(),
        run_time=d_run_time[sl].tolist(),
        load=d_load[sl].tolist(),
        runs=d_runs[sl].tolist(),
        sessions=d_sessions[sl].tolist(),
        hard=d_hard[sl].tolist(),
        run_distance_14d=last_2w[sl].tolist(),
        run_distance_prev_14d=prev_2w[sl].tolist(),
        progression=progression[sl].tolist(),
        progression_band=prog_band[sl].tolist(),
        acute=acute[sl].tolist(),
        chronic=chronic[sl].tolist(),
        ratio=ratio[sl].tolist(),
        uncoupled=uncoupled[sl].tolist(),
        monotony=mono.monotony[sl].tolist(),
        strain=mono.strain[sl].tolist(),
        fitness=fitness[sl].tolist(),
        fatigue=fatigue[sl].tolist(),
        form=form[sl].tolist(),
        since_rest=since_rest[sl].tolist(),
        run_streak=run_streak[sl].tolist(),
        hard_gap=hard_gap[sl].tolist(),
        shares=_shares([m[sl] for m in mix]),
    )

    # ISO weeks (Monday-based blocks of the index, which starts on or before a Monday).
    week_of_day = (np.arange(n_days) + span.index_start.weekday()) // 7
    n_weeks = int(week_of_day[-1]) + 1

    def weekly(values: FloatArray) -> FloatArray:
        sums = np.bincount(week_of_day, weights=values, minlength=n_weeks)
        out: FloatArray = sums[-weeks:].astype(np.float64)
        return out

    w_groups = [weekly(g) for g in d_group]
    week_list = week_rows(
        span,
        run_distance=weekly(d_run_dist).tolist(),
        run_time=weekly(d_run_time).tolist(),
        total_time=np.sum(w_groups, axis=0).tolist(),
        load=weekly(d_load).tolist(),
        runs=weekly(d_runs).tolist(),
        sessions=weekly(d_sessions).tolist(),
        hard=weekly(d_hard).tolist(),
        group_time=[g.tolist() for g in w_groups],
        shares=_shares(w_groups),
    )

    shown = day_idx >= span.shown_from
    runs = _spiked_runs(kept, is_run=is_run, start_s=start_s, dist=dist, shown=shown, params=params)
    return LoadReport(today=span.today, weeks=week_list, runs=runs, days=days)


def _spiked_runs(
    kept: Sequence[SessionSummary],
    *,
    is_run: BoolArray,
    start_s: FloatArray,
    dist: FloatArray,
    shown: BoolArray | None,
    params: LoadParams,
) -> tuple[RunSpike, ...]:
    """Every run's single-run spike, computed over all runs (sorted by start); the runs whose
    session is ``shown`` (all when None) are returned, by start."""
    import numpy as np

    run_order = np.flatnonzero(is_run)
    run_order = run_order[np.argsort(start_s[run_order], kind="stable")]
    spikes = compute_spikes(
        start_s[run_order],
        dist[run_order],
        window_s=params.spike_window_days * _DAY_S,
        band_edges=params.spike_band_edges,
    )
    chosen = np.arange(len(run_order)) if shown is None else np.flatnonzero(shown[run_order])
    longest = finite_or_none(spikes.longest_prev_m[chosen].tolist())
    ratios = finite_or_none(spikes.ratio[chosen].tolist())
    return tuple(
        RunSpike(
            activity_id=kept[int(run_order[k])].activity_id,
            day=kept[int(run_order[k])].day,
            distance_m=kept[int(run_order[k])].distance_m,
            longest_prev_30d_m=longest[j],
            spike_ratio=ratios[j],
            spike_band=spikes.bands[int(k)],
        )
        for j, k in enumerate(chosen.tolist())
    )


def compute_run_spikes(
    sessions: Iterable[SessionSummary],
    *,
    today: date,
    params: LoadParams = DEFAULT_LOAD_PARAMS,
) -> tuple[RunSpike, ...]:
    """Every run up to ``today`` with its single-run spike: the ``runs`` of a
    :func:`compute_load_report` whose window covers the whole history, without computing the
    daily and weekly series (a run's spike depends only on the runs before it)."""
    import numpy as np

    kept = [s for s in sessions if s.day <= today]
    n = len(kept)
    is_run = np.fromiter((s.sport.is_run for s in kept), np.bool_, n)
    dist = np.fromiter(
        (s.distance_m if s.distance_m is not None else np.nan for s in kept), np.float64, n
    )
    start_s = np.fromiter((s.start_at.timestamp() for s in kept), np.float64, n)
    return _spiked_runs(kept, is_run=is_run, start_s=start_s, dist=dist, shown=None, params=params)
