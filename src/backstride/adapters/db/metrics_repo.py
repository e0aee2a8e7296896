"""Queries on the cached per-activity analysis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, delete, select

from backstride.adapters.db.metrics_tables import ActivityMetricsRow
from backstride.adapters.db.records import SessionColumns as SessionColumns
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import ActivityRow


def _session_columns_statement(*, since: bool, until: bool) -> Select[*tuple[Any, ...]]:
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
        .where(m.athlete_id == bindparam("athlete"))
    )
    if since:
        stmt = stmt.where(m.day >= bindparam("since"))
    if until:
        stmt = stmt.where(m.day <= bindparam("until"))
    # by day, then activity: the same order whatever ``until`` (the load figures' sums do not
    # depend on how the database breaks ties)
    return stmt.order_by(m.day, m.activity_id)


_STALE_IDS = (
    select(ActivityRow.id)
    .outerjoin(ActivityMetricsRow, ActivityMetricsRow.activity_id == ActivityRow.id)
    .where(ActivityRow.athlete_id == bindparam("athlete"))
    .where(
        ActivityMetricsRow.activity_id.is_(None)
        | (ActivityMetricsRow.version != bindparam("version"))
        | (ActivityMetricsRow.profile_key != bindparam("profile_key"))
    )
    .order_by(ActivityRow.id)
)

_SESSION_COLUMNS = {
    (since, until): _session_columns_statement(since=since, until=until)
    for since in (False, True)
    for until in (False, True)
}
"""Built once (``adapters.db.repo``): with and without each bound."""


class MetricsRepo(Repo):
    def stale_activity_ids(self, athlete_id: int, *, version: int, profile_key: str) -> list[int]:
        """Activities with no cached analysis, or one made by another version or profile."""
        self.session.flush()
        values = {"athlete": athlete_id, "version": version, "profile_key": profile_key}
        return list(self.session.connection().execute(_STALE_IDS, values).scalars())

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
        the cached analysis, by day (from ``since``, up to ``until``, when given).

        Read on the session's connection, as plain rows: the ORM's row loading cost more than
        the query itself (a page read every activity's row again after each batch of an
        import), and these are column values, never objects to track."""
        stmt = _SESSION_COLUMNS[since is not None, until is not None]
        values: dict[str, object] = {"athlete": athlete_id}
        if since is not None:
            values["since"] = since
        if until is not None:
            values["until"] = until
        self.session.flush()  # as the ORM's autoflush would, before reading on its connection
        return [tuple(r) for r in self.session.connection().execute(stmt, values)]
