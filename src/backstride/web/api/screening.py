"""The health screening's JSON API: the same use cases as ``backstride screen`` and
the Profile page's screening form."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.services.body import ScreeningSaved, record_screening, screening_questions
from backstride.web.api.common import JSON_ONLY, RECORD_ERRORS, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.schemas.screening import QuestionOut, ScreeningIn, ScreeningSavedOut

router = APIRouter(prefix="/api", tags=["screening"], responses=RECORD_ERRORS)


@router.get(
    "/screening/questions",
    response_model=list[QuestionOut],
    summary="The pre-participation screening questions, in order",
)
def api_screening_questions() -> list[QuestionOut]:
    return [reply(QuestionOut, q) for q in screening_questions()]


@router.post(
    "/screening",
    response_model=ScreeningSavedOut,
    status_code=201,
    summary="Answer the screening (every question, yes or no)",
    dependencies=JSON_ONLY,
)
def api_screening(web: WebDep, body: ScreeningIn) -> ScreeningSavedOut:
    return reply(ScreeningSavedOut, save_screening(web, body))


def save_screening(web: WebDep, body: ScreeningIn) -> ScreeningSaved:
    """Store a complete set of answers (the API's POST and the Profile page's form)."""
    today = runner_today()
    return record_screening(web.app, body.answers, on=body.on or today, today=today)
