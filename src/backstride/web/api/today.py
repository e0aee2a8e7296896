"""The day's one answer as JSON, as ``backstride today --json`` gives it."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.web.api.common import ERROR_RESPONSES, OnDay
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.reads import cached_day
from backstride.web.schemas.today import TodayOut

router = APIRouter(prefix="/api", tags=["today"], responses=ERROR_RESPONSES)


@router.get("/today", response_model=TodayOut, summary="What to do today, with reasons")
def api_today(web: WebDep, on: OnDay = None) -> TodayOut:
    """The same answer as ``backstride today --json``: the day's one decision (the guidance's
    findings and the plan combined), the session, what needs attention, and every finding
    (most serious first) with its source."""
    return TodayOut.model_validate(cached_day(web, on=on or runner_today()).to_json())
