"""The expensive reads the pages share, memoised in the app's result cache (``cache.py``).

Each is the same service function the CLI calls; only the caching is added here. Every
entry is dropped when the data changes (the cache's version), so an edit or an import is
visible on the next read. The reads marked ``reads_diary=False`` never read the pain diary
(the training load, an activity's analysis, the lists of activities and imports): a
check-in leaves them kept (``cache.py``). The reads marked ``reads=LOAD_ONLY`` read no
activity but through the training load (the load report, the runs' spikes) or none at all
(the heart profile, the emergency notice, the import history): an edit of an activity that
leaves the load as it was (its name, its notes) leaves them kept while an import runs.

An activity's analysis and charts (:func:`activity_content`) are kept apart, in the
content cache (``content_cache.py``), under a key naming every input: an import's churn
does not make them compute again, and an edit, a new heart profile or other units do.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, Unpack

from backstride.domain.activity import Activity, ActivityFilters
from backstride.domain.day import Day
from backstride.domain.load import LoadReport, RunSpike
from backstride.domain.metrics import ActivityAnalysis, HeartProfile
from backstride.services.activities import (
    ActivitySummary,
    count_activities,
    get_activity_summary,
    get_activity_with_summary,
    list_activities,
)
from backstride.services.dashboard import ImportRecord, recent_imports, run_spikes
from backstride.services.guidance import EmergencyNotice, emergency_notice
from backstride.services.guidance import today as day_answer
from backstride.services.training import (
    analyse_stored,
    heart_profile,
    load_report,
)
from backstride.web.cache import LOAD_ONLY
from backstride.web.context import runner_today
from backstride.web.deps import WebState
from backstride.web.formatting import units
from backstride.web.views.activities import ActivityCharts, activity_charts


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


@dataclass(frozen=True, slots=True)
class ActivityContent:
    """What is computed from one stored activity's own content (its row and samples) and
    the runner's heart profile: its analysis, and what its samples hold."""

    analysis: ActivityAnalysis
    samples: int
    streams: tuple[str, ...]
    """The recorded streams' names, sorted."""


def _content_key(web: WebState, row: ActivitySummary, heart: HeartProfile | None) -> Hashable:
    """Everything an activity's :class:`ActivityContent` is computed from: the runner, the
    stored row (all its columns; it names the samples too) and the heart profile."""
    return ("activity_content", web.app.athlete_id, row, heart)


def activity_content(web: WebState, activity_id: int) -> tuple[ActivitySummary, ActivityContent]:
    """One activity's stored summary, read afresh (one row, no samples), and its analysis:
    kept in the content cache (``content_cache.py``) under the row as read and the heart
    profile, so computed from the samples again only when one of them changed."""
    heart = cached_heart_profile(web)
    row = get_activity_summary(web.app, activity_id)
    content: ActivityContent | None = web.contents.find(_content_key(web, row, heart))
    if content is None:
        row, activity = get_activity_with_summary(web.app, activity_id)
        content = _analysed(web, row, activity, heart)
    return row, content


def activity_drawn(
    web: WebState, activity_id: int
) -> tuple[ActivitySummary, ActivityContent, ActivityCharts]:
    """:func:`activity_content` and the activity's charts in the page's units (kept under
    the same key and the units)."""
    heart = cached_heart_profile(web)
    shown = units()
    row = get_activity_summary(web.app, activity_id)
    key = _content_key(web, row, heart)
    content: ActivityContent | None = web.contents.find(key)
    charts: ActivityCharts | None = web.contents.find((key, shown))
    if content is None or charts is None:
        row, activity = get_activity_with_summary(web.app, activity_id)
        content = _analysed(web, row, activity, heart)
        charts = activity_charts(activity, content.analysis)
        web.contents.keep((_content_key(web, row, heart), shown), charts)
    return row, content, charts


def _analysed(
    web: WebState, row: ActivitySummary, activity: Activity, heart: HeartProfile | None
) -> ActivityContent:
    """The content of ``activity`` read with its samples and with ``row`` (one transaction:
    kept under the key of the row it is computed from, even when the row changed since an
    earlier read)."""
    key = _content_key(web, row, heart)
    content: ActivityContent | None = web.contents.find(key)
    if content is None:
        content = ActivityContent(
            analysis=analyse_stored(activity, heart=heart),
            samples=len(activity.streams),
            streams=tuple(sorted(activity.streams.present())),
        )
        web.contents.keep(key, content)
    return content


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
