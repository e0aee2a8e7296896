"""The FastAPI application: :func:`create_app` and the one place errors are rendered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse, Response

from backstride import __version__
from backstride.config import Settings, get_settings
from backstride.errors import BackstrideError, TooManyAttemptsError
from backstride.services.announce import import_announced
from backstride.services.context import App, WriteTurnProbe
from backstride.services.jobs import jobs_available, make_queue, work
from backstride.web.access import resolve_access
from backstride.web.api import activities as activities_api
from backstride.web.api import clearance as clearance_api
from backstride.web.api import dashboard as dashboard_api
from backstride.web.api import evidence as evidence_api
from backstride.web.api import importing as importing_api
from backstride.web.api import load as load_api
from backstride.web.api import pain as pain_api
from backstride.web.api import plan as plan_api
from backstride.web.api import profile as profile_api
from backstride.web.api import screening as screening_api
from backstride.web.api import selftests as selftests_api
from backstride.web.api import shoes as shoes_api
from backstride.web.api import today as today_api
from backstride.web.api_units import describe_units
from backstride.web.cache import ResultCache
from backstride.web.content_cache import CONTENT_ENTRIES, ContentCache
from backstride.web.context import RequestContext, share_reads_in_handlers
from backstride.web.cpu_share import CpuShare, ImportShare
from backstride.web.deps import WebState
from backstride.web.formatting import DisplayUnits, use_display_units
from backstride.web.routes import (
    accounts,
    activities,
    care,
    checkin,
    clearance,
    dashboard,
    evidence,
    importing,
    load,
    pain,
    plan,
    profile,
    routes,
    screening,
    selftests,
    sharing,
    shoes,
    today,
)
from backstride.web.security import (
    BodyLimitMiddleware,
    CsrfTokens,
    SecurityHeadersMiddleware,
    allowed_hosts_for,
    apply_headers,
    check_same_origin,
)
from backstride.web.serving import freeze_startup_objects
from backstride.web.templating import STATIC_DIR, is_htmx, make_templates, render
from backstride.web.turns import await_write_turn

log = logging.getLogger("backstride.web")

# Pages and API: one router per module. A feature adding pages adds its router here and its
# entry to ``nav.NAV``.
ROUTERS = (
    dashboard.router,
    activities.router,
    load.router,
    importing.router,
    today.router,
    plan.router,
    routes.router,
    profile.router,
    screening.router,
    clearance.router,
    checkin.router,
    pain.router,
    selftests.router,
    shoes.router,
    activities_api.router,
    importing_api.router,
    dashboard_api.router,
    load_api.router,
    today_api.router,
    profile_api.router,
    screening_api.router,
    clearance_api.router,
    pain_api.router,
    selftests_api.router,
    shoes_api.router,
    plan_api.router,
    care.router,
    evidence.router,
    evidence_api.router,
    accounts.router,
    sharing.router,
)
UPLOAD_PATHS = ("/import", "/api/imports", "/data/import")

_STATUS_TEXT = {
    400: "The request could not be understood.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "The request is too large.",
    415: "The request body has a type this address does not accept.",
}


def _describe(request: Request, exc: Exception) -> tuple[int, str, str | None, list[Any]]:
    """(status, message, hint, details) for any exception."""
    if isinstance(exc, BackstrideError):
        if exc.http_status >= 500:  # the server's own trouble (a full disk): one line, no trace
            log.warning("%s %s: %s", request.method, request.url.path, exc.message)
        return exc.http_status, exc.message, exc.hint, []
    if isinstance(exc, RequestValidationError):
        details = [
            {
                "field": ".".join(
                    str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path")
                ),
                "problem": str(err.get("msg", "invalid")),
            }
            for err in exc.errors()
        ]
        fields = ", ".join(f"{d['field'] or 'value'}: {d['problem']}" for d in details[:3])
        return 422, f"Some values are not valid ({fields}).", "Check them and try again.", details
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        text = _STATUS_TEXT.get(status) or str(exc.detail or "The request failed.")
        hint = "Go back to the overview, or check the address." if status == 404 else None
        return status, text, hint, []
    log.error("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return (
        500,
        "Something unexpected went wrong.",
        "The details are in the server's log. Please report it.",
        [],
    )


async def render_error(request: Request, exc: Exception) -> Response:
    """The one error renderer: JSON for ``/api/``, else the error page or HTMX partial."""
    if (
        isinstance(exc, StarletteHTTPException)
        and 300 <= exc.status_code < 400
        and exc.headers
        and "Location" in exc.headers
    ):  # a redirect (server mode: to the login page, or a professional's list)
        redirect = RedirectResponse(exc.headers["Location"], status_code=exc.status_code)
        apply_headers(redirect.headers)
        return redirect
    status, message, hint, details = _describe(request, exc)
    response: Response
    if request.url.path.startswith("/api/"):
        body = {"error": {"status": status, "message": message, "hint": hint, "details": details}}
        response = JSONResponse(body, status_code=status)
    else:
        template = "partials/_error.html" if is_htmx(request) else "pages/error.html"
        context = {"status": status, "message": message, "hint": hint, "details": details}
        try:
            response = render(request, template, context, status_code=status)
        except Exception:  # noqa: BLE001 - the error page itself failed: plain text
            log.exception("Could not render the error page")
            response = PlainTextResponse(f"{status}: {message}", status_code=status)
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        response.headers.update(exc.headers)
    if isinstance(exc, TooManyAttemptsError):
        response.headers["Retry-After"] = str(exc.retry_after_s)
    apply_headers(response.headers)
    return response


REQUEST_THREADS = 1
"""Threads that run requests' blocking work (sync endpoints, service calls) at once.

Anything past that waits its turn, first come first served. The work is Python under one
interpreter lock, and reads never wait for SQLite locks (``Store.read_session``), so more
threads only interleave requests: each then takes as long as all of them together, and the
event loop (which reads requests and writes answers) waits for the lock too. Measured with
``bench/web_bench.py`` (8 clients), one thread against two lowered the p95 of 11 of the 13
endpoints, the slowest (a first visit of an activity's page, PATCH) by a fifth or more. The
trade-off: a write waiting for another process's write lock (``busy_timeout``) holds the
queue meanwhile, so a write first awaits its turn on the event loop (``web.turns``) and
reaches this thread only once the lock is free; an import in another process leaves it free
after each short batch. Imports run on their own threads (``IMPORT_THREADS``), so a long
import does not hold this one.
"""
IMPORT_THREADS = 2
SERVER_REQUEST_THREADS = 4
"""Request threads of a server-mode process on a server database (PostgreSQL). There a
request spends much of its time waiting for the database's answers, which frees the
interpreter lock: one thread would leave the process idle meanwhile while every other
request queues. Measured with ``bench/server_bench.py``."""


def create_app(
    settings: Settings,
    *,
    allowed_hosts: list[str] | None = None,
    import_workers: int = 1,
    request_threads: int = REQUEST_THREADS,
    run_jobs: bool = False,
) -> FastAPI:
    """Build the dashboard for ``settings`` (opens and migrates the database now).

    ``allowed_hosts`` are the Host names accepted (DNS-rebinding guard); by default this
    computer's names (:func:`~backstride.web.security.allowed_hosts_for`), whatever address
    the server binds to.
    ``import_workers`` is the number of parser processes an upload may use;
    ``request_threads`` the number of requests whose blocking work runs at once (set when
    the server starts). ``run_jobs``: server mode on PostgreSQL, this process also runs the
    queue's jobs (imports, report PDFs) while it serves (``serve``; docs/server.md).
    """
    application = App(settings, per_request=settings.server_mode)
    if settings.server_mode:
        _ = application.store  # migrate once, before any thread races
        if request_threads == REQUEST_THREADS and application.store.is_postgresql:
            request_threads = SERVER_REQUEST_THREADS
    else:
        _ = application.athlete_id  # migrate and create the athlete once, before any races
    # Server mode: one set of answers per runner (``ScopedCache``), so room for many.
    cache = ResultCache(
        settings.database_url,
        max_entries=4096 if settings.server_mode else 256,
        data_version=application.data_versions,
    )
    if not settings.server_mode and cache.versioned_by_database:
        # Parts of answers the use cases keep (App.memo), where the database versions them
        # (a server database: a check-in then recomputes only the diary's part of the day).
        # Server mode: each request's runner has her own (web.access).
        application.memo = cache
    state = WebState(
        app=application,
        templates=make_templates(),
        csrf=CsrfTokens(settings.secret_key),
        cache=cache,
        import_workers=import_workers,
        contents=ContentCache(4 * CONTENT_ENTRIES if settings.server_mode else CONTENT_ENTRIES),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = request_threads
        app.state.import_limiter = CapacityLimiter(IMPORT_THREADS)
        async with job_queue(app, application, run_jobs=run_jobs):
            yield
        app.state.write_turn.close()
        application.close()

    web_app = FastAPI(
        title="backstride",
        version=__version__,
        summary="Local-first training log and coach for runners with back pain.",
        description=(
            "The JSON API of the local dashboard: activities, imports and training load. "
            "Unsafe methods take `application/json` (or `application/octet-stream` for "
            "uploads) and are refused from other sites. Not medical advice."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[
            Depends(check_same_origin),
            Depends(resolve_access),
            Depends(use_display_units),
            Depends(await_write_turn),
        ],
    )
    web_app.add_middleware(DisplayUnits, units=settings.units)  # pages in km or miles
    schema_of = web_app.openapi
    web_app.openapi = lambda: describe_units(schema_of())  # type: ignore[method-assign]
    web_app.state.web = state
    web_app.state.write_turn = WriteTurnProbe(settings.database_url)
    web_app.state.write_turn_skip = UPLOAD_PATHS  # uploads write later, on import threads
    for exc_type in (BackstrideError, RequestValidationError, StarletteHTTPException, Exception):
        web_app.add_exception_handler(exc_type, render_error)
    web_app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    share_reads_in_handlers(ROUTERS)  # one read transaction per handler (PostgreSQL)
    for router in ROUTERS:
        web_app.include_router(router)
    # Outermost first when a request arrives: headers on everything, host check, body cap.
    web_app.add_middleware(
        BodyLimitMiddleware,
        render_error=render_error,
        upload_max_bytes=int(settings.upload_max_mb * 1024 * 1024),
        upload_paths=UPLOAD_PATHS,
    )
    hosts = allowed_hosts if allowed_hosts is not None else allowed_hosts_for(settings.host)
    if settings.server_mode:
        hosts = [*hosts, *(h for h in settings.server_names if h not in hosts)]
    web_app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)
    web_app.add_middleware(SecurityHeadersMiddleware)
    announced = import_announced(settings.database_url)  # None: not an SQLite file
    if announced is not None:
        # Outermost: while `backstride import` runs into the same file, a request waits for
        # its share of the CPU before anything runs (web.cpu_share).
        web_app.add_middleware(
            ImportShare,
            share=CpuShare(settings.dashboard_cpu_during_import),
            busy=announced,
        )
    # Innermost: the request's today and the result cache's invalidation (web.context).
    web_app.user_middleware.append(Middleware(RequestContext))
    return web_app


@asynccontextmanager
async def job_queue(web_app: FastAPI, application: App, *, run_jobs: bool) -> AsyncIterator[None]:
    """Server mode on PostgreSQL: the queue is open while the app serves (``state.queue``),
    and with ``run_jobs`` a worker runs its jobs in this process, one at a time. Stopping
    waits for the job in hand (a job cut short by a kill is run again later)."""
    if not jobs_available(application):
        yield
        return
    settings = application.settings
    queue = make_queue(settings)
    async with queue.open_async():
        web_app.state.queue = queue
        worker = (
            asyncio.create_task(work(settings, queue=queue, signal_handlers=False))
            if run_jobs
            else None
        )
        try:
            yield
        finally:
            web_app.state.queue = None
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker


def create_app_from_environment() -> FastAPI:
    """The app for one of several worker processes (``backstride serve --workers N``).

    The settings come from ``BACKSTRIDE_*`` variables and the config file, as the parent
    process set them (database, host, port and a shared form-token key). In server mode
    each process also runs jobs unless ``job_worker`` is false.
    """
    settings = get_settings()
    web_app = create_app(settings, run_jobs=settings.server_mode and settings.job_worker)
    freeze_startup_objects()
    return web_app
