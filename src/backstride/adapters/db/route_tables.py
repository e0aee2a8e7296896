"""Saved routes: a course the runner may choose, with its terrain cached. Migration ``0004``.

The positions and altitude are one compressed blob (``blobs.encode_streams`` of a
``Streams`` holding ``time_s`` = 0, ``lat``, ``lon``, ``altitude_m``, ``distance_m``). The
taxing score and its parts are cached so listing and today's advice never decode the blob;
``taxing_version`` says which formula wrote them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backstride.adapters.db.tables import AthleteId, Base, CreatedAt, RowId


class RouteRow(Base):
    __tablename__ = "routes"
    __table_args__ = (
        UniqueConstraint("athlete_id", "name_key", name="uq_routes_athlete_name"),
        Index("ix_routes_athlete_score", "athlete_id", "taxing_score"),
    )

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))  # case-folded name; unique per athlete
    source_kind: Mapped[str] = mapped_column(String(16))  # file | activity
    source: Mapped[str] = mapped_column(String(1000))  # file name or "activity 12"
    source_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    created_at: Mapped[CreatedAt]
    distance_m: Mapped[float]
    climb_m: Mapped[float | None]
    descent_m: Mapped[float | None]
    steep_descent_m: Mapped[float | None]
    steep_descent_share: Mapped[float | None]
    longest_descent_drop_m: Mapped[float | None]
    surface: Mapped[str | None] = mapped_column(String(16))
    n_points: Mapped[int]
    points: Mapped[bytes]
    taxing_version: Mapped[int]
    taxing_score: Mapped[float]
    taxing_json: Mapped[str] = mapped_column(Text)
