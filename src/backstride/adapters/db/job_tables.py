"""Rows of the work that outlasts a request (server mode, migration 0015): one row per
background job (an archive import, a report to typeset), with its progress and its result,
readable by every server process. The queue itself is procrastinate's own tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, Base, CreatedAt, RowId, UTCDateTime

QUEUE_TABLE_PREFIX = "procrastinate_"
"""The job queue's own tables (server mode on PostgreSQL, migration 0015): created from
procrastinate's ``schema.sql``, described by none of our models."""


def is_ours(name: str | None, type_: str, parent_names: object = None) -> bool:
    """Alembic's ``include_name`` hook: False for the queue's own tables (with their indexes),
    so that comparing our models with a migrated database, or autogenerating a revision,
    leaves procrastinate's schema alone."""
    return not (type_ == "table" and (name or "").startswith(QUEUE_TABLE_PREFIX))


class BackgroundJobRow(Base):
    """One job of one athlete: what it is, how far it got, and how it ended.

    ``state`` is ``waiting``, ``running``, ``done`` or ``failed``; ``params`` the job's input
    (JSON); ``summary`` the finished import's outcome per file (JSON); ``result`` the bytes a
    finished job produced (the report's PDF). Writes to this table do not count as changes
    of the athlete's data (``engine.UNVERSIONED_TABLES``): progress does not empty caches."""

    __tablename__ = "background_jobs"
    __table_args__ = (Index("ix_background_jobs_athlete_created", "athlete_id", "created_at"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    title: Mapped[str] = mapped_column(String(300))
    params: Mapped[str] = mapped_column(Text, default="{}")
    files_total: Mapped[int | None] = mapped_column(nullable=True)
    files_done: Mapped[int] = mapped_column(default=0)
    files_failed: Mapped[int] = mapped_column(default=0)
    activities_stored: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    hint: Mapped[str | None] = mapped_column(Text, nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[bytes | None] = mapped_column(nullable=True)
    result_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[CreatedAt]
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
