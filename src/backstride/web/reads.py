"""The expensive reads the pages share, memoised in the app's result cache (``cache.py``).

Each is the same service function the CLI calls; only the caching is added here. Every
entry is dropped when the data changes (the cache's version), so an edit or an import is
visible on the next read. The reads marked ``reads_diary=False`` never read the pain diary
(the training load, an activity's analysis, the lists of activities and imports): a
check-in leaves them kept (``cache.py``). The reads marked ``reads=LOAD_ONLY`` read no
activity but through the training load (the load report, the runs' spikes) or none at all
(the heart profile, the emergency notice, the import history): an edit of an activity that
leaves the load as it was (its name, its notes) leaves them kept while an import runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from backstride.domain.activity import Activity, ActivityFilters
from backstride.domain.day import Day
from backstride.domain.load import LoadReport, RunSpike
from backstride.domain.metrics import ActivityAnalysis, HeartProfile
from backstride.services.activities import (
    ActivitySummary,
    count_activities,
    list_activities,
)
from backstride.services.dashboard import ImportRecord, recent_imports, run_spikes
from backstride.services.guidance import EmergencyNotice, emergency_notice
from backstride.services.guidance import today as day_answer
from backstride.services.training import (
    activity_analysis,
    analyse_stored,
    heart_profile,
    load_report,
)
from backstride.web.cache import LOAD_ONLY
from backstride.web.context import runner_today
from backstride.web.deps import WebState
from backstride.web.formatting import units


def cached_load_report(web: WebState, *, on: date, weeks: int) -> LoadReport:
    """``services.training.load_report`` for the ``weeks`` ISO weeks up to ``on``."""
    return web.cache.get(
        ("load_report", on, weeks),
        lambda: load_report(web.app, on=on, weeks=weeks),
        reads_diary=False,
        reads=LOAD_ONLY,
    )


def cached_run_spike(web: WebState, activity_id: int) -> RunSpike | None:
    """The run's spike against the longest run of the 30 days before it (None: not a run)."""
    spikes = web.cache.get(
        ("run_spikes",), lambda: run_spikes(web.app), reads_diary=False, reads=LOAD_ONLY
    )
    return spikes.get(activity_id)


def cached_analysis(
    web: WebState, activity_id: int, *, activity: Activity | None = None
) -> ActivityAnalysis:
    """``services.training.activity_analysis`` of one activity; pass ``activity`` (read with
    its samples) when the caller has it, so it is not read again."""

    def compute() -> ActivityAnalysis:
        if activity is not None:
            return analyse_stored(activity, heart=cached_heart_profile(web))
        return activity_analysis(web.app, activity_id)

    return web.cache.get(("analysis", activity_id), compute, reads_diary=False)


def cached_heart_profile(web: WebState) -> HeartProfile | None:
    """``services.training.heart_profile``: the runner's profile as the analysis needs it."""
    return web.cache.get(
        ("heart_profile",), lambda: heart_profile(web.app), reads_diary=False, reads=LOAD_ONLY
    )


def cached_emergency_notice(web: WebState, *, on: date) -> EmergencyNotice | None:
    """``services.guidance.emergency_notice`` as of ``on`` (every page shows it)."""
    return web.cache.get(
        ("emergency_notice", on), lambda: emergency_notice(web.app, on=on), reads=LOAD_ONLY
    )


def cached_recent_imports(web: WebState, *, limit: int) -> list[ImportRecord]:
    """``services.dashboard.recent_imports``: the newest ``limit`` import outcomes."""
    return web.cache.get(
        ("recent_imports", limit),
        lambda: recent_imports(web.app, limit=limit),
        reads_diary=False,
        reads=LOAD_ONLY,
    )


def _filters_key(filters: ActivityFilters) -> tuple[Any, ...]:
    """The filters as a cache key (no sports and an empty list of them are the same)."""
    sports = filters.get("sports")
    return (filters.get("since"), filters.get("until"), tuple(sports or ()), filters.get("text"))


def cached_activity_count(web: WebState, **filters: Unpack[ActivityFilters]) -> int:
    """``services.activities.count_activities`` with these filters."""
    return web.cache.get(
        ("activity_count", *_filters_key(filters)),
        lambda: count_activities(web.app, **filters),
        reads_diary=False,
    )


def cached_activity_rows(
    web: WebState,
    *,
    sort: str = "start",
    descending: bool = False,
    limit: int,
    offset: int = 0,
    **filters: Unpack[ActivityFilters],
) -> list[ActivitySummary]:
    """``services.activities.list_activities``: one page of rows with these filters."""
    key = ("activity_rows", *_filters_key(filters), sort, descending, limit, offset)
    rows = web.cache.get(
        key,
        lambda: list_activities(
            web.app, sort=sort, descending=descending, limit=limit, offset=offset, **filters
        ),
        reads_diary=False,
    )
    return list(rows)  # a copy: the cached list is shared


def cached_day(web: WebState, *, on: date) -> Day:
    """The day's one answer (``services.guidance.today``) for ``on``, its words in the page's
    units; the plan is settled up to the real today at most (the clock is read here, at the
    edge)."""
    real = runner_today()
    words_in = units()
    return web.cache.get(
        ("day", on, real, words_in),
        lambda: day_answer(web.app, on=on, today=real, units=words_in),
    )
