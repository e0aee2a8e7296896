"""The Profile page's health-screening form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from backstride.errors import InvalidInputError
from backstride.services.body import screening_questions
from backstride.web.api.screening import save_screening
from backstride.web.deps import WebDep
from backstride.web.forms import Fields, FormField, field_text, sections_form
from backstride.web.routes.profile import PROFILE
from backstride.web.schemas.screening import ScreeningIn

router = APIRouter(include_in_schema=False)

SCREENING_FIELDS: Fields = {"answers": FormField("the answers"), "on": FormField("the screening")}


@router.post("/profile/screening", response_class=HTMLResponse)
async def screening_form(request: Request, web: WebDep) -> Response:
    return await sections_form(
        request,
        web,
        PROFILE,
        form="screening",
        model=ScreeningIn,
        fields=SCREENING_FIELDS,
        save=save_screening,
        prepare=_answers,
    )


def _answers(raw: FormData, data: dict[str, Any]) -> None:
    """Every question's answer (``q-<key>``: yes or no), or a refusal counting the open ones."""
    keys = [q.question.key for q in screening_questions()]
    missing = [k for k in keys if field_text(raw, f"q-{k}") not in ("yes", "no")]
    if missing:
        raise InvalidInputError(
            f"Please answer every question ({len(missing)} still open).",
            hint="Choose yes or no for each one.",
        )
    data["answers"] = {k: field_text(raw, f"q-{k}") for k in keys}
