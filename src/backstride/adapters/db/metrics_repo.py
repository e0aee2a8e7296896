"""Queries on the cached per-activity analysis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select

from backstride.adapters.db.metrics_tables import ActivityMetricsRow
from backstride.adapters.db.records import SessionColumns as SessionColumns
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import ActivityRow


class MetricsRepo(Repo):
    def stale_activity_ids(self, athlete_id: int, *, version: int, profile_key: str) -> list[int]:
        """Activities with no cached analysis, or one made by another version or profile."""
        m = ActivityMetricsRow
        stmt = (
            select(ActivityRow.id)
            .outerjoin(m, m.activity_id == ActivityRow.id)
            .where(ActivityRow.athlete_id == athlete_id)
            .where(
                (m.activity_id.is_(None)) | (m.version != version) | (m.profile_key != profile_key)
            )
            .order_by(ActivityRow.id)
        )
        return list(self.session.scalars(stmt))

    def put(self, row: ActivityMetricsRow, *, new: bool = False) -> None:
        """Store ``row``, replacing any cached analysis of the same activity (unless ``new``)."""
        if not new:
            self.session.execute(
                delete(ActivityMetricsRow).where(ActivityMetricsRow.activity_id == row.activity_id)
            )
        self.session.add(row)

    def get(self, activity_id: int) -> ActivityMetricsRow | None:
        return self.session.get(ActivityMetricsRow, activity_id)

    def list_rows(
        self, athlete_id: int, *, until: date | None = None, since: date | None = None
    ) -> Sequence[ActivityMetricsRow]:
        stmt = select(ActivityMetricsRow).where(ActivityMetricsRow.athlete_id == athlete_id)
        if until is not None:
            stmt = stmt.where(ActivityMetricsRow.day <= until)
        if since is not None:
            stmt = stmt.where(ActivityMetricsRow.day >= since)
        return list(self.session.scalars(stmt.order_by(ActivityMetricsRow.day)))

    def session_columns(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[SessionColumns]:
        """(id, day, start, sport, distance, duration, moving time, load, kind, hard) rows of
        the cached analysis, by day (from ``since``, up to ``until``, when given)."""
        m = ActivityMetricsRow
        stmt = (
            select(
                m.activity_id,
                m.day,
                ActivityRow.start_at,
                m.sport,
                m.distance_m,
                m.duration_s,
                m.moving_time_s,
                m.load,
                m.load_kind,
                m.hard,
            )
            .join(ActivityRow, ActivityRow.id == m.activity_id)
            .where(m.athlete_id == athlete_id)
        )
        if since is not None:
            stmt = stmt.where(m.day >= since)
        if until is not None:
            stmt = stmt.where(m.day <= until)
        # by day, then activity: the same order whatever ``until`` (the load figures'
        # sums do not depend on how the database breaks ties)
        return [tuple(r) for r in self.session.execute(stmt.order_by(m.day, m.activity_id))]
