"""Activities pages: the sortable, filterable, paged list; one activity; its edit form."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.activity import Sport, Surface
from backstride.domain.dates import parse_day
from backstride.domain.load import RunSpike
from backstride.domain.metrics import ActivityAnalysis
from backstride.domain.pain import PainEntry, PainWhen
from backstride.domain.units import parse_distance_m, parse_duration_s
from backstride.errors import BackstrideError, InvalidInputError
from backstride.services.activities import (
    ActivityEdit,
    ActivitySummary,
    ManualEntry,
    apply_edit,
    get_activity_summary,
    log_manual,
)
from backstride.services.diary import pain_entries
from backstride.services.guidance import guidance_params
from backstride.services.routes import add_route_from_activity
from backstride.services.shoes import assign_default_shoes, shoe_names_on
from backstride.web.cache import changes_of_edit
from backstride.web.context import note_changes, runner_today
from backstride.web.deps import TodayDep, WebDep, WebState
from backstride.web.reads import (
    activity_drawn,
    cached_activity_count,
    cached_activity_rows,
    cached_run_spike,
)
from backstride.web.schemas.common import PageId
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import is_htmx, render
from backstride.web.views import words as body_words
from backstride.web.views.activities import (
    PAGE_SIZE,
    SORT_KEYS,
    SORT_LABELS,
    SPORT_CHOICES,
    WHEN_ORDER,
    ActivityCharts,
    DescentVerdict,
    ListQuery,
    Paging,
    SortKey,
    descent_verdict,
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
    descent: DescentVerdict | None
    pain: tuple[PainEntry, ...]
    shoe_names: tuple[str, ...]

    @property
    def surface_guessed(self) -> bool:
        """The surface shown is the analysis's guess (none was recorded or chosen)."""
        return not self.row.surface and bool(self.analysis.surface)


def activity_page_data(web: WebState, activity_id: int) -> ActivityPage:
    """Everything the detail page shows (memoised until the data changes). The analysis and
    charts never read the pain diary, so a check-in leaves them kept; the day's check-ins are
    read (and kept) on their own. The analysis and charts are kept apart too, under exactly
    what they are computed from (``reads.activity_content``): when the page is computed again
    for a change elsewhere (an import's new activities), they are not."""
    page = web.cache.get(
        ("activity_page", activity_id),
        lambda: _activity_page(web, activity_id),
        reads_diary=False,
    )
    pain = web.cache.get(
        ("activity_pain", activity_id),
        lambda: _day_pain(web, activity_id, page.row.local_date),
    )
    return replace(page, pain=pain)


def _day_pain(web: WebState, activity_id: int, day: date) -> tuple[PainEntry, ...]:
    """The check-ins of the activity's day, and the next morning's, in the day's order."""
    entries = pain_entries(web.app, since=day, until=day + timedelta(days=1))
    mine = [
        e
        for e in entries
        if e.activity_id == activity_id
        or (e.activity_id is None and e.day == day and e.when is not PainWhen.NEXT_MORNING)
        or (e.activity_id is None and e.day > day and e.when is PainWhen.NEXT_MORNING)
    ]
    return tuple(sorted(mine, key=lambda e: (e.day, WHEN_ORDER.index(e.when.value))))


def _shoe_names(web: WebState, day: date, worn: str | None) -> tuple[str, ...]:
    """The pairs to choose from: those in use on ``day``, and the pair worn (even retired)."""
    names = shoe_names_on(web.app, day)
    if worn and worn not in names:
        names.append(worn)
    return tuple(names)


def _activity_page(web: WebState, activity_id: int) -> ActivityPage:
    row, content, charts = activity_drawn(web, activity_id)
    analysis = content.analysis
    spike = cached_run_spike(web, activity_id)
    p = guidance_params(web.app)
    return ActivityPage(
        row=row,
        analysis=analysis,
        charts=charts,
        spike=spike,
        warnings=list(json.loads(row.warnings or "[]")),
        descent=descent_verdict(
            analysis.grade,
            grade_pct=p.downhill_grade_pct,
            steep_limit_m=p.downhill_steep_m,
            drop_limit_m=p.downhill_long_drop_m,
        ),
        pain=(),  # read apart (activity_page_data): the diary changes more often
        shoe_names=_shoe_names(web, row.local_date, row.gear),
    )


ACTIVITY_FORMS = ("edit", "shoes", "route", "logged")
"""The activity page's forms; ``?saved=`` names the one just saved (its message sits in it)."""


def _page_context(
    data: ActivityPage,
    *,
    saved: str | None = None,
    form: str | None = None,
    form_error: BackstrideError | None = None,
    values: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The page's context; ``form`` is the form refused with ``form_error`` (and its values)."""
    return {
        "data": data,
        "row": data.row,
        "grades": grade_rows(data.analysis.grade, steep=data.descent),
        "spike_window": (data.row.local_date - timedelta(days=30), data.row.local_date),
        "sports": tuple(s.value for s in Sport),
        "surfaces": SURFACE_CHOICES,
        "saved": saved if saved in ACTIVITY_FORMS else None,
        "errors": {form: form_error} if form and form_error else {},
        "values": {form: values or {}} if form else {},
        "w": body_words,
    }


def _manual_entry(form: dict[str, str], *, today: date) -> ManualEntry:
    """The log form's fields as a session entered by hand (the words of ``log``'s errors)."""
    day_text = form.get("on", "").strip()
    day = parse_day(day_text[:40], what="the date") if day_text else today
    at_text = form.get("at", "").strip()
    start: time | None = None
    if at_text:
        try:
            start = time.fromisoformat(at_text)
        except ValueError as exc:
            raise InvalidInputError(
                f"'{at_text[:20]}' is not a time.", hint="Write it like 07:30."
            ) from exc
    duration_text = form.get("duration", "").strip()
    if not duration_text:
        raise InvalidInputError("Say how long it took.", hint="For example 35m, 1h05m or 1:05:00.")
    distance_text = form.get("distance", "").strip()
    rpe = _effort(form)
    notes = form.get("notes", "").replace("\r\n", "\n").strip()
    if len(notes) > 10_000:
        raise InvalidInputError("Notes are limited to 10,000 characters.")
    name = form.get("name", "").strip()
    if len(name) > 500:
        raise InvalidInputError("Names are limited to 500 characters.")
    return ManualEntry(
        day=day,
        sport=form.get("sport", "").strip() or "run",
        duration_s=parse_duration_s(duration_text[:40]),
        distance_m=parse_distance_m(distance_text[:40]) if distance_text else None,
        rpe=rpe,
        surface=form.get("surface", "").strip() or None,
        notes=notes or None,
        start_time=start,
        name=name or None,
    )


def _log_context(today: date, **extra: Any) -> dict[str, Any]:
    return {
        "today": today,
        "sports": tuple(s.value for s in Sport),
        "surfaces": SURFACE_CHOICES,
        "form_error": None,
        "values": {},
        **extra,
    }


@router.get("/activities/new", response_class=HTMLResponse)
def log_page(request: Request, on: TodayDep) -> HTMLResponse:
    """Log a run or a cross-training session by hand (the same as ``log``)."""
    return render(request, "pages/log.html", _log_context(on), active="activities")


@router.post("/activities/new", response_class=HTMLResponse)
async def log_form(request: Request, web: WebDep) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    today = runner_today()

    def log() -> int:
        activity_id = log_manual(web.app, _manual_entry(form, today=today), today=today)
        assign_default_shoes(web.app, [activity_id])
        return activity_id

    try:
        activity_id = await run_in_threadpool(log)
    except BackstrideError as exc:
        if exc.http_status >= 500:
            raise
        values = {k: v for k, v in form.items() if k != CSRF_FIELD}
        context = _log_context(today, form_error=exc, values=values)
        return render(
            request,
            "pages/log.html",
            context,
            active="activities",
            status_code=exc.http_status,
        )
    return RedirectResponse(
        f"/activities/{activity_id}?saved=logged#activity-summary", status_code=303
    )


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    request: Request, web: WebDep, activity_id: PageId, saved: str | None = None
) -> HTMLResponse:
    data = activity_page_data(web, activity_id)
    return render(
        request, "pages/activity.html", _page_context(data, saved=saved), active="activities"
    )


def _effort(form: dict[str, str]) -> float | None:
    """The session's effort (RPE, 0 to 10) as typed; blank means none given."""
    text = form.get("rpe", "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidInputError(
            f"'{text[:20]}' is not a number for the effort.", hint="Give a number from 0 to 10."
        ) from exc


def _form_edit(form: dict[str, str]) -> ActivityEdit:
    """The edit form's fields as a service edit; blank RPE and surface mean 'unchanged'."""
    rpe = _effort(form)
    if rpe is not None and not math.isfinite(rpe):
        raise InvalidInputError("The effort must be a number from 0 to 10.")
    return ActivityEdit(
        sport=form.get("sport") or None,
        surface=form.get("surface") or None,
        rpe=rpe,
        notes=form["notes"].replace("\r\n", "\n") if "notes" in form else None,
        name=form.get("name", "").strip() or None,
    )


def _form_shoes(form: dict[str, str]) -> ActivityEdit:
    shoes = form.get("shoes", "").strip()
    return ActivityEdit(gear=shoes or "none")


async def _activity_form(
    request: Request,
    web: WebState,
    activity_id: int,
    *,
    form_name: str,
    action: Callable[[dict[str, str]], object],
) -> Response:
    """Run one of the page's forms: the page (or the form, with htmx) with its message."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    await run_in_threadpool(get_activity_summary, web.app, activity_id)  # 404 before anything
    try:
        await run_in_threadpool(action, form)
    except BackstrideError as exc:
        if exc.http_status >= 500:
            raise
        data = await run_in_threadpool(activity_page_data, web, activity_id)
        context = _page_context(data, form=form_name, form_error=exc, values=form)
        template = f"partials/_activity_{form_name}.html" if is_htmx(request) else None
        return render(
            request,
            template or "pages/activity.html",
            context,
            active="activities",
            status_code=exc.http_status,
        )
    if is_htmx(request):
        data = await run_in_threadpool(activity_page_data, web, activity_id)
        context = {**_page_context(data, saved=form_name), "oob_summary": True}
        return render(request, f"partials/_activity_{form_name}.html", context)
    return RedirectResponse(
        f"/activities/{activity_id}?saved={form_name}#activity-{form_name}", status_code=303
    )


def _edit_form(form_name: str, read: Callable[[dict[str, str]], ActivityEdit]) -> None:
    """The page's forms that change the activity itself (its details, its shoes)."""

    async def edit_form(request: Request, web: WebDep, activity_id: PageId) -> Response:
        return await _activity_form(
            request,
            web,
            activity_id,
            form_name=form_name,
            action=lambda form: note_changes(
                changes_of_edit(apply_edit(web.app, activity_id, read(form)))
            ),
        )

    edit_form.__name__ = f"activity_{form_name}_form"
    router.add_api_route(
        f"/activities/{{activity_id}}/{form_name}",
        edit_form,
        methods=["POST"],
        response_class=HTMLResponse,
    )


_edit_form("edit", _form_edit)
_edit_form("shoes", _form_shoes)


@router.post("/activities/{activity_id}/route", response_class=HTMLResponse)
async def activity_route_form(request: Request, web: WebDep, activity_id: PageId) -> Response:
    def save(form: dict[str, str]) -> object:
        name = form.get("name", "").strip()
        if not name:
            raise InvalidInputError("Give the route a name.", hint="For example 'River loop'.")
        return add_route_from_activity(
            web.app, activity_id, name=name, surface=form.get("surface") or None
        )

    return await _activity_form(request, web, activity_id, form_name="route", action=save)
