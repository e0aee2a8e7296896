"""Work that outlasts a request (server mode on PostgreSQL): archive imports and reports.

The web saves an upload (or a report's period), records a job in ``background_jobs`` for the
runner, and puts it on the queue (procrastinate, :mod:`backstride.adapters.queue`); a worker
(``backstride worker``, or the one ``serve`` runs) takes it up and writes its progress to the
same row, where every server process reads it for the Import page. Every read of a job is
filtered by the runner's athlete (and, on PostgreSQL, row-level security holds it too).

An import job is the same import as ``backstride import`` (each file stored whole or not at
all, the same file stored once per athlete), so a job run twice (its worker died) stores
nothing twice. The local mode (SQLite) has no queue: its Import page imports in the request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import procrastinate
from sqlalchemy.orm import Session

from backstride.adapters.db.job_repos import JobRepo
from backstride.adapters.db.job_tables import BackgroundJobRow
from backstride.adapters.queue import add_task, defer, new_queue, run_worker
from backstride.config import Settings
from backstride.domain.report import Period
from backstride.errors import BackstrideError, NotFoundError
from backstride.services.context import App
from backstride.services.dashboard import UploadedFile, jobs_root
from backstride.services.importing import FileResult, import_paths
from backstride.services.report import build_report
from backstride.services.report_files import render_report_pdf

log = logging.getLogger("backstride.jobs")

IMPORT_TASK = "backstride.import_files"
REPORT_TASK = "backstride.report_pdf"
KIND_IMPORT = "import"
KIND_REPORT = "report"
KEPT_JOBS = 20
"""Finished jobs kept per runner (with their PDFs); older ones go when a new one starts."""
MAX_LISTED_PROBLEMS = 50
"""Files listed by name among a finished import's problems (the rest are counted)."""


def jobs_available(app: App) -> bool:
    """Whether work goes to the queue: the server mode on PostgreSQL."""
    return app.settings.server_mode and app.store.is_postgresql


# --- what the pages show --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileProblem:
    file_name: str
    reason: str


@dataclass(frozen=True, slots=True)
class JobView:
    """One job as the runner sees it."""

    id: int
    kind: str
    state: str
    title: str
    files_total: int | None
    files_done: int
    files_failed: int
    activities_stored: int
    attempts: int
    message: str | None
    hint: str | None
    problems: tuple[FileProblem, ...]
    more_problems: int
    duplicates: int
    result_name: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int | None:
        if not self.files_total:
            return None
        return min(100, round(100 * self.files_done / self.files_total))


def _view(row: BackgroundJobRow) -> JobView:
    summary: dict[str, Any] = json.loads(row.summary) if row.summary else {}
    problems = tuple(FileProblem(p["file"], p["reason"]) for p in summary.get("problems", ()))
    return JobView(
        id=row.id,
        kind=row.kind,
        state=row.state,
        title=row.title,
        files_total=row.files_total,
        files_done=row.files_done,
        files_failed=row.files_failed,
        activities_stored=row.activities_stored,
        attempts=row.attempts,
        message=row.message,
        hint=row.hint,
        problems=problems,
        more_problems=int(summary.get("more_problems", 0)),
        duplicates=int(summary.get("duplicates", 0)),
        result_name=row.result_name if row.result is not None else None,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


def list_jobs(app: App, *, limit: int = 10) -> list[JobView]:
    """The runner's newest jobs, newest first."""
    with app.store.read_session() as session:
        return [_view(row) for row in JobRepo(session).list(app.athlete_id, limit=limit)]


def _not_found(job_id: int) -> NotFoundError:
    return NotFoundError(
        f"There is no import or report number {job_id} of yours.",
        hint="Open the Import page to see your imports and reports.",
    )


def get_job(app: App, job_id: int) -> JobView:
    with app.store.read_session() as session:
        row = JobRepo(session).get(app.athlete_id, job_id)
        if row is None:
            raise _not_found(job_id)
        return _view(row)


def job_result(app: App, job_id: int) -> tuple[str, bytes]:
    """A finished job's file (the report's PDF): its name and bytes."""
    with app.store.read_session() as session:
        row = JobRepo(session).get(app.athlete_id, job_id)
        if row is None or row.result is None or row.result_name is None:
            raise _not_found(job_id)
        return row.result_name, row.result


# --- starting jobs (the web) ------------------------------------------------------------------


def new_upload_folder(app: App) -> Path:
    """A fresh folder for one import job's uploaded files (kept until the job ends)."""
    root = jobs_root(app)
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="import-", dir=root))


def _import_title(files: Sequence[UploadedFile]) -> str:
    names = [f.original_name for f in files]
    if len(names) == 1:
        return names[0][:300]
    return f"{len(names)} files: {', '.join(names[:3])}{', ...' if len(names) > 3 else ''}"[:300]


def record_import_job(app: App, folder: Path, files: Sequence[UploadedFile]) -> int:
    """Record an import of ``files`` (saved under ``folder``) for the runner; its id."""
    params = {
        "folder": str(folder),
        "files": [{"path": str(f.path), "name": f.original_name} for f in files],
    }
    with app.store.session() as session:
        JobRepo(session).prune(app.athlete_id, keep=KEPT_JOBS)
        return JobRepo(session).add(
            app.athlete_id, kind=KIND_IMPORT, title=_import_title(files), params=params
        )


def record_report_job(app: App, period: Period) -> int:
    """Record a report (PDF) of ``period`` to typeset for the runner; its id."""
    title = f"Report from {period.start.isoformat()} to {period.end.isoformat()} (PDF)"
    params = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    with app.store.session() as session:
        JobRepo(session).prune(app.athlete_id, keep=KEPT_JOBS)
        return JobRepo(session).add(app.athlete_id, kind=KIND_REPORT, title=title, params=params)


def mark_unqueued(app: App, job_id: int, error: BackstrideError) -> None:
    """The job could not be put on the queue: it ends at once, with the reason."""
    with app.store.session() as session:
        row = JobRepo(session).get(app.athlete_id, job_id)
        folder = json.loads(row.params).get("folder") if row is not None else None
        JobRepo(session).finish(job_id, state="failed", message=error.message, hint=error.hint)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


async def enqueue(queue: procrastinate.App, app: App, job_id: int) -> None:
    """Put the recorded job ``job_id`` on the queue. A runner's jobs run one at a time."""
    with app.store.read_session() as session:
        row = JobRepo(session).get(app.athlete_id, job_id)
        if row is None:
            raise _not_found(job_id)
        kind = row.kind
    task = IMPORT_TASK if kind == KIND_IMPORT else REPORT_TASK
    await defer(queue, task, lock=f"athlete-{app.athlete_id}", job_id=job_id)


# --- running jobs (the worker) ---------------------------------------------------------------


class _Progress:
    """An import job's progress: written with each batch of files, in the batch's own
    transaction, so the count of activities stored is exactly what was committed (a worker
    killed mid-import leaves a count that a second attempt continues from)."""

    def __init__(self, app: App, job_id: int, *, stored_before: int) -> None:
        self.app = app
        self.job_id = job_id
        self.total: int | None = None
        self.done = 0
        self.failed = 0
        self.stored = stored_before
        self.duplicates = 0
        self.problems: list[FileProblem] = []

    def found(self, total: int) -> None:
        self.total = total
        with self.app.store.session() as session:
            self._write(session)

    def batch_written(self, session: Session, results: Sequence[FileResult]) -> None:
        for result in results:
            self.done += 1
            if result.status == "imported":
                self.stored += len(result.activity_ids)
            elif result.status == "duplicate":
                self.duplicates += 1
            elif result.status == "failed":
                self.failed += 1
                self.problems.append(FileProblem(result.path, result.reason or "unreadable"))
        self._write(session)

    def _write(self, session: Session) -> None:
        JobRepo(session).set_progress(
            self.job_id,
            files_total=self.total,
            files_done=self.done,
            files_failed=self.failed,
            activities_stored=self.stored,
        )

    def summary(self) -> dict[str, Any]:
        listed = self.problems[:MAX_LISTED_PROBLEMS]
        return {
            "problems": [{"file": p.file_name, "reason": p.reason} for p in listed],
            "more_problems": len(self.problems) - len(listed),
            "duplicates": self.duplicates,
        }


def _take_up(base: App, job_id: int) -> tuple[App, BackgroundJobRow] | None:
    """The job's row and a context for its runner, once the job is marked running."""
    with base.store.session() as session:
        row = JobRepo(session).get_any(job_id)
        if row is None:
            return None  # the runner's account (and her jobs) was deleted meanwhile
        JobRepo(session).start(job_id)
    return base.for_athlete(row.athlete_id), row


def _finish(app: App, job_id: int, **values: Any) -> None:
    with app.store.session() as session:
        JobRepo(session).finish(job_id, **values)


def run_import_job(base: App, job_id: int) -> None:
    """Import a job's uploaded files for its runner; its row says how it went."""
    taken = _take_up(base, job_id)
    if taken is None:
        return
    app, row = taken
    params = json.loads(row.params)
    folder = Path(params["folder"])
    files = [(Path(f["path"]), f["name"]) for f in params["files"]]
    if not all(path.exists() for path, _ in files):
        _finish(
            app,
            job_id,
            state="failed",
            message="The uploaded files are no longer on the server, so nothing was imported.",
            hint="Upload them again.",
        )
        shutil.rmtree(folder, ignore_errors=True)
        return
    progress = _Progress(app, job_id, stored_before=row.activities_stored)
    try:
        report = import_paths(
            app,
            [path for path, _ in files],
            labels=dict(files),
            workers=app.settings.import_workers or None,
            watcher=progress,
        )
    except BackstrideError as exc:
        _finish(app, job_id, state="failed", message=exc.message, hint=exc.hint)
        shutil.rmtree(folder, ignore_errors=True)
        return
    imported = report.count("imported")
    if report.stopped is not None:
        state, message, hint = "failed", report.stopped.message, report.stopped.hint
    elif imported == 0 and report.count("failed") > 0 and report.count("duplicate") == 0:
        state = "failed"
        message = "Nothing could be imported from this upload."
        hint = "Export the files again from your watch app or Strava, then upload them again."
    else:
        state, message, hint = "done", None, None
    _finish(app, job_id, state=state, message=message, hint=hint, summary=progress.summary())
    shutil.rmtree(folder, ignore_errors=True)


def run_report_job(base: App, job_id: int) -> None:
    """Typeset a job's report as PDF; the PDF is kept with the job for the runner."""
    taken = _take_up(base, job_id)
    if taken is None:
        return
    app, row = taken
    params = json.loads(row.params)
    try:
        period = Period(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]))
        pdf = render_report_pdf(build_report(app, period=period).to_json())
    except BackstrideError as exc:
        _finish(app, job_id, state="failed", message=exc.message, hint=exc.hint)
        return
    name = f"backstride-report-{params['from']}-to-{params['to']}.pdf"
    _finish(app, job_id, state="done", result=pdf, result_name=name)


def _guarded(run: Any, base: App, job_id: int) -> None:
    """Run a job; an unexpected error ends it as failed (logged), never silently."""
    try:
        run(base, job_id)
    except BackstrideError:
        raise
    except Exception:
        log.exception("Job %s failed", job_id)
        try:
            with base.store.session() as session:
                JobRepo(session).finish(
                    job_id,
                    state="failed",
                    message="Something unexpected went wrong with this job.",
                    hint="The details are in the server's log. Please report it.",
                )
        except BackstrideError:
            log.exception("Could not record the failure of job %s", job_id)
        raise


def _import_task(context: procrastinate.JobContext, job_id: int) -> None:
    _guarded(run_import_job, context.additional_context["app"], job_id)


def _report_task(context: procrastinate.JobContext, job_id: int) -> None:
    _guarded(run_report_job, context.additional_context["app"], job_id)


def make_queue(settings: Settings) -> procrastinate.App:
    """The queue on the server's database, with backstride's tasks (not opened yet)."""
    queue = new_queue(settings.database_url)
    add_task(queue, IMPORT_TASK, _import_task)
    add_task(queue, REPORT_TASK, _report_task)
    return queue


async def work(
    settings: Settings,
    *,
    until_done: bool = False,
    stalled_after_s: float | None = None,
    signal_handlers: bool = True,
    queue: procrastinate.App | None = None,
) -> None:
    """Run the queue's jobs: for ever (until stopped), or with ``until_done`` until none is
    left. ``queue`` an opened queue to use (the server's); else one is opened here."""
    base = App(settings, per_request=True)
    options: dict[str, Any] = {"until_done": until_done, "signal_handlers": signal_handlers}
    if stalled_after_s is not None:
        options["stalled_after_s"] = stalled_after_s
    context: Mapping[str, Any] = {"app": base}
    try:
        if queue is not None:
            await run_worker(queue, context=context, **options)
        else:
            own = make_queue(settings)
            async with own.open_async():
                await run_worker(own, context=context, **options)
    finally:
        await asyncio.to_thread(base.close)
