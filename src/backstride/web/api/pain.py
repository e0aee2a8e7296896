"""The pain diary and red flags as JSON: the same use cases as ``pain add|list|edit|delete|
seen|report`` and the Check-in and Diary pages.

Red flags always win: a pain entry refused for another reason (a score of 11, a date in the
future) still answers with the triage of the red flags it names, at the start of the error
message, so that a script shows it first. Nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import Response

from backstride.errors import InvalidInputError
from backstride.services.diary import (
    TriageView,
    add_pain,
    answer_warning_signs,
    delete_pain,
    edit_pain,
    list_pain,
    pain_report,
    record_seen,
    triage_red_flags,
)
from backstride.web.api.common import JSON_ONLY, RECORD_ERRORS, Answer, EntryId, QueryDay, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.schemas.pain import (
    PainDeletedOut,
    PainIn,
    PainListOut,
    PainPatch,
    PainReportOut,
    PainSavedOut,
    SeenIn,
    SeenOut,
    WarningSignsIn,
)


def triage_error(view: TriageView, problem: str, hint: str | None) -> InvalidInputError:
    """A refusal that leads with the red-flag triage (headline and where to go)."""
    t = view.triage
    return InvalidInputError(
        f"{t.headline} {t.where_to_go} Nothing was saved, because: {problem}",
        hint=hint,
    )


def _flags_in(body: bytes) -> list[str]:
    """The red-flag names in a JSON body, as far as it can be read."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return []
    flags = data.get("red_flags") if isinstance(data, dict) else None
    if not isinstance(flags, list):
        return []
    return [f for f in flags[:50] if isinstance(f, str) and len(f) <= 100]


def _problems(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        field = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{field or 'value'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) + "."


class TriageFirstRoute(APIRoute):
    """A route whose invalid JSON body still gets the triage of the red flags it names."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def triage_first(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                if request.method in ("POST", "PATCH"):
                    view = triage_red_flags(_flags_in(await request.body()))
                    if view is not None:
                        raise triage_error(view, _problems(exc), "Check the values.") from exc
                raise

        return triage_first


router = APIRouter(
    prefix="/api", tags=["pain"], responses=RECORD_ERRORS, route_class=TriageFirstRoute
)


def _guarded(flags: Sequence[str], action: Callable[[], Answer]) -> PainSavedOut:
    """Run a pain write; a refusal names the triage of the entry's red flags first."""
    try:
        return reply(PainSavedOut, action())
    except InvalidInputError as exc:
        view = triage_red_flags(list(flags))
        if view is None:
            raise
        raise triage_error(view, exc.message, exc.hint) from exc


@router.get("/pain", response_model=PainListOut, summary="Pain entries and open red flags")
def api_pain_list(web: WebDep, since: QueryDay = None, until: QueryDay = None) -> PainListOut:
    return reply(PainListOut, list_pain(web.app, since=since, until=until))


@router.post(
    "/pain",
    response_model=PainSavedOut,
    status_code=201,
    summary="Add a pain check-in; red flags are triaged first",
    description=(
        "Stores one entry and answers with its triage first: `emergency` (possible cauda "
        "equina syndrome: emergency department today) or `prompt` (see a doctor within "
        "days). A refused entry stores nothing; when it names red flags, the error message "
        "starts with their triage."
    ),
    dependencies=JSON_ONLY,
)
def api_pain_add(web: WebDep, body: PainIn) -> PainSavedOut:
    today = runner_today()
    data = body.input(today=today)
    return _guarded(data.red_flags, lambda: add_pain(web.app, data, today=today))


@router.patch(
    "/pain/{entry_id}",
    response_model=PainSavedOut,
    summary="Change a pain entry",
    dependencies=JSON_ONLY,
)
def api_pain_edit(web: WebDep, entry_id: EntryId, body: PainPatch) -> PainSavedOut:
    changes = body.changes()
    return _guarded(
        changes.red_flags or [],
        lambda: edit_pain(web.app, entry_id, changes, today=runner_today()),
    )


@router.post(
    "/pain/{entry_id}/warning-signs",
    response_model=PainSavedOut,
    summary="Answer the warning signs an entry may describe",
    description=(
        "An entry's places, feelings or notes can describe a warning sign (`to_confirm`). "
        "Signs answered `present` become red flags and are triaged at once; `absent` ones are "
        "noted as not there. Until answered, the daily advice keeps the runner from running."
    ),
    dependencies=JSON_ONLY,
)
def api_pain_warning_signs(web: WebDep, entry_id: EntryId, body: WarningSignsIn) -> PainSavedOut:
    present = [f.value for f in body.present]
    absent = [f.value for f in body.absent]
    return _guarded(
        present,
        lambda: answer_warning_signs(
            web.app, entry_id, present=present, absent=absent, today=runner_today()
        ),
    )


@router.delete("/pain/{entry_id}", response_model=PainDeletedOut, summary="Delete a pain entry")
def api_pain_delete(web: WebDep, entry_id: EntryId) -> PainDeletedOut:
    result = delete_pain(web.app, entry_id)
    return reply(PainDeletedOut, result)


@router.get(
    "/pain/report",
    response_model=PainReportOut,
    summary="The pain-monitoring rules for each run and the weekly morning trend",
    description=(
        "Each run from `since` (default: 8 weeks before `on`) to `on` (default today): pain "
        "during and after (0-2 safe, 3-5 acceptable, above 5 too much), whether it settled "
        "by the next morning, and a verdict; a run without a next-morning check-in is "
        "`not-known-yet`, never fine."
    ),
)
def api_pain_report(web: WebDep, on: QueryDay = None, since: QueryDay = None) -> PainReportOut:
    day = on or runner_today()
    if since is not None and since > day:
        raise InvalidInputError(
            f"'since' ({since.isoformat()}) is after the report's day ({day.isoformat()})."
        )
    return reply(PainReportOut, pain_report(web.app, today=day, since=since))


@router.post(
    "/red-flags/seen",
    response_model=SeenOut,
    status_code=201,
    summary="Record that a professional saw you about a red flag, and what they said about "
    "training",
    dependencies=JSON_ONLY,
)
def api_red_flag_seen(web: WebDep, body: SeenIn) -> SeenOut:
    today = runner_today()
    result = record_seen(
        web.app,
        flag=body.flag.value,
        on=body.on or today,
        today=today,
        by=body.by,
        notes=body.notes,
        outcome=body.outcome,
    )
    return reply(SeenOut, result)
