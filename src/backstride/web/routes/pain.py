"""The Diary pages (the pain diary): a month of entries and runs, an entry's edit form, and
deleting an entry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.errors import InvalidInputError
from backstride.services.diary import delete_pain, edit_pain, triage_red_flags
from backstride.web.api.common import EntryId
from backstride.web.context import runner_today
from backstride.web.deps import TodayDep, WebDep
from backstride.web.forms import (
    Fields,
    FormField,
    check_form,
    field_list,
    field_text,
    form_data,
    form_day,
    read_form,
    typed_values,
    whole_number,
)
from backstride.web.routes.checkin import PAIN_BOXES, PAIN_FIELDS, PAIN_LISTS
from backstride.web.schemas.pain import PainPatch
from backstride.web.templating import is_htmx, render
from backstride.web.views.checkin import edit_context, find_entry, triage_first
from backstride.web.views.pain import DIARY_WEEKS, diary_context, diary_month

router = APIRouter(include_in_schema=False)


EDIT_FIELDS: Fields = {
    **PAIN_FIELDS,
    "day": FormField("the entry"),
    "unlink_activity": FormField("the link to the run"),
}
"""The edit form's fields: the check-in's; a blank one keeps what is stored."""


@router.get("/diary", response_class=HTMLResponse)
async def diary_page(
    request: Request,
    web: WebDep,
    on: TodayDep,
    weeks: Annotated[int | None, Query(ge=1, le=104)] = None,
    month: Annotated[str | None, Query(max_length=20, description="YYYY-MM")] = None,
    saved: str | None = None,
) -> Response:
    """A calendar month at a time (``?month=``, default the month of ``?on=``); ``?weeks=``
    still shows that many weeks up to ``on``."""
    paged = None if weeks and not month else diary_month(month, on=on, today=runner_today())
    context = await run_in_threadpool(
        lambda: diary_context(web, on, weeks or DIARY_WEEKS, month=paged, saved=saved)
    )
    return render(request, "pages/diary.html", context, active="diary")


@router.get("/diary/{entry_id}/edit", response_class=HTMLResponse)
async def diary_edit_page(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    entry = await run_in_threadpool(find_entry, web.app, entry_id)
    return render(request, "pages/diary_edit.html", edit_context(entry), active="diary")


@router.post("/diary/{entry_id}/edit", response_class=HTMLResponse)
async def diary_edit_form(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    """A full-page form (like the check-in): red flags it names are triaged before the
    header, whether the change is saved or refused."""
    raw = await read_form(request, web)
    entry = await run_in_threadpool(find_entry, web.app, entry_id)
    values = typed_values(raw, "where", "feels", "red_flags")
    flags = field_list(raw, "red_flags")
    data = form_data(raw, EDIT_FIELDS, lists=PAIN_LISTS, boxes=(*PAIN_BOXES, "unlink_activity"))
    data["notes"] = field_text(raw, "notes")  # a blank note clears it
    try:
        changes = check_form(PainPatch, data, EDIT_FIELDS).changes()
        saved = await run_in_threadpool(
            lambda: edit_pain(web.app, entry_id, changes, today=runner_today())
        )
    except InvalidInputError as exc:
        view = triage_red_flags(flags)
        first = await run_in_threadpool(triage_first, request, view)
        context = edit_context(entry, values=values, form_error=exc, triage_first=first)
        return render(request, "pages/diary_edit.html", context, active="diary", status_code=422)
    if saved.triage is not None:
        # Red flags win: the saved entry's page shows their triage first.
        return RedirectResponse(f"/checkin/{entry_id}?saved=1", status_code=303)
    return RedirectResponse(f"/diary?saved=edit#entry-{entry_id}", status_code=303)


@router.post("/diary/{entry_id}/delete", response_class=HTMLResponse)
async def diary_delete_form(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    raw = await read_form(request, web)
    await run_in_threadpool(delete_pain, web.app, entry_id)
    if not is_htmx(request):
        return RedirectResponse("/diary?saved=delete", status_code=303)
    on = form_day(field_text(raw, "on"), what="the diary")
    weeks = whole_number(field_text(raw, "weeks"), what="the weeks shown") or DIARY_WEEKS
    if not 1 <= weeks <= 104:
        weeks = DIARY_WEEKS
    context = await run_in_threadpool(lambda: diary_context(web, on, weeks, saved="delete"))
    return render(request, "partials/_diary_body.html", context, active="diary")
