"""The Import page: upload one or many files or an export zip; per-file results as in the CLI.

Local mode: the upload is imported in the request and its results shown at once. Server mode
on PostgreSQL: the upload becomes a background job (``services.jobs``) and the page shows its
progress (polled every few seconds with htmx, or on a refresh), like a report's PDF prepared
in the background; a finished report is downloaded from here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.errors import BackstrideError, InvalidInputError, StorageError
from backstride.services.dashboard import import_uploads, jobs_root, recent_imports, uploads_root
from backstride.services.jobs import (
    enqueue,
    job_result,
    jobs_available,
    list_jobs,
    make_queue,
    mark_unqueued,
    record_import_job,
)
from backstride.web.deps import WebDep, WebState
from backstride.web.reads import cached_recent_imports
from backstride.web.security import CSRF_FIELD, CSRF_HEADER, check_csrf
from backstride.web.templating import is_htmx, render
from backstride.web.uploads import ReceivedForm, UploadFolder, receive_files, run_import

router = APIRouter(include_in_schema=False)

FILE_FIELD = "files"
ACCEPT = ".fit,.gpx,.tcx,.gz,.zip"
HISTORY_ROWS = 20
JOB_ROWS = 10


def upload_folder(web: WebState) -> UploadFolder:
    return UploadFolder(uploads_root(web.app))


def uses_jobs(web: WebState) -> bool:
    """Whether this server puts imports and reports on the job queue."""
    return jobs_available(web.app)


def jobs_context(web: WebState, *, poll: str = "/import/jobs") -> dict[str, Any]:
    """What the jobs' partial shows: the runner's newest jobs, whether to ask again, where."""
    if not uses_jobs(web):
        return {"jobs_enabled": False, "jobs": [], "jobs_polling": False}
    jobs = list_jobs(web.app, limit=JOB_ROWS)
    return {
        "jobs_enabled": True,
        "jobs": jobs,
        "jobs_polling": any(not j.finished for j in jobs),
        "jobs_poll_url": poll,
    }


async def put_on_queue(request: Request, web: WebState, job_id: int) -> None:
    """Hand the recorded job to the queue; if the queue cannot take it, the job ends at once
    with the reason, and the runner is told."""
    try:
        queue = getattr(request.app.state, "queue", None)
        if queue is not None:
            await enqueue(queue, web.app, job_id)
        else:  # an app served without its lifespan (a test client): a queue for this job
            async with make_queue(web.settings).open_async() as own:
                await enqueue(own, web.app, job_id)
    except Exception as exc:
        error = (
            exc
            if isinstance(exc, BackstrideError)
            else StorageError(
                "The work could not be put in the queue, so it will not run.",
                hint="Try again in a minute; if it fails again, tell the server's administrator.",
            )
        )
        await run_in_threadpool(mark_unqueued, web.app, job_id, error)
        raise error from exc


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, web: WebDep) -> HTMLResponse:
    return render(
        request,
        "pages/import.html",
        {
            "report": None,
            "history": cached_recent_imports(web, limit=HISTORY_ROWS),
            "accept": ACCEPT,
            **jobs_context(web, poll="/import/jobs?history=1"),
        },
        active="import",
    )


@router.get("/import/jobs", response_class=HTMLResponse)
def import_jobs(request: Request, web: WebDep, history: bool = False) -> HTMLResponse:
    """The runner's imports and reports in the background, as the page's section (polled).
    ``history``: the Import page's list of recent imports comes along (swapped out of band),
    so that it shows the files of a job that just finished."""
    context = jobs_context(web, poll="/import/jobs?history=1" if history else "/import/jobs")
    if history:
        fresh = recent_imports(web.app, limit=HISTORY_ROWS)
        context |= {"history": fresh, "oob_history": True}
    return render(request, "partials/_jobs.html", context, active="import")


@router.get("/import/jobs/{job_id}/download")
async def job_download(web: WebDep, job_id: int) -> Response:
    """A finished job's file (a report's PDF), for its runner only."""
    name, data = await run_in_threadpool(job_result, web.app, job_id)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def receive_chosen_files(
    request: Request, folder: UploadFolder, before_first_file: Callable[[dict[str, str]], None]
) -> ReceivedForm:
    """The upload's files, streamed into ``folder``; refused when none was chosen."""
    form = await receive_files(
        request, folder, file_field=FILE_FIELD, before_first_file=before_first_file
    )
    if not form.files:
        raise InvalidInputError(
            "No file was chosen, so nothing was imported.",
            hint="Choose one or more .fit, .gpx or .tcx files, or a .zip export.",
        )
    return form


@router.post("/import", response_class=HTMLResponse)
async def upload(request: Request, web: WebDep) -> Response:
    """Stream the files to a temporary folder, import them, show each file's outcome.

    The anti-forgery token is checked before any file is written: from the ``X-CSRF-Token``
    header (HTMX) right away, else from the ``csrf_token`` field, which precedes the files.
    """
    if request.headers.get(CSRF_HEADER):
        check_csrf(request, web.csrf, None)

    def before_first_file(fields: dict[str, str]) -> None:
        check_csrf(request, web.csrf, fields.get(CSRF_FIELD))

    if uses_jobs(web):
        return await upload_as_job(request, web, before_first_file)
    with upload_folder(web) as folder:
        form = await receive_chosen_files(request, folder, before_first_file)
        report = await run_import(
            request,
            import_uploads,
            web.app,
            folder.path,
            form.files,
            workers=web.import_workers,
        )
    history = await run_in_threadpool(recent_imports, web.app, limit=HISTORY_ROWS)
    context = {"report": report, "accept": ACCEPT, "history": history, "jobs_enabled": False}
    template = "partials/_import_results.html" if is_htmx(request) else "pages/import.html"
    return render(request, template, context, active="import")


async def upload_as_job(request: Request, web: WebState, before_first_file: Any) -> Response:
    """Server mode: save the files where the workers read them, record the import and put it
    on the queue; answer with the list of jobs (HTMX) or a redirect to the Import page."""
    folder = UploadFolder(jobs_root(web.app))
    try:
        form = await receive_chosen_files(request, folder, before_first_file)
        job_id = await run_in_threadpool(record_import_job, web.app, folder.path, form.files)
    except BaseException:
        folder.close()
        raise
    await put_on_queue(request, web, job_id)  # the job owns the folder from here
    if is_htmx(request):
        context = await run_in_threadpool(
            functools.partial(jobs_context, web, poll="/import/jobs?history=1")
        )
        return render(request, "partials/_jobs.html", context, active="import")
    return RedirectResponse("/import", status_code=303)
