"""The Profile page: the runner's profile, with the screening and clearance forms of their own
routes (``routes/screening.py``, ``routes/clearance.py``) on the same page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from backstride.domain.body import (
    Profile,
    parse_conditions,
    parse_experience,
    parse_sex,
    validate_profile,
)
from backstride.domain.units import check_units
from backstride.web.api.profile import save_profile
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.forms import (
    Fields,
    FormField,
    SectionsPage,
    field_checked,
    field_text,
    sections_form,
    show_sections,
)
from backstride.web.schemas.profile import ProfileIn
from backstride.web.views.profile import profile_data

router = APIRouter(include_in_schema=False)


PROFILE = SectionsPage(
    "profile", "/profile", "pages/profile.html", "partials/_profile_sections.html", profile_data
)


@router.get("/profile", response_class=HTMLResponse)
async def profile_page(request: Request, web: WebDep, saved: str | None = None) -> Response:
    return await show_sections(request, web, PROFILE, runner_today(), saved)


def _profile_check(key: str) -> Callable[[str], object]:
    """The domain's check of one profile value (its words when it refuses it)."""

    def check(text: str) -> object:
        value: dict[str, Any] = {key: int(text)}
        return validate_profile(Profile(**value), today=runner_today())

    return check


PROFILE_FIELDS: Fields = {
    "birth_year": FormField("the birth year", check=_profile_check("birth_year")),
    "sex": FormField("sex", check=parse_sex),
    "resting_hr_bpm": FormField("the resting heart rate", check=_profile_check("resting_hr_bpm")),
    "max_hr_bpm": FormField("the maximum heart rate", check=_profile_check("max_hr_bpm")),
    "conditions": FormField("the conditions", check=lambda text: parse_conditions([text])),
    "past_injuries": FormField("the past injuries"),
    "experience": FormField("the running experience", check=parse_experience),
    "spine_surgery_on": FormField("the spine operation"),
    "spine_injection_on": FormField("the spine injection"),
    "pregnant": FormField("pregnancy"),
    "units": FormField("the units", check=check_units),
}


@router.post("/profile", response_class=HTMLResponse)
async def profile_form(request: Request, web: WebDep) -> Response:
    """The profile as the page posts it: a blank number keeps the stored one, a blank date
    removes it, the lists and the pregnancy box replace what is stored."""
    return await sections_form(
        request,
        web,
        PROFILE,
        form="profile",
        model=ProfileIn,
        fields=PROFILE_FIELDS,
        save=save_profile,
        lists=("conditions",),
        prepare=_as_posted,
    )


def _as_posted(raw: FormData, data: dict[str, Any]) -> None:
    data["past_injuries"] = [
        line.strip() for line in field_text(raw, "past_injuries").splitlines() if line.strip()
    ]
    data["pregnant"] = field_checked(raw, "pregnant")
    data["clear_spine_surgery"] = "spine_surgery_on" not in data
    data["clear_spine_injection"] = "spine_injection_on" not in data
