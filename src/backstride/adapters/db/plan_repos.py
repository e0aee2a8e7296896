"""Repositories for plans and the routine log: the only home of their queries.

Each works inside a caller-owned Session and speaks domain objects.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam, delete, select

from backstride.adapters.db import records
from backstride.adapters.db.plan_tables import (
    PlanEventRow,
    PlanMarkRow,
    PlanRow,
    PlanWeekRow,
    RoutineLogRow,
)
from backstride.adapters.db.repo import Repo
from backstride.domain.plan import (
    PlanEvent,
    PlanMark,
    PlanRecord,
    PlanStatus,
    PlanWeek,
    days_text,
)
from backstride.domain.routines import RoutineLogEntry
from backstride.errors import NotFoundError

OPEN_STATUSES = (PlanStatus.ACTIVE.value, PlanStatus.PAUSED.value)


_record = records.plan_record


def _fill(row: PlanRow, record: PlanRecord) -> None:
    row.goal = record.spec.goal.value
    row.variant = record.spec.variant.value
    row.days = days_text(record.spec.days)
    row.start_on = record.spec.start_on
    row.status = record.status.value
    row.paused_on = record.paused_on
    row.pause_reason = record.pause_reason
    row.gate_paused_on = record.gate_paused_on
    row.gate_reasons = json.dumps(list(record.gate_reasons))
    row.ended_on = record.ended_on


_week = records.plan_week


_PLAN_C = PlanRow.__table__.c
_LATEST_PLAN = (
    select(*_PLAN_C)
    .where(_PLAN_C.athlete_id == bindparam("athlete"))
    .order_by(_PLAN_C.id.desc())
    .limit(1)
)
""":meth:`PlanRepo.latest` (built once: ``repo`` module; of the table's columns:
``body_repos``)."""


class PlanRepo(Repo):
    def _row(self, athlete_id: int, plan_id: int) -> PlanRow:
        row = self.session.get(PlanRow, plan_id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFoundError(f"There is no plan {plan_id}.")
        return row

    def add(self, athlete_id: int, record: PlanRecord) -> int:
        row = PlanRow(athlete_id=athlete_id)
        _fill(row, record)
        return self._insert(row).id

    def update(self, athlete_id: int, record: PlanRecord) -> None:
        assert record.id is not None
        _fill(self._row(athlete_id, record.id), record)

    def get(self, athlete_id: int, plan_id: int) -> PlanRecord:
        return _record(self._row(athlete_id, plan_id))

    def current(self, athlete_id: int) -> PlanRecord | None:
        """The open (active or paused) plan, if any: the newest one."""
        row = self.session.scalars(
            select(PlanRow)
            .where(PlanRow.athlete_id == athlete_id, PlanRow.status.in_(OPEN_STATUSES))
            .order_by(PlanRow.id.desc())
            .limit(1)
        ).first()
        return _record(row) if row is not None else None

    def latest(self, athlete_id: int) -> PlanRecord | None:
        row = self.session.execute(_LATEST_PLAN, {"athlete": athlete_id}).first()
        return _record(row) if row is not None else None

    def list(self, athlete_id: int) -> builtins.list[PlanRecord]:
        rows = self.session.scalars(
            select(PlanRow).where(PlanRow.athlete_id == athlete_id).order_by(PlanRow.id)
        )
        return [_record(r) for r in rows]

    # --- weeks ---

    def weeks(self, plan_id: int) -> builtins.list[PlanWeek]:
        rows = self.session.scalars(
            select(PlanWeekRow).where(PlanWeekRow.plan_id == plan_id).order_by(PlanWeekRow.seq)
        )
        return [_week(r) for r in rows]

    def save_weeks(self, plan_id: int, weeks: Sequence[PlanWeek]) -> None:
        """Insert new weeks and update changed ones (matched by ``seq``)."""
        existing = {
            r.seq: r
            for r in self.session.scalars(select(PlanWeekRow).where(PlanWeekRow.plan_id == plan_id))
        }
        for week in weeks:
            row = existing.get(week.seq) or PlanWeekRow(plan_id=plan_id, seq=week.seq)
            row.template_week = week.template_week
            row.starts_on = week.starts_on
            row.cut_on = week.cut_on
            row.rest_day_on = week.rest_day_on
            row.paused_from = week.paused_from
            row.outcome = week.outcome.value if week.outcome else None
            row.reasons = json.dumps(list(week.reasons))
            row.settled_on = week.settled_on
            if week.seq not in existing:
                self.session.add(row)
        self.session.flush()

    # --- marks ---

    def marks(self, plan_id: int) -> dict[date, PlanMark]:
        rows = self.session.scalars(select(PlanMarkRow).where(PlanMarkRow.plan_id == plan_id))
        return records.plan_marks(list(rows))

    def put_mark(self, plan_id: int, mark: PlanMark) -> None:
        self.session.execute(
            delete(PlanMarkRow).where(PlanMarkRow.plan_id == plan_id, PlanMarkRow.day == mark.day)
        )
        self.session.add(
            PlanMarkRow(
                plan_id=plan_id,
                day=mark.day,
                status=mark.status,
                reason=mark.reason,
                activity_id=mark.activity_id,
            )
        )
        self.session.flush()

    # --- events ---

    def events(self, plan_id: int) -> builtins.list[PlanEvent]:
        rows = self.session.scalars(
            select(PlanEventRow)
            .where(PlanEventRow.plan_id == plan_id)
            .order_by(PlanEventRow.day, PlanEventRow.id)
        )
        return [records.plan_event(r) for r in rows]

    def add_events(self, plan_id: int, events: Sequence[PlanEvent]) -> None:
        for event in events:
            self.session.add(
                PlanEventRow(
                    plan_id=plan_id,
                    day=event.day,
                    kind=event.kind.value,
                    week_seq=event.week_seq,
                    message=event.message,
                )
            )
        self.session.flush()


class RoutineLogRepo(Repo):
    def add(self, athlete_id: int, entry: RoutineLogEntry) -> int:
        row = RoutineLogRow(
            athlete_id=athlete_id,
            day=entry.day,
            routine=entry.routine.value,
            done=entry.done,
            source=entry.source,
        )
        return self._insert(row).id

    def list(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> builtins.list[RoutineLogEntry]:
        query = select(RoutineLogRow).where(RoutineLogRow.athlete_id == athlete_id)
        if since is not None:
            query = query.where(RoutineLogRow.day >= since)
        if until is not None:
            query = query.where(RoutineLogRow.day <= until)
        rows = self.session.scalars(query.order_by(RoutineLogRow.day, RoutineLogRow.id))
        return [records.routine_entry(r) for r in rows]

    def first_day(self, athlete_id: int) -> date | None:
        return self.session.scalars(
            select(RoutineLogRow.day)
            .where(RoutineLogRow.athlete_id == athlete_id)
            .order_by(RoutineLogRow.day)
            .limit(1)
        ).first()
