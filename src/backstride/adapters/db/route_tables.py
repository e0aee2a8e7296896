"""Saved routes: a course the runner may choose, with its terrain cached. Migration ``0004``.

The positions and altitude are one compressed blob (``blobs.encode_streams`` of a
``Streams`` holding ``time_s`` = 0, ``lat``, ``lon``, ``altitude_m``, ``distance_m``). The
taxing score and its parts are cached so listing and today's advice never decode the blob;
``taxing_version`` says which formula wrote them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import Base, UTCDateTime, utcnow


class RouteRow(Base):
    __tablename__ = "routes"
    __table_args__ = (
        UniqueConstraint("athlete_id", "name_key", name="uq_routes_athlete_name"),
        Index("ix_routes_athlete_score", "athlete_id", "taxing_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))  # case-folded name; unique per athlete
    source_kind: Mapped[str] = mapped_column(String(16))  # file | activity
    source: Mapped[str] = mapped_column(String(1000))  # file name or "activity 12"
    source_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    distance_m: Mapped[float] = mapped_column(Float)
    climb_m: Mapped[float | None] = mapped_column(Float)
    descent_m: Mapped[float | None] = mapped_column(Float)
    steep_descent_m: Mapped[float | None] = mapped_column(Float)
    steep_descent_share: Mapped[float | None] = mapped_column(Float)
    longest_descent_drop_m: Mapped[float | None] = mapped_column(Float)
    surface: Mapped[str | None] = mapped_column(String(16))
    n_points: Mapped[int] = mapped_column(Integer)
    points: Mapped[bytes] = mapped_column(LargeBinary)
    taxing_version: Mapped[int] = mapped_column(Integer)
    taxing_score: Mapped[float] = mapped_column(Float)
    taxing_json: Mapped[str] = mapped_column(Text)
