"""Cached per-activity analysis: what the load model and guidance read without decoding streams."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import Base


class ActivityMetricsRow(Base):
    __tablename__ = "activity_metrics"
    __table_args__ = (Index("ix_activity_metrics_athlete_day", "athlete_id", "day"),)

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    profile_key: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    sport: Mapped[str] = mapped_column(String(32))
    distance_m: Mapped[float | None] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    moving_time_s: Mapped[float | None] = mapped_column(Float)
    load: Mapped[float] = mapped_column(Float)
    load_kind: Mapped[str] = mapped_column(String(16))
    hard: Mapped[bool] = mapped_column(Boolean)
    trimp: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    elevation_loss_m: Mapped[float | None] = mapped_column(Float)
    steep_descent_m: Mapped[float | None] = mapped_column(Float)
    steep_descent_share: Mapped[float | None] = mapped_column(Float)
    longest_descent_drop_m: Mapped[float | None] = mapped_column(Float)
    cadence_spm: Mapped[float | None] = mapped_column(Float)
    surface: Mapped[str | None] = mapped_column(String(16))
    analysis_json: Mapped[str] = mapped_column(Text)
