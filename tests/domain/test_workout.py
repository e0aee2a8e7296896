"""Planned sessions as watch workouts: repeats found, steps in order, nothing lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.plan import Block, BlockKind, SessionTemplate
from backstride.domain.workout import RepeatSteps, WorkoutStep, build_workout, expand, find_repeats

R, W = BlockKind.RUN, BlockKind.WALK


def test_run_walk_repeats_become_one_repeat_step() -> None:
    blocks = (Block(R, 60), Block(W, 90)) * 8
    w = build_workout(SessionTemplate(blocks), name="wk1")
    assert w.sport == "running"
    names = [i.name if isinstance(i, WorkoutStep) else i for i in w.items]
    assert names == ["Brisk walk", "Drills", "Run 1 min", "Walk 90 s", RepeatSteps(2, 8),
                     "Easy walk", "Stretch"]  # fmt: skip
    assert [s.intensity for s in w.steps] == [
        "warmup", "warmup", "active", "recovery", "cooldown", "cooldown",
    ]  # fmt: skip
    total = sum(s.seconds for s in expand(w.items))
    assert total == 5 * 60 + 5 * 60 + 8 * 150 + 5 * 60 + 10 * 60


def test_a_tail_after_the_repeats_stays_a_plain_step() -> None:
    blocks = (Block(R, 540), Block(W, 60), Block(R, 540), Block(W, 60), Block(R, 300))
    assert find_repeats(blocks) == [((Block(R, 540), Block(W, 60)), 2), ((Block(R, 300),), 1)]


def test_a_session_without_running_is_not_a_running_workout() -> None:
    blocks = (Block(BlockKind.CYCLE, 600), Block(W, 120), Block(BlockKind.EASE, 60))
    w = build_workout(SessionTemplate(blocks), name="x")
    assert w.sport == "generic"
    assert [s.name for s in w.steps][2:5] == ["Cycle 10 min", "Walk 2 min", "Sit/lean 1 min"]


@given(
    st.lists(
        st.tuples(st.sampled_from([R, W]), st.sampled_from([30, 60, 90, 120])),
        min_size=1,
        max_size=24,
    )
)
def test_repeats_expand_back_to_the_same_blocks(raw: list[tuple[BlockKind, int]]) -> None:
    blocks = tuple(Block(k, s) for k, s in raw)
    flat = [b for unit, times in find_repeats(blocks) for b in unit * times]
    assert tuple(flat) == blocks
    w = build_workout(SessionTemplate(blocks), name="p")
    main = expand(w.items)[2:-2]
    assert [s.seconds for s in main] == [b.seconds for b in blocks]
    for index, item in enumerate(w.items):
        if isinstance(item, RepeatSteps):
            assert 0 <= item.from_index < index and item.times >= 2
