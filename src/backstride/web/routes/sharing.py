"""Server mode: the runner's Sharing page (who sees what, until when; revoke; her audit log
and the notes left for her) and the professional's list of runners (open one, leave a note).

``web.access.resolve_access`` lets only runners reach ``/sharing`` and only professionals
reach ``/runners``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.access import SCOPE_LABELS, Scope
from backstride.domain.dates import parse_day
from backstride.errors import BackstrideError, LoginRequiredError
from backstride.services.accounts import set_viewing
from backstride.services.sharing import (
    access_for,
    add_note,
    audit_log,
    grant_access,
    notes_for,
    revoke_access,
    roster,
    shared_with,
)
from backstride.web.access import Viewer, viewer_of
from backstride.web.deps import WebDep, WebState
from backstride.web.schemas.common import PageId
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import render

router = APIRouter(include_in_schema=False)

SCOPE_CHOICES = [(s.value, SCOPE_LABELS[s]) for s in Scope]


def _viewer(request: Request) -> Viewer:
    viewer = viewer_of(request)
    if viewer is None:
        raise LoginRequiredError("Please log in first.")
    return viewer


async def _form(request: Request, web: WebState) -> tuple[dict[str, str], list[str]]:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    scopes = [v for v in raw.getlist("scope") if isinstance(v, str)]
    return form, scopes


def _sharing_context(web: WebState, viewer: Viewer) -> dict[str, Any]:
    account = viewer.login.account
    now = datetime.now(UTC)
    return {
        "grants": shared_with(web.app, account, now=now),
        "audit": audit_log(web.app, account),
        "notes": notes_for(web.app, account),
        "scope_choices": SCOPE_CHOICES,
    }


@router.get("/sharing", response_class=HTMLResponse)
async def sharing_page(request: Request, web: WebDep) -> HTMLResponse:
    viewer = _viewer(request)
    context = await run_in_threadpool(_sharing_context, web, viewer)
    saved = request.query_params.get("saved", "")
    return render(
        request,
        "pages/sharing.html",
        {**context, "error": None, "values": {}, "chosen": [], "saved": saved},
        active="sharing",
    )


@router.post("/sharing", response_class=HTMLResponse)
async def sharing_add(request: Request, web: WebDep) -> Response:
    viewer = _viewer(request)
    form, scopes = await _form(request, web)
    try:
        until_text = form.get("until", "").strip()
        until = parse_day(until_text) if until_text else None
        await run_in_threadpool(
            lambda: grant_access(
                web.app,
                viewer.login.account,
                professional_email=form.get("email", ""),
                scopes=scopes,
                expires_on=until,
                now=datetime.now(UTC),
            )
        )
    except BackstrideError as exc:
        context = await run_in_threadpool(_sharing_context, web, viewer)
        values = {"email": form.get("email", "")[:254], "until": form.get("until", "")[:10]}
        return render(
            request,
            "pages/sharing.html",
            {**context, "error": exc, "values": values, "chosen": scopes, "saved": ""},
            active="sharing",
            status_code=exc.http_status,
        )
    return RedirectResponse("/sharing?saved=shared", status_code=303)


@router.post("/sharing/{grant_id}/revoke")
async def sharing_revoke(request: Request, web: WebDep, grant_id: PageId) -> Response:
    viewer = _viewer(request)
    await _form(request, web)
    await run_in_threadpool(
        lambda: revoke_access(web.app, viewer.login.account, grant_id, now=datetime.now(UTC))
    )
    return RedirectResponse("/sharing?saved=stopped", status_code=303)


@router.get("/runners", response_class=HTMLResponse)
async def runners_page(request: Request, web: WebDep) -> HTMLResponse:
    viewer = _viewer(request)
    if viewer.login.viewing_athlete_id is not None:
        await run_in_threadpool(lambda: set_viewing(web.app, viewer.login, None))
    entries = await run_in_threadpool(
        lambda: roster(web.app, viewer.login.account, now=datetime.now(UTC))
    )
    saved = request.query_params.get("saved", "")
    return render(
        request, "pages/runners.html", {"entries": entries, "saved": saved}, active="runners"
    )


@router.post("/runners/{athlete_id}/open")
async def runners_open(request: Request, web: WebDep, athlete_id: PageId) -> Response:
    viewer = _viewer(request)
    form, _ = await _form(request, web)
    now = datetime.now(UTC)
    await run_in_threadpool(
        lambda: access_for(web.app, viewer.login, athlete_id, scope=None, now=now)
    )
    await run_in_threadpool(lambda: set_viewing(web.app, viewer.login, athlete_id))
    target = {"report": "/report", "diary": "/diary"}.get(form.get("page", ""), "/today")
    return RedirectResponse(target, status_code=303)


@router.post("/runners/{athlete_id}/notes")
async def runners_note(request: Request, web: WebDep, athlete_id: PageId) -> Response:
    viewer = _viewer(request)
    form, _ = await _form(request, web)
    now = datetime.now(UTC)

    def save() -> None:
        access_for(web.app, viewer.login, athlete_id, scope=None, now=now)
        add_note(web.app, viewer.login.account, athlete_id, form.get("note", ""), now=now)

    await run_in_threadpool(save)
    return RedirectResponse("/runners?saved=note", status_code=303)
