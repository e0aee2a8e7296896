"""Jinja2 set-up and the one way pages are rendered (navigation, anti-forgery token)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import StrictUndefined
from markupsafe import Markup
from starlette.responses import HTMLResponse

from backstride import __version__
from backstride.domain.evidence import cite
from backstride.domain.params import DEFAULT_GEAR_PARAMS
from backstride.web.access import nav_for, viewer_of
from backstride.web.cache import served_lagging
from backstride.web.commands import as_typed, finalize
from backstride.web.deps import get_web
from backstride.web.emergency import emergency_notice_for
from backstride.web.formatting import DISPLAY_UNITS, FILTERS, FOOT_SPORTS
from backstride.web.nav import NAV
from backstride.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, CsrfTokens

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


class FragmentMemo:
    """The markup a macro renders for an immutable view object, memoised by the object's
    identity (the last ``max_entries`` objects).

    Chart descriptions (``charts.Chart``, ``charts.RouteMap``) are frozen dataclasses of
    tuples; the pages take them from the result cache, which hands out the same object
    while the data is unchanged and builds new ones after a change. The same object always
    renders to the same SVG, so its fragment is reused while the object lives, and an entry
    holds its object, so an identity is never reused while it is here. Nothing per visitor
    (the form token) is in a chart.
    """

    def __init__(self, render: Callable[[Any], Markup], *, max_entries: int = 256) -> None:
        self._render = render
        self._max = max_entries
        self._entries: OrderedDict[int, tuple[object, Markup]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, obj: object) -> Markup:
        key = id(obj)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is obj:
                self._entries.move_to_end(key)
                return entry[1]
        markup = Markup(self._render(obj))
        with self._lock:
            self._entries[key] = (obj, markup)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return markup


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.finalize = finalize  # before any template is compiled: commands become page links
    env.undefined = StrictUndefined
    env.trim_blocks = True
    env.lstrip_blocks = True
    # The templates ship with the package and do not change under a running server: no check
    # of each template's file time (and of every one it extends or includes) per page.
    env.auto_reload = False
    env.filters.update(FILTERS)
    env.globals.update(
        nav=NAV,
        version=__version__,
        csrf_field=CSRF_FIELD,
        csrf_header=CSRF_HEADER,
        foot_sports=frozenset(s.value for s in FOOT_SPORTS),
        emergency_notice=emergency_notice_for,
        gear_params=DEFAULT_GEAR_PARAMS,
        cite=cite,
        nav_for=nav_for,
        viewer_of=viewer_of,
        catching_up=served_lagging,
    )
    # The chart macros of partials/_chart.html, memoised per chart object (FragmentMemo).
    macros = env.get_template("partials/_chart.html").module
    env.globals.update(
        chart=FragmentMemo(macros.chart),  # type: ignore[attr-defined]
        route=FragmentMemo(macros.route),  # type: ignore[attr-defined]
    )
    return templates


def is_htmx(request: Request) -> bool:
    """An HTMX request wanting a fragment (not a history restore, which wants the page)."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


def csrf_nonce(request: Request) -> tuple[str, bool]:
    """The browser's anti-forgery nonce (from its cookie) or a new one; (nonce, is_new)."""
    existing = getattr(request.state, "csrf_nonce", None)
    if isinstance(existing, str):
        return existing, False
    cookie = request.cookies.get(CSRF_COOKIE)
    if CsrfTokens.valid_nonce(cookie):
        assert cookie is not None
        return cookie, False
    nonce = CsrfTokens.new_nonce()
    request.state.csrf_nonce = nonce
    return nonce, True


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    active: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page or partial with the shared context; sets the anti-forgery cookie."""
    web = get_web(request)
    nonce, is_new = csrf_nonce(request)
    ctx: dict[str, Any] = {
        "active": active,
        "csrf_token": web.csrf.token_for(nonce),
        "htmx": is_htmx(request),
        "upload_max_bytes": int(web.settings.upload_max_mb * 1024 * 1024),
        "upload_max_mb": web.settings.upload_max_mb,
        "units": DISPLAY_UNITS.get(),  # the runner's units (set per request)
        "server_mode": web.settings.server_mode,
        **(context or {}),
    }
    if "values" in ctx:  # what a form sends back is the runner's text: shown as typed
        ctx["values"] = as_typed(ctx["values"])
    response = web.templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers
    )
    if is_new:
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", path="/")
    return response
