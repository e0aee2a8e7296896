"""Rows for the runner's own records about her care: the original activity files as imported,
outcome measures, and the questions she wants to ask a professional (migration 0010)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, AthleteKey, Base, CreatedAt, RowId, UpdatedAt


class OriginalFileRow(Base):
    """One imported file's bytes as imported (zstandard-compressed), keyed by their SHA-256.

    Activities point at it through ``activities.content_hash``; it is deleted with the last
    activity that came from it (docs/data.md, "Original files")."""

    __tablename__ = "original_files"
    __table_args__ = (
        UniqueConstraint("athlete_id", "content_hash", name="uq_original_files_athlete_hash"),
    )

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    content_hash: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(1000))
    size_bytes: Mapped[int]
    data: Mapped[bytes]
    created_at: Mapped[CreatedAt]


class MeasureRow(Base):
    """One outcome-measure score (docs/measures.md)."""

    __tablename__ = "outcome_measures"
    __table_args__ = (Index("ix_outcome_measures_athlete_day", "athlete_id", "day"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    day: Mapped[date]
    instrument: Mapped[str] = mapped_column(String(32))
    score: Mapped[float]
    items: Mapped[str] = mapped_column(Text, default="[]")
    name: Mapped[str | None] = mapped_column(String(200))  # a clinician-recorded score's name
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]


class ReportNoteRow(Base):
    """The questions the runner wants to ask her physiotherapist or physician."""

    __tablename__ = "report_notes"

    athlete_id: Mapped[AthleteKey]
    questions: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[UpdatedAt]
