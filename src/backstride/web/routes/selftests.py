"""The Self-tests page: each test's latest result against its norms, and the form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from backstride.domain.selftest import parse_test_name
from backstride.web.api.selftests import save_selftest
from backstride.web.deps import TodayDep, WebDep
from backstride.web.forms import Fields, FormField, SectionsPage, sections_form, show_sections
from backstride.web.schemas.selftests import SelfTestIn
from backstride.web.views.selftests import selftests_data

router = APIRouter(include_in_schema=False)

SELFTEST_FIELDS: Fields = {
    "value": FormField(
        "the result", missing="Give the result: seconds, centimetres, degrees or pass/fail."
    ),
    "test": FormField("the self-test", check=parse_test_name),
    "on": FormField("the self-test"),
}


SELFTESTS = SectionsPage(
    "selftests",
    "/self-tests",
    "pages/selftests.html",
    "partials/_selftests_sections.html",
    selftests_data,
)


@router.get("/self-tests", response_class=HTMLResponse)
async def selftests_page(
    request: Request, web: WebDep, on: TodayDep, saved: str | None = None
) -> Response:
    return await show_sections(request, web, SELFTESTS, on, saved)


@router.post("/self-tests", response_class=HTMLResponse)
async def selftest_form(request: Request, web: WebDep) -> Response:
    return await sections_form(
        request,
        web,
        SELFTESTS,
        form="selftest",
        model=SelfTestIn,
        fields=SELFTEST_FIELDS,
        save=save_selftest,
    )
