"""Cached per-activity analysis: what the load model and guidance read without decoding streams."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, Base


class ActivityMetricsRow(Base):
    __tablename__ = "activity_metrics"
    __table_args__ = (Index("ix_activity_metrics_athlete_day", "athlete_id", "day"),)

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    athlete_id: Mapped[AthleteId]
    version: Mapped[int]
    profile_key: Mapped[str] = mapped_column(String(100))
    day: Mapped[date]
    sport: Mapped[str] = mapped_column(String(32))
    distance_m: Mapped[float | None]
    duration_s: Mapped[float]
    moving_time_s: Mapped[float | None]
    load: Mapped[float]
    load_kind: Mapped[str] = mapped_column(String(16))
    hard: Mapped[bool]
    trimp: Mapped[float | None]
    elevation_gain_m: Mapped[float | None]
    elevation_loss_m: Mapped[float | None]
    steep_descent_m: Mapped[float | None]
    steep_descent_share: Mapped[float | None]
    longest_descent_drop_m: Mapped[float | None]
    cadence_spm: Mapped[float | None]
    surface: Mapped[str | None] = mapped_column(String(16))
    analysis_json: Mapped[str] = mapped_column(Text)
