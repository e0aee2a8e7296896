"""The exercise library: the bundled data file against its schema, coverage and selection."""

from __future__ import annotations

import copy
import tomllib
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from backstride.adapters.files.exercise_library import read_exercise_library
from backstride.domain.exercises import (
    ExerciseType,
    Muscle,
    Stenosis,
    covering,
    parse_library,
    select,
)
from backstride.errors import InvalidInputError


def raw_library() -> dict[str, Any]:
    text = resources.files("backstride").joinpath("data", "exercises.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_bundled_library_ships_as_package_data_and_validates() -> None:
    library = read_exercise_library()
    assert len(library) >= 40
    assert library.version == 1
    assert len({e.id for e in library.exercises}) == len(library)


def test_every_type_is_present() -> None:
    counts = Counter(e.type for e in read_exercise_library().exercises)
    assert set(counts) == set(ExerciseType)
    assert counts[ExerciseType.STRENGTH] >= 10
    assert counts[ExerciseType.STATIC_STRETCH] >= 8


@pytest.mark.parametrize("muscle", list(Muscle), ids=lambda m: m.value)
def test_every_target_group_is_covered_by_at_least_three_exercises(muscle: Muscle) -> None:
    library = read_exercise_library()
    assert library.coverage()[muscle] >= 3
    non_cross = [e for e in library.exercises if e.type is not ExerciseType.CROSS_TRAINING]
    assert sum(muscle in e.targets for e in non_cross) >= 3


def test_cross_training_says_what_it_spares_and_works() -> None:
    library = read_exercise_library()
    cross = {e.id: e for e in library.of_type(ExerciseType.CROSS_TRAINING)}
    assert {"cycling", "swimming", "walking", "elliptical", "rowing"} <= set(cross)
    for e in cross.values():
        assert e.works and e.spares and e.spares_note
        assert e.dose.minutes is not None
    assert cross["cycling"].stenosis is Stenosis.PREFERRED


def test_each_entry_has_steps_cautions_dose_and_a_stenosis_reason() -> None:
    for e in read_exercise_library().exercises:
        assert len(e.steps) >= 2, e.id
        assert e.cautions, e.id
        assert e.stenosis_reason and e.source, e.id
        assert sum(v is not None for v in (e.dose.reps, e.dose.hold_s, e.dose.minutes)) == 1
        assert e.dose.seconds() > 0
        if e.type is ExerciseType.STATIC_STRETCH:
            assert e.dose.hold_s is not None and 10 <= e.dose.hold_s <= 60


def test_prone_extensions_are_avoided_with_stenosis_and_flexion_is_preferred() -> None:
    library = read_exercise_library()
    avoided = {e.id for e in library.exercises if e.stenosis is Stenosis.AVOID}
    assert {"prone-press-up", "prone-back-extension"} <= avoided
    for wanted in ("knee-to-chest", "pelvic-tilt", "childs-pose", "cycling"):
        assert library.get(wanted).stenosis is Stenosis.PREFERRED


def test_mcgill_big_three_glute_bridge_and_clamshell_progressions_exist() -> None:
    library = read_exercise_library()
    for ident in ("curl-up", "side-bridge-knees", "bird-dog", "glute-bridge", "clamshell"):
        assert library.get(ident).type is ExerciseType.STRENGTH
    assert library.get("side-bridge").progression_of == "side-bridge-knees"
    assert library.get("clamshell-band").progression_of == "clamshell"
    assert library.get("single-leg-bridge").progression_of == "glute-bridge"


def test_select_with_stenosis_drops_avoid_and_puts_preferred_first() -> None:
    library = read_exercise_library()
    found = select(library, target=Muscle.LUMBAR_EXTENSORS, stenosis=True)
    assert found and all(e.stenosis is not Stenosis.AVOID for e in found)
    ranks = [0 if e.stenosis is Stenosis.PREFERRED else 1 for e in found]
    assert ranks == sorted(ranks)
    everyone = select(library, target=Muscle.LUMBAR_EXTENSORS)
    assert any(e.stenosis is Stenosis.AVOID for e in everyone)
    assert not any(
        e.stenosis is Stenosis.AVOID
        for e in select(library, target=Muscle.LUMBAR_EXTENSORS, avoid_ok=False)
    )
    assert Muscle.GLUTES in covering(select(library, types=[ExerciseType.STRENGTH]))


def test_unknown_id_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="not in the exercise library"):
        read_exercise_library().get("handstand")


BROKEN: list[tuple[str, Any, str]] = [
    ("type", "yoga", "'type' must be one of"),
    ("targets", ["neck"], "not a muscle group"),
    ("targets", [], "at least 1 muscle group"),
    ("stenosis", "maybe", "preferred, ok or avoid"),
    ("steps", ["only one"], "at least 2"),
    ("cautions", [], "at least 1"),
    ("dose", {"reps": 10, "hold_s": 30}, "exactly one of reps"),
    ("dose", {"reps": 0}, "from 1 to"),
    ("dose", {"reps": 10, "speed": 3}, "unknown dose field"),
    ("id", "Bad Id", "lower-case"),
    ("colour", "red", "unknown field"),
    ("spares", ["calves"], "only cross-training"),
    ("level", 7, "'level' must be"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"), BROKEN, ids=[b[0] + "-" + b[2] for b in BROKEN]
)
def test_schema_refuses_a_broken_entry(key: str, value: Any, message: str) -> None:
    data = copy.deepcopy(raw_library())
    entry = next(e for e in data["exercise"] if e["id"] == "glute-bridge")
    entry[key] = value
    with pytest.raises(InvalidInputError, match=message):
        parse_library(data)


def test_schema_refuses_duplicates_and_dangling_progressions() -> None:
    data = copy.deepcopy(raw_library())
    data["exercise"].append(copy.deepcopy(data["exercise"][0]))
    with pytest.raises(InvalidInputError, match="used twice"):
        parse_library(data)
    data = copy.deepcopy(raw_library())
    data["exercise"][0]["progression_of"] = "nowhere"
    with pytest.raises(InvalidInputError, match="unknown entry"):
        parse_library(data)
    with pytest.raises(InvalidInputError, match="version"):
        parse_library({"exercise": []})
    with pytest.raises(InvalidInputError, match="list of"):
        parse_library({"version": 1, "exercise": []})


def test_cross_training_entries_need_minutes_and_matching_works() -> None:
    data = copy.deepcopy(raw_library())
    cycling = next(e for e in data["exercise"] if e["id"] == "cycling")
    cycling["works"] = ["calves"]
    with pytest.raises(InvalidInputError, match="must equal its 'targets'"):
        parse_library(data)
    data = copy.deepcopy(raw_library())
    cycling = next(e for e in data["exercise"] if e["id"] == "cycling")
    cycling["spares"] = ["glutes"]
    with pytest.raises(InvalidInputError, match="both worked and spared"):
        parse_library(data)
    data = copy.deepcopy(raw_library())
    cycling = next(e for e in data["exercise"] if e["id"] == "cycling")
    cycling["dose"] = {"reps": 10}
    with pytest.raises(InvalidInputError, match="dosed in minutes"):
        parse_library(data)
    data = copy.deepcopy(raw_library())
    stretch = next(e for e in data["exercise"] if e["id"] == "knee-to-chest")
    stretch["dose"] = {"reps": 10}
    with pytest.raises(InvalidInputError, match="hold in seconds"):
        parse_library(data)


def test_dose_text_reads_plainly() -> None:
    library = read_exercise_library()
    assert library.get("knee-to-chest").dose.text() == "2 x 30 s hold, each side"
    assert library.get("brisk-walk").dose.text() == "5 min"
    assert library.get("pelvic-tilt").dose.text() == "10 reps"


def test_docs_list_every_exercise_and_the_counts() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "plan.md").read_text("utf-8")
    library = read_exercise_library()
    for e in library.exercises:
        assert f"`{e.id}`" in docs, e.id
    assert f"{len(library)} exercises" in docs
    words = {
        Muscle.LUMBAR_EXTENSORS: "lumbar extensors",
        Muscle.HIP_FLEXORS: "hip flexors",
    }
    for muscle, count in library.coverage().items():
        assert f"{words.get(muscle, muscle.value)} {count}" in docs, muscle
