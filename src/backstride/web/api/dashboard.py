"""The Overview as JSON: this week, recent weeks, the latest activities and the day's
answer, as the Overview page shows them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from backstride.domain.day import Day
from backstride.services.activities import row_to_json
from backstride.web.api.common import ERROR_RESPONSES, OnDay
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.routes.dashboard import OVERVIEW_WEEKS, cached_overview
from backstride.web.schemas.dashboard import OverviewOut

router = APIRouter(prefix="/api", tags=["dashboard"], responses=ERROR_RESPONSES)


@router.get("/overview", response_model=OverviewOut, summary="This week and recent weeks")
def api_overview(
    web: WebDep,
    on: OnDay = None,
    weeks: Annotated[int, Query(ge=1, le=104)] = OVERVIEW_WEEKS,
) -> OverviewOut:
    day = on or runner_today()
    data = cached_overview(web, on=day, weeks=weeks)
    return OverviewOut.model_validate(
        {
            "on": data.on,
            "weeks": [asdict(w) for w in data.weeks],
            "latest": [row_to_json(r) for r in data.latest],
            "attention": [
                {"kind": a.kind, "level": a.level, "message": a.message, "href": a.href}
                for a in data.attention
            ],
            "today": _overview_today(data.answer),
        }
    )


def _overview_today(answer: Day | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {**answer.brief_json(), "disclaimer": answer.disclaimer}
