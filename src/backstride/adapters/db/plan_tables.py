"""Rows for the run/walk plan and the routine adherence log. Migration: ``0005_plans``.

A plan keeps its weeks as lived (``plan_weeks``: which schedule week, when it started, how it
ended and why), the runner's done/skipped marks, an event history of every adaptation, and
the pause state. Lists of reasons are JSON text arrays.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import Base, UTCDateTime, utcnow


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_athlete_status", "athlete_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    goal: Mapped[str] = mapped_column(String(8))  # 5k | 10k
    variant: Mapped[str] = mapped_column(String(16))  # standard | stenosis
    days: Mapped[str] = mapped_column(String(32))  # e.g. "mon,wed,sat"
    start_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # active | paused | stopped | finished
    paused_on: Mapped[date | None] = mapped_column(Date)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    gate_paused_on: Mapped[date | None] = mapped_column(Date)
    gate_reasons: Mapped[str] = mapped_column(Text, default="[]")
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanWeekRow(Base):
    __tablename__ = "plan_weeks"
    __table_args__ = (UniqueConstraint("plan_id", "seq", name="uq_plan_weeks_plan_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    template_week: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    cut_on: Mapped[date | None] = mapped_column(Date)
    rest_day_on: Mapped[date | None] = mapped_column(Date)
    paused_from: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    settled_on: Mapped[date | None] = mapped_column(Date)


class PlanMarkRow(Base):
    """The runner marks a plan day done or skipped; one mark per day (the latest wins)."""

    __tablename__ = "plan_marks"
    __table_args__ = (UniqueConstraint("plan_id", "day", name="uq_plan_marks_plan_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))  # done | skipped
    reason: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanEventRow(Base):
    """The plan's history: started, advanced, repeated, stepped back, paused, resumed..."""

    __tablename__ = "plan_events"
    __table_args__ = (Index("ix_plan_events_plan_day", "plan_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    week_seq: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoutineLogRow(Base):
    """A routine done (or a warm-up skipped) on a day: the adherence log."""

    __tablename__ = "routine_log"
    __table_args__ = (Index("ix_routine_log_athlete_day", "athlete_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    routine: Mapped[str] = mapped_column(String(16))  # warmup | cooldown | core | mobility
    done: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(16), default="routine")  # routine | plan | web
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
