"""The Profile page's form for a physician's clearance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from backstride.web.api.clearance import save_clearance
from backstride.web.deps import WebDep
from backstride.web.forms import Fields, FormField, sections_form
from backstride.web.routes.profile import PROFILE
from backstride.web.schemas.clearance import ClearanceIn

router = APIRouter(include_in_schema=False)

CLEARANCE_FIELDS: Fields = {
    "on": FormField("the clearance", missing="Give the day the physician cleared you."),
    "by": FormField("who cleared you", missing="Say who gave the clearance, e.g. 'Dr Jones, GP'."),
    "restrictions": FormField("the restrictions"),
    "notes": FormField("the notes"),
}


@router.post("/profile/clearances", response_class=HTMLResponse)
async def clearance_form(request: Request, web: WebDep) -> Response:
    return await sections_form(
        request,
        web,
        PROFILE,
        form="clearance",
        model=ClearanceIn,
        fields=CLEARANCE_FIELDS,
        save=save_clearance,
    )
