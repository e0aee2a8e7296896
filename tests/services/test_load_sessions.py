"""The load model's sessions kept between calls (``training.session_summaries``) are always the
ones a fresh read gives (``read_session_summaries``), whatever changed in between: new
activities (as an import's batches add them), edits, deletions, a changed heart profile, and
a write that bypasses backstride altogether."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.adapters.db.repos import ActivityRepo
from backstride.domain.load import compute_load_report
from backstride.services.activities import (
    ActivityEdit,
    delete_activity,
    edit_activity,
    list_activities,
)
from backstride.services.body import set_profile
from backstride.services.context import App
from backstride.services.training import (
    load_report,
    read_session_summaries,
    session_summaries,
)
from tests.web.synthetic import synthetic_activity

START = date(2026, 1, 5)

add_op = st.tuples(st.just("add"), st.integers(0, 60))
edit_op = st.tuples(st.just("edit"), st.integers(0, 10_000), st.integers(0, 10))
sport_op = st.tuples(st.just("sport"), st.integers(0, 10_000), st.sampled_from(["run", "walk"]))
delete_op = st.tuples(st.just("delete"), st.integers(0, 10_000))
profile_op = st.tuples(st.just("profile"), st.integers(40, 70))
outside_op = st.tuples(st.just("outside"), st.integers(0, 10_000))
ask_op = st.tuples(st.just("ask"), st.integers(-5, 70))
operation = st.one_of(add_op, edit_op, sport_op, delete_op, profile_op, outside_op, ask_op)


def _pick(app: App, k: int) -> int | None:
    ids = [a.id for a in list_activities(app)]
    return ids[k % len(ids)] if ids else None


def _apply(app: App, op: tuple[object, ...], counter: list[int]) -> None:
    kind = op[0]
    if kind == "add":
        counter[0] += 1
        day = START + timedelta(days=int(op[1]))  # type: ignore[call-overload]
        with app.store.session() as session:
            ActivityRepo(session).add(
                app.athlete_id,
                synthetic_activity(counter[0], day=day, sample_s=60.0),
                source_label=f"run-{counter[0]}.fit",
                content_hash=None,
            )
        return
    if kind == "ask":
        return
    if kind == "profile":
        set_profile(app, today=START, max_hr_bpm=150 + int(op[1]))  # type: ignore[call-overload]
        return
    target = _pick(app, int(op[1]))  # type: ignore[call-overload]
    if target is None:
        return
    if kind == "edit":
        edit_activity(app, target, ActivityEdit(rpe=float(op[2])))  # type: ignore[arg-type]
    elif kind == "sport":
        edit_activity(app, target, ActivityEdit(sport=str(op[2])))
    elif kind == "delete":
        delete_activity(app, target)
    elif kind == "outside" and app.store.path is not None:
        # another program changes the file without backstride's units of work
        with sqlite3.connect(app.store.path) as con:
            con.execute(
                "UPDATE activity_metrics SET load = load + 1 WHERE activity_id = ?", (target,)
            )
        con.close()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_kept_sessions_equal_a_fresh_read_after_any_change(
    app: App, ops: list[tuple[object, ...]]
) -> None:
    counter = [len(list_activities(app)) + 1000]
    for op in ops:
        _apply(app, op, counter)
        until = START + timedelta(days=int(op[1])) if op[0] == "ask" else None  # type: ignore[call-overload]
        kept = session_summaries(app, until=until)
        assert kept == read_session_summaries(app, until=until)
        on = until or START + timedelta(days=70)
        assert load_report(app, on=on, weeks=3) == compute_load_report(
            read_session_summaries(app, until=on), today=on, weeks=3
        )


def test_sessions_are_read_once_while_nothing_changes(app: App) -> None:
    """Two reports on unchanged data share one read: the same session objects come back."""
    for i in range(3):
        with app.store.session() as session:
            ActivityRepo(session).add(
                app.athlete_id,
                synthetic_activity(i, day=START + timedelta(days=i), sample_s=60.0),
                source_label=f"run-{i}.fit",
                content_hash=None,
            )
    first = session_summaries(app)
    again = session_summaries(app)
    assert len(first) == 3
    assert all(a is b for a, b in zip(first, again, strict=True))
    target = first[1].activity_id
    edit_activity(app, target, ActivityEdit(rpe=9.0))
    after = session_summaries(app)
    assert after == read_session_summaries(app)
    assert after[0] is first[0] and after[2] is first[2]  # unchanged rows are not rebuilt
    assert after[1] != first[1]  # the edited one is (its load now from the RPE)
