"""The profile's JSON shapes (``/api/profile``; the Profile page's form)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from backstride.domain.body import MAX_TEXT_CHARS, Condition, Experience, Sex
from backstride.web.schemas.common import Day, InModel


class ProfileOut(BaseModel):
    """The runner's profile (``backstride profile show --json``)."""

    stored: bool = Field(description="False until a profile has been saved.")
    birth_year: int | None
    sex: Sex
    resting_hr_bpm: int | None
    max_hr_bpm: int | None
    conditions: list[Condition]
    spine_conditions: list[Condition]
    past_injuries: list[str]
    experience: Experience | None
    spine_surgery_on: dt.date | None = Field(description="The last operation on the spine.")
    spine_injection_on: dt.date | None = Field(description="The last injection into the spine.")
    pregnant: bool
    pregnant_since: dt.date | None = Field(description="The day a pregnancy was recorded.")
    units: Literal["km", "mi"] | None = Field(
        default=None,
        description="The runner's choice of kilometres or miles for the pages (null: not "
        "chosen). The API's figures stay SI whatever it is.",
    )


class ProfileIn(InModel):
    """Fields to set; leave out what stays as it is. ``conditions`` and ``past_injuries``
    replace the stored lists (an empty list clears them)."""

    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    sex: Sex | None = None
    resting_hr_bpm: int | None = Field(default=None, ge=25, le=120, description="bpm")
    max_hr_bpm: int | None = Field(default=None, ge=100, le=230, description="bpm")
    conditions: list[Condition] | None = Field(default=None, max_length=len(Condition))
    past_injuries: (
        list[Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]] | None
    ) = Field(default=None, max_length=50)
    experience: Experience | None = None
    spine_surgery_on: Day | None = Field(
        default=None, description="The last operation on the spine (null leaves it)."
    )
    spine_injection_on: Day | None = Field(
        default=None, description="The last injection into the spine (null leaves it)."
    )
    clear_spine_surgery: bool = False
    clear_spine_injection: bool = False
    pregnant: bool | None = Field(
        default=None, description="true records a pregnancy from today, false removes it."
    )
    units: Literal["km", "mi"] | None = Field(
        default=None, description="km or mi for the pages (null leaves it)."
    )
