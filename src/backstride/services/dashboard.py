"""Use cases of the web dashboard the other services do not cover yet.

* :func:`weekly_totals` and :func:`overview`: this week against recent weeks, the latest
  activities and the things that need the runner's attention (the Overview page and
  ``GET /api/overview``).
* :func:`recent_imports`: the import history (the Import page).
* :func:`import_uploads`: import files a browser uploaded into a temporary folder, reporting
  and labelling them by the names the runner chose rather than the temporary path.

Everything goes through the repositories and the existing services; nothing here builds a
query.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from backstride.adapters.db.repos import ImportRecordRepo
from backstride.domain.activity import Sport
from backstride.domain.day import Day
from backstride.domain.load import RunSpike, compute_run_spikes
from backstride.services.activities import ActivitySummary, list_activities, week_start
from backstride.services.context import App
from backstride.services.importing import ImportReport, import_paths
from backstride.services.training import session_summaries

#: The stored summary of one activity, as the listing services return it (for type hints).

RUN_SPORT_VALUES = frozenset(s.value for s in Sport if s.is_run)
AttentionLevel = Literal["info", "caution", "alert"]


@dataclass(frozen=True, slots=True)
class WeekTotals:
    """Totals of one Monday-to-Sunday week (local dates)."""

    week_start: date
    activities: int
    runs: int
    distance_m: float
    duration_s: float
    run_distance_m: float
    run_duration_s: float


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One thing on the Overview worth a look: a plain sentence and where to act on it."""

    kind: str
    level: AttentionLevel
    message: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Overview:
    """The Overview page: the day's one answer, this week, the weeks before it, latest
    activities, and everything that needs attention (the answer's open red flags and findings
    at caution or above first)."""

    on: date
    weeks: tuple[WeekTotals, ...]
    latest: tuple[ActivitySummary, ...]
    attention: tuple[AttentionItem, ...]
    answer: Day | None = None

    @property
    def this_week(self) -> WeekTotals:
        return self.weeks[-1]

    @property
    def previous_weeks(self) -> tuple[WeekTotals, ...]:
        return self.weeks[:-1]

    def recent_average(self, count: int = 4) -> WeekTotals | None:
        """Mean of the ``count`` weeks before this one (``None`` with no earlier week)."""
        prev = self.previous_weeks[-count:]
        if not prev:
            return None
        n = len(prev)
        return WeekTotals(
            week_start=prev[0].week_start,
            activities=round(sum(w.activities for w in prev) / n),
            runs=round(sum(w.runs for w in prev) / n),
            distance_m=sum(w.distance_m for w in prev) / n,
            duration_s=sum(w.duration_s for w in prev) / n,
            run_distance_m=sum(w.run_distance_m for w in prev) / n,
            run_duration_s=sum(w.run_duration_s for w in prev) / n,
        )


def _totals(start: date, rows: Sequence[ActivitySummary]) -> WeekTotals:
    runs = [r for r in rows if r.sport in RUN_SPORT_VALUES]
    return WeekTotals(
        week_start=start,
        activities=len(rows),
        runs=len(runs),
        distance_m=sum(r.distance_m or 0.0 for r in rows),
        duration_s=sum(r.duration_s or 0.0 for r in rows),
        run_distance_m=sum(r.distance_m or 0.0 for r in runs),
        run_duration_s=sum(r.duration_s or 0.0 for r in runs),
    )


def _group_weeks(rows: Sequence[ActivitySummary], *, on: date, weeks: int) -> list[WeekTotals]:
    last = week_start(on)
    starts = [last - timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]
    by_week: dict[date, list[ActivitySummary]] = {s: [] for s in starts}
    for row in rows:
        bucket = by_week.get(week_start(row.local_date))
        if bucket is not None and row.local_date <= on:
            bucket.append(row)
    return [_totals(s, by_week[s]) for s in starts]


def weekly_totals(app: App, *, on: date, weeks: int) -> list[WeekTotals]:
    """Totals for the ``weeks`` weeks ending with the week holding ``on`` (oldest first)."""
    weeks = max(1, weeks)
    since = week_start(on) - timedelta(days=7 * (weeks - 1))
    rows = list_activities(app, since=since, until=on)
    return _group_weeks(rows, on=on, weeks=weeks)


MISSING_RPE_DAYS = 14
MAX_WARNING_ITEMS = 3
FAILED_IMPORT_DAYS = 14


def _attention(
    app: App, *, on: date, rows: Sequence[ActivitySummary], now: datetime
) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    recent_runs = [
        r
        for r in rows
        if r.sport in RUN_SPORT_VALUES
        and on - timedelta(days=MISSING_RPE_DAYS) < r.local_date <= on
    ]
    without_rpe = [r for r in recent_runs if r.rpe is None]
    if without_rpe:
        newest = max(without_rpe, key=lambda r: (r.start_at, r.id))
        count = len(without_rpe)
        runs = "run has" if count == 1 else "runs have"
        items.append(
            AttentionItem(
                kind="missing_rpe",
                level="info",
                message=(
                    f"{count} {runs} no effort rating (RPE) from the last {MISSING_RPE_DAYS} "
                    "days. Adding how hard each felt makes the load figures fairer."
                ),
                href=f"/activities/{newest.id}#edit",
            )
        )
    with_warnings = [r for r in rows if r.local_date > on - timedelta(days=7) and r.warnings]
    for row in sorted(with_warnings, key=lambda r: r.start_at, reverse=True):
        warnings = json.loads(row.warnings or "[]")
        if warnings and sum(1 for i in items if i.kind == "import_warning") < MAX_WARNING_ITEMS:
            items.append(
                AttentionItem(
                    kind="import_warning",
                    level="info",
                    message=f"{row.local_date.isoformat()} {row.name or row.sport}: {warnings[0]}",
                    href=f"/activities/{row.id}",
                )
            )
    since = now - timedelta(days=FAILED_IMPORT_DAYS)
    failed = [r for r in recent_imports(app, limit=50) if r.status == "failed"]
    failed = [r for r in failed if r.created_at >= since]
    if failed:
        count = len(failed)
        files = "file" if count == 1 else "files"
        items.append(
            AttentionItem(
                kind="failed_import",
                level="caution",
                message=(
                    f"{count} {files} could not be imported in the last {FAILED_IMPORT_DAYS} "
                    f"days, most recently '{failed[0].file_name}': {failed[0].reason}"
                ),
                href="/import",
            )
        )
    return items


def day_attention(answer: Day) -> list[AttentionItem]:
    """The day's attention items (open red flags, findings at caution or above) as Overview
    items, each linking to the page where it is handled."""
    return [
        AttentionItem(
            kind=a.id,
            level=a.level,
            message=f"{a.title.rstrip('.')}. {a.message}",
            href=a.href,
        )
        for a in answer.attention
    ]


def overview(
    app: App,
    *,
    on: date,
    weeks: int = 12,
    latest: int = 6,
    extra_attention: Sequence[AttentionItem] = (),
    now: datetime | None = None,
    answer: Day | None = None,
) -> Overview:
    """This week against the ``weeks - 1`` before it, the latest activities, attention items.

    ``answer`` is the day's one answer (``services.day.day_answer``): its attention items come
    first. ``extra_attention`` lets the caller add items from other services (e.g. run spikes
    from the training-load report) after them; a run spike the answer already names is not
    repeated.
    """
    weeks = max(1, weeks)
    since = week_start(on) - timedelta(days=7 * (weeks - 1))
    rows = list_activities(app, since=since, until=on)
    newest = list_activities(app, until=on, sort="start", descending=True, limit=latest)
    records = Overview(
        on=on,
        weeks=tuple(_group_weeks(rows, on=on, weeks=weeks)),
        latest=tuple(newest),
        attention=tuple(_attention(app, on=on, rows=rows, now=now or datetime.now(UTC))),
    )
    return with_answer(records, answer=answer, extra_attention=extra_attention)


def with_answer(
    records: Overview, *, answer: Day | None, extra_attention: Sequence[AttentionItem] = ()
) -> Overview:
    """:func:`overview` of the records alone (no answer, no extra items) with the day's
    answer and the extra items put first, as :func:`overview` orders them. The records never
    read the pain diary, so the pages keep them while the runner checks in."""
    first = day_attention(answer) if answer is not None else []
    named = {
        int(f.evidence["activity_id"])
        for f in (answer.findings if answer is not None else ())
        if f.id == "load.single_run_spike" and f.level != "info" and "activity_id" in f.evidence
    }
    extra = [
        item
        for item in extra_attention
        if not (
            item.kind == "run_spike" and any(item.href == f"/activities/{i}#spike" for i in named)
        )
    ]
    return replace(records, attention=(*first, *extra, *records.attention), answer=answer)


def run_spikes(app: App) -> dict[int, RunSpike]:
    """Every run's spike against the longest run of the 30 days before it, by activity id.

    The runs of one load report over the whole history (``compute_run_spikes``: a run's spike
    depends only on the runs before it, so the report's end day does not change it).
    """
    latest = list_activities(app, sort="start", descending=True, limit=1)
    if not latest:
        return {}
    on = latest[0].local_date
    runs = compute_run_spikes(session_summaries(app, until=on), today=on)
    return {run.activity_id: run for run in runs}


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One line of the import history."""

    file_name: str
    status: str
    reason: str | None
    activity_ids: tuple[int, ...]
    created_at: datetime


def uploads_root(app: App) -> Path:
    """Where uploads wait, each in its own temporary folder, while they are imported."""
    return app.settings.data_dir / "uploads"


def jobs_root(app: App) -> Path:
    """Server mode: where uploads wait for their import job (``services.jobs``); the workers
    must see the same folder."""
    return app.settings.data_dir / "jobs"


def shown_file_name(app: App, file_name: str) -> str:
    """An import record's file name without the temporary upload folder, if it has one."""
    prefix = str(uploads_root(app)) + os.sep
    if file_name.startswith(prefix):
        _, sep, rest = file_name[len(prefix) :].partition(os.sep)
        return rest if sep else file_name
    return file_name


def recent_imports(app: App, *, limit: int = 50) -> list[ImportRecord]:
    """The newest import outcomes, newest first."""
    with app.store.read_session() as session:
        rows = ImportRecordRepo(session).list(app.athlete_id, limit=limit)
        return [
            ImportRecord(
                file_name=shown_file_name(app, r.file_name),
                status=r.status,
                reason=r.reason,
                activity_ids=tuple(json.loads(r.activity_ids or "[]")),
                created_at=r.created_at,
            )
            for r in rows
        ]


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file saved from an upload: where it is now, and the name the runner gave it."""

    path: Path
    original_name: str


def import_uploads(
    app: App, folder: Path, files: Sequence[UploadedFile], *, workers: int = 1
) -> ImportReport:
    """Import uploaded files saved under ``folder``; everything carries the original names.

    The report, the import history and the stored activities' sources name each file as the
    runner uploaded it (``export.zip:activities/1.fit``), never the temporary folder. Bad
    files are reported per file and store nothing, as with ``backstride import``. A storage
    error that stops the import (a full disk) is raised, not reported per file.
    """
    labels = {f.path: f.original_name for f in files}
    report = import_paths(app, [f.path for f in files], workers=workers, labels=labels)
    if report.stopped is not None:
        raise report.stopped
    return report
