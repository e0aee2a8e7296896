"""The Report, Measures and Data pages (issue #16).

Report: the report for a professional for a chosen period, the questions she wants to ask
(a form), and downloads as PDF and HTML. Measures: record the free outcome measures, see their
change against the minimal important change, and which are due for a retest. Data: export
everything (a zip download), a backup copy of the database (a download), and delete
everything after typing the confirmation. Every form carries the anti-forgery token and works
without JavaScript (post, then a 303 redirect or a download).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from backstride.domain.measures import INSTRUMENTS, Instrument
from backstride.errors import BackstrideError, ConflictError, InvalidInputError, StorageError
from backstride.services.dashboard import uploads_root
from backstride.services.data import (
    CONFIRM_WORD,
    backup_database,
    delete_everything,
    export_archive,
    import_archive,
)
from backstride.services.jobs import record_report_job
from backstride.services.measures import (
    MeasureInput,
    add_measure,
    delete_measure,
    list_measures,
    parse_activity,
)
from backstride.services.report import build_report, default_period, set_questions
from backstride.services.report_files import (
    render_report_fragment,
    render_report_html,
    render_report_pdf,
    report_css,
)
from backstride.web.access import viewer_of
from backstride.web.context import runner_today
from backstride.web.deps import WebDep, WebState
from backstride.web.forms import field_text, read_form, typed_values
from backstride.web.routes.importing import jobs_context, put_on_queue, uses_jobs
from backstride.web.schemas.common import PageId
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import render
from backstride.web.uploads import UploadFolder, receive_files

router = APIRouter(include_in_schema=False)


def _day_or_none(text: str | None, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a date for {what}.", hint="Write dates as YYYY-MM-DD."
        ) from None


def _number(text: str, what: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInputError(f"'{text}' is not a number for {what}.") from None


# --- Report -------------------------------------------------------------------------------------


def _report_data(web: WebState, since: str | None, until: str | None) -> dict[str, Any]:
    period = default_period(
        today_on=runner_today(),
        since=_day_or_none(since, "the first day"),
        until=_day_or_none(until, "the last day"),
    )
    return build_report(web.app, period=period).to_json()


@router.get("/report", response_class=HTMLResponse)
async def report_page(
    request: Request,
    web: WebDep,
    since: str | None = None,
    until: str | None = None,
    saved: str | None = None,
) -> Response:
    error: BackstrideError | None = None
    try:
        data = await run_in_threadpool(_report_data, web, since, until)
    except InvalidInputError as exc:
        error = exc
        data = await run_in_threadpool(_report_data, web, None, None)
    viewer = viewer_of(request)
    own = viewer is None or viewer.grant is None  # the runner herself, not a professional
    jobs = await run_in_threadpool(jobs_context, web) if own else {"jobs_enabled": False}
    context = {
        "report": render_report_fragment(data),
        "period": data["period"],
        "questions": data["questions"],
        "saved": saved,
        "error": error,
        **jobs,
    }
    return render(
        request,
        "pages/report.html",
        context,
        active="report",
        status_code=error.http_status if error else 200,
    )


@router.get("/report/report.css")
async def report_stylesheet() -> Response:
    return Response(report_css(), media_type="text/css")


@router.get("/report.pdf")
async def report_pdf(web: WebDep, since: str | None = None, until: str | None = None) -> Response:
    data = await run_in_threadpool(_report_data, web, since, until)
    pdf = await run_in_threadpool(render_report_pdf, data)
    name = f"backstride-report-{data['period']['from']}-to-{data['period']['to']}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/report.html")
async def report_html(web: WebDep, since: str | None = None, until: str | None = None) -> Response:
    data = await run_in_threadpool(_report_data, web, since, until)
    name = f"backstride-report-{data['period']['from']}-to-{data['period']['to']}.html"
    return Response(
        render_report_html(data),
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/report/pdf")
async def report_pdf_later(request: Request, web: WebDep) -> Response:
    """Server mode: typeset the report's PDF in the background (the list of jobs on this
    page and on the Import page shows when it is ready); else the PDF at once."""
    raw = await read_form(request, web)
    since, until = field_text(raw, "since") or None, field_text(raw, "until") or None
    query = "&".join(f"{k}={v}" for k, v in (("since", since), ("until", until)) if v)
    if not uses_jobs(web):
        return RedirectResponse(f"/report.pdf{'?' + query if query else ''}", 303)
    period = default_period(
        today_on=runner_today(),
        since=_day_or_none(since, "the first day"),
        until=_day_or_none(until, "the last day"),
    )
    job_id = await run_in_threadpool(record_report_job, web.app, period)
    await put_on_queue(request, web, job_id)
    return RedirectResponse(f"/report{'?' + query if query else ''}#jobs", 303)


@router.post("/report/questions", response_class=HTMLResponse)
async def report_questions(request: Request, web: WebDep) -> Response:
    raw = await read_form(request, web)
    text = raw.get("questions")
    await run_in_threadpool(set_questions, web.app, text if isinstance(text, str) else "")
    query = "&".join(f"{k}={field_text(raw, k)}" for k in ("since", "until") if field_text(raw, k))
    return RedirectResponse(f"/report?saved=questions{'&' + query if query else ''}#questions", 303)


# --- Measures -----------------------------------------------------------------------------------


def _measures_context(web: WebState) -> dict[str, Any]:
    view = list_measures(web.app, today=runner_today()).to_json()
    return {
        "m": view,
        "instruments": [
            {
                "key": i.value,
                "title": INSTRUMENTS[i].title,
                "questions": INSTRUMENTS[i].questions,
                "mic": INSTRUMENTS[i].mic_text,
                "source": INSTRUMENTS[i].source,
            }
            for i in Instrument
        ],
        "today": runner_today().isoformat(),
    }


@router.get("/measures", response_class=HTMLResponse)
async def measures_page(request: Request, web: WebDep, saved: str | None = None) -> Response:
    context = await run_in_threadpool(_measures_context, web)
    return render(
        request,
        "pages/measures.html",
        {**context, "saved": saved, "error": None, "values": {}},
        active="measures",
    )


@router.post("/measures", response_class=HTMLResponse)
async def measures_add(request: Request, web: WebDep) -> Response:
    raw = await read_form(request, web)
    values = typed_values(raw)

    def action() -> object:
        instrument = field_text(raw, "instrument")
        peg = None
        if instrument == Instrument.PEG.value:
            parts = [
                _number(field_text(raw, k), f"the {k} answer")
                for k in ("pain", "enjoyment", "general")
            ]
            if any(p is None for p in parts):
                raise InvalidInputError("The PEG needs all three answers, each 0-10.")
            peg = (float(parts[0] or 0), float(parts[1] or 0), float(parts[2] or 0))
        activities = tuple(
            parse_activity(f"{field_text(raw, f'activity{i}')}={field_text(raw, f'rating{i}')}")
            for i in range(1, 6)
            if field_text(raw, f"activity{i}")
        )
        today = runner_today()
        return add_measure(
            web.app,
            MeasureInput(
                instrument=instrument,
                day=_day_or_none(field_text(raw, "on"), "the score") or today,
                score=_number(field_text(raw, "score"), "the score"),
                peg=peg,
                activities=activities,
                name=field_text(raw, "name") or None,
                notes=field_text(raw, "notes") or None,
            ),
            today=today,
        )

    try:
        await run_in_threadpool(action)
    except BackstrideError as exc:
        if exc.http_status >= 500:
            raise
        context = await run_in_threadpool(_measures_context, web)
        return render(
            request,
            "pages/measures.html",
            {**context, "saved": None, "error": exc, "values": values},
            active="measures",
            status_code=exc.http_status,
        )
    return RedirectResponse("/measures?saved=1#scores", status_code=303)


@router.post("/measures/{measure_id}/delete", response_class=HTMLResponse)
async def measures_delete(request: Request, web: WebDep, measure_id: PageId) -> Response:
    await read_form(request, web)
    await run_in_threadpool(delete_measure, web.app, measure_id)
    return RedirectResponse("/measures?saved=deleted#scores", status_code=303)


# --- Data ---------------------------------------------------------------------------------------


def _data_page(
    request: Request,
    *,
    error: BackstrideError | None = None,
    deleted: str | None = None,
    restored: str | None = None,
    restore_error: BackstrideError | None = None,
) -> Response:
    failed = error or restore_error
    return render(
        request,
        "pages/data.html",
        {
            "error": error,
            "deleted": deleted,
            "restored": restored if restored and restored.isdigit() else None,
            "restore_error": restore_error,
            "confirm_word": CONFIRM_WORD,
        },
        active="data",
        status_code=failed.http_status if failed else 200,
    )


@router.get("/data", response_class=HTMLResponse)
async def data_page(
    request: Request, deleted: str | None = None, restored: str | None = None
) -> Response:
    return _data_page(request, deleted=deleted, restored=restored)


@router.post("/data/import", response_class=HTMLResponse)
async def data_import(request: Request, web: WebDep) -> Response:
    """Restore an export archive into the empty database (``import FILE.zip`` of an export).

    Streamed to a temporary folder like any upload, the anti-forgery token checked before a
    byte of the file is written; all or nothing (``services.data.import_archive``)."""

    def before_first_file(fields: dict[str, str]) -> None:
        check_csrf(request, web.csrf, fields.get(CSRF_FIELD))

    with UploadFolder(uploads_root(web.app)) as folder:
        form = await receive_files(
            request, folder, file_field="archive", before_first_file=before_first_file
        )
        if CSRF_FIELD not in form.fields and not form.files:
            check_csrf(request, web.csrf, None)
        try:
            if len(form.files) != 1:
                raise InvalidInputError(
                    "Choose one export archive (a .zip file written by Export everything).",
                    hint="Nothing was imported.",
                )
            summary = await run_in_threadpool(import_archive, web.app, form.files[0].path)
        except ConflictError:
            refused = ConflictError(
                "This database already holds data; an export is only restored into an empty "
                "one. Nothing was imported.",
                hint="Export or back up what is here, delete everything below, then restore.",
            )
            return _data_page(request, restore_error=refused)
        except BackstrideError as exc:
            if exc.http_status >= 500 and not isinstance(exc, StorageError):
                raise
            return _data_page(request, restore_error=exc)
    rows = summary.to_json()["rows"]
    return RedirectResponse(f"/data?restored={rows}#import-h", status_code=303)


def _temp_file(suffix: str) -> Path:
    """A fresh name in the system's temporary folder (the download deletes it when sent)."""
    with tempfile.NamedTemporaryFile(prefix="backstride-", suffix=suffix, delete=False) as f:
        path = Path(f.name)
    path.unlink()
    return path


def _download(path: Path, name: str, media_type: str) -> FileResponse:
    return FileResponse(
        path,
        media_type=media_type,
        filename=name,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.post("/data/export")
async def data_export(request: Request, web: WebDep) -> Response:
    await read_form(request, web)
    path = _temp_file(".zip")
    now = datetime.now(UTC)
    await run_in_threadpool(export_archive, web.app, path, now=now)
    return _download(path, f"backstride-export-{now.date().isoformat()}.zip", "application/zip")


@router.post("/data/backup")
async def data_backup(request: Request, web: WebDep) -> Response:
    await read_form(request, web)
    path = _temp_file(".sqlite3")
    try:
        await run_in_threadpool(backup_database, web.app, path)
    except InvalidInputError as exc:
        return _data_page(request, error=exc)
    name = f"backstride-backup-{runner_today().isoformat()}.sqlite3"
    return _download(path, name, "application/vnd.sqlite3")


@router.post("/data/delete", response_class=HTMLResponse)
async def data_delete(request: Request, web: WebDep) -> Response:
    raw = await read_form(request, web)
    try:
        summary = await run_in_threadpool(
            lambda: delete_everything(web.app, confirmation=field_text(raw, "confirmation"))
        )
    except InvalidInputError as exc:
        return _data_page(request, error=exc)
    return RedirectResponse(f"/data?deleted={summary.rows}", status_code=303)
