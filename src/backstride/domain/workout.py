"""A planned run/walk session as a watch workout: warm-up, the main set with its repeats found,
cool-down; each step with a short name the watch shows as its cue.

Pure. The steps and their order are the plan's own (docs/plan.md): a 5-minute brisk walk and
5 minutes of drills, the main set, a 5-minute easy walk and 10 minutes of stretching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from backstride.domain.plan import (
    BLOCK_WORDS,
    COOLDOWN_WALK_MIN,
    STRETCH_MIN,
    WARMUP_DRILLS_MIN,
    WARMUP_WALK_MIN,
    Block,
    BlockKind,
    SessionTemplate,
    format_seconds,
)

Intensity = Literal["warmup", "active", "recovery", "rest", "cooldown"]
NAME_CHARS = 15  # what most watches show of a step name

_INTENSITY: dict[BlockKind, Intensity] = {
    BlockKind.RUN: "active",
    BlockKind.WALK: "recovery",
    BlockKind.CYCLE: "active",
    BlockKind.EASE: "rest",
}


@dataclass(frozen=True, slots=True)
class WorkoutStep:
    name: str
    seconds: int
    intensity: Intensity
    notes: str


@dataclass(frozen=True, slots=True)
class RepeatSteps:
    """Go back to step ``from_index`` until the steps since it have run ``times`` times in all."""

    from_index: int
    times: int


WorkoutItem = WorkoutStep | RepeatSteps


@dataclass(frozen=True, slots=True)
class Workout:
    name: str
    sport: Literal["running", "walking", "generic"]
    items: tuple[WorkoutItem, ...]

    @property
    def steps(self) -> tuple[WorkoutStep, ...]:
        return tuple(i for i in self.items if isinstance(i, WorkoutStep))


def find_repeats(blocks: Sequence[Block]) -> list[tuple[tuple[Block, ...], int]]:
    """Split ``blocks`` into (unit, times) runs, greedily taking at each position the repeated
    unit that covers the most blocks (a unit of two repeated 8 times beats single blocks)."""
    out: list[tuple[tuple[Block, ...], int]] = []
    i = 0
    n = len(blocks)
    while i < n:
        best_size, best_times = 1, 1
        for size in range(1, (n - i) // 2 + 1):
            unit = tuple(blocks[i : i + size])
            times = 1
            while tuple(blocks[i + times * size : i + (times + 1) * size]) == unit:
                times += 1
            if times >= 2 and size * times > best_size * best_times:
                best_size, best_times = size, times
        out.append((tuple(blocks[i : i + best_size]), best_times))
        i += best_size * best_times
    return out


def expand(items: Sequence[WorkoutItem]) -> list[WorkoutStep]:
    """The steps in the order a watch runs them (repeats unrolled); for checks and totals."""
    out: list[WorkoutStep] = []
    steps_by_index: dict[int, WorkoutStep] = {}
    for index, item in enumerate(items):
        if isinstance(item, WorkoutStep):
            steps_by_index[index] = item
            out.append(item)
        else:
            body = [steps_by_index[k] for k in range(item.from_index, index) if k in steps_by_index]
            out.extend(body * (item.times - 1))
    return out


def _block_step(block: Block) -> WorkoutStep:
    word = BLOCK_WORDS[block.kind]
    label = f"{word.capitalize()} {format_seconds(block.seconds)}"
    short = {BlockKind.EASE: "Sit/lean"}.get(block.kind, word.capitalize())
    return WorkoutStep(
        name=f"{short} {format_seconds(block.seconds)}"[:NAME_CHARS],
        seconds=block.seconds,
        intensity=_INTENSITY[block.kind],
        notes=label,
    )


def build_workout(
    session: SessionTemplate,
    *,
    name: str,
    drills: Sequence[str] = (),
    stretches: Sequence[str] = (),
) -> Workout:
    """The session as a workout: warm-up walk and drills, the main set (repeats as repeat
    steps), cool-down walk and stretching."""
    drill_text = ", ".join(drills) if drills else "leg swings, knee lifts and heel flicks"
    stretch_text = (
        ", ".join(stretches) if stretches else "calves, hamstrings, hip flexors, buttocks"
    )
    items: list[WorkoutItem] = [
        WorkoutStep("Brisk walk", WARMUP_WALK_MIN * 60, "warmup", "Warm-up: brisk walk"),
        WorkoutStep("Drills", WARMUP_DRILLS_MIN * 60, "warmup", f"Warm-up drills: {drill_text}"),
    ]
    for unit, times in find_repeats(session.blocks):
        start = len(items)
        items.extend(_block_step(b) for b in unit)
        if times > 1:
            items.append(RepeatSteps(start, times))
    items += [
        WorkoutStep("Easy walk", COOLDOWN_WALK_MIN * 60, "cooldown", "Cool-down: easy walk"),
        WorkoutStep("Stretch", STRETCH_MIN * 60, "cooldown", f"Stretch: {stretch_text}"),
    ]
    kinds = {b.kind for b in session.blocks}
    sport: Literal["running", "walking", "generic"] = (
        "running"
        if BlockKind.RUN in kinds
        else "generic"
        if BlockKind.CYCLE in kinds
        else "walking"
    )
    return Workout(name=name, sport=sport, items=tuple(items))
