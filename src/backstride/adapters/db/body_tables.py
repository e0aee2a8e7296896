"""Rows for the runner's body: profile, screening, clearances, pain diary, self-tests, shoes.

Every row is keyed by athlete. Lists (conditions, pain sites, red flags...) are stored as JSON
text arrays; answers as a JSON object. Migrations: ``0002_body_diary``, ``0008_safety``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, AthleteKey, Base, CreatedAt, RowId, UpdatedAt


class ProfileRow(Base):
    """One row per athlete."""

    __tablename__ = "profiles"

    athlete_id: Mapped[AthleteKey]
    birth_year: Mapped[int | None]
    sex: Mapped[str] = mapped_column(String(16), default="unspecified")
    resting_hr_bpm: Mapped[int | None]
    max_hr_bpm: Mapped[int | None]
    conditions: Mapped[str] = mapped_column(Text, default="[]")
    past_injuries: Mapped[str] = mapped_column(Text, default="[]")
    experience: Mapped[str | None] = mapped_column(String(16))
    spine_surgery_on: Mapped[date | None]
    spine_injection_on: Mapped[date | None]
    pregnant_since: Mapped[date | None]
    units: Mapped[str | None] = mapped_column(String(2))  # km | mi; NULL: not chosen
    updated_at: Mapped[UpdatedAt]


class ScreeningRow(Base):
    """One complete set of screening answers; the newest counts, older ones are history."""

    __tablename__ = "screenings"
    __table_args__ = (Index("ix_screenings_athlete_day", "athlete_id", "answered_on"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    answered_on: Mapped[date]
    answers: Mapped[str] = mapped_column(Text)
    created_at: Mapped[CreatedAt]


class ClearanceRow(Base):
    __tablename__ = "clearances"
    __table_args__ = (Index("ix_clearances_athlete_day", "athlete_id", "cleared_on"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    cleared_on: Mapped[date]
    cleared_by: Mapped[str] = mapped_column(String(500))
    restrictions: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[CreatedAt]


class PainEntryRow(Base):
    __tablename__ = "pain_entries"
    __table_args__ = (Index("ix_pain_entries_athlete_day", "athlete_id", "day"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    day: Mapped[date]
    moment: Mapped[str] = mapped_column(String(16))  # before|during|after|next-morning|rest-day
    score: Mapped[int]
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    sites: Mapped[str] = mapped_column(Text, default="[]")
    feels: Mapped[str] = mapped_column(Text, default="[]")
    walking_leg_symptoms: Mapped[bool] = mapped_column(default=False)
    eases_sitting: Mapped[bool] = mapped_column(default=False)
    red_flags: Mapped[str] = mapped_column(Text, default="[]")
    notes: Mapped[str | None] = mapped_column(Text)
    worse_coughing: Mapped[bool] = mapped_column(default=False)
    ruled_out_flags: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[CreatedAt]


class RedFlagSeenRow(Base):
    """The runner records that a professional saw them about a red flag."""

    __tablename__ = "red_flag_seen"
    __table_args__ = (Index("ix_red_flag_seen_athlete_flag", "athlete_id", "flag"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    flag: Mapped[str] = mapped_column(String(32))
    seen_on: Mapped[date]
    seen_by: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    # may-train | may-not | not-known; NULL for visits recorded before the question was asked
    # (read as not-known).
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[CreatedAt]


class SelfTestRow(Base):
    __tablename__ = "selftest_results"
    __table_args__ = (Index("ix_selftest_results_athlete_test", "athlete_id", "test", "day"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    day: Mapped[date]
    test: Mapped[str] = mapped_column(String(32))
    value: Mapped[float]  # s, cm, degrees, or 1.0 pass / 0.0 fail
    created_at: Mapped[CreatedAt]


class ShoeRow(Base):
    __tablename__ = "shoes"
    __table_args__ = (UniqueConstraint("athlete_id", "name_key", name="uq_shoes_athlete_name"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))  # case-folded name; unique per athlete
    start_km: Mapped[float] = mapped_column(default=0.0)
    inspect_km: Mapped[float] = mapped_column(default=500.0)
    retire_km: Mapped[float] = mapped_column(default=800.0)
    bought_on: Mapped[date | None]
    retired_on: Mapped[date | None]
    created_at: Mapped[CreatedAt]


class ShoeDefaultRow(Base):
    """The default pair for a sport: at most one per athlete and sport."""

    __tablename__ = "shoe_defaults"

    athlete_id: Mapped[AthleteKey]
    sport: Mapped[str] = mapped_column(String(32), primary_key=True)
    shoe_id: Mapped[int] = mapped_column(ForeignKey("shoes.id", ondelete="CASCADE"), index=True)
