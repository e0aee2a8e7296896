"""The health screening's JSON shapes (``/api/screening``; the Profile page's screening
form)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from backstride.web.schemas.clearance import ClearanceStateOut
from backstride.web.schemas.common import Day, InModel


class QuestionOut(BaseModel):
    """One yes/no screening question; ``health`` questions call for clearance when yes."""

    key: str
    text: str
    domain: str
    kind: Literal["health", "habit", "intensity"]


class ScreeningIn(InModel):
    """Every question's answer, by key (``GET /api/screening/questions``)."""

    answers: dict[Annotated[str, StringConstraints(max_length=64)], bool] = Field(
        max_length=40, description="Question key to true (yes) or false (no); every key required."
    )
    on: Day | None = Field(default=None, description="The day answered; default today.")


class ScreeningSavedOut(BaseModel):
    answered_on: dt.date
    answers: dict[str, bool]
    yes_to: list[str] = Field(description="Health questions answered yes.")
    source: str
    clearance: ClearanceStateOut
