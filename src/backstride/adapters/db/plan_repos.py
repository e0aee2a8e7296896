"""Repositories for plans and the routine log: the only home of their queries.

Each works inside a caller-owned Session and speaks domain objects.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select

from backstride.adapters.db.plan_tables import (
    PlanEventRow,
    PlanMarkRow,
    PlanRow,
    PlanWeekRow,
    RoutineLogRow,
)
from backstride.adapters.db.repo import Repo
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
    days_text,
    parse_days,
)
from backstride.domain.routines import RoutineKind, RoutineLogEntry
from backstride.errors import NotFoundError

OPEN_STATUSES = (PlanStatus.ACTIVE.value, PlanStatus.PAUSED.value)


def _texts(text: str | None) -> tuple[str, ...]:
    data = json.loads(text or "[]")
    return tuple(str(v) for v in data) if isinstance(data, list) else ()


def _record(row: PlanRow) -> PlanRecord:
    return PlanRecord(
        spec=PlanSpec(
            goal=Goal(row.goal),
            variant=Variant(row.variant),
            days=parse_days(row.days),
            start_on=row.start_on,
        ),
        status=PlanStatus(row.status),
        paused_on=row.paused_on,
        pause_reason=row.pause_reason,
        gate_paused_on=row.gate_paused_on,
        gate_reasons=_texts(row.gate_reasons),
        ended_on=row.ended_on,
        id=row.id,
    )


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


def _week(row: PlanWeekRow) -> PlanWeek:
    return PlanWeek(
        seq=row.seq,
        template_week=row.template_week,
        starts_on=row.starts_on,
        cut_on=row.cut_on,
        rest_day_on=row.rest_day_on,
        paused_from=row.paused_from,
        outcome=Outcome(row.outcome) if row.outcome else None,
        reasons=_texts(row.reasons),
        settled_on=row.settled_on,
    )


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
        row = self.session.scalars(
            select(PlanRow)
            .where(PlanRow.athlete_id == athlete_id)
            .order_by(PlanRow.id.desc())
            .limit(1)
        ).first()
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
        return {
            r.day: PlanMark(
                day=r.day,
                status="done" if r.status == "done" else "skipped",
                reason=r.reason,
                activity_id=r.activity_id,
            )
            for r in rows
        }

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
        return [
            PlanEvent(day=r.day, kind=EventKind(r.kind), message=r.message, week_seq=r.week_seq)
            for r in rows
        ]

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
        return [
            RoutineLogEntry(
                day=r.day,
                routine=RoutineKind(r.routine),
                done=r.done,
                source=r.source,
                id=r.id,
            )
            for r in rows
        ]

    def first_day(self, athlete_id: int) -> date | None:
        return self.session.scalars(
            select(RoutineLogRow.day)
            .where(RoutineLogRow.athlete_id == athlete_id)
            .order_by(RoutineLogRow.day)
            .limit(1)
        ).first()
