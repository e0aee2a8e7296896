"""SQLAlchemy 2.0 rows. Every row is keyed by athlete so one database can serve several."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # A column's type follows its Python type (int: INTEGER, bool: BOOLEAN, date: DATE,
    # bytes: BLOB/BYTEA); floats stay FLOAT as the migrations declare them.
    type_annotation_map = {float: Float}


# Columns most rows declare alike, written once (SQLAlchemy copies an annotated
# ``mapped_column`` into each table that uses it, where it stands in the class):
# ``id: Mapped[RowId]``, ``athlete_id: Mapped[AthleteId]``, ``created_at: Mapped[CreatedAt]``.
RowId = Annotated[int, mapped_column(primary_key=True)]
AthleteId = Annotated[int, mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))]
# A row of which each athlete has at most one: the athlete is its key.
AthleteKey = Annotated[
    int, mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True)
]
CreatedAt = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]
UpdatedAt = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)]


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[RowId]
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[CreatedAt]


class DataVersionRow(Base):
    """How often an athlete's data changed (athlete 0: changes not tied to one athlete).

    Bumped in every writing transaction and read by the page caches of every process, so an
    edit made by another worker, the command line or another host is seen on the next read.
    ``non_diary_version`` counts only the transactions that changed anything but the pain
    diary (``engine.DIARY_TABLES``): answers that never read the diary are kept with it.
    """

    __tablename__ = "data_versions"

    athlete_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    non_diary_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_athlete_start", "athlete_id", "start_at"),
        Index("ix_activities_athlete_day", "athlete_id", "local_date"),
        # One row per activity of an imported file: the same file bytes (content_hash) are
        # stored once per athlete, even when two imports race (migration 0014).
        Index(
            "uq_activities_athlete_hash_part",
            "athlete_id",
            "content_hash",
            "file_part",
            unique=True,
        ),
        # The Activities list's sort keys (migration 0006).
        Index("ix_activities_athlete_distance", "athlete_id", "distance_m"),
        Index("ix_activities_athlete_duration", "athlete_id", "duration_s"),
        Index("ix_activities_athlete_elevation", "athlete_id", "elevation_gain_m"),
        Index("ix_activities_athlete_hr", "athlete_id", "avg_hr_bpm"),
        Index("ix_activities_athlete_sport", "athlete_id", "sport"),
    )

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    sport: Mapped[str] = mapped_column(String(32))
    source_sport: Mapped[str] = mapped_column(String(100), default="")
    source_format: Mapped[str] = mapped_column(String(16))
    source_label: Mapped[str] = mapped_column(String(500), default="")
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_s: Mapped[int | None]
    local_date: Mapped[date]
    # The local clock's zone and where it came from (migration 0009; docs: "Local days").
    time_zone: Mapped[str | None] = mapped_column(String(64))
    time_zone_source: Mapped[str | None] = mapped_column(String(16))
    duration_s: Mapped[float]
    moving_time_s: Mapped[float | None]
    distance_m: Mapped[float | None]
    elevation_gain_m: Mapped[float | None]
    elevation_loss_m: Mapped[float | None]
    avg_hr_bpm: Mapped[float | None]
    max_hr_bpm: Mapped[float | None]
    avg_cadence_rpm: Mapped[float | None]
    name: Mapped[str | None] = mapped_column(String(500))
    device: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    surface: Mapped[str | None] = mapped_column(String(16))
    rpe: Mapped[float | None]
    gear: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # Which activity of its file this is (0, 1, ...); None for one not imported from a file.
    file_part: Mapped[int | None]
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    device_totals: Mapped[str | None] = mapped_column(Text)
    device_timer_s: Mapped[float | None]
    created_at: Mapped[CreatedAt]


class StreamRow(Base):
    __tablename__ = "streams"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    athlete_id: Mapped[AthleteId]
    n_samples: Mapped[int]
    columns: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes]


class ImportRecordRow(Base):
    __tablename__ = "import_records"
    __table_args__ = (Index("ix_import_records_athlete_hash", "athlete_id", "content_hash"),)

    id: Mapped[RowId]
    athlete_id: Mapped[AthleteId]
    file_name: Mapped[str] = mapped_column(String(1000))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    activity_ids: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[CreatedAt]
