"""Routines: warm-up, after-run stretch, core and hip strength, daily mobility."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.adapters.files.exercise_library import read_exercise_library
from backstride.domain.exercises import Muscle, Stenosis
from backstride.domain.pain import RunPainCheck
from backstride.domain.routines import (
    DEFAULT_MINUTES,
    RoutineKind,
    RoutineLogEntry,
    RoutineNeeds,
    build_routine,
    check_minutes,
    find_warmup_skips,
    parse_routine_kind,
)
from backstride.errors import InvalidInputError

LIBRARY = read_exercise_library()
DAY = date(2026, 3, 2)

needs_strategy = st.builds(
    RoutineNeeds,
    stenosis=st.booleans(),
    age=st.one_of(st.none(), st.integers(18, 90)),
    side_bridge_extra=st.sampled_from([(), ("left",), ("right",), ("left", "right")]),
    side_bridge_strong=st.booleans(),
    extensors_weak=st.booleans(),
    short_hamstrings=st.booleans(),
    short_hip_flexors=st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(start=st.dates(date(2000, 1, 1), date(2060, 1, 1)), needs=needs_strategy)
def test_daily_mobility_works_every_group_within_any_week(start: date, needs: RoutineNeeds) -> None:
    worked: set[Muscle] = set()
    for k in range(7):
        worked |= build_routine(
            RoutineKind.MOBILITY, LIBRARY, needs, day=start + timedelta(k)
        ).targets
    assert worked == set(Muscle)


@settings(max_examples=40, deadline=None)
@given(start=st.dates(date(2000, 1, 1), date(2060, 1, 1)), needs=needs_strategy)
def test_core_sessions_rotate_over_every_group_within_a_week(
    start: date, needs: RoutineNeeds
) -> None:
    worked: set[Muscle] = set()
    for k in range(7):
        worked |= build_routine(RoutineKind.CORE, LIBRARY, needs, day=start + timedelta(k)).targets
    assert worked == set(Muscle)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(list(RoutineKind)),
    day=st.dates(date(2000, 1, 1), date(2060, 1, 1)),
    needs=needs_strategy,
)
def test_routines_respect_stenosis_and_stay_near_their_time(
    kind: RoutineKind, day: date, needs: RoutineNeeds
) -> None:
    routine = build_routine(kind, LIBRARY, needs, day=day)
    assert routine.steps
    # Nothing rated "avoid" is ever picked (prone extensions), for anyone.
    assert all(s.exercise.stenosis is not Stenosis.AVOID for s in routine.steps)
    assert len({(s.exercise.id, s.side) for s in routine.steps}) == len(routine.steps)
    assert routine.seconds <= DEFAULT_MINUTES[kind] * 60 * 1.6


def test_warmup_starts_with_a_five_minute_brisk_walk_then_drills() -> None:
    routine = build_routine(RoutineKind.WARMUP, LIBRARY, RoutineNeeds(), day=DAY)
    first = routine.steps[0]
    assert first.exercise.id == "brisk-walk" and first.minutes == 5
    drills = routine.steps[1:]
    assert len(drills) >= 2
    assert all(s.exercise.type.value == "dynamic_warmup" for s in drills)


def test_stretch_holds_follow_acsm_and_are_longer_for_older_adults() -> None:
    young = build_routine(RoutineKind.COOLDOWN, LIBRARY, RoutineNeeds(age=40), day=DAY)
    old = build_routine(RoutineKind.COOLDOWN, LIBRARY, RoutineNeeds(age=70), day=DAY)
    assert all(s.hold_s == 30 and 2 <= s.sets <= 4 for s in young.steps)
    assert all(s.hold_s is not None and 30 <= s.hold_s <= 60 for s in old.steps)
    assert all(s.hold_s == 45 for s in old.steps)
    assert any("older adults" in n for n in old.notes)


def test_stenosis_cooldown_includes_a_flexion_stretch() -> None:
    routine = build_routine(RoutineKind.COOLDOWN, LIBRARY, RoutineNeeds(stenosis=True), day=DAY)
    assert routine.steps[0].exercise.id == "knee-to-chest"
    core = build_routine(RoutineKind.CORE, LIBRARY, RoutineNeeds(stenosis=True), day=DAY)
    ids = [s.exercise.id for s in core.steps]
    assert ids[0] == "pelvic-tilt" and "dead-bug" in ids


def test_weak_left_side_bridge_gets_an_extra_left_set() -> None:
    needs = RoutineNeeds(side_bridge_extra=("left",), reasons=("left weak",))
    routine = build_routine(RoutineKind.CORE, LIBRARY, needs, day=DAY)
    sides = [s for s in routine.steps if s.exercise.id.startswith("side-bridge")]
    assert [s.side for s in sides] == ["each", "left"]
    left_sets = sum(s.sets for s in sides if s.side in ("each", "left"))
    right_sets = sum(s.sets for s in sides if s.side in ("each", "right"))
    assert left_sets == right_sets + 1
    assert "left side" in (sides[1].why or "")
    plain = build_routine(RoutineKind.CORE, LIBRARY, RoutineNeeds(), day=DAY)
    assert [s.side for s in plain.steps if s.exercise.id.startswith("side-bridge")] == ["each"]


def test_strong_side_bridge_progresses_and_weak_extensors_add_a_bird_dog_set() -> None:
    strong = build_routine(
        RoutineKind.CORE, LIBRARY, RoutineNeeds(side_bridge_strong=True), day=DAY
    )
    assert any(s.exercise.id == "side-bridge" for s in strong.steps)
    weak = build_routine(RoutineKind.CORE, LIBRARY, RoutineNeeds(extensors_weak=True), day=DAY)
    bird = next(s for s in weak.steps if s.exercise.id == "bird-dog")
    assert bird.sets == LIBRARY.get("bird-dog").dose.sets + 1


def test_self_test_needs_put_their_stretches_first() -> None:
    needs = RoutineNeeds(short_hamstrings=True, short_hip_flexors=True)
    routine = build_routine(RoutineKind.COOLDOWN, LIBRARY, needs, day=DAY)
    assert Muscle.HAMSTRINGS in routine.steps[0].exercise.targets
    assert Muscle.HIP_FLEXORS in routine.steps[1].exercise.targets


def test_minutes_are_checked_and_change_the_length() -> None:
    short = build_routine(RoutineKind.COOLDOWN, LIBRARY, RoutineNeeds(), day=DAY, minutes=5)
    long = build_routine(RoutineKind.COOLDOWN, LIBRARY, RoutineNeeds(), day=DAY, minutes=25)
    assert len(long.steps) > len(short.steps)
    with pytest.raises(InvalidInputError, match="outside the range"):
        check_minutes(RoutineKind.CORE, 200)
    assert check_minutes(RoutineKind.CORE, None) == 20


def test_routine_names_parse_with_aliases() -> None:
    assert parse_routine_kind("warm-up") is RoutineKind.WARMUP
    assert parse_routine_kind("stretch") is RoutineKind.COOLDOWN
    with pytest.raises(InvalidInputError, match="not a routine"):
        parse_routine_kind("yoga")


def _check(activity_id: int, day: date, during: int | None, settled: str = "yes") -> RunPainCheck:
    verdict = "within" if settled == "yes" and (during or 0) <= 5 else "outside"
    return RunPainCheck(
        activity_id, day, None, during, None, None, None, 0, None,
        settled, verdict, ("reason",),  # type: ignore[arg-type]
    )  # fmt: skip


def test_warmup_skips_before_painful_runs_are_found() -> None:
    d = date(2026, 3, 2)
    log = [
        RoutineLogEntry(d, RoutineKind.WARMUP, done=True),
        RoutineLogEntry(d + timedelta(2), RoutineKind.WARMUP, done=False),
    ]
    checks = [
        _check(1, d, 4),  # warm-up done, painful
        _check(2, d + timedelta(2), 4),  # skipped, painful
        _check(3, d + timedelta(4), 1, settled="no"),  # not logged, not settled
        _check(4, d + timedelta(6), 1),  # not logged, fine
        _check(5, d - timedelta(3), 6),  # before tracking began
    ]
    report = find_warmup_skips(checks, log, since=d - timedelta(7), until=d + timedelta(7))
    assert [r.activity_id for r in report.skipped_painful] == [2, 3]
    assert report.skipped_runs == 3 and report.warmed_runs == 1
    assert report.painful_after_warmup == 1
    assert report.runs[0].warmup == "before-tracking"
    data = report.to_json()
    assert data["painful_after_skipped"] == 2 and len(data["runs"]) == 5
