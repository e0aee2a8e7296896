"""The load report in plain Python, for the day's answer (``backstride today``).

:func:`report_over` returns exactly what :func:`backstride.domain.load.report_over` returns (the
reference, with numpy), without importing numpy: importing numpy costs more than the whole
report over the few hundred days the day reads (docs/architecture.md, "What the day reads").
Every sum is taken in the order numpy takes it (a daily total session by session, a rolling
window pairwise as numpy's ``sum`` does), so the floats are the same to the last bit;
``tests/domain/test_quick_load.py`` holds the two to it on generated histories. The span and
the rows are built by :mod:`backstride.domain.load_rows`, shared with the reference.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Any

from backstride.domain.activity import Sport
from backstride.domain.load import _DAY_S, GROUPS, SPORT_GROUPS, SessionSummary, ewma_list
from backstride.domain.load_rows import (
    SPIKE_BANDS,
    LoadReport,
    RunSpike,
    Span,
    day_rows,
    finite_or_none,
    week_rows,
)
from backstride.domain.params import DEFAULT_LOAD_PARAMS, LoadParams

_NAN = math.nan
_INF = math.inf


def _pairwise_sum(values: Sequence[float]) -> float:
    """numpy's pairwise summation of a contiguous run of float64 (``np.add.reduce``): eight
    running sums for up to 128 values, halves above."""
    n = len(values)
    if n < 8:
        total = -0.0
        for v in values:
            total += v
        return total
    if n <= 128:
        r = list(values[:8])
        i = 8
        stop = n - n % 8
        while i < stop:
            r[0] += values[i]
            r[1] += values[i + 1]
            r[2] += values[i + 2]
            r[3] += values[i + 3]
            r[4] += values[i + 4]
            r[5] += values[i + 5]
            r[6] += values[i + 6]
            r[7] += values[i + 7]
            i += 8
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            total += values[i]
            i += 1
        return total
    half = n // 2
    half -= half % 8
    return _pairwise_sum(values[:half]) + _pairwise_sum(values[half:])


def _windows(values: list[float], window: int) -> list[list[float]]:
    """The trailing ``window`` days of every day (days before the index are 0)."""
    padded = [0.0] * (window - 1) + values
    return [padded[i : i + window] for i in range(len(values))]


def _rolling_sum(values: list[float], window: int) -> list[float]:
    return [_pairwise_sum(w) for w in _windows(values, window)]


def _shift(values: list[float], days: int) -> list[float]:
    if days <= 0:
        return list(values)
    return [0.0] * min(days, len(values)) + values[:-days]


def _divide(top: list[float], bottom: list[float], ok: Iterable[bool]) -> list[float]:
    return [t / b if o else _NAN for t, b, o in zip(top, bottom, ok, strict=True)]


def _days_since(mask: list[bool]) -> list[int]:
    out = []
    last = -1
    for i, m in enumerate(mask):
        if m:
            last = i
        out.append(i - last)
    return out


def _maximum(a: float, b: float) -> float:
    """``np.maximum``: NaN wins."""
    if a != a or b != b:
        return _NAN
    return a if a >= b else b


def _minimum(a: float, b: float) -> float:
    """``np.minimum``: NaN wins."""
    if a != a or b != b:
        return _NAN
    return a if a <= b else b


def _shares(parts: list[list[float]]) -> list[list[float | None]]:
    total = [sum_in_order(col) for col in zip(*parts, strict=True)]
    return [finite_or_none(_divide(part, total, (t > 0.0 for t in total))) for part in parts]


def sum_in_order(values: Iterable[float]) -> float:
    """``np.sum(parts, axis=0)`` for one column: the parts added one after the other."""
    it = iter(values)
    total = next(it)
    for v in it:
        total += v
    return total


def _monotony(daily_load: list[float], window: int) -> tuple[list[float], list[float]]:
    monotony, strain = [], []
    for w in _windows(daily_load, window):
        mean = _pairwise_sum(w) / window
        sd = math.sqrt(_pairwise_sum([(x - mean) * (x - mean) for x in w]) / window)
        defined = mean > 0.0 and sd > 1e-9 * mean
        m = mean / sd if defined else _NAN
        monotony.append(m)
        strain.append(mean * window * m if defined else _NAN)
    return monotony, strain


def report_over(span: Span, params: LoadParams = DEFAULT_LOAD_PARAMS) -> LoadReport:
    """:func:`backstride.domain.load.report_over` in plain Python (the report over ``span``,
    from :func:`backstride.domain.load_rows.span_of`)."""
    weeks = span.weeks
    kept, n_days, origin = span.kept, span.n_days, span.origin

    day_idx = [s.day.toordinal() - origin for s in kept]
    is_run = [s.sport.is_run for s in kept]
    group = [GROUPS.index(SPORT_GROUPS[s.sport]) for s in kept]
    dist = [s.distance_m if s.distance_m is not None else _NAN for s in kept]
    time_s = [s.time_s for s in kept]
    start_s = [s.start_at.timestamp() for s in kept]
    end_s = [start + s.duration_s for start, s in zip(start_s, kept, strict=True)]

    def daily(weights: Iterable[float]) -> list[float]:
        out = [0.0] * n_days
        for i, w in zip(day_idx, weights, strict=True):
            out[i] += w
        return out

    d_run_dist = daily(
        d if r and math.isfinite(d) else 0.0 for r, d in zip(is_run, dist, strict=True)
    )
    d_run_time = daily(t if r else 0.0 for r, t in zip(is_run, time_s, strict=True))
    d_load = daily(s.load for s in kept)
    d_runs = daily(1.0 if r else 0.0 for r in is_run)
    d_sessions = daily(1.0 for _ in kept)
    d_hard = daily(1.0 if s.hard else 0.0 for s in kept)
    d_group = [
        daily(t if g == k else 0.0 for g, t in zip(group, time_s, strict=True))
        for k in range(len(GROUPS))
    ]
    d_non_mobility = daily(0.0 if s.sport is Sport.MOBILITY else 1.0 for s in kept)

    p_days = params.progression_days
    last_2w = _rolling_sum(d_run_dist, p_days)
    prev_2w = _shift(last_2w, p_days)
    growth = _divide(last_2w, prev_2w, (p > 0.0 for p in prev_2w))
    low_edge, high_edge = params.progression_band_edges
    prog_band = [int(g >= 1.0 + low_edge) + int(g > 1.0 + high_edge) for g in growth]
    progression = [g - 1.0 for g in growth]

    acute = ewma_list(d_load, alpha=2.0 / (params.acute_days + 1))
    chronic = ewma_list(d_load, alpha=2.0 / (params.chronic_days + 1))
    first = span.first_day.toordinal() - origin
    enough = [i - first >= params.chronic_days - 1 for i in range(n_days)]
    ratio = _divide(acute, chronic, (e and c > 0.0 for e, c in zip(enough, chronic, strict=True)))
    a_days, c_days = params.acute_days, params.chronic_days
    recent = [v / a_days for v in _rolling_sum(d_load, a_days)]
    earlier = [v / (c_days - a_days) for v in _shift(_rolling_sum(d_load, c_days - a_days), a_days)]
    uncoupled = _divide(
        recent, earlier, (e and v > 0.0 for e, v in zip(enough, earlier, strict=True))
    )
    monotony, strain = _monotony(d_load, params.monotony_days)

    fitness = ewma_list(d_load, alpha=1.0 / params.fitness_days, initial=0.0)
    fatigue = ewma_list(d_load, alpha=1.0 / params.fatigue_days, initial=0.0)
    form = [0.0] + [f - g for f, g in zip(fitness[:-1], fatigue[:-1], strict=True)]

    since_rest = _days_since([v == 0.0 for v in d_non_mobility])
    run_streak = _days_since([v == 0.0 for v in d_runs])

    hard_gap = [_INF] * n_days
    hard = [i for i, s in enumerate(kept) if s.hard]
    if hard:
        hard.sort(key=lambda i: start_s[i])
        latest_end = end_s[hard[0]]
        for i in hard[1:]:
            gap = _maximum(start_s[i] - latest_end, 0.0) / 3600.0
            hard_gap[day_idx[i]] = _minimum(hard_gap[day_idx[i]], gap)
            latest_end = _maximum(latest_end, end_s[i])

    mix = [_rolling_sum(g, params.mix_days) for g in d_group]

    w0 = span.shown_from
    days = day_rows(
        span,
        run_distance=d_run_dist[w0:],
        run_time=d_run_time[w0:],
        load=d_load[w0:],
        runs=d_runs[w0:],
        sessions=d_sessions[w0:],
        hard=d_hard[w0:],
        run_distance_14d=last_2w[w0:],
        run_distance_prev_14d=prev_2w[w0:],
        progression=progression[w0:],
        progression_band=prog_band[w0:],
        acute=acute[w0:],
        chronic=chronic[w0:],
        ratio=ratio[w0:],
        uncoupled=uncoupled[w0:],
        monotony=monotony[w0:],
        strain=strain[w0:],
        fitness=fitness[w0:],
        fatigue=fatigue[w0:],
        form=form[w0:],
        since_rest=since_rest[w0:],
        run_streak=run_streak[w0:],
        hard_gap=hard_gap[w0:],
        shares=_shares([m[w0:] for m in mix]),
    )

    shift = span.index_start.weekday()
    n_weeks = (n_days - 1 + shift) // 7 + 1

    def weekly(values: list[float]) -> list[float]:
        sums = [0.0] * n_weeks
        for i, v in enumerate(values):
            sums[(i + shift) // 7] += v
        return sums[-weeks:]

    w_groups = [weekly(g) for g in d_group]
    week_list = week_rows(
        span,
        run_distance=weekly(d_run_dist),
        run_time=weekly(d_run_time),
        total_time=[sum_in_order(col) for col in zip(*w_groups, strict=True)],
        load=weekly(d_load),
        runs=weekly(d_runs),
        sessions=weekly(d_sessions),
        hard=weekly(d_hard),
        group_time=w_groups,
        shares=_shares(w_groups),
    )

    runs = _spiked_runs(
        kept, start_s=start_s, dist=dist, shown_from=w0, day_idx=day_idx, params=params
    )
    return LoadReport(today=span.today, weeks=week_list, runs=runs, days=days)


def _spiked_runs(
    kept: Sequence[SessionSummary],
    *,
    start_s: list[float],
    dist: list[float],
    shown_from: int,
    day_idx: list[int],
    params: LoadParams,
) -> tuple[RunSpike, ...]:
    """The runs of the window with their single-run spike (``load._spiked_runs`` and
    ``load.compute_spikes``), computed over all runs sorted by start."""
    order = sorted((i for i, s in enumerate(kept) if s.sport.is_run), key=lambda i: start_s[i])
    starts = [start_s[i] for i in order]
    known = [dist[i] if math.isfinite(dist[i]) else -_INF for i in order]
    window_s = params.spike_window_days * _DAY_S
    edges = list(params.spike_band_edges)
    out = []
    for k, i in enumerate(order):
        lo = bisect_left(starts, starts[k] - window_s)
        hi = bisect_left(starts, starts[k])
        longest = max(known[lo:hi]) if hi > lo else -_INF
        prior = longest > 0.0
        own = dist[i]
        ratio = own / longest if prior and math.isfinite(own) else _NAN
        if not prior:
            band: Any = "no_prior"
        elif ratio != ratio:
            band = None
        else:
            band = SPIKE_BANDS[bisect_left(edges, ratio)]
        if day_idx[i] < shown_from:
            continue
        out.append(
            RunSpike(
                activity_id=kept[i].activity_id,
                day=kept[i].day,
                distance_m=kept[i].distance_m,
                longest_prev_30d_m=longest if prior and math.isfinite(longest) else None,
                spike_ratio=ratio if math.isfinite(ratio) else None,
                spike_band=band,
            )
        )
    return tuple(out)
