"""What the demo athlete's files cannot carry: the story :func:`generate_demo` returns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

PainWhen = Literal["before", "during", "after", "next-morning", "rest-day"]


@dataclass(frozen=True, slots=True)
class DemoProfile:
    display_name: str
    birth_year: int
    sex: str
    resting_hr_bpm: int
    max_hr_bpm: int
    conditions: tuple[str, ...]
    experience: str
    past_injuries: tuple[str, ...]
    running_history: str
    utc_offset_s: int


@dataclass(frozen=True, slots=True)
class DemoClearance:
    on: date
    by: str
    notes: str


@dataclass(frozen=True, slots=True)
class DemoPainEntry:
    """One diary check-in (score 0-10).

    ``activity_file`` links 'during' and 'after' entries to that day's session file, and
    'next-morning' entries to the previous day's session file when there was one.
    """

    on: date
    when: PainWhen
    score: int
    where: tuple[str, ...]
    feels: tuple[str, ...]
    activity_file: str | None
    walking_leg_symptoms: bool
    eases_sitting: bool
    notes: str


@dataclass(frozen=True, slots=True)
class DemoSelfTest:
    """A self-test result: ``value`` in ``unit`` (s, cm, deg), or ``passed`` for pass/fail."""

    on: date
    name: str
    value: float | None
    unit: str
    passed: bool | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DemoMeasure:
    """An outcome-measure score (docs/measures.md): ``peg`` with its three answers, or
    ``walk`` with the minutes to the first symptom."""

    on: date
    instrument: str
    answers: tuple[float, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DemoShoe:
    name: str
    model: str
    start_km: float
    bought_on: date
    default_for_run: bool
    used_for: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoManualEntry:
    on: date
    sport: str
    name: str
    duration_s: float
    distance_m: float | None
    rpe: float
    notes: str


@dataclass(frozen=True, slots=True)
class DemoFile:
    """One written activity file. ``file`` is the path under ``out_dir`` (POSIX), exactly as in
    the ``Filename`` column of ``activities.csv``; ``distance_m`` is what a reader finds
    (the FIT distance field, or the haversine length of the GPX track)."""

    file: str
    activity_id: int
    on: date
    start_at: datetime
    sport: str
    name: str
    route: str | None
    distance_m: float | None
    duration_s: float
    shoe: str | None
    rpe: float


@dataclass(frozen=True, slots=True)
class DemoRoute:
    key: str
    name: str
    length_m: float
    ascent_m: float
    descent_m: float
    descent_steeper_than_8pct_m: float


@dataclass(frozen=True, slots=True)
class DemoStory:
    """Everything the demo athlete's files cannot carry, plus the key dates of the story."""

    profile: DemoProfile
    clearance: DemoClearance
    shoes: tuple[DemoShoe, ...]
    files: tuple[DemoFile, ...]
    shoe_by_file: Mapping[str, str]
    rpe_by_file: Mapping[str, float]
    pain_entries: tuple[DemoPainEntry, ...]
    self_tests: tuple[DemoSelfTest, ...]
    manual_entries: tuple[DemoManualEntry, ...]
    routes: tuple[DemoRoute, ...]
    start: date
    end: date
    spike_week_start: date
    spike_run_date: date
    downhill_run_date: date
    shoe_a_passes_700_on: date
    quiet_day: date
    seed: int
    weeks: int
    notes: tuple[str, ...] = field(default=())
    measures: tuple[DemoMeasure, ...] = field(default=())

    def to_json(self, *, indent: int | None = 2) -> str:
        """The whole story as JSON (dates ISO 8601, mappings as objects)."""

        def convert(value: Any) -> Any:
            if isinstance(value, datetime | date):
                return value.isoformat()
            if isinstance(value, Mapping):
                return {str(k): convert(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [convert(v) for v in value]
            return value

        data = {k: convert(v) for k, v in asdict(self).items()}
        return json.dumps(data, indent=indent, ensure_ascii=False)
