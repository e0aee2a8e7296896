"""Repositories: the only home of queries. Each works inside a caller-owned Session."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any, Unpack, cast

from sqlalchemy import Select, Table, delete, func, insert, select

from backstride.adapters.db.blobs import EncodedStreams, decode_streams
from backstride.adapters.db.postgres import ATHLETE_LOCK, advisory_xact_lock
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import (
    ActivityRow,
    AthleteRow,
    ImportRecordRow,
    StreamRow,
)
from backstride.domain.activity import (
    Activity,
    ActivityFilters,
    DeviceTotals,
    Sport,
    Streams,
    Surface,
)
from backstride.domain.text import runner_text
from backstride.errors import NotFoundError

DEFAULT_ATHLETE_NAME = "Me"
LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern that matches it literally: ``%``, ``_`` and the escape
    character itself are escaped with :data:`LIKE_ESCAPE` (pass ``escape=LIKE_ESCAPE``)."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


class AthleteRepo(Repo):
    def get_or_create_default(self) -> int:
        """The local athlete (the first one); created on first use (once, however many
        processes open a fresh database at the same moment)."""
        advisory_xact_lock(self.session, ATHLETE_LOCK)
        row = self.session.scalars(select(AthleteRow).order_by(AthleteRow.id).limit(1)).first()
        if row is None:
            row = AthleteRow(name=DEFAULT_ATHLETE_NAME)
            self.session.add(row)
            self.session.flush()
        return row.id


def _local_date(activity: Activity) -> date:
    return activity.local_start.date()


SORTABLE = {
    "start": ActivityRow.start_at,
    "distance": ActivityRow.distance_m,
    "duration": ActivityRow.duration_s,
    "sport": ActivityRow.sport,
    "elevation": ActivityRow.elevation_gain_m,
    "hr": ActivityRow.avg_hr_bpm,
}


def row_to_activity(row: ActivityRow, streams: Streams | None = None) -> Activity:
    totals = DeviceTotals(**json.loads(row.device_totals)) if row.device_totals else None
    return Activity(
        sport=Sport(row.sport),
        source_sport=row.source_sport,
        source_format=row.source_format,
        start_at=row.start_at,
        utc_offset_s=row.utc_offset_s,
        time_zone=row.time_zone,
        time_zone_source=row.time_zone_source,
        duration_s=row.duration_s,
        moving_time_s=row.moving_time_s,
        distance_m=row.distance_m,
        elevation_gain_m=row.elevation_gain_m,
        elevation_loss_m=row.elevation_loss_m,
        avg_hr_bpm=row.avg_hr_bpm,
        max_hr_bpm=row.max_hr_bpm,
        avg_cadence_rpm=row.avg_cadence_rpm,
        name=runner_text(row.name),
        device=row.device,
        notes=runner_text(row.notes),
        surface=Surface(row.surface) if row.surface else None,
        rpe=row.rpe,
        gear=row.gear,
        streams=streams if streams is not None else Streams.empty(),
        device_totals=totals,
        warnings=tuple(json.loads(row.warnings or "[]")),
        device_timer_s=row.device_timer_s,
    )


def activity_values(
    athlete_id: int,
    activity: Activity,
    *,
    source_label: str,
    content_hash: str | None,
    file_part: int | None = None,
) -> dict[str, Any]:
    """The ``activities`` columns of one activity (the row's id aside); ``file_part`` is its
    place among the activities of the file ``content_hash`` names."""
    return {
        "athlete_id": athlete_id,
        "sport": activity.sport.value,
        "source_sport": activity.source_sport[:100],
        "source_format": activity.source_format,
        "source_label": source_label[:500],
        "start_at": activity.start_at,
        "utc_offset_s": activity.utc_offset_s,
        "local_date": _local_date(activity),
        "time_zone": activity.time_zone[:64] if activity.time_zone else None,
        "time_zone_source": activity.time_zone_source,
        "duration_s": activity.duration_s,
        "moving_time_s": activity.moving_time_s,
        "distance_m": activity.distance_m,
        "elevation_gain_m": activity.elevation_gain_m,
        "elevation_loss_m": activity.elevation_loss_m,
        "avg_hr_bpm": activity.avg_hr_bpm,
        "max_hr_bpm": activity.max_hr_bpm,
        "avg_cadence_rpm": activity.avg_cadence_rpm,
        "name": activity.name[:500] if activity.name else None,
        "device": activity.device[:200] if activity.device else None,
        "notes": activity.notes,
        "surface": activity.surface.value if activity.surface else None,
        "rpe": activity.rpe,
        "gear": activity.gear[:200] if activity.gear else None,
        "content_hash": content_hash,
        "file_part": file_part if content_hash is not None else None,
        "warnings": json.dumps(list(activity.warnings)),
        "device_totals": (
            json.dumps(asdict(activity.device_totals)) if activity.device_totals else None
        ),
        "device_timer_s": activity.device_timer_s,
    }


_ACTIVITIES = cast(Table, ActivityRow.__table__)


class ActivityRepo(Repo):
    def add(
        self,
        athlete_id: int,
        activity: Activity,
        *,
        source_label: str,
        content_hash: str | None,
        encoded: EncodedStreams | None = None,
    ) -> int:
        """Store an activity and its streams (``encoded`` when the blob was made already)."""
        row = ActivityRow(
            **activity_values(
                athlete_id, activity, source_label=source_label, content_hash=content_hash
            )
        )
        self.session.add(row)
        self.session.flush()
        if encoded is None and len(activity.streams):
            encoded = EncodedStreams.of(activity.streams)
        if encoded is not None and encoded.n_samples:
            self.session.add(
                StreamRow(
                    activity_id=row.id,
                    athlete_id=athlete_id,
                    n_samples=encoded.n_samples,
                    columns=encoded.columns,
                    data=encoded.data,
                )
            )
        return row.id

    def insert_prepared(
        self,
        values: dict[str, Any],
        encoded: EncodedStreams,
        metrics: dict[str, Any] | None,
    ) -> int:
        """Insert an activity, its streams and its cached analysis with plain INSERTs.

        The bulk importer's fast path: no ORM objects, one Core statement per table on the
        session's connection (the ORM's bulk path costs several times the SQL itself, and the
        importer holds the write lock meanwhile).
        """
        conn = self.session.connection()
        activity_id = int(
            conn.execute(
                insert(_ACTIVITIES).returning(_ACTIVITIES.c.id),
                values,
            ).scalar_one()
        )
        athlete_id = values["athlete_id"]
        if encoded.n_samples:
            conn.execute(
                insert(cast(Table, StreamRow.__table__)),
                {
                    "activity_id": activity_id,
                    "athlete_id": athlete_id,
                    "n_samples": encoded.n_samples,
                    "columns": encoded.columns,
                    "data": encoded.data,
                },
            )
        if metrics is not None:
            from backstride.adapters.db.metrics_tables import ActivityMetricsRow

            conn.execute(
                insert(cast(Table, ActivityMetricsRow.__table__)),
                {**metrics, "activity_id": activity_id, "athlete_id": athlete_id},
            )
        return activity_id

    def get_row(self, athlete_id: int, activity_id: int) -> ActivityRow:
        row = self.session.get(ActivityRow, activity_id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFoundError(
                f"There is no activity with id {activity_id}.",
                hint="`backstride activity list` shows the ids.",
            )
        return row

    def get(self, athlete_id: int, activity_id: int, *, with_streams: bool = False) -> Activity:
        row = self.get_row(athlete_id, activity_id)
        streams = self.get_streams(activity_id) if with_streams else None
        return row_to_activity(row, streams)

    def get_streams(self, activity_id: int) -> Streams:
        srow = self.session.get(StreamRow, activity_id)
        return decode_streams(srow.data) if srow is not None else Streams.empty()

    def _filtered(self, athlete_id: int, **filters: Unpack[ActivityFilters]) -> Select[ActivityRow]:
        since, until = filters.get("since"), filters.get("until")
        sports, text = filters.get("sports"), filters.get("text")
        stmt = select(ActivityRow).where(ActivityRow.athlete_id == athlete_id)
        if since is not None:
            stmt = stmt.where(ActivityRow.local_date >= since)
        if until is not None:
            stmt = stmt.where(ActivityRow.local_date <= until)
        if sports:
            stmt = stmt.where(ActivityRow.sport.in_(list(sports)))
        if text:
            like = f"%{escape_like(text)}%"
            stmt = stmt.where(
                ActivityRow.name.ilike(like, escape=LIKE_ESCAPE)
                | ActivityRow.notes.ilike(like, escape=LIKE_ESCAPE)
                | ActivityRow.source_label.ilike(like, escape=LIKE_ESCAPE)
            )
        return stmt

    def list_rows(
        self,
        athlete_id: int,
        *,
        sort: str = "start",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
        **filters: Unpack[ActivityFilters],
    ) -> list[ActivityRow]:
        stmt = self._filtered(athlete_id, **filters)
        col = SORTABLE.get(sort, ActivityRow.start_at)
        order = col.desc() if descending else col.asc()
        stmt = stmt.order_by(order, ActivityRow.id.desc() if descending else ActivityRow.id)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        return list(self.session.scalars(stmt))

    def count(self, athlete_id: int, **filters: Unpack[ActivityFilters]) -> int:
        stmt = self._filtered(athlete_id, **filters)
        return int(self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)

    def stored_content_hashes(self, athlete_id: int, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are stored for ``athlete_id`` (by any process, until now)."""
        wanted = list(set(hashes))
        if not wanted:
            return set()
        stmt = select(ActivityRow.content_hash).where(
            ActivityRow.athlete_id == athlete_id, ActivityRow.content_hash.in_(wanted)
        )
        return {h for h in self.session.scalars(stmt) if h is not None}

    def has_content_hash(self, athlete_id: int, content_hash: str) -> list[int]:
        stmt = select(ActivityRow.id).where(
            ActivityRow.athlete_id == athlete_id, ActivityRow.content_hash == content_hash
        )
        return list(self.session.scalars(stmt))

    def known_content_hashes(self, athlete_id: int) -> set[str]:
        stmt = select(ActivityRow.content_hash).where(
            ActivityRow.athlete_id == athlete_id, ActivityRow.content_hash.is_not(None)
        )
        return {h for h in self.session.scalars(stmt) if h}

    def find_same_activity(
        self,
        athlete_id: int,
        *,
        sport: Sport,
        start_at: datetime,
        distance_m: float | None,
        start_tolerance_s: float = 120.0,
        distance_tolerance: float = 0.03,
    ) -> int | None:
        """The id of a stored activity that is the same one in another format, if any.

        Same sport, start within ``start_tolerance_s``, distance within ``distance_tolerance``
        (relative; two unknown distances match, one unknown does not).
        """
        window = timedelta(seconds=start_tolerance_s)
        stmt = select(ActivityRow.id, ActivityRow.distance_m).where(
            ActivityRow.athlete_id == athlete_id,
            ActivityRow.sport == sport.value,
            ActivityRow.start_at >= start_at - window,
            ActivityRow.start_at <= start_at + window,
        )
        for row_id, row_distance_m in self.session.connection().execute(stmt):
            if distance_m is None and row_distance_m is None:
                return int(row_id)
            if distance_m is None or row_distance_m is None:
                continue
            ref = max(distance_m, row_distance_m)
            if ref == 0 or abs(distance_m - row_distance_m) <= distance_tolerance * ref:
                return int(row_id)
        return None

    def update(self, athlete_id: int, activity_id: int, **fields: Any) -> ActivityRow:
        row = self.get_row(athlete_id, activity_id)
        for key, value in fields.items():
            if not hasattr(ActivityRow, key):
                raise AttributeError(key)
            setattr(row, key, value)
        self.session.flush()
        return row

    def delete(self, athlete_id: int, activity_id: int) -> None:
        row = self.get_row(athlete_id, activity_id)
        self.session.execute(delete(StreamRow).where(StreamRow.activity_id == activity_id))
        self.session.delete(row)
        self.session.flush()


class ImportRecordRepo(Repo):
    def add(
        self,
        athlete_id: int,
        *,
        file_name: str,
        content_hash: str | None,
        size_bytes: int,
        status: str,
        reason: str | None,
        activity_ids: Sequence[int],
    ) -> int:
        values = {
            "athlete_id": athlete_id,
            "file_name": file_name[:1000],
            "content_hash": content_hash,
            "size_bytes": size_bytes,
            "status": status,
            "reason": reason,
            "activity_ids": json.dumps(list(activity_ids)),
        }
        table = cast(Table, ImportRecordRow.__table__)
        stmt = insert(table).returning(table.c.id)
        return int(self.session.connection().execute(stmt, values).scalar_one())

    def list(self, athlete_id: int, *, limit: int = 100) -> list[ImportRecordRow]:
        stmt = (
            select(ImportRecordRow)
            .where(ImportRecordRow.athlete_id == athlete_id)
            .order_by(ImportRecordRow.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(stmt))
