"""Per-activity analysis: distance, moving time, pace, elevation, grades, surface, cadence, load.

Pure functions over an :class:`~backstride.domain.activity.Activity`; every constant lives in
:class:`~backstride.domain.params.ActivityParams` with its source. ``docs/metrics.md`` explains
each figure in plain words. Unknown values are ``None``, never zero.

Samples and intervals: interval ``i`` runs from sample ``i - 1`` to sample ``i`` and carries the
values of sample ``i`` (heart rate, cadence), as Runalyze attributes each sample's duration.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import Activity, FloatArray, Sport, Streams, Surface
from backstride.domain.elevation import compute_elevation_change
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, ActivityParams
from backstride.errors import InvalidInputError

BoolArray = npt.NDArray[np.bool_]
Sex = Literal["male", "female"]
MaxHrSource = Literal["profile", "age", "default"]
RestHrSource = Literal["profile", "default"]
HrSource = Literal["stream", "average"]

GRADE_BAND_LABELS: tuple[str, ...] = (
    "lt_-8",
    "-8_-4",
    "-4_-1",
    "flat",
    "1_4",
    "4_8",
    "gt_8",
)


@dataclass(frozen=True, slots=True)
class HeartProfile:
    """What backstride knows about the athlete's heart (all optional)."""

    sex: Sex | None = None
    resting_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    birth_year: int | None = None

    def __post_init__(self) -> None:
        rest, peak = self.resting_hr_bpm, self.max_hr_bpm
        if rest is not None and not 25.0 <= rest <= 120.0:
            raise InvalidInputError(f"Resting heart rate must be 25-120 bpm, got {rest:g}.")
        if peak is not None and not 100.0 <= peak <= 240.0:
            raise InvalidInputError(f"Maximum heart rate must be 100-240 bpm, got {peak:g}.")
        if rest is not None and peak is not None and peak <= rest + 20.0:
            raise InvalidInputError(
                "Maximum heart rate must be well above the resting heart rate.",
                hint="Check both values in your profile.",
            )


@dataclass(frozen=True, slots=True)
class GradeBand:
    """Distance and moving time spent within one grade band (percent, rise over run)."""

    label: str
    lower_pct: float | None
    upper_pct: float | None
    distance_m: float
    time_s: float


@dataclass(frozen=True, slots=True)
class Descent:
    """One continuous descent on the smoothed, distance-resampled profile."""

    start_m: float
    length_m: float
    drop_m: float
    mean_grade_pct: float


@dataclass(frozen=True, slots=True)
class GradeDistribution:
    """Grades on the profile resampled every ``grade_step_m`` and smoothed."""

    bands: tuple[GradeBand, ...]
    longest_descent: Descent | None
    steep_descent_m: float
    steep_descent_share: float


@dataclass(frozen=True, slots=True)
class HeartRateLoad:
    """Heart-rate training load of one activity.

    ``trimp`` is Banister's TRIMP (Morton 1990) summed per sample; ``edwards_trimp`` is Edwards'
    zone TRIMP (EVIDENCE 1). ``high_intensity_min`` counts minutes at or above
    ``ActivityParams.high_intensity_hrr`` of heart-rate reserve.
    """

    trimp: float
    edwards_trimp: float
    minutes: float
    high_intensity_min: float
    source: HrSource
    rest_hr_bpm: float
    max_hr_bpm: float
    rest_hr_source: RestHrSource
    max_hr_source: MaxHrSource
    trimp_a: float
    trimp_b: float


@dataclass(frozen=True, slots=True)
class ActivityAnalysis:
    """Everything backstride computes about one activity; None where unknown."""

    sport: Sport
    surface: Surface | None
    duration_s: float
    distance_m: float | None
    moving_time_s: float | None
    timer_time_s: float | None
    avg_pace_s_per_km: float | None
    best_pace_s_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    grade: GradeDistribution | None
    cadence_spm: float | None
    cadence_was_doubled: bool | None
    step_length_m: float | None
    heart: HeartRateLoad | None
    srpe_load: float | None
    longest_run_s: float | None = None

    @property
    def trimp(self) -> float | None:
        return self.heart.trimp if self.heart is not None else None


# ---------------------------------------------------------------------------------------------
# Distance, moving time, pace


def _forward_fill(values: FloatArray, *, lead: float) -> FloatArray:
    """Replace NaN by the last finite value before it (``lead`` before the first one)."""
    finite = np.isfinite(values)
    idx = np.where(finite, np.arange(values.size), -1)
    np.maximum.accumulate(idx, out=idx)
    out: FloatArray = np.where(idx >= 0, values[np.maximum(idx, 0)], lead)
    return out


def compute_sample_distance_m(streams: Streams) -> FloatArray | None:
    """Cumulative distance at every sample, non-decreasing, or None without any distance data.

    Preference: the device's distance stream (gaps filled forward, kept non-decreasing); else the
    geodesic (haversine) distance along the positions; else the integral of the speed stream.
    """
    n = len(streams)
    if n == 0:
        return None
    dist = streams.distance_m
    if dist is not None and np.isfinite(dist).any():
        first = float(dist[np.isfinite(dist)][0])
        filled = _forward_fill(dist, lead=first)
        result: FloatArray = np.maximum.accumulate(filled)
        return result
    lat, lon = streams.lat_deg, streams.lon_deg
    if lat is not None and lon is not None:
        ok = np.isfinite(lat) & np.isfinite(lon)
        if int(ok.sum()) >= 2:
            full = np.full(n, np.nan)
            full[ok] = compute_cumulative_distance_m(lat[ok], lon[ok])
            return _forward_fill(full, lead=0.0)
    speed = streams.speed_m_s
    if speed is not None and np.isfinite(speed).any():
        dt = np.diff(streams.time_s)
        steps = np.where(np.isfinite(speed[1:]), speed[1:], 0.0) * dt
        out = np.zeros(n)
        np.cumsum(steps, out=out[1:])
        return out
    return None


def compute_moving_intervals(
    time_s: FloatArray,
    distance_m: FloatArray | None,
    *,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> BoolArray:
    """Which intervals (``len(time_s) - 1`` of them) count as moving.

    With distance data: an interval moves when its mean speed is at least
    ``pause_speed_m_s``; recording gaps (auto-pause) are judged by the same rule, so a gap the
    runner ran through counts and a pause does not. Without distance data: every interval of at
    most ``max_sample_gap_s`` counts.
    """
    dt = np.diff(time_s)
    positive = dt > 0.0
    if distance_m is None:
        result: BoolArray = positive & (dt <= params.max_sample_gap_s)
        return result
    dd = np.diff(distance_m)
    speed = np.divide(dd, dt, out=np.zeros_like(dd), where=positive)
    moving: BoolArray = positive & (speed >= params.pause_speed_m_s)
    return moving


def timer_running_s(
    event_s: FloatArray,
    starts: BoolArray,
    stops: BoolArray,
    window_start_s: float,
    window_end_s: float,
) -> float | None:
    """Seconds the device's timer ran inside ``[window_start_s, window_end_s]``.

    ``event_s`` are the times of the device's timer events in file order; ``starts`` and
    ``stops`` mark which ones start or stop the timer (FIT ``event`` = timer with
    ``event_type`` start, or stop / stop_all / stop_disable / stop_disable_all). A start while
    running and a stop while stopped change nothing; a stop before any start means the timer
    ran from the window's start; still running at the end means it ran to the window's end.
    None when there is no timer event at all, or when the running periods miss the window (the
    events then describe something else, e.g. another leg of a multisport file).
    """
    if not (starts.any() or stops.any()):
        return None
    running_since: float | None = None
    seen = False
    total = 0.0
    for t, is_start, is_stop in zip(event_s.tolist(), starts.tolist(), stops.tolist(), strict=True):
        if not math.isfinite(t) or not (is_start or is_stop):
            continue
        if is_start:
            if running_since is None:
                running_since = t
        elif running_since is not None or not seen:
            begin = window_start_s if running_since is None else running_since
            total += max(0.0, min(t, window_end_s) - max(begin, window_start_s))
            running_since = None
        seen = True
    if running_since is not None:
        total += max(0.0, window_end_s - max(running_since, window_start_s))
    return total if total > 0.0 else None


def compute_recording_time_s(
    time_s: FloatArray,
    moving: BoolArray,
    *,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> float:
    """The time a recording ran, from its samples alone: what a device's timer shows.

    Every interval between samples counts unless it is a recording gap (longer than
    ``max_sample_gap_s``) that was not moving: a device stops recording while its timer is
    paused (auto-pause, or the stop button), so such a gap is a paused timer, while a gap the
    runner ran through (``moving``) counts. Standing still with the timer running counts too,
    as it does on the device. Never more than the elapsed time, never less than the moving time.
    """
    if time_s.size < 2:
        return 0.0
    dt = np.diff(time_s)
    counted = (dt > 0.0) & ((dt <= params.max_sample_gap_s) | moving)
    return float(dt[counted].sum())


#: Fastest plausible speed (m/s) and slack (m) for distance covered before the first sample.
PRE_SAMPLE_SPEED_M_S = 15.0
PRE_SAMPLE_SLACK_M = 50.0


def total_distance_m(sample_distance: FloatArray, time_s: FloatArray) -> float:
    """Distance covered, from the device's cumulative distance at each sample.

    The first value is usually distance covered before the first sample (a pool length, a few
    metres) and counts. But the later legs of a multisport file carry the whole event's running
    total: a first value larger than could be covered in the time before the first sample (at
    ``PRE_SAMPLE_SPEED_M_S``, plus ``PRE_SAMPLE_SLACK_M``) is measured from the first sample.
    """
    first, last = float(sample_distance[0]), float(sample_distance[-1])
    reachable = PRE_SAMPLE_SPEED_M_S * max(float(time_s[0]), 0.0) + PRE_SAMPLE_SLACK_M
    if first > reachable:
        return last - first
    return last - min(0.0, first)


def compute_best_time_s(
    time_s: FloatArray, distance_m: FloatArray, *, window_m: float
) -> float | None:
    """Shortest elapsed time to cover ``window_m`` anywhere along the track, in seconds.

    A window starts when the runner leaves a sample's distance (its last sample there) and ends
    at the interpolated arrival, assuming constant speed between samples. None when the track is
    shorter than the window.
    """
    if distance_m.size < 2 or window_m <= 0.0:
        return None
    ds, first_idx = np.unique(distance_m, return_index=True)
    if ds.size < 2 or ds[-1] - ds[0] < window_m:
        return None
    _, rev_idx = np.unique(distance_m[::-1], return_index=True)
    last_idx = distance_m.size - 1 - rev_idx
    t_arrive = time_s[first_idx]
    t_leave = time_s[last_idx]
    starts = np.flatnonzero(ds + window_m <= ds[-1])
    target = ds[starts] + window_m
    j = np.clip(np.searchsorted(ds, target, side="left"), 1, ds.size - 1)
    frac = (target - ds[j - 1]) / (ds[j] - ds[j - 1])
    t_end = t_leave[j - 1] + frac * (t_arrive[j] - t_leave[j - 1])
    elapsed = t_end - t_leave[starts]
    elapsed = elapsed[elapsed > 0.0]
    return float(elapsed.min()) if elapsed.size else None


def _pace_s_per_km(time_s: float | None, distance_m: float | None) -> float | None:
    if time_s is None or distance_m is None or distance_m <= 0.0 or time_s <= 0.0:
        return None
    return time_s / (distance_m / 1000.0)


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


# ---------------------------------------------------------------------------------------------
# Cadence


@dataclass(frozen=True, slots=True)
class Cadence:
    """Average cadence in steps per minute and whether the device's values were doubled."""

    steps_per_min: float
    was_doubled: bool


def compute_cadence(
    cadence_rpm: FloatArray | None,
    dt_s: FloatArray,
    counted: BoolArray,
    *,
    device_average_rpm: float | None = None,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> Cadence | None:
    """Average running cadence in steps per minute, time-weighted over counted intervals.

    Devices store running cadence as strides (cycles) per minute, so it is doubled. When the
    ``cadence_check_percentile`` of the non-zero counted values exceeds
    ``cadence_already_steps_rpm`` (130), the data are already steps per minute and kept as they
    are. Zero cadence (standing) is left out. Falls back to the device's average.
    """
    threshold = params.cadence_already_steps_rpm
    if cadence_rpm is not None and cadence_rpm.size >= 2:
        c = cadence_rpm[1:]
        valid = counted & np.isfinite(c) & (c > 0.0)
        if valid.any():
            values = c[valid]
            weights = dt_s[valid]
            already = float(np.percentile(values, params.cadence_check_percentile)) > threshold
            mean = float(np.average(values, weights=weights))
            factor = 1.0 if already else 2.0
            return Cadence(steps_per_min=mean * factor, was_doubled=not already)
    if device_average_rpm is not None and device_average_rpm > 0.0:
        already = device_average_rpm > threshold
        return Cadence(
            steps_per_min=device_average_rpm * (1.0 if already else 2.0), was_doubled=not already
        )
    return None


# ---------------------------------------------------------------------------------------------
# Continuous running


def _centred_time_mean(values: FloatArray, dt: FloatArray, window_s: float) -> FloatArray:
    """Time-weighted centred mean of per-interval ``values`` over about ``window_s``."""
    finite_dt = dt[(dt > 0.0) & np.isfinite(dt)]
    step = float(np.median(finite_dt)) if finite_dt.size else 1.0
    half = max(0, int(round(window_s / max(step, 1e-6) / 2.0)))
    if half == 0:
        return values
    weights = np.where(np.isfinite(values), dt, 0.0)
    filled = np.where(np.isfinite(values), values, 0.0)
    wv = np.concatenate(([0.0], np.cumsum(weights * filled)))
    w = np.concatenate(([0.0], np.cumsum(weights)))
    idx = np.arange(values.size)
    lo = np.maximum(idx - half, 0)
    hi = np.minimum(idx + half + 1, values.size)
    total = w[hi] - w[lo]
    out: FloatArray = np.divide(
        wv[hi] - wv[lo], total, out=np.full(values.size, np.nan), where=total > 0.0
    )
    return out


def compute_longest_run_s(
    time_s: FloatArray,
    distance_m: FloatArray | None,
    cadence_spm: FloatArray | None,
    *,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> float | None:
    """The longest stretch of continuous running, in seconds; None without speed or cadence.

    An interval is running when its cadence (steps per minute, averaged over
    ``run_bout_smooth_s``) is at least ``run_bout_min_cadence_spm``; where there is no cadence,
    when its speed is at least ``run_bout_min_speed_m_s``. Walking or standing stretches shorter
    than ``run_bout_bridge_s`` between two running stretches count as running; a recording gap
    longer than ``max_sample_gap_s`` ends a stretch. This is what a run/walk plan counts: the
    minutes of running without a walking break.
    """
    n = time_s.size
    if n < 2:
        return None
    dt = np.diff(time_s)
    ok = (dt > 0.0) & (dt <= params.max_sample_gap_s)
    cadence = None
    if cadence_spm is not None and np.isfinite(cadence_spm[1:]).any():
        c = np.where(ok & (cadence_spm[1:] > 0.0), cadence_spm[1:], np.nan)
        cadence = _centred_time_mean(c, dt, params.run_bout_smooth_s)
    speed = None
    if distance_m is not None:
        v = np.divide(np.diff(distance_m), dt, out=np.full(n - 1, np.nan), where=ok)
        speed = _centred_time_mean(v, dt, params.run_bout_smooth_s)
    if cadence is None and speed is None:
        return None
    running = np.zeros(n - 1, dtype=bool)
    known = np.zeros(n - 1, dtype=bool)
    if speed is not None:
        known |= np.isfinite(speed)
        running |= np.isfinite(speed) & (speed >= params.run_bout_min_speed_m_s)
    if cadence is not None:
        has_c = np.isfinite(cadence)
        running = np.where(has_c, cadence >= params.run_bout_min_cadence_spm, running)
        known |= has_c
    running &= ok & known
    # Stretches of running (1), not running (0) and recording gaps (2); short non-running
    # stretches between running ones are bridged.
    kind = np.where(ok, running.astype(np.int8), np.int8(2))
    starts = np.concatenate(([0], np.flatnonzero(np.diff(kind)) + 1))
    lengths = np.add.reduceat(np.where(ok, dt, 0.0), starts)
    best = 0.0
    current = 0.0
    pause = 0.0
    for k, d in zip(kind[starts].tolist(), lengths.tolist(), strict=True):
        if k == 1:
            current += pause + d if current > 0.0 else d
            pause = 0.0
        elif k == 0 and current > 0.0 and d < params.run_bout_bridge_s:
            pause = d
        else:
            best = max(best, current)
            current, pause = 0.0, 0.0
    return max(best, current)


# ---------------------------------------------------------------------------------------------
# Heart rate


def trimp_constants(
    sex: Sex | None, *, params: ActivityParams = DEFAULT_ACTIVITY_PARAMS
) -> tuple[float, float]:
    """Banister's A and B for the athlete's sex (Morton 1990; Runalyze when unspecified)."""
    if sex == "male":
        return params.trimp_male
    if sex == "female":
        return params.trimp_female
    return params.trimp_unspecified


@dataclass(frozen=True, slots=True)
class HeartRateBounds:
    """The resting and maximum heart rate used for TRIMP, and where each came from."""

    rest_hr_bpm: float
    max_hr_bpm: float
    rest_source: RestHrSource
    max_source: MaxHrSource


def resolve_heart_rate_bounds(
    profile: HeartProfile | None,
    *,
    year: int,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> HeartRateBounds:
    """Resting and maximum heart rate with documented fallbacks.

    Resting: the profile's, else 60 bpm (Runalyze). Maximum: the profile's; else
    208 - 0.7 x age (Tanaka 2001) when the birth year is known, age = ``year`` - birth year;
    else 200 bpm (Runalyze).
    """
    p = profile or HeartProfile()
    rest_source: RestHrSource = "default"
    rest = params.default_rest_hr_bpm
    if p.resting_hr_bpm is not None:
        rest, rest_source = p.resting_hr_bpm, "profile"
    max_source: MaxHrSource = "default"
    peak = params.default_max_hr_bpm
    if p.max_hr_bpm is not None:
        peak, max_source = p.max_hr_bpm, "profile"
    elif p.birth_year is not None and 0 < year - p.birth_year < 120:
        age = year - p.birth_year
        peak, max_source = params.age_max_hr_intercept - params.age_max_hr_slope * age, "age"
    # An estimated maximum must stay above the resting rate (x would be meaningless).
    peak = max(peak, rest + 20.0)
    return HeartRateBounds(
        rest_hr_bpm=rest,
        max_hr_bpm=peak,
        rest_source=rest_source,
        max_source=max_source,
    )


def compute_heart_rate_load(
    hr_bpm: FloatArray,
    minutes: FloatArray,
    *,
    bounds: HeartRateBounds,
    sex: Sex | None,
    source: HrSource = "stream",
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> HeartRateLoad:
    """Banister and Edwards TRIMP from heart rates and the minutes each was held.

    Banister (Morton 1990; per sample as Runalyze): sum of minutes x x x A x e^(B x x), with
    x = (HR - rest) / (max - rest), floored at 0. Edwards (1993): minutes in 50-60, 60-70,
    70-80, 80-90 and >= 90 % of HRmax weighted 1 to 5; below 50 % counts 0.
    """
    a, b = trimp_constants(sex, params=params)
    rest, peak = bounds.rest_hr_bpm, bounds.max_hr_bpm
    x = np.maximum((hr_bpm - rest) / (peak - rest), 0.0)
    trimp = a * float(np.sum(minutes * x * np.exp(b * x)))
    weight = np.searchsorted(np.asarray(params.edwards_zone_edges), hr_bpm / peak, side="right")
    edwards = float(np.sum(minutes * weight))
    high = float(np.sum(minutes[x >= params.high_intensity_hrr]))
    return HeartRateLoad(
        trimp=trimp,
        edwards_trimp=edwards,
        minutes=float(np.sum(minutes)),
        high_intensity_min=high,
        source=source,
        rest_hr_bpm=rest,
        max_hr_bpm=peak,
        rest_hr_source=bounds.rest_source,
        max_hr_source=bounds.max_source,
        trimp_a=a,
        trimp_b=b,
    )


def compute_srpe_load(rpe: float | None, minutes: float | None) -> float | None:
    """Session-RPE load = RPE (CR-10) x minutes (Foster 1998/2001, EVIDENCE 1)."""
    if rpe is None or minutes is None:
        return None
    return rpe * minutes


# ---------------------------------------------------------------------------------------------
# The whole analysis


def analyse_activity(
    activity: Activity,
    *,
    profile: HeartProfile | None,
    tags: Sequence[str] = (),
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> ActivityAnalysis:
    """Analyse one activity. Streams first; the activity's own summary values as fallback.

    Distance: device distance stream, else positions, else speed; without streams the
    activity's distance. Moving time: intervals at >= ``pause_speed_m_s``; without streams the
    activity's moving time, else its duration. Timer time: the device's own timer events when
    the file has them, else the recording time of the samples (``compute_recording_time_s``),
    else the moving time or duration. Treadmills and tracks without altitude have no
    elevation (None, not 0).
    """
    streams = activity.streams
    n = len(streams)
    time_s = streams.time_s
    dt = np.diff(time_s) if n >= 2 else np.zeros(0)
    sample_dist = compute_sample_distance_m(streams) if n >= 2 else None

    distance: float | None = activity.distance_m
    moving: BoolArray = np.zeros(0, dtype=np.bool_)
    moving_time: float | None = activity.moving_time_s
    best_time: float | None = None
    if n >= 2:
        moving = compute_moving_intervals(time_s, sample_dist, params=params)
        moving_time = float(dt[moving].sum())
        if sample_dist is not None:
            distance = total_distance_m(sample_dist, activity.streams.time_s)
            best_time = compute_best_time_s(time_s, sample_dist, window_m=params.best_pace_window_m)
    if moving_time is None:
        moving_time = activity.duration_s
    timer_time: float = activity.device_timer_s or (
        compute_recording_time_s(time_s, moving, params=params)
        if n >= 2
        else activity.moving_time_s or activity.duration_s
    )

    treadmill = activity.sport is Sport.TREADMILL_RUN
    gain: float | None = None
    loss: float | None = None
    grade: GradeDistribution | None = None
    if not treadmill:
        change = compute_elevation_change(
            streams.altitude_m, hysteresis_m=params.elevation_hysteresis_m
        )
        if change is not None:
            gain, loss = change.gain_m, change.loss_m
        else:
            gain, loss = activity.elevation_gain_m, activity.elevation_loss_m
        if streams.altitude_m is not None and sample_dist is not None:
            clock = np.zeros(n)
            np.cumsum(np.where(moving, dt, 0.0), out=clock[1:])
            grade = compute_grade_distribution(
                sample_dist, streams.altitude_m, clock, params=params
            )

    cadence: Cadence | None = None
    if activity.sport.is_run:
        cadence = compute_cadence(
            streams.cadence_rpm if n >= 2 else None,
            dt,
            moving,
            device_average_rpm=activity.avg_cadence_rpm,
            params=params,
        )
    step_length: float | None = None
    if cadence is not None and distance and moving_time and cadence.steps_per_min > 0.0:
        step_length = (distance / moving_time) / (cadence.steps_per_min / 60.0)

    heart = _heart_load(activity, profile, dt, moving_time, params)
    moving_min = moving_time / 60.0 if moving_time is not None else None
    longest_run: float | None = None
    if activity.sport.is_run and n >= 2:
        steps = streams.cadence_rpm
        if steps is not None and cadence is not None and cadence.was_doubled:
            steps = steps * 2.0
        longest_run = compute_longest_run_s(time_s, sample_dist, steps, params=params)
    return ActivityAnalysis(
        sport=activity.sport,
        surface=infer_surface(
            sport=activity.sport,
            user_surface=activity.surface,
            source_sport=activity.source_sport,
            name=activity.name,
            notes=activity.notes,
            tags=tags,
        ),
        duration_s=activity.duration_s,
        distance_m=distance,
        moving_time_s=moving_time,
        timer_time_s=timer_time,
        avg_pace_s_per_km=_pace_s_per_km(moving_time, distance),
        best_pace_s_per_km=(
            best_time / (params.best_pace_window_m / 1000.0) if best_time is not None else None
        ),
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        grade=grade,
        cadence_spm=cadence.steps_per_min if cadence else None,
        cadence_was_doubled=cadence.was_doubled if cadence else None,
        step_length_m=step_length,
        heart=heart,
        srpe_load=compute_srpe_load(activity.rpe, moving_min),
        longest_run_s=longest_run,
    )


def _heart_load(
    activity: Activity,
    profile: HeartProfile | None,
    dt: FloatArray,
    moving_time_s: float | None,
    params: ActivityParams,
) -> HeartRateLoad | None:
    year = activity.local_start.year
    sex = profile.sex if profile is not None else None
    hr = activity.streams.hr_bpm
    if hr is not None and hr.size >= 2:
        h = hr[1:]
        counted = np.isfinite(h) & (dt > 0.0) & (dt <= params.max_sample_gap_s)
        if counted.any():
            bounds = resolve_heart_rate_bounds(profile, year=year, params=params)
            return compute_heart_rate_load(
                h[counted], dt[counted] / 60.0, bounds=bounds, sex=sex, params=params
            )
    avg = activity.avg_hr_bpm
    if avg is not None and math.isfinite(avg) and moving_time_s:
        # GoldenCheetah's TRIMP Points use the average heart rate this way (EVIDENCE 11).
        bounds = resolve_heart_rate_bounds(profile, year=year, params=params)
        return compute_heart_rate_load(
            np.array([avg]),
            np.array([moving_time_s / 60.0]),
            bounds=bounds,
            sex=sex,
            source="average",
            params=params,
        )
    return None
