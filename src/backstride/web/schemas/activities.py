"""Activities as JSON (``/api/activities``): a summary, a page of them, one with its
analysis, and the edit a PATCH takes."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.activity import Sport, Surface
from backstride.web.schemas.load import RunSpikeOut


class ActivityOut(BaseModel):
    """An activity's summary (the shape of ``backstride activity list --json``)."""

    id: int
    sport: Sport
    start: dt.datetime = Field(description="Start, UTC.")
    local_date: dt.date = Field(description="The athlete's local date of the start.")
    utc_offset_s: int | None = Field(description="Local time minus UTC at the start, seconds.")
    time_zone: str | None = Field(
        default=None,
        description="The local clock's time zone: an IANA name (from where the activity was "
        "recorded, or the time-zone setting) or a fixed offset such as UTC+09:00; null if "
        "unknown.",
    )
    duration_s: float | None = Field(description="Elapsed time, seconds.")
    moving_time_s: float | None = Field(description="Moving time, seconds.")
    distance_m: float | None = Field(description="Distance, metres.")
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    source: str = Field(description="The file (or 'manual') the activity came from.")
    source_format: str
    source_sport: str
    name: str | None
    device: str | None
    surface: Surface | None
    rpe: float | None = Field(description="Session effort, 0 (rest) to 10 (maximal).")
    gear: str | None
    notes: str | None


class ActivityPage(BaseModel):
    """One page of the activity list."""

    items: list[ActivityOut]
    total: int = Field(description="Activities matching the filter, over all pages.")
    page: int
    per_page: int
    pages: int


class GradeBandOut(BaseModel):
    label: str
    lower_pct: float | None
    upper_pct: float | None
    distance_m: float
    time_s: float


class AnalysisOut(BaseModel):
    """The per-activity analysis (see docs/metrics.md); null where unknown."""

    distance_m: float | None
    moving_time_s: float | None
    timer_time_s: float | None = Field(
        default=None,
        description="Time the recording ran (the device's timer), seconds; pauses left out.",
    )
    avg_pace_s_per_km: float | None
    best_pace_s_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    grade_bands: list[GradeBandOut] | None
    steep_descent_share: float | None
    cadence_spm: float | None
    step_length_m: float | None
    trimp: float | None
    srpe_load: float | None
    longest_run_s: float | None = Field(
        default=None,
        description="The longest stretch of running without a walking break, seconds (runs).",
    )


class ActivityDetailOut(ActivityOut):
    """Summary plus samples, device totals, import warnings, analysis and spike."""

    samples: int
    streams: list[str]
    device_totals: dict[str, float | None] | None
    warnings: list[str]
    analysis: AnalysisOut
    spike: RunSpikeOut | None = Field(description="Null for non-runs.")


class ActivityPatch(BaseModel):
    """Fields to change; leave out what stays as it is."""

    model_config = ConfigDict(extra="forbid")

    sport: Sport | None = None
    surface: Surface | None = None
    rpe: float | None = Field(default=None, ge=0, le=10, description="0 (rest) to 10 (maximal).")
    notes: str | None = Field(default=None, max_length=10_000)
    name: str | None = Field(default=None, max_length=500)
