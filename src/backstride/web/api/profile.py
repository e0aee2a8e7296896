"""The profile's JSON API: the same use cases as ``profile show|set`` and the Profile page."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.services.body import ProfileView, get_profile, set_profile
from backstride.web.api.common import JSON_ONLY, RECORD_ERRORS, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.schemas.profile import ProfileIn, ProfileOut

router = APIRouter(prefix="/api", tags=["profile"], responses=RECORD_ERRORS)


@router.get("/profile", response_model=ProfileOut, summary="The runner's profile")
def api_profile(web: WebDep) -> ProfileOut:
    return reply(ProfileOut, get_profile(web.app))


@router.put(
    "/profile",
    response_model=ProfileOut,
    summary="Set profile fields (birth year, sex, heart rates, conditions, injuries, experience, "
    "units)",
    dependencies=JSON_ONLY,
)
def api_set_profile(web: WebDep, body: ProfileIn) -> ProfileOut:
    return reply(ProfileOut, save_profile(web, body))


def save_profile(web: WebDep, body: ProfileIn) -> ProfileView:
    """Store the fields ``body`` sets (the API's PUT and the Profile page's form)."""
    return set_profile(
        web.app,
        today=runner_today(),
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
