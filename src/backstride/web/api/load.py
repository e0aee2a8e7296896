"""The training load as JSON: the same report as ``backstride load`` and the Load page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backstride.domain.load import LOAD_RATIO_CAVEAT
from backstride.web.api.common import ERROR_RESPONSES, OnDay
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.reads import cached_load_report
from backstride.web.schemas.load import LoadOut

router = APIRouter(prefix="/api", tags=["load"], responses=ERROR_RESPONSES)


@router.get("/load", response_model=LoadOut, summary="Training load over recent weeks")
def api_load(
    web: WebDep,
    on: OnDay = None,
    weeks: Annotated[int, Query(ge=1, le=520)] = 12,
) -> LoadOut:
    day = on or runner_today()
    report = cached_load_report(web, on=day, weeks=weeks)
    return LoadOut.model_validate(
        {"on": day, **report.to_json(), "load_ratio_caveat": LOAD_RATIO_CAVEAT}
    )
