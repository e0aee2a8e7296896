"""The exercise library: validated entries from ``data/exercises.toml`` and selection by target
muscle group, type and suitability for lumbar spinal stenosis.

Pure: :func:`parse_library` takes the already-decoded TOML (a mapping); reading the file is the
service's job (``services/exercises.py``). Every entry is validated; a bad entry raises
:class:`InvalidInputError` naming the entry and the field.

Sources (docs/evidence.md): section 10 (warm-up, stretching, McGill's curl-up, side bridge and
bird-dog; glute/hip strengthening; hip-flexor and hamstring stretches; flexion bias and cycling
for stenosis), section 6 (caution with sustained extension: prone extensions, long standing,
downhill), section 2 (other sports as protective volume, Malisoux 2015).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from backstride.errors import InvalidInputError


class ExerciseType(enum.StrEnum):
    DYNAMIC_WARMUP = "dynamic_warmup"
    STATIC_STRETCH = "static_stretch"
    STRENGTH = "strength"
    MOBILITY = "mobility"
    CROSS_TRAINING = "cross_training"


class Muscle(enum.StrEnum):
    """The muscle groups of the lumbar-pelvis-hip complex (and the running legs) that routines
    cover. Order is the display order."""

    ABDOMINALS = "abdominals"
    OBLIQUES = "obliques"
    LUMBAR_EXTENSORS = "lumbar_extensors"
    GLUTES = "glutes"
    PIRIFORMIS = "piriformis"
    HIP_FLEXORS = "hip_flexors"
    ADDUCTORS = "adductors"
    HAMSTRINGS = "hamstrings"
    QUADRICEPS = "quadriceps"
    CALVES = "calves"


MUSCLE_WORDS: Mapping[Muscle, str] = {
    Muscle.ABDOMINALS: "abdominals (front of the trunk)",
    Muscle.OBLIQUES: "obliques (sides of the trunk)",
    Muscle.LUMBAR_EXTENSORS: "low-back muscles",
    Muscle.GLUTES: "buttocks (glutes)",
    Muscle.PIRIFORMIS: "deep buttock rotators (piriformis)",
    Muscle.HIP_FLEXORS: "front of the hip (hip flexors)",
    Muscle.ADDUCTORS: "inner thighs (adductors)",
    Muscle.HAMSTRINGS: "back of the thighs (hamstrings)",
    Muscle.QUADRICEPS: "front of the thighs (quadriceps)",
    Muscle.CALVES: "calves",
}


class Stenosis(enum.StrEnum):
    """Suitability for lumbar spinal stenosis (docs/evidence.md)."""

    PREFERRED = "preferred"  # flexion-biased
    OK = "ok"
    AVOID = "avoid"  # sustained or loaded extension


@dataclass(frozen=True, slots=True)
class Dose:
    """How much: exactly one of ``reps``, ``hold_s`` or ``minutes``; ``sets`` rounds;
    ``per_side`` doubles the work (left, then right); ``rest_s`` between sets."""

    sets: int = 1
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    per_side: bool = False
    rest_s: int = 0

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    def text(self) -> str:
        """Plain words, e.g. ``2 x 30 s hold, each side``."""
        if self.minutes is not None:
            what = f"{self.minutes} min"
        elif self.hold_s is not None:
            what = f"{self.hold_s} s hold"
        else:
            what = f"{self.reps} reps"
        sets = f"{self.sets} x " if self.sets > 1 else ""
        side = ", each side" if self.per_side else ""
        return f"{sets}{what}{side}"

    def seconds(self, *, rep_s: float = 3.0, switch_s: float = 5.0) -> int:
        """Estimated time in seconds: work x sets x sides, rests between sets, and a few
        seconds to change side or set (backstride's estimate, for planning only)."""
        if self.minutes is not None:
            return self.minutes * 60
        work = float(self.hold_s) if self.hold_s is not None else (self.reps or 0) * rep_s
        rounds = self.sets * self.sides
        return int(round(work * rounds + self.rest_s * (self.sets - 1) + switch_s * rounds))


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    type: ExerciseType
    targets: tuple[Muscle, ...]
    dose: Dose
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    stenosis: Stenosis
    stenosis_reason: str
    source: str
    level: int = 1
    progression_of: str | None = None
    works: tuple[Muscle, ...] = ()
    spares: tuple[Muscle, ...] = ()
    spares_note: str | None = None

    def suits(self, *, stenosis: bool) -> bool:
        """False when the runner has stenosis and the exercise holds or loads extension."""
        return not (stenosis and self.stenosis is Stenosis.AVOID)


@dataclass(frozen=True)
class ExerciseLibrary:
    version: int
    exercises: tuple[Exercise, ...]

    @cached_property
    def _by_id(self) -> dict[str, Exercise]:
        return {e.id: e for e in self.exercises}

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            raise InvalidInputError(
                f"'{exercise_id}' is not in the exercise library.",
                hint="List the exercises with `backstride routine list`.",
            ) from None

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def __len__(self) -> int:
        return len(self.exercises)

    def of_type(self, *types: ExerciseType) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if e.type in types)

    def coverage(self) -> dict[Muscle, int]:
        """How many exercises work each group (cross-training counts by ``works``)."""
        counts = dict.fromkeys(Muscle, 0)
        for e in self.exercises:
            for m in e.targets:
                counts[m] += 1
        return counts


# --- parsing and validation ------------------------------------------------------------------

MAX_DOSE_SETS = 10
MAX_REPS = 50
MAX_HOLD_S = 120
MAX_MINUTES = 90


def _bad(where: str, problem: str) -> InvalidInputError:
    return InvalidInputError(f"Exercise library: {where}: {problem}.")


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(where, f"'{key}' must be non-empty text")
    return value.strip()


def _texts(raw: Mapping[str, Any], key: str, where: str, *, min_items: int) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or len(value) < min_items:
        raise _bad(where, f"'{key}' must be a list of at least {min_items} text item(s)")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _bad(where, f"every item of '{key}' must be non-empty text")
        out.append(item.strip())
    return tuple(out)


def _muscles(raw: Mapping[str, Any], key: str, where: str, *, min_items: int) -> tuple[Muscle, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or len(value) < min_items:
        raise _bad(where, f"'{key}' must list at least {min_items} muscle group(s)")
    known = {m.value for m in Muscle}
    out: list[Muscle] = []
    for item in value:
        if item not in known:
            raise _bad(where, f"'{item}' in '{key}' is not a muscle group ({', '.join(known)})")
        if Muscle(item) in out:
            raise _bad(where, f"'{item}' appears twice in '{key}'")
        out.append(Muscle(item))
    return tuple(out)


def _int(raw: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(where, f"dose '{key}' must be a whole number from {low} to {high}")
    return value


def _dose(raw: object, where: str) -> Dose:
    if not isinstance(raw, Mapping):
        raise _bad(where, "'dose' must be a table")
    unknown = set(raw) - {"sets", "reps", "hold_s", "minutes", "per_side", "rest_s"}
    if unknown:
        raise _bad(where, f"unknown dose field(s): {', '.join(sorted(unknown))}")
    reps = _int(raw, "reps", where, 1, MAX_REPS)
    hold_s = _int(raw, "hold_s", where, 5, MAX_HOLD_S)
    minutes = _int(raw, "minutes", where, 1, MAX_MINUTES)
    if sum(v is not None for v in (reps, hold_s, minutes)) != 1:
        raise _bad(where, "the dose needs exactly one of reps, hold_s or minutes")
    per_side = raw.get("per_side", False)
    if not isinstance(per_side, bool):
        raise _bad(where, "dose 'per_side' must be true or false")
    return Dose(
        sets=_int(raw, "sets", where, 1, MAX_DOSE_SETS) or 1,
        reps=reps,
        hold_s=hold_s,
        minutes=minutes,
        per_side=per_side,
        rest_s=_int(raw, "rest_s", where, 0, 180) or 0,
    )


_FIELDS = frozenset(
    {
        "id",
        "name",
        "type",
        "targets",
        "dose",
        "steps",
        "cautions",
        "stenosis",
        "stenosis_reason",
        "source",
        "level",
        "progression_of",
        "works",
        "spares",
        "spares_note",
    }
)


def parse_exercise(raw: Mapping[str, Any], *, index: int) -> Exercise:
    """One entry of the library, validated (see the module docstring of the data file)."""
    ident = raw.get("id")
    where = f"entry {index + 1} ('{ident}')" if isinstance(ident, str) else f"entry {index + 1}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise _bad(where, f"unknown field(s): {', '.join(sorted(unknown))}")
    ex_id = _text(raw, "id", where)
    assert ex_id is not None
    if ex_id != ex_id.lower() or not all(c.isalnum() or c == "-" for c in ex_id):
        raise _bad(where, "'id' must be lower-case letters, digits and hyphens")
    type_text = raw.get("type")
    if type_text not in {t.value for t in ExerciseType}:
        raise _bad(where, f"'type' must be one of {', '.join(t.value for t in ExerciseType)}")
    ex_type = ExerciseType(str(type_text))
    stenosis_text = raw.get("stenosis")
    if stenosis_text not in {s.value for s in Stenosis}:
        raise _bad(where, "'stenosis' must be preferred, ok or avoid")
    level = raw.get("level", 1)
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 3:
        raise _bad(where, "'level' must be 1, 2 or 3")
    targets = _muscles(raw, "targets", where, min_items=1)
    is_cross = ex_type is ExerciseType.CROSS_TRAINING
    works = _muscles(raw, "works", where, min_items=1 if is_cross else 0)
    spares = _muscles(raw, "spares", where, min_items=1 if is_cross else 0)
    spares_note = _text(raw, "spares_note", where, required=is_cross)
    if not is_cross and (works or spares or spares_note):
        raise _bad(where, "only cross-training entries say what they work and spare")
    if is_cross and set(works) != set(targets):
        raise _bad(where, "a cross-training entry's 'works' must equal its 'targets'")
    if set(works) & set(spares):
        raise _bad(where, "a group cannot be both worked and spared")
    dose = _dose(raw.get("dose"), where)
    if is_cross and dose.minutes is None:
        raise _bad(where, "cross-training is dosed in minutes")
    if ex_type is ExerciseType.STATIC_STRETCH and dose.hold_s is None:
        raise _bad(where, "a static stretch is dosed as a hold in seconds")
    return Exercise(
        id=ex_id,
        name=_text(raw, "name", where) or "",
        type=ex_type,
        targets=targets,
        dose=dose,
        steps=_texts(raw, "steps", where, min_items=2),
        cautions=_texts(raw, "cautions", where, min_items=1),
        stenosis=Stenosis(str(stenosis_text)),
        stenosis_reason=_text(raw, "stenosis_reason", where) or "",
        source=_text(raw, "source", where) or "",
        level=level,
        progression_of=_text(raw, "progression_of", where, required=False),
        works=works,
        spares=spares,
        spares_note=spares_note,
    )


def parse_library(data: Mapping[str, Any]) -> ExerciseLibrary:
    """The whole library from decoded TOML; ids unique, progressions point at known entries."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _bad("top level", "'version' must be a whole number")
    raw_list = data.get("exercise")
    if not isinstance(raw_list, list) or not raw_list:
        raise _bad("top level", "there must be a list of [[exercise]] entries")
    exercises: list[Exercise] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_list):
        if not isinstance(raw, Mapping):
            raise _bad(f"entry {index + 1}", "each entry must be a table")
        exercise = parse_exercise(raw, index=index)
        if exercise.id in seen:
            raise _bad(f"entry {index + 1}", f"the id '{exercise.id}' is used twice")
        seen.add(exercise.id)
        exercises.append(exercise)
    for exercise in exercises:
        if exercise.progression_of is not None and exercise.progression_of not in seen:
            raise _bad(
                f"'{exercise.id}'",
                f"progression_of names unknown entry '{exercise.progression_of}'",
            )
    return ExerciseLibrary(version=version, exercises=tuple(exercises))


# --- selection -------------------------------------------------------------------------------

_STENOSIS_ORDER = {Stenosis.PREFERRED: 0, Stenosis.OK: 1, Stenosis.AVOID: 2}


def select(
    library: ExerciseLibrary,
    *,
    types: Iterable[ExerciseType] = (),
    target: Muscle | None = None,
    stenosis: bool = False,
    max_level: int = 3,
    exclude: Iterable[str] = (),
    avoid_ok: bool = True,
) -> tuple[Exercise, ...]:
    """Exercises of the given types (all when empty) that work ``target``, suitable for the
    runner: with stenosis, ``avoid`` entries are left out and ``preferred`` ones come first
    (docs/evidence.md: flexion bias; no prone or loaded extension). ``avoid_ok=False``
    leaves ``avoid`` entries out for everyone (the routines do this). Library order
    otherwise."""
    wanted = set(types)
    skip = set(exclude)
    found = [
        e
        for e in library.exercises
        if (not wanted or e.type in wanted)
        and (target is None or target in e.targets)
        and e.suits(stenosis=stenosis)
        and (avoid_ok or e.stenosis is not Stenosis.AVOID)
        and e.level <= max_level
        and e.id not in skip
    ]
    if stenosis:
        found.sort(key=lambda e: _STENOSIS_ORDER[e.stenosis])  # stable: library order within
    return tuple(found)


def covering(exercises: Sequence[Exercise]) -> frozenset[Muscle]:
    """The muscle groups a set of exercises works between them."""
    return frozenset(m for e in exercises for m in e.targets)
