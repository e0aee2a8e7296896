"""The Import page: upload one or many files or an export zip; per-file results as in the CLI."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from backstride.errors import InvalidInputError
from backstride.services.dashboard import import_uploads, recent_imports, uploads_root
from backstride.web.deps import WebDep, WebState
from backstride.web.reads import cached_recent_imports
from backstride.web.security import CSRF_FIELD, CSRF_HEADER, check_csrf
from backstride.web.templating import is_htmx, render
from backstride.web.uploads import UploadFolder, receive_files, run_import

router = APIRouter(include_in_schema=False)

FILE_FIELD = "files"
ACCEPT = ".fit,.gpx,.tcx,.gz,.zip"
HISTORY_ROWS = 20


def upload_folder(web: WebState) -> UploadFolder:
    return UploadFolder(uploads_root(web.app))


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, web: WebDep) -> HTMLResponse:
    return render(
        request,
        "pages/import.html",
        {
            "report": None,
            "history": cached_recent_imports(web, limit=HISTORY_ROWS),
            "accept": ACCEPT,
        },
        active="import",
    )


@router.post("/import", response_class=HTMLResponse)
async def upload(request: Request, web: WebDep) -> HTMLResponse:
    """Stream the files to a temporary folder, import them, show each file's outcome.

    The anti-forgery token is checked before any file is written: from the ``X-CSRF-Token``
    header (HTMX) right away, else from the ``csrf_token`` field, which precedes the files.
    """
    if request.headers.get(CSRF_HEADER):
        check_csrf(request, web.csrf, None)

    def before_first_file(fields: dict[str, str]) -> None:
        check_csrf(request, web.csrf, fields.get(CSRF_FIELD))

    with upload_folder(web) as folder:
        form = await receive_files(
            request, folder, file_field=FILE_FIELD, before_first_file=before_first_file
        )
        if not form.files:
            raise InvalidInputError(
                "No file was chosen, so nothing was imported.",
                hint="Choose one or more .fit, .gpx or .tcx files, or a .zip export.",
            )
        report = await run_import(
            request,
            import_uploads,
            web.app,
            folder.path,
            form.files,
            workers=web.import_workers,
        )
    history = await run_in_threadpool(recent_imports, web.app, limit=HISTORY_ROWS)
    context = {"report": report, "accept": ACCEPT, "history": history}
    template = "partials/_import_results.html" if is_htmx(request) else "pages/import.html"
    return render(request, template, context, active="import")
