"""What the day's answer reads, as one interface with two implementations.

:class:`Reads` names every read the day's answer makes (``services/day.py`` and what it calls:
the guidance's state, the plan's settling, the safety gate, the units). The reference is
:class:`backstride.adapters.db.orm_reads.OrmReads`, the repositories on the store (SQLite or
PostgreSQL); :class:`backstride.adapters.db.sqlite_reads.SqliteReads` answers the same on an
SQLite file with the ``sqlite3`` module alone, for a fast ``backstride today``. Tests check
that both return the same. This module imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol, TypedDict, Unpack

from backstride.adapters.db.records import GearTotal, SessionColumns
from backstride.domain.body import Clearance, Profile, Screening
from backstride.domain.pain import PainEntry, SeenRecord
from backstride.domain.plan import PlanEvent, PlanMark, PlanRecord, PlanWeek
from backstride.domain.routes import Route
from backstride.domain.routines import RoutineLogEntry
from backstride.domain.selftest import SelfTestResult
from backstride.domain.shoes import Shoe


class ActivityRange(TypedDict, total=False):
    """Which activities :meth:`Reads.activity_rows` reads: local days from ``since`` to
    ``until``, these ``sports`` (stored values); each left out, no bound."""

    since: date | None
    until: date | None
    sports: Sequence[str] | None


class Reads(Protocol):
    """The reads of the day's answer (each as the repository of the same name answers it)."""

    @property
    def read_only(self) -> bool: ...

    def batch(self) -> AbstractContextManager[None]:
        """Reads made inside share one unit of work where the implementation has them."""
        ...

    def stale_activity_ids(
        self, athlete_id: int, *, version: int, profile_key: str
    ) -> list[int]: ...

    def session_columns(
        self, athlete_id: int, *, since: date, until: date
    ) -> list[SessionColumns]: ...

    def metric_rows(self, athlete_id: int, *, since: date, until: date) -> list[Any]:
        """Cached analyses (rows with the ``activity_metrics`` columns as attributes)."""
        ...

    def activity_rows(self, athlete_id: int, **filters: Unpack[ActivityRange]) -> list[Any]:
        """Activities (rows with the ``activities`` columns as attributes), by start."""
        ...

    def activity_count(self, athlete_id: int, *, until: date | None = None) -> int: ...

    def gear_totals(self, athlete_id: int, *, before: date) -> list[GearTotal]: ...

    def pain_list(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[PainEntry]: ...

    def pain_for_guidance(
        self, athlete_id: int, *, since: date, until: date
    ) -> list[PainEntry]: ...

    def first_pain_day_above(
        self, athlete_id: int, *, score: int, until: date | None = None
    ) -> date | None: ...

    def seen(self, athlete_id: int) -> list[SeenRecord]: ...

    def profile(self, athlete_id: int) -> Profile: ...

    def profile_exists(self, athlete_id: int) -> bool: ...

    def profile_units(self, athlete_id: int) -> str | None: ...

    def screening(self, athlete_id: int) -> Screening | None: ...

    def clearances(self, athlete_id: int) -> list[Clearance]: ...

    def selftests(self, athlete_id: int) -> list[SelfTestResult]: ...

    def shoes(self, athlete_id: int) -> list[Shoe]: ...

    def routines(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[RoutineLogEntry]: ...

    def routes(self, athlete_id: int) -> list[Route]: ...

    def latest_plan(self, athlete_id: int) -> PlanRecord | None: ...

    def plan_weeks(self, plan_id: int) -> list[PlanWeek]: ...

    def plan_marks(self, plan_id: int) -> dict[date, PlanMark]: ...

    def plan_events(self, plan_id: int) -> list[PlanEvent]: ...
