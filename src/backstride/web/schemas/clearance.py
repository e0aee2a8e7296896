"""A physician's clearance: its JSON shapes (``/api/clearances``; the Profile page's
clearance form)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from backstride.domain.body import MAX_TEXT_CHARS
from backstride.web.schemas.common import Day, InModel, ShortText

ClearanceStatus = Literal["needed", "not-screened", "cleared", "not-needed"]


class ClearanceOut(BaseModel):
    id: int | None
    on: dt.date
    by: str
    restrictions: str | None
    notes: str | None


class ClearanceReasonOut(BaseModel):
    code: str
    text: str
    source: str
    since: dt.date | None = Field(description="When the reason arose; null for conditions.")
    covered: bool = Field(description="A clearance dated on or after `since` covers it.")


class ClearanceStateOut(BaseModel):
    """Whether a physician's clearance is needed before a running plan, and why."""

    status: ClearanceStatus
    plans_allowed: bool
    message: str
    reasons: list[ClearanceReasonOut]
    notes: list[str]
    clearance: ClearanceOut | None = Field(description="The latest clearance, if any.")
    screened_on: dt.date | None


class ClearanceIn(InModel):
    """A physician's clearance as given: when, by whom, and any restrictions."""

    on: Day
    by: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]
    restrictions: ShortText | None = None
    notes: ShortText | None = None


class ClearanceListOut(BaseModel):
    clearances: list[ClearanceOut]
    state: ClearanceStateOut
