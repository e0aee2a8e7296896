"""The Check-in page and a saved check-in's page.

The check-in is a plain post followed by a full page: its answer shows the triage of any red
flag *before* the site's header and navigation, and so does a check-in refused for another
reason (a score of 11, a date in the future)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from backstride.domain.pain import (
    parse_feels,
    parse_red_flags,
    parse_score,
    parse_sites,
    parse_when,
)
from backstride.errors import BackstrideError, InvalidInputError
from backstride.services.diary import add_pain, answer_warning_signs, triage_red_flags
from backstride.web.api.common import EntryId
from backstride.web.context import runner_today
from backstride.web.deps import TodayDep, WebDep
from backstride.web.forms import (
    Fields,
    FormField,
    check_form,
    field_checked,
    field_list,
    field_text,
    form_data,
    form_day,
    read_form,
    refusal,
    typed_values,
)
from backstride.web.schemas.pain import PainIn, WarningSignsIn
from backstride.web.templating import render
from backstride.web.views.checkin import checkin_page_context, saved_entry_data, triage_first

router = APIRouter(include_in_schema=False)


PAIN_FIELDS: Fields = {
    "day": FormField("the check-in"),
    "score": FormField(
        "the pain score",
        check=parse_score,
        missing="Choose how much it hurts, from 0 (no pain) to 10 (worst imaginable).",
    ),
    "when": FormField(
        "when it hurt",
        check=parse_when,
        missing="Say when: before, during or after a run, the morning after, or a rest day.",
    ),
    "where": FormField("where it hurts", check=lambda text: parse_sites([text])),
    "feels": FormField("how it feels", check=lambda text: parse_feels([text])),
    "walking_leg_symptoms": FormField("leg symptoms when walking"),
    "eases_sitting": FormField("easing when sitting"),
    "red_flags": FormField("the warning signs", check=lambda text: parse_red_flags([text])),
    "notes": FormField("the notes"),
    "worse_coughing": FormField("worse when coughing"),
}
"""The check-in's fields (and the Diary's edit form's), in the order a refusal names them."""
PAIN_LISTS = ("where", "feels", "red_flags")
PAIN_BOXES = ("walking_leg_symptoms", "eases_sitting", "worse_coughing")
WARNING_FIELDS: Fields = {
    "present": FormField("the warning signs you have"),
    "absent": FormField("the warning signs you do not have"),
}


@router.get("/checkin", response_class=HTMLResponse)
async def checkin_page(request: Request, web: WebDep, on: TodayDep) -> Response:
    context = await run_in_threadpool(lambda: checkin_page_context(web.app, on=on))
    return render(request, "pages/checkin.html", context, active="checkin")


@router.post("/checkin", response_class=HTMLResponse)
async def checkin_form(request: Request, web: WebDep) -> Response:
    raw = await read_form(request, web)
    multi = ("where", "feels", "red_flags")
    values = typed_values(raw, *multi)
    flags = field_list(raw, "red_flags")
    today = runner_today()
    day = today
    data = form_data(raw, PAIN_FIELDS, lists=PAIN_LISTS, boxes=PAIN_BOXES)
    try:
        day = form_day(field_text(raw, "day"), what="the check-in", default=today)
        if "score" not in data:
            raise refusal({"loc": ("score",), "type": "missing"}, PAIN_FIELDS)
        if pain_recorded(raw) and not field_checked(raw, "flags_asked") and not flags:
            # Red flags always win: pain is never saved without its warning-sign questions,
            # whatever else the form gets wrong.
            raise InvalidInputError(
                "Before saving pain, answer the warning-sign questions below.",
                hint="Tick any that apply; leave them all unticked if none does.",
            )
        body = check_form(PainIn, data, PAIN_FIELDS)
        saved = await run_in_threadpool(add_pain, web.app, body.input(today=today), today=today)
    except InvalidInputError as exc:
        # Nothing was stored; the red flags named are still triaged, before anything else.
        error: BackstrideError = exc
        shown_on = day if day <= today else today
        first = await run_in_threadpool(triage_first, request, triage_red_flags(flags))
        context = await run_in_threadpool(
            lambda: checkin_page_context(
                web.app, on=shown_on, values=values, form_error=error, triage_first=first
            )
        )
        return render(
            request, "pages/checkin.html", context, active="checkin", status_code=exc.http_status
        )
    linked = "&linked=1" if saved.linked_automatically else ""
    return RedirectResponse(f"/checkin/{saved.entry.id}?saved=1{linked}", status_code=303)


@router.get("/checkin/{entry_id}", response_class=HTMLResponse)
async def checkin_saved_page(
    request: Request,
    web: WebDep,
    entry_id: EntryId,
    saved: bool = False,
    linked: bool = False,
) -> Response:
    """A check-in's page. Its red flags' triage comes first right after saving and while a
    flag is still open (not yet recorded as seen)."""
    data = await run_in_threadpool(saved_entry_data, web.app, entry_id)
    view = data["triage"] if saved or data["flags_open"] else None
    first = await run_in_threadpool(triage_first, request, view)
    context = {
        **data,
        "saved": saved,
        "linked": linked,
        "triage_first": first,
        "answer_error": None,
    }
    return render(request, "pages/checkin_saved.html", context, active="checkin")


@router.post("/checkin/{entry_id}/warning-signs", response_class=HTMLResponse)
async def warning_signs_form(request: Request, web: WebDep, entry_id: EntryId) -> Response:
    """The runner's answers to the warning signs the entry may describe: each "yes" becomes a
    red flag (its triage comes first on the next page), each "no" is noted as not there."""
    raw = await read_form(request, web)
    data = await run_in_threadpool(saved_entry_data, web.app, entry_id)
    asked = [item["flag"] for item in data["to_confirm"]]
    present = [f for f in asked if field_text(raw, f"sign-{f}") == "yes"]
    absent = [f for f in asked if field_text(raw, f"sign-{f}") == "no"]
    try:
        if not present and not absent:
            raise InvalidInputError("Answer yes or no for at least one sign.")
        body = check_form(WarningSignsIn, {"present": present, "absent": absent}, WARNING_FIELDS)
        await run_in_threadpool(
            lambda: answer_warning_signs(
                web.app,
                entry_id,
                present=[f.value for f in body.present],
                absent=[f.value for f in body.absent],
                today=runner_today(),
            )
        )
    except InvalidInputError as exc:
        context = {
            **data,
            "saved": False,
            "linked": False,
            "triage_first": None,
            "answer_error": exc,
        }
        return render(
            request, "pages/checkin_saved.html", context, active="checkin", status_code=422
        )
    return RedirectResponse(f"/checkin/{entry_id}?saved=1#entry-{entry_id}", status_code=303)


def pain_recorded(raw: FormData) -> bool:
    """Any pain in a check-in: a score above 0, a place, a feeling or a leg symptom."""
    score = field_text(raw, "score")
    return (
        (score.isdigit() and int(score) > 0)
        or not score.isdigit()
        or bool(field_list(raw, "where") or field_list(raw, "feels"))
        or any(
            field_checked(raw, k)
            for k in ("walking_leg_symptoms", "eases_sitting", "worse_coughing")
        )
    )
