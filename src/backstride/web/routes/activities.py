"""Activities pages: the sortable, filterable, paged list; one activity; its edit form."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.activity import Sport, Surface
from backstride.domain.load import RunSpike
from backstride.domain.metrics import ActivityAnalysis
from backstride.errors import InvalidInputError
from backstride.services.activities import (
    ActivityEdit,
    ActivitySummary,
    edit_activity,
    get_activity_summary,
    get_activity_with_summary,
)
from backstride.web.deps import WebDep, WebState
from backstride.web.reads import (
    cached_activity_count,
    cached_activity_rows,
    cached_analysis,
    cached_run_spike,
)
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import is_htmx, render
from backstride.web.views import (
    PAGE_SIZE,
    SORT_KEYS,
    SORT_LABELS,
    SPORT_CHOICES,
    ActivityCharts,
    ListQuery,
    Paging,
    SortKey,
    activity_charts,
    grade_rows,
    paging,
    parse_optional_day,
)

router = APIRouter(include_in_schema=False)

SURFACE_CHOICES = tuple(s.value for s in Surface)


def list_query(
    *,
    sport: str | None,
    since: str | None,
    until: str | None,
    q: str | None,
    sort: str | None,
    order: str | None,
    page: str | None,
) -> ListQuery:
    """Read the list's query string forgivingly: unknown sorts fall back, bad dates explain."""
    sort_key: SortKey = "start"
    for key in SORT_KEYS:
        if key == sort:
            sort_key = key
    try:
        page_no = max(1, min(int(page or 1), 1_000_000))
    except ValueError:
        page_no = 1
    return ListQuery(
        sport=sport if sport in SPORT_CHOICES else None,
        since=parse_optional_day(since, what="from"),
        until=parse_optional_day(until, what="to"),
        q=(q or "").strip()[:200] or None,
        sort=sort_key,
        order="asc" if order == "asc" else "desc",
        page=page_no,
    )


def page_of_activities(web: WebState, query: ListQuery) -> tuple[list[ActivitySummary], Paging]:
    filters: dict[str, Any] = query.filters()
    total = cached_activity_count(web, **filters)
    pages = paging(total, query.page, PAGE_SIZE)
    rows = cached_activity_rows(
        web,
        **filters,
        sort=query.sort,
        descending=query.order == "desc",
        limit=PAGE_SIZE,
        offset=(pages.page - 1) * PAGE_SIZE,
    )
    return rows, pages


@router.get("/activities", response_class=HTMLResponse)
def activities_page(
    request: Request,
    web: WebDep,
    sport: str | None = None,
    since: str | None = None,
    until: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    order: str | None = None,
    page: str | None = None,
) -> HTMLResponse:
    query = list_query(
        sport=sport, since=since, until=until, q=q, sort=sort, order=order, page=page
    )
    rows, pages = page_of_activities(web, query)
    context = {
        "rows": rows,
        "paging": pages,
        "query": query,
        "sort_labels": SORT_LABELS,
        "sports": SPORT_CHOICES,
    }
    template = "partials/_activity_table.html" if is_htmx(request) else "pages/activities.html"
    return render(request, template, context, active="activities")


@dataclass(frozen=True, slots=True)
class ActivityPage:
    row: ActivitySummary
    analysis: ActivityAnalysis
    charts: ActivityCharts
    spike: RunSpike | None
    warnings: list[str]


def activity_page_data(web: WebState, activity_id: int) -> ActivityPage:
    """Everything the detail page shows (memoised until the data changes)."""
    return web.cache.get(("activity_page", activity_id), lambda: _activity_page(web, activity_id))


def _activity_page(web: WebState, activity_id: int) -> ActivityPage:
    row, activity = get_activity_with_summary(web.app, activity_id)
    analysis = cached_analysis(web, activity_id, activity=activity)
    spike = cached_run_spike(web, activity_id)
    return ActivityPage(
        row=row,
        analysis=analysis,
        charts=activity_charts(activity, analysis),
        spike=spike,
        warnings=list(json.loads(row.warnings or "[]")),
    )


def _edit_context(row: ActivitySummary, **extra: Any) -> dict[str, Any]:
    return {
        "row": row,
        "sports": tuple(s.value for s in Sport),
        "surfaces": SURFACE_CHOICES,
        "form_error": None,
        "saved": False,
        "values": None,
        **extra,
    }


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    request: Request, web: WebDep, activity_id: int, saved: bool = False
) -> HTMLResponse:
    data = activity_page_data(web, activity_id)
    return render(
        request,
        "pages/activity.html",
        {
            "data": data,
            "grades": grade_rows(data.analysis.grade),
            "spike_window": (data.row.local_date - timedelta(days=30), data.row.local_date),
            **_edit_context(data.row, saved=saved),
        },
        active="activities",
    )


def _form_edit(form: dict[str, str]) -> ActivityEdit:
    """The edit form's fields as a service edit; blank RPE and surface mean 'unchanged'."""
    rpe_text = form.get("rpe", "").strip().replace(",", ".")
    rpe: float | None = None
    if rpe_text:
        try:
            rpe = float(rpe_text)
        except ValueError as exc:
            raise InvalidInputError(
                f"'{rpe_text}' is not a number for RPE.", hint="Give a number from 0 to 10."
            ) from exc
        if not math.isfinite(rpe):
            raise InvalidInputError("RPE must be a number from 0 to 10.")
    return ActivityEdit(
        sport=form.get("sport") or None,
        surface=form.get("surface") or None,
        rpe=rpe,
        notes=form["notes"].replace("\r\n", "\n") if "notes" in form else None,
        name=form.get("name", "").strip() or None,
    )


@router.post("/activities/{activity_id}/edit", response_class=HTMLResponse)
async def edit_activity_form(request: Request, web: WebDep, activity_id: int) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    row = await run_in_threadpool(get_activity_summary, web.app, activity_id)
    try:
        edit = _form_edit(form)
        row = await run_in_threadpool(edit_activity, web.app, activity_id, edit)
        web.cache.bump()
    except InvalidInputError as exc:
        context = _edit_context(row, form_error=exc, values=form)
        if is_htmx(request):
            return render(request, "partials/_activity_edit.html", context, status_code=422)
        data = await run_in_threadpool(activity_page_data, web, activity_id)
        context.update(
            data=data,
            grades=grade_rows(data.analysis.grade),
            spike_window=(data.row.local_date - timedelta(days=30), data.row.local_date),
        )
        return render(request, "pages/activity.html", context, status_code=422)
    if is_htmx(request):
        data = await run_in_threadpool(activity_page_data, web, activity_id)
        return render(
            request,
            "partials/_activity_edit.html",
            {**_edit_context(data.row, saved=True), "data": data, "oob_summary": True},
        )
    return RedirectResponse(f"/activities/{activity_id}?saved=true#edit", status_code=303)
