"""The Overview as JSON (``/api/overview``): this week and recent weeks, the latest
activities, what needs attention, and the day's answer."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from backstride.services.dashboard import WeekTotals
from backstride.web.schemas.activities import ActivityOut
from backstride.web.schemas.today import DecisionOut, SessionOut


class WeekOut(WeekTotals):
    """Totals of one Monday-to-Sunday week (local dates): the service's own record."""

    __slots__ = ()


class AttentionOut(BaseModel):
    kind: str
    level: Literal["info", "caution", "alert"]
    message: str
    href: str | None


class OverviewTodayOut(BaseModel):
    """The day's one decision, as the Overview shows it (the same as ``/api/today``)."""

    decision: DecisionOut
    headline: str
    summary: str
    session: SessionOut | None
    disclaimer: str


class OverviewOut(BaseModel):
    """This week against recent weeks, latest activities, what needs attention."""

    on: dt.date
    weeks: list[WeekOut] = Field(description="Oldest first; the last is the week holding 'on'.")
    latest: list[ActivityOut]
    attention: list[AttentionOut]
    today: OverviewTodayOut | None = Field(
        default=None, description="The day's one decision (as GET /api/today)."
    )
