"""The Load page: weekly distance and time, per-run spike, load ratio, monotony, fitness."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from backstride.services.guidance import guidance_params
from backstride.web.cache import LOAD_ONLY
from backstride.web.deps import TodayDep, WebDep
from backstride.web.reads import cached_load_report
from backstride.web.templating import render
from backstride.web.views.load import load_verdicts, load_view, spike_css, spike_label

router = APIRouter(include_in_schema=False)

WEEK_CHOICES = (4, 8, 12, 26, 52)
DEFAULT_WEEKS = 12


@router.get("/load", response_class=HTMLResponse)
def load_page(
    request: Request,
    web: WebDep,
    on: TodayDep,
    weeks: int = Query(DEFAULT_WEEKS, ge=1, le=520),
) -> HTMLResponse:
    report = cached_load_report(web, on=on, weeks=weeks)
    view = web.cache.get(("load_view", on, weeks), lambda: load_view(report), reads=LOAD_ONLY)
    params = web.cache.get(("guidance_params",), lambda: guidance_params(web.app), reads=LOAD_ONLY)
    verdicts = load_verdicts(view.latest, params) if view.latest else ()
    return render(
        request,
        "pages/load.html",
        {
            "view": view,
            "verdicts": verdicts,
            "weeks": weeks,
            "week_choices": WEEK_CHOICES,
            "on": on,
            "spike_label": spike_label,
            "spike_css": spike_css,
        },
        active="load",
    )
