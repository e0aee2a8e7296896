"""The day's narrow reads (``adapters/db/sqlite_reads.py``: ``sqlite3`` alone) against the
reference (the repositories through SQLAlchemy, ``adapters/db/orm_reads.py``): every read
returns the same, and so does the day's answer, on the demo athlete over many days and on
generated diaries. On PostgreSQL the narrow reads are never used: the day keeps the reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from backstride.adapters.db.body_repos import ClearanceRepo, PainRepo, RedFlagSeenRepo
from backstride.adapters.db.orm_reads import OrmReads
from backstride.adapters.db.sqlite_reads import SqliteReads
from backstride.cli.common import json_text
from backstride.cli.today import render_today
from backstride.config import Settings
from backstride.domain.body import Clearance
from backstride.domain.pain import (
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    SeenOutcome,
    SeenRecord,
)
from backstride.domain.text import RunnerText
from backstride.services.context import App
from backstride.services.day import day_answer
from backstride.services.demo_load import DemoLoaded

END = date(2026, 3, 15)


def _columns(row: Any) -> dict[str, Any]:
    """A stored row's columns: an ORM row's mapped columns, or a narrow row's attributes."""
    table = getattr(row, "__table__", None)
    if table is not None:
        return {c.key: getattr(row, c.key) for c in table.columns}
    return dict(vars(row))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if hasattr(a, "__table__") or hasattr(b, "__table__"):
        left, right = _columns(a), _columns(b)
        return left == right and all(type(left[k]) is type(right[k]) for k in left)
    return bool(a == b)


def _all_reads(reads: Any, aid: int, on: date) -> dict[str, Any]:
    """Every read of the day's answer as of ``on``."""
    since = on - timedelta(days=200)
    plan = reads.latest_plan(aid)
    out: dict[str, Any] = {
        "stale": reads.stale_activity_ids(aid, version=0, profile_key="none"),
        "sessions": reads.session_columns(aid, since=since, until=on),
        "metrics": reads.metric_rows(aid, since=on - timedelta(days=36), until=on),
        "activities": reads.activity_rows(aid, since=on - timedelta(days=56), until=on),
        "runs": reads.activity_rows(aid, since=since, until=on, sports=["run", "trail_run"]),
        "count": reads.activity_count(aid, until=on),
        "count_all": reads.activity_count(aid),
        "gear": reads.gear_totals(aid, before=on - timedelta(days=56)),
        "pain": reads.pain_list(aid),
        "pain_range": reads.pain_list(aid, since=on - timedelta(days=35), until=on),
        "pain_guidance": reads.pain_for_guidance(aid, since=on - timedelta(days=20), until=on),
        "first_pain": reads.first_pain_day_above(aid, score=2, until=on),
        "seen": reads.seen(aid),
        "profile": reads.profile(aid),
        "profile_exists": reads.profile_exists(aid),
        "units": reads.profile_units(aid),
        "screening": reads.screening(aid),
        "clearances": reads.clearances(aid),
        "selftests": reads.selftests(aid),
        "shoes": reads.shoes(aid),
        "routines": reads.routines(aid, until=on),
        "routes": reads.routes(aid),
        "plan": plan,
    }
    if plan is not None:
        out["weeks"] = reads.plan_weeks(plan.id)
        out["marks"] = reads.plan_marks(plan.id)
        out["events"] = reads.plan_events(plan.id)
    return out


def _rendered(answer: Any) -> tuple[tuple[tuple[str, str | None], ...], str]:
    lines: list[tuple[str, str | None]] = []
    render_today(answer, lambda text, *, style=None: lines.append((text, style)))
    return tuple(lines), json_text(answer.to_json())


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> Iterator[tuple[App, App]]:
    """The demo athlete read both ways: the reference context and the narrow one."""
    settings, _ = demo_settings
    reference, narrow = App(settings), App(settings, narrow_reads=True)
    yield reference, narrow
    narrow.close()
    reference.close()


@pytest.mark.sqlite_only(reason="the narrow reads read an SQLite file with sqlite3")
def test_the_narrow_reads_return_what_the_repositories_return(
    demo: tuple[App, App],
) -> None:
    reference, narrow = demo
    assert isinstance(narrow.reads, SqliteReads) and isinstance(reference.reads, OrmReads)
    assert narrow.athlete_id == reference.athlete_id
    aid = reference.athlete_id
    for on in (END, END - timedelta(days=30), END - timedelta(days=90), date(2025, 1, 1)):
        expected = _all_reads(reference.reads, aid, on)
        found = _all_reads(narrow.reads, aid, on)
        assert expected.keys() == found.keys()
        for key in expected:
            assert _same(expected[key], found[key]), (key, on)
        if on == END:  # the reads compared are not all empty
            assert expected["metrics"] and expected["pain"] and expected["plan"] is not None
            assert expected["shoes"] and expected["gear"] and expected["selftests"]


def test_the_day_is_the_same_read_either_way_over_many_days(demo: tuple[App, App]) -> None:
    """``today`` and ``today --json`` byte for byte, on every engine (on PostgreSQL the narrow
    context keeps the reference reads)."""
    reference, narrow = demo
    if reference.store.is_postgresql:
        assert isinstance(narrow.reads, OrmReads)
    days = [END - timedelta(days=n) for n in range(0, 120, 9)] + [END + timedelta(days=3)]
    for on in days:
        expected = _rendered(day_answer(reference, on=on, today=END))
        assert _rendered(day_answer(narrow, on=on, today=END)) == expected, on


@pytest.mark.sqlite_only(reason="which reads a context uses depends on the SQLite file")
def test_a_database_the_store_must_open_first_is_read_by_the_store(
    demo_settings: tuple[Settings, DemoLoaded], tmp_path: Any
) -> None:
    settings, _ = demo_settings
    elsewhere = settings.model_copy(update={"db": str(tmp_path / "new.sqlite3")})
    fresh = App(elsewhere, narrow_reads=True)
    try:
        assert isinstance(fresh.reads, OrmReads)  # no file yet: the store creates it
        assert fresh.athlete_id == 1
    finally:
        fresh.close()
    again = App(elsewhere, narrow_reads=True)
    try:
        assert isinstance(again.reads, SqliteReads)
    finally:
        again.close()


# --- generated diaries ------------------------------------------------------------------------

DAY0 = date(2024, 3, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: DAY0 + timedelta(days=n))
flags = st.lists(st.sampled_from(list(RedFlag)), max_size=2, unique=True)
notes = st.one_of(st.none(), st.text("abc xyz.", min_size=1, max_size=20).map(RunnerText))


@st.composite
def entries(draw: st.DrawFn) -> PainEntry:
    reported = draw(flags)
    return PainEntry(
        day=draw(days),
        when=draw(st.sampled_from(list(PainWhen))),
        score=draw(st.integers(min_value=0, max_value=10)),
        where=tuple(draw(st.lists(st.sampled_from(list(PainSite)), max_size=3, unique=True))),
        feels=tuple(draw(st.lists(st.sampled_from(list(PainFeel)), max_size=2, unique=True))),
        walking_leg_symptoms=draw(st.booleans()),
        eases_sitting=draw(st.booleans()),
        red_flags=tuple(reported),
        notes=draw(notes),
        worse_coughing=draw(st.booleans()),
        ruled_out=tuple(f for f in draw(flags) if f not in reported),
    )


seens = st.builds(
    SeenRecord,
    flag=st.sampled_from(list(RedFlag)),
    on=days,
    by=st.none(),
    notes=st.none(),
    outcome=st.sampled_from(list(SeenOutcome)),
)


@pytest.fixture(scope="module")
def diary(db_backend: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, App]]:
    from backstride.config import get_settings

    if db_backend.name != "sqlite":
        pytest.skip("the narrow reads read an SQLite file")
    folder = tmp_path_factory.mktemp("diary")
    settings = get_settings(db=str(folder / "diary.sqlite3"), data_dir=folder / "data")
    reference = App(settings)
    _ = reference.athlete_id  # creates the file and the runner
    narrow = App(settings, narrow_reads=True)
    yield reference, narrow
    narrow.close()
    reference.close()


@pytest.mark.sqlite_only(reason="the narrow reads read an SQLite file with sqlite3")
@settings(
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    pain=st.lists(entries(), max_size=12),
    seen=st.lists(seens, max_size=3),
    cleared=st.lists(days, max_size=2),
    on=days,
)
def test_generated_diaries_read_the_same_and_give_the_same_day(
    diary: tuple[App, App],
    pain: list[PainEntry],
    seen: list[SeenRecord],
    cleared: list[date],
    on: date,
) -> None:
    reference, narrow = diary
    assert isinstance(narrow.reads, SqliteReads)
    aid = reference.athlete_id
    with reference.store.session() as session:
        for table in ("pain_entries", "red_flag_seen", "clearances"):
            session.execute(text(f"DELETE FROM {table}"))
        for e in pain:
            PainRepo(session).add(aid, e)
        for s in seen:
            RedFlagSeenRepo(session).add(aid, s)
        for c in cleared:
            ClearanceRepo(session).add(aid, Clearance(on=c, by=RunnerText("Dr Who")))
    expected = _all_reads(reference.reads, aid, on)
    found = _all_reads(narrow.reads, aid, on)
    for key in expected:
        assert _same(expected[key], found[key]), key
    assert _rendered(day_answer(narrow, on=on, today=on)) == _rendered(
        day_answer(reference, on=on, today=on)
    )


READ_TABLES = (
    "athletes activities activity_metrics pain_entries red_flag_seen profiles screenings "
    "clearances selftest_results shoes shoe_defaults routine_log routes plans plan_weeks "
    "plan_marks plan_events"
).split()


def test_the_narrow_reads_decode_every_column_as_its_table_declares() -> None:
    """Dates, UTC date-times and booleans are decoded by column name: every column of the
    tables the day reads is in the right set, and no other column is."""
    import sqlalchemy as sa

    import backstride.adapters.db.body_tables
    import backstride.adapters.db.metrics_tables
    import backstride.adapters.db.plan_tables
    import backstride.adapters.db.route_tables  # noqa: F401
    from backstride.adapters.db import sqlite_reads
    from backstride.adapters.db.tables import Base

    kinds = {"date": set(), "datetime": set(), "bool": set(), "other": set()}
    for name in READ_TABLES:
        for column in Base.metadata.tables[name].columns:
            t = column.type
            impl = getattr(t, "impl", t)
            kind = (
                "datetime"
                if isinstance(impl, sa.DateTime)
                else "date"
                if isinstance(impl, sa.Date)
                else "bool"
                if isinstance(impl, sa.Boolean)
                else "other"
            )
            kinds[kind].add(column.name)
    assert kinds["date"] <= sqlite_reads.DATE_COLUMNS
    assert kinds["datetime"] <= sqlite_reads.DATETIME_COLUMNS
    assert kinds["bool"] <= sqlite_reads.BOOL_COLUMNS
    special = sqlite_reads.DATE_COLUMNS | sqlite_reads.DATETIME_COLUMNS | sqlite_reads.BOOL_COLUMNS
    assert not kinds["other"] & special
