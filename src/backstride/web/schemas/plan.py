"""The plan's JSON API shapes: what ``plan start|done|skip|pause|resume|stop`` take, and the
answers of ``plan show|today --json`` (their nested parts as the services write them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.web.schemas.common import InModel

Day = date


class PlanStartIn(InModel):
    goal: str = Field(max_length=20, description="5k, or 10k after a finished 5K plan.")
    days: list[str] = Field(
        min_length=1,
        max_length=7,
        description='Three run days, never two in a row, e.g. ["mon", "wed", "sat"].',
    )
    start: date | None = Field(
        default=None, ge=EARLIEST_DAY, le=LATEST_DAY, description="First day (default today)."
    )
    variant: str | None = Field(
        default=None, max_length=20, description="standard or stenosis (default from profile)."
    )
    from_week: int | None = Field(
        default=None, ge=1, le=99, description="Start at this week of the schedule."
    )


class PlanOnIn(InModel):
    on: date | None = Field(
        default=None, ge=EARLIEST_DAY, le=LATEST_DAY, description="The day (default today)."
    )


class PlanDoneIn(PlanOnIn):
    activity_id: int | None = Field(
        default=None, ge=1, le=2**63 - 1, description="The logged activity of this session."
    )
    warmup: bool = Field(default=True, description="False when the warm-up was skipped.")


class PlanReasonIn(PlanOnIn):
    reason: str | None = Field(default=None, max_length=500, description="Why, in a few words.")


class PlanRecordOut(BaseModel):
    """A plan as stored (``plan`` in the answers below)."""

    model_config = ConfigDict(extra="allow")

    goal: str
    variant: str
    days: Any
    start_on: str
    weeks_total: int


class PlanViewOut(BaseModel):
    """``plan show --json``: the plan week by week."""

    model_config = ConfigDict(extra="allow")

    plan: PlanRecordOut
    weeks: list[dict[str, Any]]


class PlanDayOut(BaseModel):
    """``plan today --json``: the day's session, step by step, with the day's one decision."""

    model_config = ConfigDict(extra="allow")


class PlanStartedOut(BaseModel):
    plan: PlanRecordOut
    notes: list[str]
    first_week: dict[str, Any] | None
    placement: dict[str, Any] | None


class PlanMarkOut(BaseModel):
    mark: dict[str, Any] | None
    warmup_logged: bool | None
    day: dict[str, Any]


class PlanChangedOut(BaseModel):
    plan: PlanRecordOut
    message: str
