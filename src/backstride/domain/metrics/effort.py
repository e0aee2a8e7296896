"""Cadence, continuous running and heart-rate load (TRIMP, session RPE)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backstride.domain.activity import FloatArray
from backstride.domain.metrics import results
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, ActivityParams

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
    counted: results.BoolArray,
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
    sex: results.Sex | None, *, params: ActivityParams = DEFAULT_ACTIVITY_PARAMS
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
    rest_source: results.RestHrSource
    max_source: results.MaxHrSource


def resolve_heart_rate_bounds(
    profile: results.HeartProfile | None,
    *,
    year: int,
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> HeartRateBounds:
    """Resting and maximum heart rate with documented fallbacks.

    Resting: the profile's, else 60 bpm (Runalyze). Maximum: the profile's; else
    208 - 0.7 x age (Tanaka 2001) when the birth year is known, age = ``year`` - birth year;
    else 200 bpm (Runalyze).
    """
    p = profile or results.HeartProfile()
    rest_source: results.RestHrSource = "default"
    rest = params.default_rest_hr_bpm
    if p.resting_hr_bpm is not None:
        rest, rest_source = p.resting_hr_bpm, "profile"
    max_source: results.MaxHrSource = "default"
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
    sex: results.Sex | None,
    source: results.HrSource = "stream",
    params: ActivityParams = DEFAULT_ACTIVITY_PARAMS,
) -> results.HeartRateLoad:
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
    return results.HeartRateLoad(
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
