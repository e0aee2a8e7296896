"""Use cases for exercises and routines: the library, today's routines fitted to the runner,
the adherence log, and warm-ups skipped before painful runs.

Every result is a frozen dataclass with ``to_json()`` (shapes documented on each class and in
``docs/plan.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from backstride.adapters.files.exercise_library import read_exercise_library
from backstride.domain.exercises import (
    MUSCLE_WORDS,
    Exercise,
    ExerciseLibrary,
    ExerciseType,
    Muscle,
    select,
)
from backstride.domain.pain import check_day
from backstride.domain.routines import (
    Routine,
    RoutineKind,
    RoutineLogEntry,
    RoutineNeeds,
    RoutineStep,
    WarmupSkipReport,
    build_routine,
    find_warmup_skips,
    parse_routine_kind,
)
from backstride.domain.selftest import SelfTestName
from backstride.errors import InvalidInputError
from backstride.services.body import get_profile, selftest_report
from backstride.services.context import App
from backstride.services.diary import pain_report


def exercise_library() -> ExerciseLibrary:
    """The bundled, validated library."""
    return read_exercise_library()


# --- views ------------------------------------------------------------------------------------


def exercise_json(e: Exercise) -> dict[str, Any]:
    """``{"id", "name", "type", "targets", "dose": {...,"text"}, "steps", "cautions",
    "stenosis", "stenosis_reason", "source", "level", "progression_of", "works", "spares",
    "spares_note"}``."""
    d = e.dose
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type.value,
        "targets": [m.value for m in e.targets],
        "dose": {
            "sets": d.sets,
            "reps": d.reps,
            "hold_s": d.hold_s,
            "minutes": d.minutes,
            "per_side": d.per_side,
            "rest_s": d.rest_s,
            "text": d.text(),
        },
        "steps": list(e.steps),
        "cautions": list(e.cautions),
        "stenosis": e.stenosis.value,
        "stenosis_reason": e.stenosis_reason,
        "source": e.source,
        "level": e.level,
        "progression_of": e.progression_of,
        "works": [m.value for m in e.works],
        "spares": [m.value for m in e.spares],
        "spares_note": e.spares_note,
    }


def step_json(s: RoutineStep) -> dict[str, Any]:
    """One routine step: the exercise, this runner's dose, the estimated seconds and why."""
    return {
        "exercise_id": s.exercise.id,
        "name": s.exercise.name,
        "type": s.exercise.type.value,
        "targets": [m.value for m in s.exercise.targets],
        "sets": s.sets,
        "reps": s.reps,
        "hold_s": s.hold_s,
        "minutes": s.minutes,
        "side": s.side,
        "rest_s": s.exercise.dose.rest_s,
        "dose": s.dose_text(),
        "seconds": s.seconds,
        "why": s.why,
        "steps": list(s.exercise.steps),
        "cautions": list(s.exercise.cautions),
        "stenosis": s.exercise.stenosis.value,
    }


@dataclass(frozen=True, slots=True)
class RoutineView:
    """A routine for one day.

    ``to_json()``: ``{"routine", "title", "day", "minutes_target", "minutes", "targets",
    "notes", "source", "adapted_for": [...], "steps": [step...]}``.
    """

    routine: Routine
    adapted_for: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        r = self.routine
        return {
            "routine": r.kind.value,
            "title": r.title,
            "day": r.day.isoformat(),
            "minutes_target": r.minutes_target,
            "minutes": round(r.seconds / 60, 1),
            "targets": sorted(m.value for m in r.targets),
            "notes": list(r.notes),
            "source": r.source,
            "adapted_for": list(self.adapted_for),
            "steps": [step_json(s) for s in r.steps],
        }


@dataclass(frozen=True, slots=True)
class LibraryView:
    """``{"version", "count", "counts_by_type", "coverage", "exercises": [...]}``."""

    library: ExerciseLibrary
    exercises: tuple[Exercise, ...]

    def to_json(self) -> dict[str, Any]:
        by_type = {t.value: len(self.library.of_type(t)) for t in ExerciseType}
        return {
            "version": self.library.version,
            "count": len(self.exercises),
            "counts_by_type": by_type,
            "coverage": {m.value: n for m, n in self.library.coverage().items()},
            "exercises": [exercise_json(e) for e in self.exercises],
        }


def list_exercises(
    *, type_name: str | None = None, target: str | None = None, stenosis: bool = False
) -> LibraryView:
    """The library, optionally filtered by type, target group and stenosis suitability."""
    library = exercise_library()
    types: list[ExerciseType] = []
    if type_name:
        try:
            types = [ExerciseType(type_name.strip().lower().replace("-", "_"))]
        except ValueError:
            raise InvalidInputError(
                f"'{type_name}' is not an exercise type.",
                hint=f"Choose one of: {', '.join(t.value for t in ExerciseType)}.",
            ) from None
    muscle: Muscle | None = None
    if target:
        try:
            muscle = Muscle(target.strip().lower().replace("-", "_"))
        except ValueError:
            raise InvalidInputError(
                f"'{target}' is not a muscle group.",
                hint=f"Choose one of: {', '.join(m.value for m in Muscle)}.",
            ) from None
    return LibraryView(library, select(library, types=types, target=muscle, stenosis=stenosis))


# --- what the routines adapt to ----------------------------------------------------------------


def routine_needs(app: App, *, on: date) -> RoutineNeeds:
    """Conditions (stenosis), age, and self-test results as the routines use them.

    Side bridge (McGill 1999; references Anderson 2014, docs/evidence.md): a side below the
    average adult's hold, or the weaker side when left/right is outside 0.95-1.05, gets an extra
    set; both at or above average -> the full side bridge. Flexion/extension ratio >= 1.0 ->
    an extra bird-dog set. Short hamstrings (straight-leg raise below 70 degrees or a poor or
    below-average sit-and-reach) and a failed hip-flexor test put those stretches first.
    """
    profile = get_profile(app).profile
    report = selftest_report(app, today=on).report
    by_name = {a.name: a for a in report.assessments}
    ratios = {r.name: r for r in report.ratios}
    reasons: list[str] = []
    extra: list[Literal["left", "right"]] = []
    strong = True
    for side, name in (
        ("left", SelfTestName.SIDE_BRIDGE_LEFT),
        ("right", SelfTestName.SIDE_BRIDGE_RIGHT),
    ):
        a = by_name[name]
        if a.latest is None or not a.references:
            strong = False
            continue
        average = a.references[0].value
        if a.latest.value < average:
            strong = False
            extra.append("left" if side == "left" else "right")
            reasons.append(
                f"Your {side} side bridge ({a.latest.value:g} s) is below the average adult's "
                f"({average:g} s): an extra set on that side."
            )
    balance = ratios.get("left/right side bridge")
    if balance is not None and balance.ok is False and balance.value is not None:
        weaker: Literal["left", "right"] = "left" if balance.value < 1 else "right"
        if weaker not in extra:
            extra.append(weaker)
            reasons.append(
                f"Your {weaker} side bridge is shorter than the other side (ratio "
                f"{balance.value:g}, target 0.95-1.05): an extra set on that side."
            )
    flex_ext = ratios.get("flexion/extension")
    extensors_weak = bool(flex_ext is not None and flex_ext.ok is False)
    if extensors_weak:
        reasons.append("Your back-extensor hold is shorter than your abdominal hold.")
    short_hams = any(
        by_name[n].rating == "below-usual-range"
        for n in (SelfTestName.STRAIGHT_LEG_RAISE_LEFT, SelfTestName.STRAIGHT_LEG_RAISE_RIGHT)
    ) or by_name[SelfTestName.SIT_AND_REACH].rating in ("poor", "below-average")
    short_hips = any(
        by_name[n].rating == "fail"
        for n in (SelfTestName.HIP_FLEXOR_LENGTH_LEFT, SelfTestName.HIP_FLEXOR_LENGTH_RIGHT)
    )
    age = on.year - profile.birth_year if profile.birth_year else None
    return RoutineNeeds(
        stenosis=profile.has_stenosis,
        age=age,
        side_bridge_extra=tuple(sorted(extra)),
        side_bridge_strong=strong,
        extensors_weak=extensors_weak,
        short_hamstrings=short_hams,
        short_hip_flexors=short_hips,
        reasons=tuple(reasons),
    )


def _adapted_for(needs: RoutineNeeds) -> tuple[str, ...]:
    out: list[str] = []
    if needs.stenosis:
        out.append("lumbar spinal stenosis: flexion-biased, no lying face-down extensions")
    if needs.older:
        out.append(f"age {needs.age}: longer stretch holds")
    out.extend(needs.reasons)
    if needs.short_hamstrings:
        out.append("short hamstrings (self-test): hamstring stretch first")
    if needs.short_hip_flexors:
        out.append("tight hip flexors (self-test): hip-flexor stretch first")
    return tuple(out)


def get_routine(
    app: App,
    name: str | RoutineKind,
    *,
    on: date,
    minutes: int | None = None,
    needs: RoutineNeeds | None = None,
) -> RoutineView:
    """The routine ``name`` (warmup, cooldown, core, mobility) for ``on``."""
    kind = name if isinstance(name, RoutineKind) else parse_routine_kind(name)
    if needs is None:
        needs = routine_needs(app, on=on)
    routine = build_routine(kind, exercise_library(), needs, day=on, minutes=minutes)
    return RoutineView(routine, _adapted_for(needs))


def week_of_routines(app: App, *, start: date) -> tuple[RoutineView, ...]:
    """The daily mobility routine for seven days from ``start`` (for the Exercises page)."""
    needs = routine_needs(app, on=start)
    return tuple(
        get_routine(app, RoutineKind.MOBILITY, on=start + timedelta(days=k), needs=needs)
        for k in range(7)
    )


# --- adherence -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoutineLogged:
    """``{"id", "day", "routine", "done", "source"}``."""

    entry: RoutineLogEntry

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "id": e.id,
            "day": e.day.isoformat(),
            "routine": e.routine.value,
            "done": e.done,
            "source": e.source,
        }


def log_routine(
    app: App,
    name: str | RoutineKind,
    *,
    on: date,
    today: date,
    done: bool = True,
    source: str = "routine",
) -> RoutineLogged:
    """Record a routine done on ``on`` (or, with ``done=False``, that it was skipped)."""
    from backstride.adapters.db.plan_repos import RoutineLogRepo

    check_day(on, today=today, what="routine")
    kind = name if isinstance(name, RoutineKind) else parse_routine_kind(name)
    entry = RoutineLogEntry(day=on, routine=kind, done=done, source=source)
    with app.store.session() as session:
        new_id = RoutineLogRepo(session).add(app.athlete_id, entry)
    return RoutineLogged(replace(entry, id=new_id))


@dataclass(frozen=True, slots=True)
class Adherence:
    """``{"since", "until", "days", "by_routine": {name: {"done", "skipped", "days_done"}},
    "log": [...]}``."""

    since: date
    until: date
    entries: tuple[RoutineLogEntry, ...]

    def to_json(self) -> dict[str, Any]:
        by: dict[str, dict[str, int]] = {}
        for kind in RoutineKind:
            mine = [e for e in self.entries if e.routine is kind]
            by[kind.value] = {
                "done": sum(e.done for e in mine),
                "skipped": sum(not e.done for e in mine),
                "days_done": len({e.day for e in mine if e.done}),
            }
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days": (self.until - self.since).days + 1,
            "by_routine": by,
            "log": [RoutineLogged(e).to_json() for e in self.entries],
        }


def routine_adherence(app: App, *, on: date, days: int = 28) -> Adherence:
    from backstride.adapters.db.plan_repos import RoutineLogRepo

    since = on - timedelta(days=days - 1)
    with app.store.session() as session:
        entries = RoutineLogRepo(session).list(app.athlete_id, since=since, until=on)
    return Adherence(since, on, tuple(entries))


def warmup_skipped_before_painful_runs(app: App, *, on: date, days: int = 28) -> WarmupSkipReport:
    """Runs in the ``days`` up to ``on`` whose warm-up was skipped (or not logged, once the
    runner logs routines), and which of them were painful (pain during/after above 2/10, or not
    settled by the next morning; pain rules via ``services.diary.pain_report``).

    For the guidance's ``warmup.skipped`` finding: ``report.skipped_painful`` are the runs
    (activity id, day, worst pain); ``report.skipped_runs``, ``report.warmed_runs`` and
    ``report.painful_after_warmup`` give the comparison.
    """
    from backstride.adapters.db.plan_repos import RoutineLogRepo

    since = on - timedelta(days=days - 1)
    checks = pain_report(app, today=on, since=since).runs
    with app.store.session() as session:
        repo = RoutineLogRepo(session)
        log = repo.list(app.athlete_id, until=on)
    return find_warmup_skips(checks, log, since=since, until=on)


def muscle_words(names: Sequence[str]) -> list[str]:
    return [MUSCLE_WORDS[Muscle(n)] for n in names]
