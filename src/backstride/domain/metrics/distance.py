"""Distance, moving time, timer time and best efforts from an activity's samples."""

from __future__ import annotations

import math

import numpy as np

from backstride.domain.activity import FloatArray, Streams
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.domain.metrics.results import (
    BoolArray,
)
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, ActivityParams

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
