"""What the per-activity analysis returns: the heart profile it reads, grade bands, descents,
heart-rate load and the whole :class:`ActivityAnalysis`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from backstride.domain.activity import Sport, Surface
from backstride.errors import InvalidInputError
from backstride.lazy import lazy_names

if TYPE_CHECKING:
    pass

# numpy on first use, as in ``domain/activity.py``: the day's answer reads results only.
__getattr__ = lazy_names(__name__, {"BoolArray": "backstride.domain.arrays"}, globals())


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
