"""Plan and routine-log storage: migration 0005, the models, and the repositories."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import backstride.adapters.db.plan_tables  # noqa: F401
from backstride.adapters.db.engine import Store, _alembic_config, current_revision
from backstride.adapters.db.plan_repos import PlanRepo, RoutineLogRepo
from backstride.adapters.db.repos import AthleteRepo
from backstride.adapters.db.tables import Base
from backstride.domain.plan import (
    EventKind,
    Goal,
    Outcome,
    PlanEvent,
    PlanMark,
    PlanRecord,
    PlanSpec,
    PlanStatus,
    PlanWeek,
    Variant,
)
from backstride.domain.routines import RoutineKind, RoutineLogEntry
from tests.databases import DbBackend

PLAN_TABLES = {"plans", "plan_weeks", "plan_marks", "plan_events", "routine_log"}


def tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def test_migration_0005_creates_and_drops_the_plan_tables(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="p.sqlite3", empty=True))
    assert PLAN_TABLES <= tables(store)
    cfg = _alembic_config(store.engine)
    command.downgrade(cfg, "0004")
    assert current_revision(store.engine) == "0004"
    assert not PLAN_TABLES & tables(store)
    command.upgrade(cfg, "head")
    assert PLAN_TABLES <= tables(store)
    store.dispose()


def test_plan_models_match_the_migration(tmp_path: Path, db_backend: DbBackend) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="m.sqlite3"))
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [d for d in compare_metadata(context, Base.metadata) if any(
            t in str(d) for t in PLAN_TABLES
        )]  # fmt: skip
    store.dispose()
    assert diff == []


def test_repositories_round_trip(tmp_path: Path, db_backend: DbBackend) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="r.sqlite3"))
    spec = PlanSpec(Goal.FIVE_K, Variant.STENOSIS, (0, 2, 5), date(2025, 1, 6))
    with store.session() as session:
        athlete = AthleteRepo(session).get_or_create_default()
        repo = PlanRepo(session)
        assert repo.current(athlete) is None and repo.latest(athlete) is None
        plan_id = repo.add(athlete, PlanRecord(spec=spec, gate_reasons=("a", "b")))
        record = repo.get(athlete, plan_id)
        assert record.spec == spec and record.gate_reasons == ("a", "b")
        assert repo.current(athlete) == record
        repo.update(athlete, PlanRecord(spec=spec, status=PlanStatus.FINISHED, id=plan_id))
        assert repo.current(athlete) is None
        assert (
            repo.latest(athlete) is not None and repo.list(athlete)[0].status is PlanStatus.FINISHED
        )
        weeks = [
            PlanWeek(1, 1, date(2025, 1, 6), outcome=Outcome.REPEAT, reasons=("why",),
                     settled_on=date(2025, 1, 13)),
            PlanWeek(2, 1, date(2025, 1, 13)),
        ]  # fmt: skip
        repo.save_weeks(plan_id, weeks)
        weeks[1] = PlanWeek(2, 1, date(2025, 1, 13), cut_on=date(2025, 1, 15),
                            rest_day_on=date(2025, 1, 18), outcome=Outcome.STEP_BACK)  # fmt: skip
        repo.save_weeks(plan_id, weeks)
        assert repo.weeks(plan_id) == weeks
        repo.put_mark(plan_id, PlanMark(date(2025, 1, 6), "done"))
        repo.put_mark(plan_id, PlanMark(date(2025, 1, 6), "skipped", reason="ill"))
        assert repo.marks(plan_id) == {
            date(2025, 1, 6): PlanMark(date(2025, 1, 6), "skipped", reason="ill")
        }
        event = PlanEvent(date(2025, 1, 6), EventKind.STARTED, "Started.", 1)
        repo.add_events(plan_id, [event])
        assert repo.events(plan_id) == [event]
        log = RoutineLogRepo(session)
        assert log.first_day(athlete) is None
        log.add(athlete, RoutineLogEntry(date(2025, 1, 7), RoutineKind.CORE))
        log.add(athlete, RoutineLogEntry(date(2025, 1, 6), RoutineKind.WARMUP, done=False))
        entries = log.list(athlete, since=date(2025, 1, 6), until=date(2025, 1, 6))
        assert [(e.routine, e.done) for e in entries] == [(RoutineKind.WARMUP, False)]
        assert log.first_day(athlete) == date(2025, 1, 6)
    store.dispose()
