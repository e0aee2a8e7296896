"""Routines built from the exercise library: pre-run warm-up, after-run stretch, core-and-hip
strength, and a daily mobility routine.

Pure: takes the library, what is known about the runner (:class:`RoutineNeeds`) and the day.
Sources (docs/evidence.md):
- warm-up: a 5-minute brisk walk before each run (section 9) plus dynamic drills, in the spirit
  of neuromuscular warm-ups (FIFA 11+, Herman 2012, section 10; no runner-specific trial);
- after-run stretch: holds of 10-30 s, 30-60 s for older adults, 2-4 repetitions, about 60 s
  per muscle group (ACSM, Garber 2011, section 10). Stretching does not prevent injuries
  (Lauersen 2014, Pope 2000); it is offered for flexibility, which self-tests can show is short
  (Maselli 2020: poor hamstring flexibility and limited hip flexion go with low-back pain);
- core and hips: McGill's curl-up, side bridge and bird-dog, glute bridge and clamshell
  progressions, 2-3 times a week (section 10; strength training RR about 0.32, Lauersen 2014);
  side-bridge endurance and the left/right balance from McGill 1999 (section 5);
- stenosis: flexion-biased choices, nothing lying face down in extension (section 6 and 10).

Rotation: the daily mobility routine works two focus groups a day on a five-day cycle, so any
five consecutive days (and so every week) cover all ten groups; the stretch and core accessory
choices rotate by day as well.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from backstride.domain.evidence import cite
from backstride.domain.exercises import (
    Exercise,
    ExerciseLibrary,
    ExerciseType,
    Muscle,
    Stenosis,
    select,
)
from backstride.domain.pain import PAIN_RULES, PainRules, RunPainCheck
from backstride.errors import InvalidInputError


class RoutineKind(enum.StrEnum):
    WARMUP = "warmup"
    COOLDOWN = "cooldown"
    CORE = "core"
    MOBILITY = "mobility"


ROUTINE_TITLES = {
    RoutineKind.WARMUP: "Pre-run warm-up",
    RoutineKind.COOLDOWN: "After-run stretch",
    RoutineKind.CORE: "Core and hip strength",
    RoutineKind.MOBILITY: "Daily mobility",
}

DEFAULT_MINUTES = {
    RoutineKind.WARMUP: 10,
    RoutineKind.COOLDOWN: 10,
    RoutineKind.CORE: 20,
    RoutineKind.MOBILITY: 10,
}
MINUTES_RANGE = {
    RoutineKind.WARMUP: (6, 20),
    RoutineKind.COOLDOWN: (4, 30),
    RoutineKind.CORE: (8, 45),
    RoutineKind.MOBILITY: (4, 30),
}

ROUTINE_SOURCES = {
    RoutineKind.WARMUP: cite(
        "nhs-c25k", "herman-2012", note="a 5-minute brisk walk, then dynamic drills"
    ),
    RoutineKind.COOLDOWN: cite(
        "garber-2011",
        "lauersen-2014",
        "pope-2000",
        note=(
            "holds of 10-30 s, 30-60 s for older adults, 2-4 times; stretching is for "
            "flexibility, not injury prevention"
        ),
    ),
    RoutineKind.CORE: cite(
        "mcgill-1999",
        "lauersen-2014",
        note=(
            "curl-up, side bridge, bird-dog and hip strength; strength training went with "
            "fewer injuries"
        ),
    ),
    RoutineKind.MOBILITY: cite(
        "hayden-2021", "nass-2011", note="for stenosis, bending forward rather than arching"
    ),
}

#: ACSM counts adults of 65 and over as older adults (Chodzko-Zajko 2009 [R]); their holds
#: are 30-60 s (Garber 2011, docs/evidence.md). backstride uses 45 s, the middle.
OLDER_ADULT_AGE = 65
HOLD_S = 30
OLDER_HOLD_S = 45
STRETCH_REPS = 2

#: The daily mobility routine's focus groups: a five-day cycle of two groups a day.
MOBILITY_CYCLE: tuple[tuple[Muscle, Muscle], ...] = (
    (Muscle.HIP_FLEXORS, Muscle.HAMSTRINGS),
    (Muscle.GLUTES, Muscle.OBLIQUES),
    (Muscle.LUMBAR_EXTENSORS, Muscle.ADDUCTORS),
    (Muscle.PIRIFORMIS, Muscle.CALVES),
    (Muscle.QUADRICEPS, Muscle.ABDOMINALS),
)

#: The after-run stretch works through these groups, starting at a different one each day.
STRETCH_CYCLE: tuple[Muscle, ...] = (
    Muscle.HAMSTRINGS,
    Muscle.CALVES,
    Muscle.HIP_FLEXORS,
    Muscle.GLUTES,
    Muscle.QUADRICEPS,
    Muscle.ADDUCTORS,
    Muscle.PIRIFORMIS,
    Muscle.LUMBAR_EXTENSORS,
    Muscle.OBLIQUES,
)

Side = Literal["both", "each", "left", "right"]


@dataclass(frozen=True, slots=True)
class RoutineNeeds:
    """What the routines adapt to: conditions and self-test results (all optional).

    ``side_bridge_extra``: sides that get an extra side-bridge set (weak or the weaker of a
    lopsided pair, McGill 1999 ratio target 0.95-1.05). ``extensors_weak``: the flexor hold
    outlasts the extensor hold (McGill ratio flexion/extension >= 1.0), so the bird-dog gets an
    extra set. ``side_bridge_strong``: both side bridges at or above the average adult, so the
    full side bridge replaces the knee version.
    """

    stenosis: bool = False
    age: int | None = None
    side_bridge_extra: tuple[Literal["left", "right"], ...] = ()
    side_bridge_strong: bool = False
    extensors_weak: bool = False
    short_hamstrings: bool = False
    short_hip_flexors: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def older(self) -> bool:
        return self.age is not None and self.age >= OLDER_ADULT_AGE


@dataclass(frozen=True, slots=True)
class RoutineStep:
    """One exercise in a routine, with the dose for this runner and the reason it is there."""

    exercise: Exercise
    sets: int
    reps: int | None
    hold_s: int | None
    minutes: int | None
    side: Side
    why: str | None = None

    @property
    def seconds(self) -> int:
        """Estimated duration (backstride's estimate, for planning only)."""
        sides = 2 if self.side == "each" else 1
        rounds = self.sets * sides
        if self.minutes is not None:
            return self.minutes * 60
        work = float(self.hold_s) if self.hold_s is not None else (self.reps or 0) * 3.0
        rest = self.exercise.dose.rest_s * (self.sets - 1) if self.sets > 1 else 0
        return int(round(work * rounds + rest + 5 * rounds))

    def dose_text(self) -> str:
        if self.minutes is not None:
            what = f"{self.minutes} min"
        elif self.hold_s is not None:
            what = f"hold {self.hold_s} s"
        else:
            what = f"{self.reps} reps"
        sets = f"{self.sets} x " if self.sets > 1 else ""
        side = {"both": "", "each": ", each side", "left": ", left side", "right": ", right side"}
        return f"{sets}{what}{side[self.side]}"


@dataclass(frozen=True, slots=True)
class Routine:
    kind: RoutineKind
    title: str
    day: date
    minutes_target: int
    steps: tuple[RoutineStep, ...]
    notes: tuple[str, ...]
    source: str

    @property
    def seconds(self) -> int:
        return sum(s.seconds for s in self.steps)

    @property
    def targets(self) -> frozenset[Muscle]:
        return frozenset(m for s in self.steps for m in s.exercise.targets)


@dataclass(frozen=True, slots=True)
class RoutineLogEntry:
    """A routine done on a day (``done=False``: the runner says it was skipped)."""

    day: date
    routine: RoutineKind
    done: bool = True
    source: str = "routine"
    id: int | None = None


def parse_routine_kind(text: str) -> RoutineKind:
    key = text.strip().lower().replace("_", "-")
    aliases = {"warm-up": "warmup", "cool-down": "cooldown", "stretch": "cooldown"}
    key = aliases.get(key, key)
    try:
        return RoutineKind(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a routine.",
            hint=f"Choose one of: {', '.join(k.value for k in RoutineKind)}.",
        ) from None


def check_minutes(kind: RoutineKind, minutes: int | None) -> int:
    if minutes is None:
        return DEFAULT_MINUTES[kind]
    low, high = MINUTES_RANGE[kind]
    if not low <= minutes <= high:
        raise InvalidInputError(
            f"{minutes} minutes is outside the range of the {ROUTINE_TITLES[kind].lower()} "
            f"routine ({low}-{high} minutes).",
            hint=f"Give --minutes between {low} and {high}.",
        )
    return minutes


def _step(exercise: Exercise, *, why: str | None = None, hold_s: int | None = None) -> RoutineStep:
    d = exercise.dose
    return RoutineStep(
        exercise=exercise,
        sets=d.sets,
        reps=d.reps,
        hold_s=hold_s if hold_s is not None and d.hold_s is not None else d.hold_s,
        minutes=d.minutes,
        side="each" if d.per_side else "both",
        why=why,
    )


def _pick(candidates: Sequence[Exercise], turn: int, *, stenosis: bool) -> Exercise | None:
    """One of the candidates, rotating with ``turn``; with stenosis among the preferred ones
    when there are any (flexion bias)."""
    if not candidates:
        return None
    pool = list(candidates)
    if stenosis:
        preferred = [e for e in pool if e.stenosis is Stenosis.PREFERRED]
        pool = preferred or pool
    return pool[turn % len(pool)]


def _fill(
    required: list[RoutineStep], optional: Sequence[RoutineStep], budget_s: int
) -> list[RoutineStep]:
    """The required steps, then optional ones in order while the time budget allows."""
    out = list(required)
    used = sum(s.seconds for s in out)
    for step in optional:
        if any(s.exercise.id == step.exercise.id for s in out):
            continue
        if used + step.seconds <= budget_s:
            out.append(step)
            used += step.seconds
    return out


def _stenosis_note(needs: RoutineNeeds) -> tuple[str, ...]:
    if not needs.stenosis:
        return ()
    return (
        "Chosen for spinal stenosis: flexion-biased exercises first, nothing lying face down "
        "in extension. If leg symptoms come on, sit or bend forward until they ease.",
    )


def build_warmup(
    library: ExerciseLibrary, needs: RoutineNeeds, *, day: date, minutes: int
) -> Routine:
    """A 5-minute brisk walk, then dynamic drills rotating by day (at least two)."""
    walk = library.get("brisk-walk")
    drills = [
        e
        for e in select(
            library, types=[ExerciseType.DYNAMIC_WARMUP], stenosis=needs.stenosis, avoid_ok=False
        )
        if e.id != walk.id
    ]
    # Always one hip-flexion drill (knee lift) and one leg swing; the rest rotate.
    anchors = [library.get("high-knee-march"), library.get("leg-swing-front-back")]
    others = [e for e in drills if e not in anchors]
    turn = day.toordinal() % max(1, len(others))
    rotated = others[turn:] + others[:turn]
    if needs.stenosis:
        rotated.sort(key=lambda e: e.stenosis is not Stenosis.PREFERRED)
    required = [_step(walk, why="Raises the heart rate and warms the legs gently.")]
    required += [_step(e) for e in anchors]
    steps = _fill(required, [_step(e) for e in rotated], minutes * 60)
    return Routine(
        kind=RoutineKind.WARMUP,
        title=ROUTINE_TITLES[RoutineKind.WARMUP],
        day=day,
        minutes_target=minutes,
        steps=tuple(steps),
        notes=(
            "Walk briskly for 5 minutes, then do the drills in order, easily and without "
            "bouncing. Keep the same warm-up from run to run: changing one's routine abruptly "
            "was linked to more injuries (Pereles 2011).",
            *_stenosis_note(needs),
        ),
        source=ROUTINE_SOURCES[RoutineKind.WARMUP],
    )


def _stretch_for(
    library: ExerciseLibrary, group: Muscle, needs: RoutineNeeds, turn: int
) -> Exercise | None:
    found = select(
        library,
        types=[ExerciseType.STATIC_STRETCH],
        target=group,
        stenosis=needs.stenosis,
        avoid_ok=False,
    )
    return _pick(found, turn, stenosis=needs.stenosis)


def build_cooldown(
    library: ExerciseLibrary, needs: RoutineNeeds, *, day: date, minutes: int
) -> Routine:
    """Static stretches after the run: self-test needs first, then groups rotating by day."""
    hold = OLDER_HOLD_S if needs.older else HOLD_S
    turn = day.toordinal()
    required: list[RoutineStep] = []

    def add(group: Muscle, why: str | None, into: list[RoutineStep]) -> None:
        exercise = _stretch_for(library, group, needs, turn // 7)
        if exercise is not None and all(s.exercise.id != exercise.id for s in required + into):
            into.append(replace(_step(exercise, why=why, hold_s=hold), sets=STRETCH_REPS))

    if needs.short_hamstrings:
        add(
            Muscle.HAMSTRINGS,
            "Your straight-leg raise or sit-and-reach showed short hamstrings.",
            required,
        )
    if needs.short_hip_flexors:
        add(Muscle.HIP_FLEXORS, "Your hip-flexor test showed tight hip flexors.", required)
    if needs.stenosis:
        knee = library.get("knee-to-chest")
        if all(s.exercise.id != knee.id for s in required):
            required.append(
                replace(
                    _step(knee, why="A flexion stretch that eases stenosis symptoms.", hold_s=hold),
                    sets=STRETCH_REPS,
                )
            )
    optional: list[RoutineStep] = []
    start = turn % len(STRETCH_CYCLE)
    for group in STRETCH_CYCLE[start:] + STRETCH_CYCLE[:start]:
        add(group, None, optional)
    steps = _fill(required, optional, minutes * 60)
    if not steps and optional:
        steps = [optional[0]]
    older = (
        f" As you are {needs.age}, hold each stretch for {hold} s (30-60 s for older adults)."
        if needs.older
        else ""
    )
    return Routine(
        kind=RoutineKind.COOLDOWN,
        title=ROUTINE_TITLES[RoutineKind.COOLDOWN],
        day=day,
        minutes_target=minutes,
        steps=tuple(steps),
        notes=(
            "After the cool-down walk, while you are warm. Stretch to a gentle pull, never "
            f"pain; hold still, breathe slowly, {STRETCH_REPS} times each.{older}",
            "Stretching keeps you supple; on its own it does not prevent injuries "
            f"({cite('lauersen-2014', 'pope-2000')}). Strength work went with fewer injuries.",
            *_stenosis_note(needs),
        ),
        source=ROUTINE_SOURCES[RoutineKind.COOLDOWN],
    )


CORE_ACCESSORIES: tuple[str, ...] = (
    "inner-thigh-lift",
    "side-lying-leg-raise",
    "dead-bug",
    "calf-raise",
    "sit-to-stand",
    "adductor-squeeze",
    "seated-march",
    "wall-sit",
)


def build_core(
    library: ExerciseLibrary, needs: RoutineNeeds, *, day: date, minutes: int
) -> Routine:
    """McGill's three, glute bridge and clamshell, plus accessories rotating by day.

    A weak or lopsided side bridge gets an extra set on that side; weak back extensors an
    extra bird-dog set (McGill 1999 ratios, docs/evidence.md).
    """
    warm = library.get("pelvic-tilt" if needs.stenosis else "cat-camel")
    side = library.get("side-bridge" if needs.side_bridge_strong else "side-bridge-knees")
    bird = library.get("bird-dog")
    required: list[RoutineStep] = [
        _step(warm, why="Loosens the back before the holds (a few slow, easy cycles)."),
        _step(library.get("curl-up"), why="McGill's curl-up: the front of the trunk."),
        _step(side, why="McGill's side bridge: the sides of the trunk and the hips."),
    ]
    for which in needs.side_bridge_extra:
        required.append(
            RoutineStep(
                exercise=side,
                sets=1,
                reps=None,
                hold_s=side.dose.hold_s,
                minutes=None,
                side=which,
                why=f"Extra set for your {which} side: your self-test showed it tires sooner.",
            )
        )
    bird_step = _step(bird, why="McGill's bird-dog: the back extensors with the spine neutral.")
    if needs.extensors_weak:
        bird_step = replace(
            bird_step,
            sets=bird_step.sets + 1,
            why="McGill's bird-dog, with an extra set: your back-extensor hold is shorter "
            "than your abdominal hold.",
        )
    required.append(bird_step)
    required.append(_step(library.get("glute-bridge"), why="Buttocks and hamstrings."))
    required.append(_step(library.get("clamshell"), why="The side of the hip and deep rotators."))
    if needs.stenosis:
        required.append(
            _step(library.get("dead-bug"), why="Abdominals with the back gently flattened.")
        )
    turn = day.toordinal() % len(CORE_ACCESSORIES)
    order = CORE_ACCESSORIES[turn:] + CORE_ACCESSORIES[:turn]
    optional = [
        _step(library.get(i)) for i in order if library.get(i).stenosis is not Stenosis.AVOID
    ]
    steps = _fill(required, optional, minutes * 60)
    return Routine(
        kind=RoutineKind.CORE,
        title=ROUTINE_TITLES[RoutineKind.CORE],
        day=day,
        minutes_target=minutes,
        steps=tuple(steps),
        notes=(
            "Two or three times a week, on days without a run or after an easy one. Holds are "
            "short (about 10 s) and repeated: endurance, not maximal effort. Stop any "
            "exercise that brings on leg symptoms.",
            *_stenosis_note(needs),
        ),
        source=ROUTINE_SOURCES[RoutineKind.CORE],
    )


def build_mobility(
    library: ExerciseLibrary, needs: RoutineNeeds, *, day: date, minutes: int
) -> Routine:
    """A short daily routine: a base movement and two focus groups on a five-day cycle."""
    ordinal = day.toordinal()
    week_turn = ordinal // len(MOBILITY_CYCLE)
    base_ids = ("pelvic-tilt", "rocking-knee-hug") if needs.stenosis else ("cat-camel",)
    required = [_step(library.get(i)) for i in base_ids]
    types = [ExerciseType.MOBILITY, ExerciseType.STATIC_STRETCH]
    hold = OLDER_HOLD_S if needs.older else HOLD_S
    for k in range(len(MOBILITY_CYCLE)):
        pair = MOBILITY_CYCLE[(ordinal + k) % len(MOBILITY_CYCLE)]
        chosen: list[RoutineStep] = []
        for group in pair:
            candidates = [
                e
                for e in select(
                    library, types=types, target=group, stenosis=needs.stenosis, avoid_ok=False
                )
                if all(s.exercise.id != e.id for s in required + chosen)
            ]
            exercise = _pick(candidates, week_turn, stenosis=needs.stenosis)
            if exercise is not None:
                why = f"Today's focus: {group.value.replace('_', ' ')}." if k == 0 else None
                chosen.append(_step(exercise, why=why, hold_s=hold))
        if k == 0:
            required += chosen  # today's focus pair is always in
            continue
        added = False
        for step in chosen:
            if sum(s.seconds for s in required) + step.seconds <= minutes * 60:
                required.append(step)
                added = True
        if not added:
            break
    return Routine(
        kind=RoutineKind.MOBILITY,
        title=ROUTINE_TITLES[RoutineKind.MOBILITY],
        day=day,
        minutes_target=minutes,
        steps=tuple(required),
        notes=(
            "Gentle, every day, including rest days. The focus changes daily so that every "
            "muscle group gets a turn within the week.",
            *_stenosis_note(needs),
        ),
        source=ROUTINE_SOURCES[RoutineKind.MOBILITY],
    )


def build_routine(
    kind: RoutineKind,
    library: ExerciseLibrary,
    needs: RoutineNeeds,
    *,
    day: date,
    minutes: int | None = None,
) -> Routine:
    """The routine of ``kind`` for ``day``, fitted to about ``minutes`` (default per kind)."""
    budget = check_minutes(kind, minutes)
    if kind is RoutineKind.WARMUP:
        return build_warmup(library, needs, day=day, minutes=budget)
    if kind is RoutineKind.COOLDOWN:
        return build_cooldown(library, needs, day=day, minutes=budget)
    if kind is RoutineKind.CORE:
        return build_core(library, needs, day=day, minutes=budget)
    return build_mobility(library, needs, day=day, minutes=budget)


# --- warm-ups skipped before painful runs ------------------------------------------------------

WarmupStatus = Literal["done", "skipped", "not-logged", "before-tracking"]


@dataclass(frozen=True, slots=True)
class WarmupRun:
    """A run, whether a warm-up was logged that day, and whether pain followed."""

    activity_id: int
    day: date
    warmup: WarmupStatus
    worst_pain: int | None  # worst of during and after
    painful: bool
    pain_reasons: tuple[str, ...]

    @property
    def warmup_skipped(self) -> bool:
        return self.warmup in ("skipped", "not-logged")


@dataclass(frozen=True, slots=True)
class WarmupSkipReport:
    """Runs from ``since`` to ``until`` by warm-up status and pain.

    A run counts as painful when pain during or after it rose above the safe zone (> 2/10) or
    did not settle by the next morning (Silbernagel 2007 zones, docs/evidence.md). A run day
    with no warm-up logged counts as skipped once the runner has started logging routines
    (``tracking_since``); earlier runs are left out.
    """

    since: date
    until: date
    tracking_since: date | None
    runs: tuple[WarmupRun, ...]

    @property
    def tracked(self) -> tuple[WarmupRun, ...]:
        return tuple(r for r in self.runs if r.warmup != "before-tracking")

    @property
    def skipped_painful(self) -> tuple[WarmupRun, ...]:
        """Runs with pain that followed a skipped warm-up: the guidance finding's evidence."""
        return tuple(r for r in self.tracked if r.warmup_skipped and r.painful)

    @property
    def skipped_runs(self) -> int:
        return sum(r.warmup_skipped for r in self.tracked)

    @property
    def warmed_runs(self) -> int:
        return sum(r.warmup == "done" for r in self.tracked)

    @property
    def painful_after_warmup(self) -> int:
        return sum(r.warmup == "done" and r.painful for r in self.tracked)

    def to_json(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "tracking_since": self.tracking_since.isoformat() if self.tracking_since else None,
            "skipped_runs": self.skipped_runs,
            "warmed_runs": self.warmed_runs,
            "painful_after_skipped": len(self.skipped_painful),
            "painful_after_warmup": self.painful_after_warmup,
            "runs": [
                {
                    "activity_id": r.activity_id,
                    "day": r.day.isoformat(),
                    "warmup": r.warmup,
                    "worst_pain": r.worst_pain,
                    "painful": r.painful,
                    "pain_reasons": list(r.pain_reasons),
                }
                for r in self.runs
            ],
        }


def find_warmup_skips(
    checks: Sequence[RunPainCheck],
    log: Sequence[RoutineLogEntry],
    *,
    since: date,
    until: date,
    rules: PainRules = PAIN_RULES,
) -> WarmupSkipReport:
    """Match each run's pain check with the warm-up log of its day (pure)."""
    tracking = min((e.day for e in log), default=None)
    warmups: dict[date, list[bool]] = {}
    for entry in log:
        if entry.routine is RoutineKind.WARMUP:
            warmups.setdefault(entry.day, []).append(entry.done)
    runs: list[WarmupRun] = []
    for check in sorted(checks, key=lambda c: (c.day, c.activity_id)):
        if not since <= check.day <= until:
            continue
        marks = warmups.get(check.day, [])
        status: WarmupStatus
        if any(marks):
            status = "done"
        elif marks:
            status = "skipped"
        elif tracking is not None and check.day >= tracking:
            status = "not-logged"
        else:
            status = "before-tracking"
        scores = [s for s in (check.during, check.after) if s is not None]
        worst = max(scores) if scores else None
        painful = (worst is not None and worst > rules.safe_max) or check.settled == "no"
        runs.append(
            WarmupRun(
                activity_id=check.activity_id,
                day=check.day,
                warmup=status,
                worst_pain=worst,
                painful=painful,
                pain_reasons=check.reasons if painful else (),
            )
        )
    return WarmupSkipReport(since=since, until=until, tracking_since=tracking, runs=tuple(runs))
