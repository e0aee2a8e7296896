"""The Routes page: saved routes, gentlest first, compared side by side, deleted.

The same use cases as ``route list|compare|delete``; a route is saved from a run on the
activity's page (``/activities/{id}/route``).
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.routes import BANDS
from backstride.errors import BackstrideError
from backstride.services.context import App
from backstride.services.routes import RouteComparison, compare_routes, delete_route, list_routes
from backstride.web.deps import WebDep
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import render

router = APIRouter(include_in_schema=False)

BAND_BADGE = {"gentle": "badge-ok", "moderate": "badge-info", "hard": "badge-caution"}


def band_words() -> str:
    """``gentle under 10, moderate 10 to 30, ...`` from the score bands in force."""
    parts = []
    low = 0.0
    for limit, name in BANDS:
        if low == 0:
            parts.append(f"{name} under {limit:g}")
        elif math.isinf(limit):
            parts.append(f"{name} from {low:g}")
        else:
            parts.append(f"{name} {low:g} to {limit:g}")
        low = limit
    return ", ".join(parts)


def _routes_context(
    app: App,
    *,
    compare: list[str],
    saved: str | None = None,
    form_error: BackstrideError | None = None,
) -> dict[str, Any]:
    routes = list_routes(app)
    comparison: RouteComparison | None = None
    compare_error: BackstrideError | None = None
    picked = list(dict.fromkeys(n for n in compare if n.strip()))
    if len(picked) >= 2:
        try:
            comparison = compare_routes(app, picked)
        except BackstrideError as exc:
            if exc.http_status >= 500:
                raise
            compare_error = exc
    return {
        "routes": [v.to_json() for v in routes.routes],
        "source": routes.to_json()["source"],
        "comparison": comparison.to_json() if comparison else None,
        "picked": picked,
        "too_few": len(picked) == 1,
        "compare_error": compare_error,
        "saved": saved,
        "form_error": form_error,
        "bands": band_words(),
        "band_badge": BAND_BADGE,
    }


@router.get("/routes", response_class=HTMLResponse)
async def routes_page(
    request: Request,
    web: WebDep,
    compare: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006 - FastAPI's default
    saved: str | None = None,
) -> HTMLResponse:
    context = await run_in_threadpool(
        lambda: _routes_context(web.app, compare=compare, saved=saved)
    )
    return render(request, "pages/routes.html", context, active="routes")


@router.post("/routes/delete", response_class=HTMLResponse)
async def delete_route_form(request: Request, web: WebDep) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    try:
        await run_in_threadpool(delete_route, web.app, form.get("name", ""))
    except BackstrideError as exc:
        if exc.http_status >= 500:
            raise
        error = exc
        context = await run_in_threadpool(
            lambda: _routes_context(web.app, compare=[], form_error=error)
        )
        return render(
            request, "pages/routes.html", context, active="routes", status_code=exc.http_status
        )
    return RedirectResponse("/routes?saved=deleted#routes-list", status_code=303)
