"""Stored rows to domain objects, without SQLAlchemy: the one home of these conversions.

The repositories (``body_repos``, ``plan_repos``, ``route_repos``, ``guidance_repos``) turn
their ORM rows into domain objects with these functions, and so does the narrow SQLite reader
of the day's answer (``sqlite_reads``), whose rows are plain objects with the same attribute
names and Python values. One conversion for both keeps them from drifting apart.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from backstride.domain import plan
from backstride.domain.activity import Surface
from backstride.domain.body import Clearance, Condition, Experience, Profile, Screening, Sex
from backstride.domain.pain import (
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    SeenOutcome,
    SeenRecord,
)
from backstride.domain.routes import Route, RouteTerrain, TaxingPart, TaxingScore, band_for
from backstride.domain.routines import RoutineKind, RoutineLogEntry
from backstride.domain.selftest import SelfTestName, SelfTestResult
from backstride.domain.shoes import Shoe
from backstride.domain.text import RunnerText, runner_text

SessionColumns = tuple[
    int, date, datetime, str, float | None, float, float | None, float, str, bool
]
"""(id, day, start, sport, distance, duration, moving time, load, kind, hard) of a session."""


@dataclass(frozen=True, slots=True)
class GearTotal:
    """Activities in one pair (by the activity's gear text) before a day, added up."""

    gear: str
    sport: str
    activities: int
    distance_m: float | None
    last_day: date


def load_texts(text: str | None) -> list[str]:
    """A JSON list column as strings (anything else: empty)."""
    data = json.loads(text or "[]")
    return [str(v) for v in data] if isinstance(data, list) else []


def profile(row: Any | None) -> Profile:
    """The stored profile, or an empty one."""
    if row is None:
        return Profile()
    known = {c.value for c in Condition}
    return Profile(
        birth_year=row.birth_year,
        sex=Sex(row.sex),
        resting_hr_bpm=row.resting_hr_bpm,
        max_hr_bpm=row.max_hr_bpm,
        conditions=tuple(Condition(c) for c in load_texts(row.conditions) if c in known),
        past_injuries=tuple(RunnerText(t) for t in load_texts(row.past_injuries)),
        experience=Experience(row.experience) if row.experience else None,
        spine_surgery_on=row.spine_surgery_on,
        spine_injection_on=row.spine_injection_on,
        pregnant_since=row.pregnant_since,
        units=row.units,
    )


def screening(row: Any) -> Screening:
    answers = json.loads(row.answers)
    return Screening(
        answered_on=row.answered_on, answers={str(k): bool(v) for k, v in answers.items()}
    )


def clearance(row: Any) -> Clearance:
    return Clearance(
        on=row.cleared_on,
        by=RunnerText(row.cleared_by),
        restrictions=runner_text(row.restrictions),
        notes=runner_text(row.notes),
        id=row.id,
    )


_E = TypeVar("_E", bound=enum.Enum)


@lru_cache(maxsize=512)
def _members(kind: type[_E], text: str | None) -> tuple[_E, ...]:
    """A JSON list column of a vocabulary as its members, decoded once per distinct text: a
    diary repeats a handful of texts (``[]``, ``["low-back"]``...) over hundreds of rows. An
    unknown value raises ``ValueError`` as the enum does (errors are not cached)."""
    return tuple(kind(v) for v in load_texts(text))


def pain_entry(row: Any) -> PainEntry:
    return PainEntry(
        id=row.id,
        day=row.day,
        when=PainWhen(row.moment),
        score=int(row.score),
        where=_members(PainSite, row.sites),
        feels=_members(PainFeel, row.feels),
        walking_leg_symptoms=bool(row.walking_leg_symptoms),
        eases_sitting=bool(row.eases_sitting),
        red_flags=_members(RedFlag, row.red_flags),
        notes=runner_text(row.notes),
        activity_id=row.activity_id,
        worse_coughing=bool(row.worse_coughing),
        ruled_out=_members(RedFlag, row.ruled_out_flags),
    )


def seen(row: Any) -> SeenRecord:
    return SeenRecord(
        flag=RedFlag(row.flag),
        on=row.seen_on,
        by=runner_text(row.seen_by),
        notes=runner_text(row.notes),
        id=row.id,
        outcome=SeenOutcome(row.outcome) if row.outcome else SeenOutcome.NOT_KNOWN,
    )


def selftests(rows: Sequence[Any]) -> list[SelfTestResult]:
    """The results of known tests (a test no longer offered is left out)."""
    known = {t.value for t in SelfTestName}
    return [
        SelfTestResult(name=SelfTestName(r.test), day=r.day, value=r.value, id=r.id)
        for r in rows
        if r.test in known
    ]


def shoe(row: Any, defaults: Mapping[int, Sequence[str]]) -> Shoe:
    return Shoe(
        id=row.id,
        name=RunnerText(row.name),
        start_km=row.start_km,
        inspect_km=row.inspect_km,
        retire_km=row.retire_km,
        bought_on=row.bought_on,
        retired_on=row.retired_on,
        default_for=tuple(sorted(defaults.get(row.id, []))),
    )


def texts(text: str | None) -> tuple[str, ...]:
    data = json.loads(text or "[]")
    return tuple(str(v) for v in data) if isinstance(data, list) else ()


def plan_record(row: Any) -> plan.PlanRecord:
    return plan.PlanRecord(
        spec=plan.PlanSpec(
            goal=plan.Goal(row.goal),
            variant=plan.Variant(row.variant),
            days=plan.parse_days(row.days),
            start_on=row.start_on,
        ),
        status=plan.PlanStatus(row.status),
        paused_on=row.paused_on,
        pause_reason=row.pause_reason,
        gate_paused_on=row.gate_paused_on,
        gate_reasons=texts(row.gate_reasons),
        ended_on=row.ended_on,
        id=row.id,
    )


def plan_week(row: Any) -> plan.PlanWeek:
    return plan.PlanWeek(
        seq=row.seq,
        template_week=row.template_week,
        starts_on=row.starts_on,
        cut_on=row.cut_on,
        rest_day_on=row.rest_day_on,
        paused_from=row.paused_from,
        outcome=plan.Outcome(row.outcome) if row.outcome else None,
        reasons=texts(row.reasons),
        settled_on=row.settled_on,
    )


def plan_marks(rows: Sequence[Any]) -> dict[date, plan.PlanMark]:
    return {
        r.day: plan.PlanMark(
            day=r.day,
            status="done" if r.status == "done" else "skipped",
            reason=r.reason,
            activity_id=r.activity_id,
        )
        for r in rows
    }


def plan_event(row: Any) -> plan.PlanEvent:
    return plan.PlanEvent(
        day=row.day, kind=plan.EventKind(row.kind), message=row.message, week_seq=row.week_seq
    )


def routine_entry(row: Any) -> RoutineLogEntry:
    return RoutineLogEntry(
        day=row.day, routine=RoutineKind(row.routine), done=row.done, source=row.source, id=row.id
    )


def taxing(row: Any) -> TaxingScore:
    data = json.loads(row.taxing_json or "{}")
    return TaxingScore(
        score=row.taxing_score,
        band=str(data.get("band") or band_for(row.taxing_score)),
        parts=tuple(
            TaxingPart(str(p["key"]), float(p["points"]), str(p["text"]))
            for p in data.get("parts", [])
        ),
        explanation=tuple(str(x) for x in data.get("explanation", [])),
        version=row.taxing_version,
    )


def route(row: Any) -> Route:
    return Route(
        id=row.id,
        name=RunnerText(row.name),
        source_kind=row.source_kind,
        source=row.source,
        source_activity_id=row.source_activity_id,
        created_at=row.created_at,
        n_points=row.n_points,
        terrain=RouteTerrain(
            distance_m=row.distance_m,
            climb_m=row.climb_m,
            descent_m=row.descent_m,
            steep_descent_m=row.steep_descent_m,
            steep_descent_share=row.steep_descent_share,
            longest_descent_m=None,
            longest_descent_drop_m=row.longest_descent_drop_m,
            surface=Surface(row.surface) if row.surface else None,
        ),
        taxing=taxing(row),
    )
