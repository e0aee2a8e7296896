"""Grades (the distribution over bands, the longest descent) and the surface a run was on."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import FloatArray, Sport, Surface
from backstride.domain.metrics.results import (
    Descent,
    GradeBand,
    GradeDistribution,
)
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, ActivityParams

# ---------------------------------------------------------------------------------------------
# Grades


def _band_index(grade_pct: FloatArray, edges: Sequence[float]) -> npt.NDArray[np.intp]:
    """Band of each grade; ties go towards the flat band, so reversal mirrors the bands."""
    e = np.asarray(edges, dtype=np.float64)
    down = np.searchsorted(e, grade_pct, side="right")
    up = np.searchsorted(e, grade_pct, side="left")
    result: npt.NDArray[np.intp] = np.where(grade_pct <= 0.0, down, up)
    return result


def _centred_mean(values: FloatArray, half: int) -> FloatArray:
    """Centred moving mean over ``2 * half + 1`` points.

    Near the ends the window shrinks symmetrically (to the point itself at the first and last
    point), so it stays centred: a straight slope is kept exactly and reversal mirrors it.
    """
    n = values.size
    csum = np.zeros(n + 1)
    np.cumsum(values, out=csum[1:])
    i = np.arange(n)
    w = np.minimum(np.minimum(i, n - 1 - i), half)
    out: FloatArray = (csum[i + w + 1] - csum[i - w]) / (2 * w + 1)
    return out


def _band_label(lower: float | None, upper: float | None) -> str:
    if lower is None:
        return f"lt_{upper:g}"
    if upper is None:
        return f"gt_{lower:g}"
    if lower < 0.0 < upper:
        return "flat"
    return f"{lower:g}_{upper:g}"


def _bands(edges: Sequence[float]) -> list[tuple[str, float | None, float | None]]:
    """(label, lower %, upper %) per band; the defaults give :data:`GRADE_BAND_LABELS`."""
    bounds: list[float | None] = [None, *edges, None]
    pairs = list(zip(bounds[:-1], bounds[1:], strict=True))
    return [(_band_label(lo, hi), lo, hi) for lo, hi in pairs]


def compute_grade_distribution(
    distance_m: FloatArray,
    altitude_m: FloatArray,
    moving_time_s: FloatArray,
    *,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> GradeDistribution | None:
    """Distance and time per grade band, the longest descent and the steep-descent share.

    Inputs are per sample: cumulative distance, altitude (NaN = missing) and cumulative moving
    time. The altitude is resampled every ``grade_step_m`` metres of distance, smoothed with a
    centred moving mean over ``grade_smoothing_m``, and each segment's grade is its rise over its
    length. None without at least one full step of distance with altitude.
    """
    ok = np.isfinite(altitude_m) & np.isfinite(distance_m)
    if int(ok.sum()) < 2:
        return None
    ds, idx = np.unique(distance_m[ok], return_index=True)
    step = params.grade_step_m
    if ds.size < 2 or ds[-1] - ds[0] < step:
        return None
    alt = altitude_m[ok][idx]
    clock = moving_time_s[ok][idx]
    grid = np.arange(ds[0], ds[-1], step)
    if ds[-1] - grid[-1] > 1e-9 * step:
        grid = np.append(grid, ds[-1])
    half = max(int(round(params.grade_smoothing_m / step)) // 2, 0)
    profile = _centred_mean(np.interp(grid, ds, alt), half)
    seg_len = np.diff(grid)
    seg_time = np.diff(np.interp(grid, ds, clock))
    grade = np.diff(profile) * 100.0 / seg_len
    edges = params.grade_band_edges_pct
    band = _band_index(grade, edges)
    nb = len(edges) + 1
    dist_by_band = np.bincount(band, weights=seg_len, minlength=nb)
    time_by_band = np.bincount(band, weights=seg_time, minlength=nb)
    bands = tuple(
        GradeBand(
            label=label,
            lower_pct=lo,
            upper_pct=hi,
            distance_m=float(dist_by_band[k]),
            time_s=float(time_by_band[k]),
        )
        for k, (label, lo, hi) in enumerate(_bands(edges))
    )
    total = float(seg_len.sum())
    steep = float(seg_len[grade < params.steep_descent_grade_pct].sum())
    return GradeDistribution(
        bands=bands,
        longest_descent=_longest_descent(grid, profile, grade, params.descent_grade_pct),
        steep_descent_m=steep,
        steep_descent_share=steep / total if total > 0.0 else 0.0,
    )


def _longest_descent(
    grid: FloatArray, profile: FloatArray, grade: FloatArray, below_pct: float
) -> Descent | None:
    down = grade < below_pct
    if not down.any():
        return None
    edges = np.diff(np.concatenate(([0], down.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)  # exclusive segment index = end vertex index
    lengths = grid[ends] - grid[starts]
    k = int(np.argmax(lengths))
    s, e = int(starts[k]), int(ends[k])
    length = float(lengths[k])
    drop = float(profile[s] - profile[e])
    return Descent(
        start_m=float(grid[s] - grid[0]),
        length_m=length,
        drop_m=drop,
        mean_grade_pct=-drop / length * 100.0,
    )


# ---------------------------------------------------------------------------------------------
# Surface

_SURFACE_WORDS: tuple[tuple[Surface, re.Pattern[str]], ...] = (
    (Surface.TREADMILL, re.compile(r"treadmill|indoor|laufband|virtual")),
    (Surface.TRACK, re.compile(r"\btrack\b|\bstadium\b|\b(?:200|300|400)\s?m\b|\bpiste\b")),
    (
        Surface.TRAIL,
        re.compile(
            r"trail|forest|\bwoods?\b|off[\s_-]?road|\bfell\b|mountain|gravel|singletrack|"
            r"\bdirt\b|\bgrass\b|\bhills?\b|\bcross[\s_-]?country\b|\bxc\b"
        ),
    ),
    (Surface.ROAD, re.compile(r"\broad\b|street|asphalt|pavement|tarmac|sidewalk|\bcity\b")),
)


def infer_surface(
    *,
    sport: Sport,
    user_surface: Surface | None = None,
    source_sport: str = "",
    name: str | None = None,
    notes: str | None = None,
    tags: Sequence[str] = (),
) -> Surface | None:
    """The running surface: the user's choice wins, then the sport, then words.

    Order: ``user_surface``; a treadmill or trail-run sport; words in the source label, name,
    notes and tags ("treadmill", "track", "trail", "forest", "road", ...; "mixed" or words of
    two outdoor surfaces give mixed); a hike is trail. None when nothing says (not a guess).
    """
    if user_surface is not None:
        return user_surface
    if sport is Sport.TREADMILL_RUN:
        return Surface.TREADMILL
    if sport is Sport.TRAIL_RUN:
        return Surface.TRAIL
    text = " ".join([source_sport, name or "", notes or "", *tags]).lower()
    if re.search(r"\bmixed\b", text):
        return Surface.MIXED
    found = [surface for surface, pattern in _SURFACE_WORDS if pattern.search(text)]
    if Surface.TREADMILL in found:
        return Surface.TREADMILL
    if len(found) > 1:
        return Surface.MIXED
    if found:
        return found[0]
    if sport is Sport.HIKE:
        return Surface.TRAIL
    return None
