"""Rows for the run/walk plan and the routine adherence log. Migration: ``0005_plans``.

A plan keeps its weeks as lived (``plan_weeks``: which schedule week, when it started, how it
ended and why), the runner's done/skipped marks, an event history of every adaptation, and
the pause state. Lists of reasons are JSON text arrays.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, Base, CreatedAt, RowId


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_athlete_status", "athlete_id", "status"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    goal: Mapped[str] = mapped_column(String(8))  # 5k | 10k
    variant: Mapped[str] = mapped_column(String(16))  # standard | stenosis
    days: Mapped[str] = mapped_column(String(32))  # e.g. "mon,wed,sat"
    start_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16))  # active | paused | stopped | finished
    paused_on: Mapped[date | None]
    pause_reason: Mapped[str | None] = mapped_column(Text)
    gate_paused_on: Mapped[date | None]
    gate_reasons: Mapped[str] = mapped_column(Text, default="[]")
    ended_on: Mapped[date | None]
    created_at: Mapped[CreatedAt]


# The plan a week, mark or event belongs to (deleted with it).
PlanId = Annotated[int, mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))]


class PlanWeekRow(Base):
    __tablename__ = "plan_weeks"
    __table_args__ = (UniqueConstraint("plan_id", "seq", name="uq_plan_weeks_plan_seq"),)

    id: Mapped[RowId]
    plan_id: Mapped[PlanId]
    seq: Mapped[int]
    template_week: Mapped[int]
    starts_on: Mapped[date]
    cut_on: Mapped[date | None]
    rest_day_on: Mapped[date | None]
    paused_from: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    settled_on: Mapped[date | None]


class PlanMarkRow(Base):
    """The runner marks a plan day done or skipped; one mark per day (the latest wins)."""

    __tablename__ = "plan_marks"
    __table_args__ = (UniqueConstraint("plan_id", "day", name="uq_plan_marks_plan_day"),)

    id: Mapped[RowId]
    plan_id: Mapped[PlanId]
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(8))  # done | skipped
    reason: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[CreatedAt]


class PlanEventRow(Base):
    """The plan's history: started, advanced, repeated, stepped back, paused, resumed..."""

    __tablename__ = "plan_events"
    __table_args__ = (Index("ix_plan_events_plan_day", "plan_id", "day"),)

    id: Mapped[RowId]
    plan_id: Mapped[PlanId]
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(24))
    week_seq: Mapped[int | None]
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[CreatedAt]


class RoutineLogRow(Base):
    """A routine done (or a warm-up skipped) on a day: the adherence log."""

    __tablename__ = "routine_log"
    __table_args__ = (Index("ix_routine_log_athlete_day", "athlete_id", "day"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    day: Mapped[date]
    routine: Mapped[str] = mapped_column(String(16))  # warmup | cooldown | core | mobility
    done: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(String(16), default="routine")  # routine | plan | web
    created_at: Mapped[CreatedAt]
