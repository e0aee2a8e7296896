"""The day's reads through the repositories on the store: the reference
(:class:`backstride.adapters.db.reads.Reads`), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar, Unpack

from sqlalchemy.orm import Session

from backstride.adapters.db.body_repos import (
    ClearanceRepo,
    PainRepo,
    ProfileRepo,
    RedFlagSeenRepo,
    ScreeningRepo,
    SelfTestRepo,
    ShoeRepo,
)
from backstride.adapters.db.engine import Store
from backstride.adapters.db.guidance_repos import GuidanceRepo
from backstride.adapters.db.metrics_repo import MetricsRepo
from backstride.adapters.db.plan_repos import PlanRepo, RoutineLogRepo
from backstride.adapters.db.reads import ActivityRange
from backstride.adapters.db.records import GearTotal, SessionColumns
from backstride.adapters.db.repos import ActivityRepo
from backstride.adapters.db.route_repos import RouteRepo
from backstride.domain.body import Clearance, Profile, Screening
from backstride.domain.pain import PainEntry, SeenRecord
from backstride.domain.plan import PlanEvent, PlanMark, PlanRecord, PlanWeek
from backstride.domain.routes import Route
from backstride.domain.routines import RoutineLogEntry
from backstride.domain.selftest import SelfTestResult
from backstride.domain.shoes import Shoe

T = TypeVar("T")


class OrmReads:
    """Each read in a read-only unit of work of ``store`` (``Store.read_session``); inside
    :meth:`batch`, all of this thread's reads in one."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._local = threading.local()

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The reads inside share one read-only unit of work (one snapshot, one round of
        set-up); nested batches join the outer one."""
        if getattr(self._local, "session", None) is not None:
            yield
            return
        with self.store.read_session() as session:
            self._local.session = session
            try:
                yield
            finally:
                self._local.session = None

    def _read(self, work: Callable[[Session], T]) -> T:
        session = getattr(self._local, "session", None)
        if session is not None:
            return work(session)
        with self.store.read_session() as fresh:
            return work(fresh)

    def stale_activity_ids(self, athlete_id: int, *, version: int, profile_key: str) -> list[int]:
        return self._read(
            lambda s: MetricsRepo(s).stale_activity_ids(
                athlete_id, version=version, profile_key=profile_key
            )
        )

    def session_columns(self, athlete_id: int, *, since: date, until: date) -> list[SessionColumns]:
        return self._read(
            lambda s: GuidanceRepo(s).session_columns(athlete_id, since=since, until=until)
        )

    def metric_rows(self, athlete_id: int, *, since: date, until: date) -> list[Any]:
        return self._read(
            lambda s: list(MetricsRepo(s).list_rows(athlete_id, since=since, until=until))
        )

    def activity_rows(self, athlete_id: int, **filters: Unpack[ActivityRange]) -> list[Any]:
        return self._read(lambda s: list(ActivityRepo(s).list_rows(athlete_id, **filters)))

    def activity_count(self, athlete_id: int, *, until: date | None = None) -> int:
        return self._read(lambda s: ActivityRepo(s).count(athlete_id, until=until))

    def gear_totals(self, athlete_id: int, *, before: date) -> list[GearTotal]:
        return self._read(lambda s: GuidanceRepo(s).gear_totals(athlete_id, before=before))

    def pain_list(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[PainEntry]:
        return self._read(lambda s: PainRepo(s).list(athlete_id, since=since, until=until))

    def pain_for_guidance(self, athlete_id: int, *, since: date, until: date) -> list[PainEntry]:
        return self._read(
            lambda s: GuidanceRepo(s).pain_for_guidance(athlete_id, since=since, until=until)
        )

    def first_pain_day_above(
        self, athlete_id: int, *, score: int, until: date | None = None
    ) -> date | None:
        return self._read(
            lambda s: PainRepo(s).first_day_above(athlete_id, score=score, until=until)
        )

    def seen(self, athlete_id: int) -> list[SeenRecord]:
        return self._read(lambda s: RedFlagSeenRepo(s).list(athlete_id))

    def profile(self, athlete_id: int) -> Profile:
        return self._read(lambda s: ProfileRepo(s).get(athlete_id))

    def profile_exists(self, athlete_id: int) -> bool:
        return self._read(lambda s: ProfileRepo(s).exists(athlete_id))

    def profile_units(self, athlete_id: int) -> str | None:
        return self._read(lambda s: ProfileRepo(s).units(athlete_id))

    def screening(self, athlete_id: int) -> Screening | None:
        return self._read(lambda s: ScreeningRepo(s).latest(athlete_id))

    def clearances(self, athlete_id: int) -> list[Clearance]:
        return self._read(lambda s: ClearanceRepo(s).list(athlete_id))

    def selftests(self, athlete_id: int) -> list[SelfTestResult]:
        return self._read(lambda s: SelfTestRepo(s).list(athlete_id))

    def shoes(self, athlete_id: int) -> list[Shoe]:
        return self._read(lambda s: ShoeRepo(s).list(athlete_id))

    def routines(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[RoutineLogEntry]:
        return self._read(lambda s: RoutineLogRepo(s).list(athlete_id, since=since, until=until))

    def routes(self, athlete_id: int) -> list[Route]:
        return self._read(lambda s: RouteRepo(s).list(athlete_id))

    def latest_plan(self, athlete_id: int) -> PlanRecord | None:
        return self._read(lambda s: PlanRepo(s).latest(athlete_id))

    def plan_weeks(self, plan_id: int) -> list[PlanWeek]:
        return self._read(lambda s: PlanRepo(s).weeks(plan_id))

    def plan_marks(self, plan_id: int) -> dict[date, PlanMark]:
        return self._read(lambda s: PlanRepo(s).marks(plan_id))

    def plan_events(self, plan_id: int) -> list[PlanEvent]:
        return self._read(lambda s: PlanRepo(s).events(plan_id))
