"""Per-activity analysis: distance, moving time, pace, elevation, grades, surface, cadence, load.

Pure functions over an :class:`~backstride.domain.activity.Activity`; every constant lives in
:class:`~backstride.domain.params.ActivityParams` with its source. ``docs/metrics.md`` explains
each figure in plain words. Unknown values are ``None``, never zero.

Samples and intervals: interval ``i`` runs from sample ``i - 1`` to sample ``i`` and carries the
values of sample ``i`` (heart rate, cadence), as Runalyze attributes each sample's duration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstride.lazy import lazy_names

if TYPE_CHECKING:
    from backstride.domain.metrics.analysis import (
        analyse_activity,
    )
    from backstride.domain.metrics.distance import (
        PRE_SAMPLE_SLACK_M,
        PRE_SAMPLE_SPEED_M_S,
        compute_best_time_s,
        compute_moving_intervals,
        compute_recording_time_s,
        compute_sample_distance_m,
        timer_running_s,
        total_distance_m,
    )
    from backstride.domain.metrics.effort import (
        Cadence,
        HeartRateBounds,
        compute_cadence,
        compute_heart_rate_load,
        compute_longest_run_s,
        compute_srpe_load,
        resolve_heart_rate_bounds,
        trimp_constants,
    )
    from backstride.domain.metrics.results import (
        GRADE_BAND_LABELS,
        ActivityAnalysis,
        BoolArray,
        Descent,
        GradeBand,
        GradeDistribution,
        HeartProfile,
        HeartRateLoad,
        HrSource,
        MaxHrSource,
        RestHrSource,
        Sex,
    )
    from backstride.domain.metrics.terrain import (
        compute_grade_distribution,
        infer_surface,
    )

_LAZY = {
    "ActivityAnalysis": "backstride.domain.metrics.results",
    "BoolArray": "backstride.domain.metrics.results",
    "Cadence": "backstride.domain.metrics.effort",
    "Descent": "backstride.domain.metrics.results",
    "GRADE_BAND_LABELS": "backstride.domain.metrics.results",
    "GradeBand": "backstride.domain.metrics.results",
    "GradeDistribution": "backstride.domain.metrics.results",
    "HeartProfile": "backstride.domain.metrics.results",
    "HeartRateBounds": "backstride.domain.metrics.effort",
    "HeartRateLoad": "backstride.domain.metrics.results",
    "HrSource": "backstride.domain.metrics.results",
    "MaxHrSource": "backstride.domain.metrics.results",
    "PRE_SAMPLE_SLACK_M": "backstride.domain.metrics.distance",
    "PRE_SAMPLE_SPEED_M_S": "backstride.domain.metrics.distance",
    "RestHrSource": "backstride.domain.metrics.results",
    "Sex": "backstride.domain.metrics.results",
    "analyse_activity": "backstride.domain.metrics.analysis",
    "compute_best_time_s": "backstride.domain.metrics.distance",
    "compute_cadence": "backstride.domain.metrics.effort",
    "compute_grade_distribution": "backstride.domain.metrics.terrain",
    "compute_heart_rate_load": "backstride.domain.metrics.effort",
    "compute_longest_run_s": "backstride.domain.metrics.effort",
    "compute_moving_intervals": "backstride.domain.metrics.distance",
    "compute_recording_time_s": "backstride.domain.metrics.distance",
    "compute_sample_distance_m": "backstride.domain.metrics.distance",
    "compute_srpe_load": "backstride.domain.metrics.effort",
    "infer_surface": "backstride.domain.metrics.terrain",
    "resolve_heart_rate_bounds": "backstride.domain.metrics.effort",
    "timer_running_s": "backstride.domain.metrics.distance",
    "total_distance_m": "backstride.domain.metrics.distance",
    "trimp_constants": "backstride.domain.metrics.effort",
}
"""Where each name lives; imported from there on first use (:func:`backstride.lazy.lazy_names`)."""

__getattr__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "ActivityAnalysis",
    "BoolArray",
    "Cadence",
    "Descent",
    "GRADE_BAND_LABELS",
    "GradeBand",
    "GradeDistribution",
    "HeartProfile",
    "HeartRateBounds",
    "HeartRateLoad",
    "HrSource",
    "MaxHrSource",
    "PRE_SAMPLE_SLACK_M",
    "PRE_SAMPLE_SPEED_M_S",
    "RestHrSource",
    "Sex",
    "analyse_activity",
    "compute_best_time_s",
    "compute_cadence",
    "compute_grade_distribution",
    "compute_heart_rate_load",
    "compute_longest_run_s",
    "compute_moving_intervals",
    "compute_recording_time_s",
    "compute_sample_distance_m",
    "compute_srpe_load",
    "infer_surface",
    "resolve_heart_rate_bounds",
    "timer_running_s",
    "total_distance_m",
    "trimp_constants",
]
