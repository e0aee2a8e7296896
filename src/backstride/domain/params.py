"""Model parameters: every threshold and constant of the analysis, each with its source.

These are not user settings (STYLE.md, "Configuration"): they are the model, frozen and cited.
Each field carries ``metadata={"source": ...}``; :func:`parameter_sources` lists them, so the
documentation and the tests can check that nothing is uncited. Section numbers refer to
``EVIDENCE.md``. A later issue adds the guidance thresholds to this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any


def _p(default: Any, source: str) -> Any:
    """A dataclass field with its source in the metadata."""
    return field(default=default, metadata={"source": source})


@dataclass(frozen=True, slots=True)
class ActivityParams:
    """Constants of the per-activity analysis (``backstride.domain.metrics``)."""

    # --- pauses and moving time ---
    pause_speed_m_s: float = _p(
        0.5,
        "Own choice: an interval whose mean speed is below 0.5 m/s (1.8 km/h, slower than any "
        "walk) is a pause; standing with GPS drift gives 0.1-0.4 m/s.",
    )
    max_sample_gap_s: float = _p(
        30.0,
        "Own choice: without any distance or speed data, and for heart-rate load, a gap between "
        "samples longer than 30 s is a recording pause (auto-pause) and is not counted.",
    )
    best_pace_window_m: float = _p(
        1000.0,
        "Own choice: best pace is the fastest 1 km anywhere in the activity (elapsed time), as "
        "running apps report best efforts.",
    )

    # --- elevation ---
    elevation_hysteresis_m: float = _p(
        3.0,
        "EVIDENCE 11: GoldenCheetah BasicRideMetrics.cpp hysteresis default 3.0 m; Runalyze "
        "'threshold' strategy default 3 m.",
    )

    # --- grade distribution ---
    grade_step_m: float = _p(
        10.0, "Own choice: altitude is resampled every 10 m of distance before grades are taken."
    )
    grade_smoothing_m: float = _p(
        100.0,
        "Own choice: centred moving average over 100 m of the resampled altitude, so GPS "
        "altitude noise of a few metres does not create false steep grades (GoldenCheetah "
        "GOVSS smooths slope over 120 s, EVIDENCE 11).",
    )
    grade_band_edges_pct: tuple[float, ...] = _p(
        (-8.0, -4.0, -1.0, 1.0, 4.0, 8.0),
        "Issue #3: bands < -8, -8..-4, -4..-1, flat -1..+1, +1..+4, +4..+8, > +8 %.",
    )
    steep_descent_grade_pct: float = _p(
        -5.0,
        "Issue #3: share of distance on descents steeper than -5 %. EVIDENCE implication 8 "
        "speaks of about -5 degrees (about -8.7 %); the stricter -5 % is used.",
    )
    descent_grade_pct: float = _p(
        -1.0,
        "Own choice: a continuous descent is a stretch where every resampled segment is "
        "steeper than the flat band's lower edge (-1 %).",
    )

    # --- cadence ---
    cadence_already_steps_rpm: float = _p(
        130.0,
        "Issue #3: running stride rates are about 75-100 per minute (150-200 steps/min); a "
        "cadence above 130 per minute must already be steps (Heiderscheit 2011, EVIDENCE 4).",
    )
    cadence_check_percentile: float = _p(
        90.0,
        "Own choice: the doubling test uses the 90th percentile of moving cadence rather than "
        "the median, so run/walk sessions with long walking breaks are not misread.",
    )

    # --- heart rate ---
    trimp_male: tuple[float, float] = _p(
        (0.64, 1.92), "EVIDENCE 1: Banister TRIMP, men (Morton 1990): A = 0.64, B = 1.92."
    )
    trimp_female: tuple[float, float] = _p(
        (0.86, 1.67), "EVIDENCE 1: Banister TRIMP, women (Morton 1990): A = 0.86, B = 1.67."
    )
    trimp_unspecified: tuple[float, float] = _p(
        (0.725215, 1.795),
        "EVIDENCE 11: Runalyze Trimp/Factor.php, sex not set: A = 0.725215, B = 1.795.",
    )
    default_rest_hr_bpm: float = _p(
        60.0, "EVIDENCE 11: Runalyze Trimp/Calculator.php DEFAULT_HR_REST = 60."
    )
    default_max_hr_bpm: float = _p(
        200.0, "EVIDENCE 11: Runalyze Trimp/Calculator.php DEFAULT_HR_MAX = 200."
    )
    age_max_hr_intercept: float = _p(
        208.0,
        "Tanaka, Monahan & Seals 2001 (J Am Coll Cardiol 37:153-6): HRmax = 208 - 0.7 x age "
        "[R: not yet in EVIDENCE.md].",
    )
    age_max_hr_slope: float = _p(0.7, "Tanaka 2001, as above [R].")
    edwards_zone_edges: tuple[float, ...] = _p(
        (0.5, 0.6, 0.7, 0.8, 0.9),
        "EVIDENCE 1: Edwards 1993, minutes in 50-60 ... 90-100 % HRmax weighted 1..5.",
    )
    high_intensity_hrr: float = _p(
        0.8,
        "Own choice: minutes at or above 80 % of heart-rate reserve count as high intensity "
        "(threshold work and harder), used to mark a session hard (Stanley 2013, EVIDENCE 2).",
    )


# Banister TRIMP per minute at 50 % heart-rate reserve with the unspecified-sex constants:
# 0.725215 x 0.5 x e^(1.795 x 0.5) ~= 0.8896.
_MODERATE_HRR = 0.5
_DURATION_LOAD_PER_MIN = 0.725215 * _MODERATE_HRR * math.exp(1.795 * _MODERATE_HRR)


@dataclass(frozen=True, slots=True)
class LoadParams:
    """Constants of the training-load model over time (``backstride.domain.load``)."""

    duration_load_per_min: float = _p(
        _DURATION_LOAD_PER_MIN,
        "Own choice: with neither RPE nor heart rate, load = minutes x the Banister TRIMP per "
        "minute at 50 % heart-rate reserve (the middle of ACSM's moderate band, 40-59 % HRR; "
        "Garber 2011), unspecified-sex constants (EVIDENCE 1, 11): about 0.89 per minute.",
    )
    hard_rpe: float = _p(
        7.0,
        "Own choice on Foster's CR-10 scale (EVIDENCE 1): 7 = 'very hard'. Sessions at or above "
        "it are hard; Stanley 2013 (EVIDENCE 2) suggests >= 48 h after such sessions.",
    )
    hard_high_intensity_min: float = _p(
        10.0,
        "Own choice: without RPE, a session with >= 10 min at or above 80 % HRR is hard.",
    )
    spike_window_days: int = _p(
        30,
        "EVIDENCE 1: Frandsen 2025 compares each run with the longest run in the previous "
        "30 days: runs starting in [start - 30 d, start).",
    )
    spike_band_edges: tuple[float, float, float] = _p(
        (1.10, 1.30, 2.00),
        "EVIDENCE 1: Frandsen 2025 bands <= +10 % (reference), >10-30 %, >30-100 %, >100 %.",
    )
    progression_days: int = _p(
        14, "EVIDENCE 1: Nielsen 2014, progression over 2 weeks (last 14 d vs the 14 before)."
    )
    progression_band_edges: tuple[float, float] = _p(
        (0.10, 0.30), "EVIDENCE 1: Nielsen 2014 groups < 10 %, 10-30 %, > 30 %."
    )
    acute_days: int = _p(7, "EVIDENCE 1: Williams 2017, EWMA with lambda = 2/(N+1), acute N = 7.")
    chronic_days: int = _p(
        28, "EVIDENCE 1: Williams 2017, EWMA with lambda = 2/(N+1), chronic N = 28."
    )
    monotony_days: int = _p(
        7, "EVIDENCE 1 and 11: Foster 1998 weekly monotony; Runalyze Monotony.php DAYS = 7."
    )
    fitness_days: int = _p(
        42,
        "EVIDENCE 1: TrainingPeaks PMC (Coggan), CTL_t = CTL_t-1 + (load_t - CTL_t-1) / 42.",
    )
    fatigue_days: int = _p(7, "EVIDENCE 1: TrainingPeaks PMC (Coggan), ATL time constant 7 d.")
    mix_days: int = _p(
        28, "Own choice: time shares by group over the last 28 days (one chronic window)."
    )


DEFAULT_ACTIVITY_PARAMS = ActivityParams()
DEFAULT_LOAD_PARAMS = LoadParams()


def parameter_sources(params: ActivityParams | LoadParams) -> dict[str, tuple[Any, str]]:
    """Each field's value and cited source, for documentation and tests."""
    return {
        f.name: (getattr(params, f.name), str(f.metadata.get("source", ""))) for f in fields(params)
    }
