"""Pydantic models of the JSON API: requests and responses, documented in ``/openapi.json``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.activity import Sport, Surface
from backstride.domain.guidance import finding_ids
from backstride.domain.load import WeekLoad


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status code.")
    message: str = Field(description="What went wrong, in plain words.")
    hint: str | None = Field(default=None, description="What to do next, when known.")
    details: list[dict[str, Any]] = Field(
        default_factory=list, description="Per-field problems of an invalid request."
    )


class ErrorOut(BaseModel):
    """Every error answer of the API."""

    error: ErrorBody


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


class RunSpikeOut(BaseModel):
    """A run against the longest run in the 30 days before it (Frandsen 2025)."""

    activity_id: int
    date: dt.date
    distance_m: float | None
    longest_prev_30d_m: float | None
    spike_ratio: float | None
    spike_band: Literal["no_prior", "le_10", "10_30", "30_100", "gt_100"] | None


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


class FileResultOut(BaseModel):
    path: str = Field(description="The file as uploaded (archive members as zip:member).")
    status: Literal["imported", "duplicate", "skipped", "failed"]
    reason: str | None
    activity_ids: list[int]
    warnings: list[str]


class ImportReportOut(BaseModel):
    """Per-file outcome of an import; a failed file stores nothing."""

    imported: int
    duplicate: int
    skipped: int
    failed: int
    files: list[FileResultOut]


class WeekOut(BaseModel):
    week_start: dt.date
    activities: int
    runs: int
    distance_m: float
    duration_s: float
    run_distance_m: float
    run_duration_s: float


class AttentionOut(BaseModel):
    kind: str
    level: Literal["info", "caution", "alert"]
    message: str
    href: str | None


class OverviewOut(BaseModel):
    """This week against recent weeks, latest activities, what needs attention."""

    on: dt.date
    weeks: list[WeekOut] = Field(description="Oldest first; the last is the week holding 'on'.")
    latest: list[ActivityOut]
    attention: list[AttentionOut]
    today: OverviewTodayOut | None = Field(
        default=None, description="The day's one decision (as GET /api/today)."
    )


class WeekLoadOut(WeekLoad):
    """Totals for one ISO week (``week``, e.g. 2026-W11; Monday to Sunday, local dates; the
    current week so far): the domain's own record, as ``to_json()`` writes it."""

    __slots__ = ()


class DayLoadOut(BaseModel):
    """Every daily series; ratios are fractions; the load ratios are contested context."""

    model_config = ConfigDict(extra="allow")

    date: dt.date
    run_distance_m: float
    load: float
    acute_load: float
    chronic_load: float
    load_ratio: float | None
    uncoupled_load_ratio: float | None
    monotony: float | None
    strain: float | None
    fitness: float
    fatigue: float
    form: float


class LoadOut(BaseModel):
    """The training-load report (``backstride`` load model; see docs/metrics.md)."""

    on: dt.date
    weeks: list[WeekLoadOut]
    runs: list[RunSpikeOut]
    days: list[DayLoadOut]
    load_ratio_caveat: str


class EvidenceOut(BaseModel):
    """One source backstride cites, in backstride's own summary."""

    key: str
    label: str = Field(description="How the source is cited: its first author (or body) and year.")
    citation: str = Field(description="The full reference.")
    section: str
    section_title: str
    strength: Literal[
        "guideline", "review", "trial", "cohort", "cross_sectional", "lab", "expert", "method"
    ]
    strength_words: str
    checked: bool = Field(
        description="True: the figures quoted were read in the study's own summary; false: "
        "they come from a secondary account."
    )
    summary: str
    use: str = Field(description="What in backstride rests on it.")
    href: str = Field(description="The dashboard page of the source.")
    rules: list[str] = Field(description="Ids of the guidance findings that cite it.")


class FindingOut(BaseModel):
    """One guidance finding: why it matters, the runner's own numbers, and its source."""

    id: str = Field(
        description="The finding's id; one of the ids of the rule registry.",
        json_schema_extra={"enum": list(finding_ids())},
    )
    level: Literal["info", "caution", "reduce", "stop", "urgent"]
    title: str
    reason: str
    evidence: dict[str, Any]
    source: str
    sources: list[str] = Field(
        default_factory=list,
        description="Keys of the sources cited (each has a page at /evidence/KEY and an entry "
        "in /api/evidence).",
    )
    action: str
    asks: str


DecisionOut = Literal[
    "urgent_care", "see_professional", "start_here", "rest", "cross_train", "run_easy", "run"
]


class SessionOut(BaseModel):
    """The session to do today (from the plan, the guidance or her own runs)."""

    kind: Literal[
        "run", "run_walk", "walk_cycle", "shorter", "cross_train", "strength", "rest", "walk"
    ]
    label: str
    title: str
    what: str
    minutes: int | None
    max_km: float | None
    from_plan: bool
    main: str | None = Field(description="The main set of a plan session, e.g. 8 x (run 1 min…).")
    run_s: int | None


class DayAttentionOut(BaseModel):
    """Something that needs attention, and where it is handled."""

    id: str
    level: Literal["info", "caution", "alert"]
    title: str
    message: str
    href: str = Field(description="The dashboard page where it is handled.")
    command: str | None = Field(description="The command where it is handled.")


class TodayOut(BaseModel):
    """``backstride today --json``: the day's one decision (the guidance and the plan
    combined), what to do, what needs attention, and the findings."""

    date: dt.date
    decision: DecisionOut
    headline: str
    summary: str
    session: SessionOut | None
    reasons: list[str]
    attention: list[DayAttentionOut]
    routines: list[dict[str, Any]]
    plan: dict[str, Any] | None = Field(description="What the plan holds today; null: no plan.")
    steps: list[dict[str, Any]] = Field(description="The first things to do, each done or not.")
    caps: dict[str, Any] | None = Field(description="Limits on a run from her own runs.")
    advice: dict[str, Any]
    findings: list[FindingOut]
    disclaimer: str = Field(description="backstride coaches; it is not medical advice.")


class OverviewTodayOut(BaseModel):
    """The day's one decision, as the Overview shows it (the same as ``/api/today``)."""

    decision: DecisionOut
    headline: str
    summary: str
    session: SessionOut | None
    disclaimer: str
