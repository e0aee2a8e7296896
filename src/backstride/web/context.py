"""What every request of the dashboard shares, set in one place (:class:`RequestContext`).

* **The runner's today** (:func:`runner_today`): the date in the ``timezone`` setting, the
  zone the importer gives files that tell none, read from the clock once per request. Pages
  and forms use it wherever they mean "today" (``deps.TodayDep`` is ``?on=`` or it).
* **Cache invalidation** for every unsafe method (POST, PUT, PATCH, DELETE): while such a
  request runs, :class:`~backstride.web.cache.ResultCache` answers from fresh computations
  only (what a form shows after its write is never from before it), and the cache is dropped
  as the answer starts, before the browser can follow a redirect. No route drops it by hand;
  a route that knows it changed less than everything says what (:func:`note_changes`: an
  activity edit that leaves the training load as it was, or that changed nothing), and only
  the answers that read it are dropped. An answer that is an error drops everything.
  In server mode a request about one runner drops that runner's answers only. On a server
  database (PostgreSQL) nothing is dropped here: the write's transaction bumped the data
  version, which every process (this one too) reads on its next request, and only the
  answers the write could change are computed again (``web.cache``).
* **The data version** of a server database is read once per request (:data:`DATA_VERSIONS`).
* **One read transaction** per handler on PostgreSQL: each page or API handler that runs on
  a request thread reads in one connection and transaction (:func:`share_reads_in_handlers`;
  ``adapters/db/request_reads.py``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import date
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.types import Message, Receive, Scope, Send

from backstride.services.context import shared_reads
from backstride.services.local_days import runner_today as local_today
from backstride.web.asgi import UNSAFE_METHODS, HttpMiddleware

if TYPE_CHECKING:
    from backstride.web.deps import WebState


_TODAY: ContextVar[date | None] = ContextVar("backstride_runner_today", default=None)
WRITING: ContextVar[bool] = ContextVar("backstride_request_writes", default=False)
DATA_VERSIONS: ContextVar[dict[int | None, tuple[int, int]] | None] = ContextVar(
    "backstride_request_data_versions", default=None
)
"""A server database's data versions as this request read them, per athlete: read once per
request (the first cached answer asks), not once per cached answer. Read before any answer
is computed, so an answer is never kept with a newer version than its data."""
LAGGING: ContextVar[list[object] | None] = ContextVar("backstride_request_lagging", default=None)
CHANGES: ContextVar[list[frozenset[str]] | None] = ContextVar(
    "backstride_request_changes", default=None
)
"""What an unsafe request's handler said it changed (:func:`note_changes`); a list, so a
handler that runs on a request thread (a copy of the context) adds to the same one."""


def note_changes(changed: frozenset[str]) -> None:
    """Tell the cache what this request's writes changed, as aspects of the data
    (``web.cache``; empty: nothing was written). Call it once the writes are committed, and
    name everything they changed: the request's answers read by the cache are dropped for
    these aspects only. Without a note, everything is dropped."""
    notes = CHANGES.get()
    if notes is not None:
        notes.append(changed)


"""The cached answers this request was given from before an import's latest batches
(``web.cache``): the page then says its figures are catching up."""


def share_reads_in_handlers(routers: Iterable[APIRouter]) -> None:
    """Run each handler that FastAPI calls on a request thread (a plain ``def``) inside
    :func:`~backstride.services.context.shared_reads`: its reads share one connection and
    transaction, ended before the thread is handed back. Handlers that are coroutines keep
    a unit of work per read (they await between their pieces of work). Call before the
    routers are included (an included route is built from its endpoint); calling again
    (another app from the same routers) changes nothing."""
    for router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute):
                continue
            call = route.endpoint
            if inspect.iscoroutinefunction(call) or getattr(call, "_shares_reads", False):
                continue
            route.endpoint = route.dependant.call = _sharing_reads(call)


def _sharing_reads(call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def handler(*args: Any, **kwargs: Any) -> Any:
        with shared_reads():
            return call(*args, **kwargs)

    handler._shares_reads = True  # type: ignore[attr-defined]
    return handler


def runner_today() -> date:
    """Today for the runner, as set for this request (outside one: the computer's zone)."""
    found = _TODAY.get()
    return found if found is not None else local_today("")


class RequestContext(HttpMiddleware):
    """Pure ASGI middleware: sets the request's today, and drops the result cache for every
    unsafe method (see the module's docstring)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        web: WebState = scope["app"].state.web
        today = _TODAY.set(local_today(web.settings.timezone))
        versions = DATA_VERSIONS.set({})
        lagging = LAGGING.set([])
        if scope["method"] not in UNSAFE_METHODS:
            try:
                await self.app(scope, receive, send)
            finally:
                LAGGING.reset(lagging)
                DATA_VERSIONS.reset(versions)
                _TODAY.reset(today)
            return
        writing = WRITING.set(True)
        notes: list[frozenset[str]] = []
        changes = CHANGES.set(notes)
        dropped = False

        def drop(*, succeeded: bool) -> None:
            # Server mode: a request about one runner (``web.access``) forgets her answers
            # only; the data version its transaction bumped tells every worker the same.
            # Anything else (local mode, a professional's own pages) forgets everything.
            # A handler that said what it changed drops those answers only, unless it failed.
            scoped: WebState | None = (scope.get("state") or {}).get("web")
            cache = scoped.cache if scoped is not None else web.cache
            if succeeded and notes:
                cache.bump(frozenset().union(*notes))
            else:
                cache.bump()

        async def send_after_drop(message: Message) -> None:
            nonlocal dropped
            if message["type"] == "http.response.start" and not dropped:
                drop(succeeded=int(message.get("status", 500)) < 400)
                dropped = True
            await send(message)

        try:
            await self.app(scope, receive, send_after_drop)
        finally:
            if not dropped:
                drop(succeeded=False)
            CHANGES.reset(changes)
            WRITING.reset(writing)
            LAGGING.reset(lagging)
            DATA_VERSIONS.reset(versions)
            _TODAY.reset(today)
