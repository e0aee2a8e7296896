"""The whole analysis of one activity (:func:`analyse_activity`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from backstride.domain.activity import Activity, FloatArray, Sport
from backstride.domain.elevation import compute_elevation_change
from backstride.domain.metrics.distance import (
    _pace_s_per_km,
    compute_best_time_s,
    compute_moving_intervals,
    compute_recording_time_s,
    compute_sample_distance_m,
    total_distance_m,
)
from backstride.domain.metrics.effort import (
    Cadence,
    compute_cadence,
    compute_heart_rate_load,
    compute_longest_run_s,
    compute_srpe_load,
    resolve_heart_rate_bounds,
)
from backstride.domain.metrics.results import (
    ActivityAnalysis,
    BoolArray,
    GradeDistribution,
    HeartProfile,
    HeartRateLoad,
)
from backstride.domain.metrics.terrain import (
    compute_grade_distribution,
    infer_surface,
)
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, ActivityParams

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
