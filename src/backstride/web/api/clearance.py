"""A physician's clearance, as JSON: the same use cases as ``clearance list|add`` and the
Profile page's clearance form."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.services.body import ClearanceList, add_clearance, list_clearances
from backstride.web.api.common import JSON_ONLY, RECORD_ERRORS, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.schemas.clearance import ClearanceIn, ClearanceListOut

router = APIRouter(prefix="/api", tags=["clearance"], responses=RECORD_ERRORS)


@router.get(
    "/clearances",
    response_model=ClearanceListOut,
    summary="Recorded clearances and whether one is needed before a plan",
)
def api_clearances(web: WebDep) -> ClearanceListOut:
    return reply(ClearanceListOut, list_clearances(web.app))


@router.post(
    "/clearances",
    response_model=ClearanceListOut,
    status_code=201,
    summary="Record a physician's clearance",
    dependencies=JSON_ONLY,
)
def api_add_clearance(web: WebDep, body: ClearanceIn) -> ClearanceListOut:
    return reply(ClearanceListOut, save_clearance(web, body))


def save_clearance(web: WebDep, body: ClearanceIn) -> ClearanceList:
    """Store a clearance (the API's POST and the Profile page's form)."""
    return add_clearance(
        web.app,
        on=body.on,
        by=body.by,
        today=runner_today(),
        restrictions=body.restrictions,
        notes=body.notes,
    )
