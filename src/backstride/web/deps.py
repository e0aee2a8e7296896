"""FastAPI dependencies: the per-process state, the service context, settings, "today".

The dependencies FastAPI calls are coroutines (``async def``) that do no blocking work: FastAPI
runs a plain ``def`` dependency on a request thread, a hop to the thread pool and back for
each (and a wait behind the requests whose work holds every thread), for a lookup of a few
microseconds. The plain functions (:func:`get_web`) stay for code that calls them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, cast

from fastapi import Depends, Query, Request
from fastapi.templating import Jinja2Templates

from backstride.config import Settings
from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.services.context import App
from backstride.web.cache import Cache
from backstride.web.content_cache import ContentCache
from backstride.web.context import runner_today
from backstride.web.security import CsrfTokens


@dataclass(frozen=True, slots=True)
class WebState:
    """What the dashboard holds for its whole life (one per ``create_app``)."""

    app: App
    templates: Jinja2Templates
    csrf: CsrfTokens
    cache: Cache
    import_workers: int = 1
    contents: ContentCache = field(default_factory=ContentCache)
    """The costly part of activities' answers under exact keys (``content_cache.py``): one
    per process, shared by the runners of a server (a key names the runner)."""

    @property
    def settings(self) -> Settings:
        return self.app.settings


def get_web(request: Request) -> WebState:
    """This request's state: in server mode, the one ``web.access.resolve_access`` built for
    the request's athlete; else the process's."""
    per_request = getattr(request.state, "web", None)
    if per_request is not None:
        return cast(WebState, per_request)
    return cast(WebState, request.app.state.web)


async def web_dep(request: Request) -> WebState:
    """:func:`get_web`, as a dependency."""
    return get_web(request)


async def get_app(request: Request) -> App:
    return get_web(request).app


async def get_settings_dep(request: Request) -> Settings:
    return get_web(request).settings


async def get_today(
    on: Annotated[
        date | None,
        Query(
            ge=EARLIEST_DAY,
            le=LATEST_DAY,
            description="Show the dashboard as of this day (YYYY-MM-DD); default today.",
        ),
    ] = None,
) -> date:
    """The day the page is about: ``?on=`` or today's local date (the clock is read here)."""
    return on or runner_today()


WebDep = Annotated[WebState, Depends(web_dep)]
AppDep = Annotated[App, Depends(get_app)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
TodayDep = Annotated[date, Depends(get_today)]
