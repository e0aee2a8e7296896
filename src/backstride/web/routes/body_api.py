"""The body API under ``/api``: profile, screening, clearance, pain diary, red flags,
self-tests and shoes (issue #5), for scripts and other tools.

Same services as the pages and the CLI. Unsafe methods with a body take only
``application/json`` (a cross-site page cannot send it without a CORS preflight); DELETE has
no body and is not a method a cross-site form can send.

Red flags always win: a pain entry refused for another reason (a score of 11, a date in the
future) still answers with the triage of the red flags it names, at the start of the error
message, so that a script shows it first. Nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import Response

from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.domain.selftest import TESTS, SelfTestName
from backstride.errors import InvalidInputError
from backstride.services.body import (
    add_clearance,
    add_selftest,
    get_profile,
    list_clearances,
    record_screening,
    screening_questions,
    selftest_report,
    set_profile,
)
from backstride.services.diary import (
    PainChanges,
    PainInput,
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
from backstride.services.shoes import add_shoe, list_shoes, retire_shoe, set_default_shoe
from backstride.web.body_schemas import (
    MAX_ID,
    ClearanceIn,
    ClearanceListOut,
    PainDeletedOut,
    PainIn,
    PainListOut,
    PainPatch,
    PainReportOut,
    PainSavedOut,
    ProfileIn,
    ProfileOut,
    QuestionOut,
    ScreeningIn,
    ScreeningSavedOut,
    SeenIn,
    SeenOut,
    SelfTestDefOut,
    SelfTestIn,
    SelfTestReportOut,
    SelfTestSavedOut,
    ShoeDefaultIn,
    ShoeIn,
    ShoeListOut,
    ShoeOut,
    ShoeRetireIn,
    WarningSignsIn,
)
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.routes.api import json_body
from backstride.web.schemas import ErrorOut

_ERROR_STATUSES = {
    400: "The request could not be read.",
    403: "Refused: the request came from another site.",
    404: "No such entry, clearance or pair of shoes.",
    409: "The request clashes with what is stored.",
    413: "The body is larger than the limit.",
    415: "The body has the wrong content type.",
    422: "A value is out of range, malformed or in the future; nothing was stored.",
    500: "An unexpected error (logged on the server).",
    503: "The database is locked or out of date.",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text} for code, text in _ERROR_STATUSES.items()
}


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
    prefix="/api", tags=["body"], responses=ERROR_RESPONSES, route_class=TriageFirstRoute
)

EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The pain entry's id.")]
QueryDay = Annotated[
    date | None,
    Query(ge=EARLIEST_DAY, le=LATEST_DAY, description="A day, YYYY-MM-DD."),
]
JSON_ONLY = [Depends(json_body)]


def _today() -> date:
    """The server's local date (the clock is read here, at the edge)."""
    return runner_today()


def _guarded(flags: Sequence[str], action: Callable[[], PainSavedOut]) -> PainSavedOut:
    """Run a pain write; a refusal names the triage of the entry's red flags first."""
    try:
        return action()
    except InvalidInputError as exc:
        view = triage_red_flags(list(flags))
        if view is None:
            raise
        raise triage_error(view, exc.message, exc.hint) from exc


# --- profile --------------------------------------------------------------------------------------


@router.get("/profile", response_model=ProfileOut, summary="The runner's profile")
def api_profile(web: WebDep) -> ProfileOut:
    return ProfileOut.model_validate(get_profile(web.app).to_json())


@router.put(
    "/profile",
    response_model=ProfileOut,
    summary="Set profile fields (birth year, sex, heart rates, conditions, injuries, experience, "
    "units)",
    dependencies=JSON_ONLY,
)
def api_set_profile(web: WebDep, body: ProfileIn) -> ProfileOut:
    view = set_profile(
        web.app,
        today=_today(),
        birth_year=body.birth_year,
        sex=body.sex.value if body.sex else None,
        resting_hr_bpm=body.resting_hr_bpm,
        max_hr_bpm=body.max_hr_bpm,
        conditions=[c.value for c in body.conditions] if body.conditions is not None else None,
        past_injuries=body.past_injuries,
        experience=body.experience.value if body.experience else None,
        spine_surgery_on=body.spine_surgery_on,
        spine_injection_on=body.spine_injection_on,
        clear_spine_surgery=body.clear_spine_surgery,
        clear_spine_injection=body.clear_spine_injection,
        pregnant=body.pregnant,
        units=body.units,
    )
    return ProfileOut.model_validate(view.to_json())


# --- screening and clearance ----------------------------------------------------------------------


@router.get(
    "/screening/questions",
    response_model=list[QuestionOut],
    summary="The pre-participation screening questions, in order",
)
def api_screening_questions() -> list[QuestionOut]:
    return [QuestionOut.model_validate(q.to_json()) for q in screening_questions()]


@router.post(
    "/screening",
    response_model=ScreeningSavedOut,
    status_code=201,
    summary="Answer the screening (every question, yes or no)",
    dependencies=JSON_ONLY,
)
def api_screening(web: WebDep, body: ScreeningIn) -> ScreeningSavedOut:
    today = _today()
    saved = record_screening(web.app, body.answers, on=body.on or today, today=today)
    return ScreeningSavedOut.model_validate(saved.to_json())


@router.get(
    "/clearances",
    response_model=ClearanceListOut,
    summary="Recorded clearances and whether one is needed before a plan",
)
def api_clearances(web: WebDep) -> ClearanceListOut:
    return ClearanceListOut.model_validate(list_clearances(web.app).to_json())


@router.post(
    "/clearances",
    response_model=ClearanceListOut,
    status_code=201,
    summary="Record a physician's clearance",
    dependencies=JSON_ONLY,
)
def api_add_clearance(web: WebDep, body: ClearanceIn) -> ClearanceListOut:
    result = add_clearance(
        web.app,
        on=body.on,
        by=body.by,
        today=_today(),
        restrictions=body.restrictions,
        notes=body.notes,
    )
    return ClearanceListOut.model_validate(result.to_json())


# --- pain diary -----------------------------------------------------------------------------------


@router.get("/pain", response_model=PainListOut, summary="Pain entries and open red flags")
def api_pain_list(web: WebDep, since: QueryDay = None, until: QueryDay = None) -> PainListOut:
    return PainListOut.model_validate(list_pain(web.app, since=since, until=until).to_json())


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
    flags = [f.value for f in body.red_flags]
    today = _today()
    data = PainInput(
        day=body.day or today,
        when=body.when.value,
        score=body.score,
        activity_id=body.activity_id,
        where=[s.value for s in body.where],
        feels=[f.value for f in body.feels],
        walking_leg_symptoms=body.walking_leg_symptoms,
        eases_sitting=body.eases_sitting,
        red_flags=flags,
        notes=body.notes,
        worse_coughing=body.worse_coughing,
        ruled_out=[f.value for f in body.ruled_out],
    )
    out = _guarded(
        flags,
        lambda: PainSavedOut.model_validate(add_pain(web.app, data, today=today).to_json()),
    )
    return out


@router.patch(
    "/pain/{entry_id}",
    response_model=PainSavedOut,
    summary="Change a pain entry",
    dependencies=JSON_ONLY,
)
def api_pain_edit(web: WebDep, entry_id: EntryId, body: PainPatch) -> PainSavedOut:
    flags = [f.value for f in body.red_flags] if body.red_flags is not None else None
    changes = PainChanges(
        day=body.day,
        when=body.when.value if body.when else None,
        score=body.score,
        activity_id=body.activity_id,
        unlink_activity=body.unlink_activity,
        where=[s.value for s in body.where] if body.where is not None else None,
        feels=[f.value for f in body.feels] if body.feels is not None else None,
        walking_leg_symptoms=body.walking_leg_symptoms,
        eases_sitting=body.eases_sitting,
        red_flags=flags,
        notes=body.notes,
        worse_coughing=body.worse_coughing,
        ruled_out=[f.value for f in body.ruled_out] if body.ruled_out is not None else None,
    )
    out = _guarded(
        flags or [],
        lambda: PainSavedOut.model_validate(
            edit_pain(web.app, entry_id, changes, today=_today()).to_json()
        ),
    )
    return out


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
    out = _guarded(
        present,
        lambda: PainSavedOut.model_validate(
            answer_warning_signs(
                web.app,
                entry_id,
                present=present,
                absent=[f.value for f in body.absent],
                today=_today(),
            ).to_json()
        ),
    )
    return out


@router.delete("/pain/{entry_id}", response_model=PainDeletedOut, summary="Delete a pain entry")
def api_pain_delete(web: WebDep, entry_id: EntryId) -> PainDeletedOut:
    result = delete_pain(web.app, entry_id)
    return PainDeletedOut.model_validate(result.to_json())


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
    day = on or _today()
    if since is not None and since > day:
        raise InvalidInputError(
            f"'since' ({since.isoformat()}) is after the report's day ({day.isoformat()})."
        )
    return PainReportOut.model_validate(pain_report(web.app, today=day, since=since).to_json())


@router.post(
    "/red-flags/seen",
    response_model=SeenOut,
    status_code=201,
    summary="Record that a professional saw you about a red flag, and what they said about "
    "training",
    dependencies=JSON_ONLY,
)
def api_red_flag_seen(web: WebDep, body: SeenIn) -> SeenOut:
    today = _today()
    result = record_seen(
        web.app,
        flag=body.flag.value,
        on=body.on or today,
        today=today,
        by=body.by,
        notes=body.notes,
        outcome=body.outcome,
    )
    return SeenOut.model_validate(result.to_json())


# --- self-tests -----------------------------------------------------------------------------------


@router.get(
    "/self-tests",
    response_model=list[SelfTestDefOut],
    summary="The self-tests: what each measures, its unit and how to do it",
)
def api_selftests() -> list[SelfTestDefOut]:
    return [
        SelfTestDefOut(
            test=name,
            title=spec.title,
            unit=spec.unit,
            measures=spec.measures,
            how_to=list(spec.steps),
            caution=spec.caution,
            min_value=spec.min_value,
            max_value=spec.max_value,
        )
        for name in SelfTestName
        for spec in (TESTS[name],)
    ]


@router.post(
    "/self-tests",
    response_model=SelfTestSavedOut,
    status_code=201,
    summary="Record a self-test result",
    dependencies=JSON_ONLY,
)
def api_add_selftest(web: WebDep, body: SelfTestIn) -> SelfTestSavedOut:
    today = _today()
    value = body.value if isinstance(body.value, str) else f"{body.value:g}"
    saved = add_selftest(
        web.app, name=body.test.value, value=value, on=body.on or today, today=today
    )
    return SelfTestSavedOut.model_validate(saved.to_json())


@router.get(
    "/self-tests/report",
    response_model=SelfTestReportOut,
    summary="Each latest result against its norms, the endurance ratios, retest reminders",
)
def api_selftest_report(web: WebDep, on: QueryDay = None) -> SelfTestReportOut:
    report = selftest_report(web.app, today=on or _today())
    return SelfTestReportOut.model_validate(report.to_json())


# --- shoes ----------------------------------------------------------------------------------------


@router.get(
    "/shoes",
    response_model=ShoeListOut,
    summary="Every pair with distance, wear warnings and the rotation nudge",
)
def api_shoes(web: WebDep, on: QueryDay = None) -> ShoeListOut:
    return ShoeListOut.model_validate(list_shoes(web.app, today=on or _today()).to_json())


@router.post(
    "/shoes",
    response_model=ShoeOut,
    status_code=201,
    summary="Add a pair of shoes",
    dependencies=JSON_ONLY,
)
def api_add_shoe(web: WebDep, body: ShoeIn) -> ShoeOut:
    view = add_shoe(
        web.app,
        body.name,
        today=_today(),
        start_km=body.start_km,
        inspect_km=body.inspect_km,
        retire_km=body.retire_km,
        bought_on=body.bought_on,
    )
    return ShoeOut.model_validate(view.to_json())


@router.put(
    "/shoes/default",
    response_model=ShoeOut,
    summary="Make a pair the default for a sport",
    dependencies=JSON_ONLY,
)
def api_default_shoe(web: WebDep, body: ShoeDefaultIn) -> ShoeOut:
    view = set_default_shoe(web.app, body.name, sport=body.sport.value, today=_today())
    return ShoeOut.model_validate(view.to_json())


@router.post(
    "/shoes/retire",
    response_model=ShoeOut,
    summary="Retire a pair (it stops being a default)",
    dependencies=JSON_ONLY,
)
def api_retire_shoe(web: WebDep, body: ShoeRetireIn) -> ShoeOut:
    view = retire_shoe(web.app, body.name, today=_today(), on=body.on)
    return ShoeOut.model_validate(view.to_json())
