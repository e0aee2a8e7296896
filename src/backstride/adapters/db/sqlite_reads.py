"""The day's reads on an SQLite file with the ``sqlite3`` module alone (no SQLAlchemy).

``backstride today`` after a change spent most of its time importing and setting up
SQLAlchemy's ORM for a few dozen small queries. :class:`SqliteReads` answers the same reads
(:class:`backstride.adapters.db.reads.Reads`) with the same SQL the repositories send,
decodes the columns as SQLAlchemy's SQLite types do (dates, UTC date-times, booleans) and
turns the rows into domain objects with the repositories' own conversions
(:mod:`backstride.adapters.db.records`). Tests check that it returns exactly what the
repositories return (``tests/adapters/test_sqlite_reads.py``).

It only reads (its connection is opened ``mode=ro``); a use case that needs to write goes
through the ORM store as always. :func:`open_reads` says whether a database may be read this
way at all: an existing backstride file on a writable disk whose schema is the newest (anything
else needs the store, which migrates, refuses or opens it for viewing only).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Unpack

from backstride.adapters.db import records
from backstride.adapters.db.reads import ActivityRange
from backstride.adapters.db.records import GearTotal, SessionColumns
from backstride.adapters.db.revisions import head_revision
from backstride.adapters.db.sqlite_file import inspect_file
from backstride.domain.body import Clearance, Profile, Screening
from backstride.domain.pain import PainEntry, SeenRecord
from backstride.domain.plan import PlanEvent, PlanMark, PlanRecord, PlanWeek
from backstride.domain.routes import Route
from backstride.domain.routines import RoutineLogEntry
from backstride.domain.selftest import SelfTestResult
from backstride.domain.shoes import Shoe
from backstride.errors import BackstrideError

DATE_COLUMNS = frozenset(
    {
        "day",
        "local_date",
        "answered_on",
        "cleared_on",
        "seen_on",
        "bought_on",
        "retired_on",
        "spine_surgery_on",
        "spine_injection_on",
        "pregnant_since",
        "start_on",
        "paused_on",
        "gate_paused_on",
        "ended_on",
        "starts_on",
        "cut_on",
        "rest_day_on",
        "paused_from",
        "settled_on",
    }
)
"""Columns stored as SQLAlchemy ``Date`` (``YYYY-MM-DD`` text in SQLite)."""
DATETIME_COLUMNS = frozenset({"start_at", "created_at", "updated_at"})
"""Columns stored as ``UTCDateTime`` (naive UTC text; read back as aware UTC)."""
BOOL_COLUMNS = frozenset(
    {"walking_leg_symptoms", "eases_sitting", "worse_coughing", "hard", "done"}
)
"""Columns stored as ``Boolean`` (0 or 1)."""

ROUTE_COLUMNS = (
    "id, athlete_id, name, name_key, source_kind, source, source_activity_id, created_at, "
    "distance_m, climb_m, descent_m, steep_descent_m, steep_descent_share, "
    "longest_descent_drop_m, surface, n_points, taxing_score, taxing_version, taxing_json"
)
"""Every column of ``routes`` but the points (the repository defers them)."""


def _decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATE_COLUMNS:
        return date.fromisoformat(value)
    if name in DATETIME_COLUMNS:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if name in BOOL_COLUMNS:
        return bool(value)
    return value


def _row_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> SimpleNamespace:
    names = [d[0] for d in cursor.description]
    return SimpleNamespace(**{n: _decode(n, v) for n, v in zip(names, row, strict=True)})


def _iso(day: date) -> str:
    return day.isoformat()


class SqliteReads:
    """The day's reads on one SQLite file (see :class:`backstride.adapters.db.reads.Reads`)."""

    read_only = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            con = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=10.0,
                isolation_level=None,
                check_same_thread=False,
            )
            con.row_factory = _row_factory
            self._con = con
        return self._con

    def _all(self, sql: str, *params: Any) -> list[Any]:
        return self._connection().execute(sql, params).fetchall()

    def _one(self, sql: str, *params: Any) -> Any:
        return self._connection().execute(sql, params).fetchone()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Reads inside may share one unit of work; here each statement is its own already."""
        yield

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    # --- athletes and activities --------------------------------------------------------------

    def first_athlete(self) -> int | None:
        row = self._one("SELECT id FROM athletes ORDER BY id LIMIT 1")
        return int(row.id) if row is not None else None

    def stale_activity_ids(self, athlete_id: int, *, version: int, profile_key: str) -> list[int]:
        rows = self._all(
            "SELECT activities.id FROM activities LEFT OUTER JOIN activity_metrics "
            "ON activity_metrics.activity_id = activities.id WHERE activities.athlete_id = ? "
            "AND (activity_metrics.activity_id IS NULL OR activity_metrics.version != ? "
            "OR activity_metrics.profile_key != ?) ORDER BY activities.id",
            athlete_id,
            version,
            profile_key,
        )
        return [int(r.id) for r in rows]

    def session_columns(self, athlete_id: int, *, since: date, until: date) -> list[SessionColumns]:
        rows = self._all(
            "SELECT m.activity_id, m.day, a.start_at, m.sport, m.distance_m, m.duration_s, "
            "m.moving_time_s, m.load, m.load_kind, m.hard FROM activity_metrics AS m "
            "JOIN activities AS a ON a.id = m.activity_id "
            "WHERE m.athlete_id = ? AND m.day >= ? AND m.day <= ? ORDER BY m.day",
            athlete_id,
            _iso(since),
            _iso(until),
        )
        return [
            (
                r.activity_id,
                r.day,
                r.start_at,
                r.sport,
                r.distance_m,
                r.duration_s,
                r.moving_time_s,
                r.load,
                r.load_kind,
                r.hard,
            )
            for r in rows
        ]

    def metric_rows(self, athlete_id: int, *, since: date, until: date) -> list[Any]:
        return self._all(
            "SELECT * FROM activity_metrics WHERE athlete_id = ? AND day <= ? AND day >= ? "
            "ORDER BY day",
            athlete_id,
            _iso(until),
            _iso(since),
        )

    def _activity_filter(
        self, athlete_id: int, **filters: Unpack[ActivityRange]
    ) -> tuple[str, list[Any]]:
        where = "athlete_id = ?"
        params: list[Any] = [athlete_id]
        if (since := filters.get("since")) is not None:
            where += " AND local_date >= ?"
            params.append(_iso(since))
        if (until := filters.get("until")) is not None:
            where += " AND local_date <= ?"
            params.append(_iso(until))
        if sports := filters.get("sports"):
            where += f" AND sport IN ({', '.join('?' for _ in sports)})"
            params.extend(sports)
        return where, params

    def activity_rows(self, athlete_id: int, **filters: Unpack[ActivityRange]) -> list[Any]:
        where, params = self._activity_filter(athlete_id, **filters)
        return self._all(
            f"SELECT * FROM activities WHERE {where} ORDER BY start_at, id",  # noqa: S608
            *params,
        )

    def activity_count(self, athlete_id: int, *, until: date | None = None) -> int:
        where, params = self._activity_filter(athlete_id, until=until)
        row = self._one(f"SELECT count(*) AS n FROM activities WHERE {where}", *params)  # noqa: S608
        return int(row.n)

    def gear_totals(self, athlete_id: int, *, before: date) -> list[GearTotal]:
        rows = self._all(
            "SELECT gear, sport, count(*) AS n, sum(distance_m) AS d, max(local_date) AS day "
            "FROM activities WHERE athlete_id = ? AND gear IS NOT NULL AND local_date < ? "
            "GROUP BY gear, sport",
            athlete_id,
            _iso(before),
        )
        return [
            GearTotal(
                str(r.gear), str(r.sport), int(r.n), float(r.d) if r.d is not None else None, r.day
            )
            for r in rows
        ]

    def _by_day(
        self, table: str, athlete_id: int, since: date | None, until: date | None
    ) -> list[Any]:
        """The runner's rows of ``table`` (a diary of days) from ``since`` to ``until`` when
        given, by day and then as entered."""
        sql = f"SELECT * FROM {table} WHERE athlete_id = ?"  # noqa: S608
        params: list[Any] = [athlete_id]
        if since is not None:
            sql += " AND day >= ?"
            params.append(_iso(since))
        if until is not None:
            sql += " AND day <= ?"
            params.append(_iso(until))
        return self._all(sql + " ORDER BY day, id", *params)

    # --- the diary ----------------------------------------------------------------------------

    def pain_list(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[PainEntry]:
        return [
            records.pain_entry(r) for r in self._by_day("pain_entries", athlete_id, since, until)
        ]

    def pain_for_guidance(self, athlete_id: int, *, since: date, until: date) -> list[PainEntry]:
        rows = self._all(
            "SELECT * FROM pain_entries WHERE athlete_id = ? AND day <= ? AND (day >= ? OR "
            "red_flags != '[]' OR walking_leg_symptoms IS 1 AND eases_sitting IS 1) "
            "ORDER BY day, id",
            athlete_id,
            _iso(until),
            _iso(since),
        )
        return [records.pain_entry(r) for r in rows]

    def first_pain_day_above(
        self, athlete_id: int, *, score: int, until: date | None = None
    ) -> date | None:
        sql = "SELECT min(day) AS day FROM pain_entries WHERE athlete_id = ? AND score > ?"
        params: list[Any] = [athlete_id, score]
        if until is not None:
            sql += " AND day <= ?"
            params.append(_iso(until))
        row = self._one(sql, *params)
        return row.day if isinstance(row.day, date) else None

    def seen(self, athlete_id: int) -> list[SeenRecord]:
        rows = self._all(
            "SELECT * FROM red_flag_seen WHERE athlete_id IN (?) ORDER BY seen_on, id", athlete_id
        )
        return [records.seen(r) for r in rows]

    # --- the body -----------------------------------------------------------------------------

    def _profile_row(self, athlete_id: int) -> Any:
        return self._one("SELECT * FROM profiles WHERE athlete_id = ?", athlete_id)

    def profile(self, athlete_id: int) -> Profile:
        return records.profile(self._profile_row(athlete_id))

    def profile_exists(self, athlete_id: int) -> bool:
        return self._profile_row(athlete_id) is not None

    def profile_units(self, athlete_id: int) -> str | None:
        row = self._one("SELECT units FROM profiles WHERE athlete_id = ?", athlete_id)
        return row.units if row is not None else None

    def screening(self, athlete_id: int) -> Screening | None:
        row = self._one(
            "SELECT * FROM screenings WHERE athlete_id = ? "
            "ORDER BY answered_on DESC, id DESC LIMIT 1",
            athlete_id,
        )
        return records.screening(row) if row is not None else None

    def clearances(self, athlete_id: int) -> list[Clearance]:
        rows = self._all(
            "SELECT * FROM clearances WHERE athlete_id = ? ORDER BY cleared_on, id", athlete_id
        )
        return [records.clearance(r) for r in rows]

    def selftests(self, athlete_id: int) -> list[SelfTestResult]:
        return records.selftests(
            self._all(
                "SELECT * FROM selftest_results WHERE athlete_id = ? ORDER BY day, id", athlete_id
            )
        )

    def shoes(self, athlete_id: int) -> list[Shoe]:
        defaults: dict[int, list[str]] = {}
        for row in self._all("SELECT * FROM shoe_defaults WHERE athlete_id = ?", athlete_id):
            defaults.setdefault(row.shoe_id, []).append(row.sport)
        rows = self._all("SELECT * FROM shoes WHERE athlete_id = ? ORDER BY id", athlete_id)
        return [records.shoe(r, defaults) for r in rows]

    def routines(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[RoutineLogEntry]:
        return [
            records.routine_entry(r) for r in self._by_day("routine_log", athlete_id, since, until)
        ]

    def routes(self, athlete_id: int) -> list[Route]:
        rows = self._all(
            f"SELECT {ROUTE_COLUMNS} FROM routes WHERE athlete_id = ? "  # noqa: S608
            "ORDER BY taxing_score, name_key",
            athlete_id,
        )
        return [records.route(r) for r in rows]

    # --- the plan -----------------------------------------------------------------------------

    def latest_plan(self, athlete_id: int) -> PlanRecord | None:
        row = self._one(
            "SELECT * FROM plans WHERE athlete_id = ? ORDER BY id DESC LIMIT 1", athlete_id
        )
        return records.plan_record(row) if row is not None else None

    def plan_weeks(self, plan_id: int) -> list[PlanWeek]:
        rows = self._all("SELECT * FROM plan_weeks WHERE plan_id = ? ORDER BY seq", plan_id)
        return [records.plan_week(r) for r in rows]

    def plan_marks(self, plan_id: int) -> dict[date, PlanMark]:
        return records.plan_marks(self._all("SELECT * FROM plan_marks WHERE plan_id = ?", plan_id))

    def plan_events(self, plan_id: int) -> list[PlanEvent]:
        rows = self._all("SELECT * FROM plan_events WHERE plan_id = ? ORDER BY day, id", plan_id)
        return [records.plan_event(r) for r in rows]


def open_reads(path: Path) -> SqliteReads | None:
    """Narrow reads of the database file at ``path``, or None when it must be opened by the
    store: no file yet, not writable (viewing only), no backstride id yet, a schema that is
    not the newest, no runner yet, or a file that cannot be read (the store then says why)."""
    try:
        found = inspect_file(path)
    except BackstrideError:
        return None
    if not found.exists or found.read_only or not found.has_id:
        return None
    reads = SqliteReads(path)
    try:
        revisions = [
            str(r.version_num)
            for r in reads._all("SELECT version_num FROM alembic_version")  # noqa: SLF001
        ]
        if revisions != [head_revision()] or reads.first_athlete() is None:
            reads.close()
            return None
    except sqlite3.Error:
        reads.close()
        return None
    return reads
