"""Server mode: who is asking, whose data each request is about, and what she may do there.

:func:`resolve_access` runs before every route (an app-wide dependency). In local mode it
does nothing: the process's one runner, no login. In server mode it

* finds the login from its cookie (none: the login page, or 401 for the API);
* chooses the athlete for this request only: a runner's own; for a professional, the runner
  she opened from her list, if that runner's grant is in force **now** and covers the page
  (:data:`SHARED_PAGES`; anything not listed there is the runner's alone);
* writes each of a professional's requests to the runner's audit log;
* hands the routes a per-request :class:`~backstride.web.deps.WebState` whose context and
  result cache belong to that athlete (``request.state.web``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from backstride.domain.access import Grant, Role, Scope
from backstride.errors import AccessDeniedError, LoginRequiredError
from backstride.services.accounts import Login, current_login
from backstride.services.body import units_in_force
from backstride.services.context import shared_reads
from backstride.services.sharing import access_for, record, runner_name
from backstride.web.asgi import UNSAFE_METHODS
from backstride.web.cache import ResultCache
from backstride.web.deps import WebState
from backstride.web.nav import NAV, NavItem

SESSION_COOKIE = "backstride_session"
PUBLIC_PATHS = frozenset({"/login", "/login/oidc", "/login/oidc/callback", "/register", "/logout"})
EVERYONE_PATHS = re.compile(r"^(?:/evidence(?:/[^/]+)?|/api/evidence(?:/[^/]+)?)$")
"""Pages that hold nobody's data (the summaries of the sources): open to every logged-in
person, whoever she is viewing."""
PROFESSIONAL_PATHS = re.compile(r"^/runners(/.*)?$")
RUNNER_ONLY = re.compile(r"^/sharing(/.*)?$")
SERVER_MODE_CLOSED = re.compile(r"^/data(/.*)?$")
"""Pages of the local mode that act on the whole database (export, backup, delete
everything): in server mode the person who runs the server backs it up (docs/server.md)."""


@dataclass(frozen=True, slots=True)
class SharedPage:
    methods: frozenset[str]
    path: re.Pattern[str]
    scope: Scope | None
    """None: every grant includes it (the runner's Today)."""
    words: str
    """What the audit log says was read or changed."""


def _page(methods: str, path: str, scope: Scope | None, words: str) -> SharedPage:
    return SharedPage(frozenset(methods.split()), re.compile(f"^(?:{path})$"), scope, words)


SHARED_PAGES: tuple[SharedPage, ...] = (
    _page("GET", r"/today|/api/today", None, "Today's advice"),
    _page("GET", r"/|/api/overview", Scope.ACTIVITIES, "the overview"),
    _page("GET", r"/activities|/api/activities", Scope.ACTIVITIES, "the list of activities"),
    _page("GET", r"/activities/\d+|/api/activities/\d+", Scope.ACTIVITIES, "an activity"),
    _page("GET", r"/load|/api/load", Scope.ACTIVITIES, "the training load"),
    _page("GET", r"/shoes|/api/shoes", Scope.ACTIVITIES, "the shoes"),
    _page("GET", r"/diary|/api/pain|/api/pain/report", Scope.DIARY, "the pain diary"),
    _page("GET", r"/checkin/\d+", Scope.DIARY, "a check-in"),
    _page("GET", r"/self-tests|/api/self-tests|/api/self-tests/report", Scope.DIARY, "self-tests"),
    _page("GET", r"/api/clearances", Scope.DIARY, "the clearances"),
    _page("GET", r"/report|/report\.html|/report\.pdf", Scope.REPORT, "the report"),
    _page("GET", r"/report/report\.css", Scope.REPORT, ""),
    _page("GET", r"/measures", Scope.REPORT, "the outcome measures"),
    _page("GET", r"/plan|/exercises", Scope.PLAN, "the plan"),
    _page("POST", r"/plan/start|/plan/done|/plan/skip", Scope.PLAN_ADJUST, "the plan"),
)
"""Everything a professional can reach of a runner's data, and the scope it needs."""


def shared_page(method: str, path: str) -> SharedPage | None:
    verb = "GET" if method == "HEAD" else method
    for page in SHARED_PAGES:
        if verb in page.methods and page.path.match(path):
            return page
    return None


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking and for whom: ``athlete_id`` is whose data this request shows (None:
    a professional on her own pages); ``grant`` is set when it is someone else's."""

    login: Login
    athlete_id: int | None
    grant: Grant | None = None
    runner_name: str = ""

    @property
    def is_professional(self) -> bool:
        return self.login.account.role is Role.PROFESSIONAL


def viewer_of(request: Request) -> Viewer | None:
    viewer = getattr(request.state, "viewer", None)
    return viewer if isinstance(viewer, Viewer) else None


def _redirect(location: str) -> StarletteHTTPException:
    return StarletteHTTPException(status_code=303, headers={"Location": location})


def _login_needed(request: Request) -> Exception:
    if request.method in ("GET", "HEAD") and not request.url.path.startswith("/api/"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return _redirect(f"/login?next={quote(target, safe='/')}")
    return LoginRequiredError(
        "Please log in first.", hint="Open the login page, log in, and try again."
    )


async def resolve_access(request: Request) -> None:
    """App-wide dependency (see the module docstring). Local mode: nothing to do, on the
    event loop (no turn on the request thread); server mode: the checks read the database,
    on the request thread."""
    base: WebState = request.app.state.web
    if not base.settings.server_mode:
        return
    await run_in_threadpool(_resolve, request, base)


def _resolve(request: Request, base: WebState) -> None:
    with shared_reads():  # the checks' reads in one transaction (PostgreSQL)
        _check(request, base)


def _check(request: Request, base: WebState) -> None:
    path = request.url.path
    now = datetime.now(UTC)
    login = current_login(base.app, request.cookies.get(SESSION_COOKIE), now=now)
    if path in PUBLIC_PATHS:
        if login is not None:
            request.state.viewer = Viewer(login, login.account.athlete_id)
        return
    if login is None:
        raise _login_needed(request)
    if EVERYONE_PATHS.match(path):
        request.state.viewer = Viewer(login, login.account.athlete_id)
        return
    if SERVER_MODE_CLOSED.match(path):
        raise AccessDeniedError(
            "On a shared server, exports, backups and deleting everything are done by the "
            "person who runs it.",
            hint="Ask them for a copy of your data.",
        )
    account = login.account
    if account.role is Role.RUNNER:
        if PROFESSIONAL_PATHS.match(path):
            raise AccessDeniedError("This page is for professionals.")
        if account.athlete_id is None:
            raise AccessDeniedError("This account has no data of its own.")
        _use(request, base, Viewer(login, account.athlete_id))
        return
    # A professional: her own pages, or the runner she opened, as far as it is shared.
    if PROFESSIONAL_PATHS.match(path):
        request.state.viewer = Viewer(login, None)
        return
    if RUNNER_ONLY.match(path):
        raise AccessDeniedError("This page is for runners.")
    athlete_id = login.viewing_athlete_id
    if athlete_id is None:
        if request.method in ("GET", "HEAD") and not path.startswith("/api/"):
            raise _redirect("/runners")
        raise AccessDeniedError(
            "Open a runner from your list first.", hint="Your list of runners is at /runners."
        )
    page = shared_page(request.method, path)
    if page is None:
        raise AccessDeniedError(
            "This part of a runner's data is hers alone.",
            hint="Go back to your list of runners.",
        )
    grant = access_for(base.app, login, athlete_id, scope=page.scope, now=now)
    if page.words:
        action = "read" if request.method in ("GET", "HEAD") else "changed"
        record(
            base.app, athlete_id=athlete_id, actor=account, action=action, what=page.words, now=now
        )
    name = runner_name(base.app, athlete_id)
    _use(request, base, Viewer(login, athlete_id, grant, runner_name=name))


def _use(request: Request, base: WebState, viewer: Viewer) -> None:
    assert viewer.athlete_id is not None
    request.state.viewer = viewer
    assert isinstance(base.cache, ResultCache)
    cache = base.cache.scoped(viewer.athlete_id)
    # The use cases keep parts of answers there (App.memo) where the database versions them:
    # a check-in then recomputes only the diary's part of the day (services.guidance).
    memo = cache if base.cache.versioned_by_database else None
    if memo is not None and request.method not in UNSAFE_METHODS:
        # Now, in the transaction that read the login, rather than in one of the athlete's
        # own later (its BEGIN, athlete setting and COMMIT): read with the login, in its
        # statement (``Login.shown_versions``). A request that writes is answered from
        # fresh computations only and reads none.
        base.cache.read_versions(viewer.athlete_id, known=viewer.login.shown_versions)
    app = base.app.for_athlete(viewer.athlete_id, memo=memo)
    request.state.web = replace(base, app=app, cache=cache)
    if not request.url.path.startswith("/api/"):
        # The page's units (``formatting.use_display_units``), read on this thread now.
        request.state.units = units_in_force(app, shared_server=True)


def nav_for(request: Request) -> list[NavItem]:
    """The navigation this visitor may follow: everything in local mode; in server mode the
    runner's pages (but the whole-database ones), or what a runner shares with this
    professional."""
    base: WebState = request.app.state.web
    if not base.settings.server_mode:
        return NAV
    viewer = viewer_of(request)
    if viewer is None:
        return []
    if not viewer.is_professional:
        items = [i for i in NAV if not SERVER_MODE_CLOSED.match(i.href)]
        return [*items, NavItem("sharing", "Sharing", "/sharing")]
    items = [NavItem("runners", "Your runners", "/runners")]
    if viewer.grant is not None:
        now = datetime.now(UTC)
        for item in NAV:
            page = shared_page("GET", item.href)
            if page is not None and viewer.grant.allows(page.scope, now):
                items.append(item)
    return items
