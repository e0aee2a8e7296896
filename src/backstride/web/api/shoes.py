"""Shoes as JSON: the same use cases as ``shoes add|list|default|retire`` and the Shoes page."""

from __future__ import annotations

from fastapi import APIRouter

from backstride.services.shoes import ShoeView, add_shoe, list_shoes, retire_shoe, set_default_shoe
from backstride.web.api.common import JSON_ONLY, RECORD_ERRORS, QueryDay, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.schemas.shoes import ShoeDefaultIn, ShoeIn, ShoeListOut, ShoeOut, ShoeRetireIn

router = APIRouter(prefix="/api", tags=["shoes"], responses=RECORD_ERRORS)


@router.get(
    "/shoes",
    response_model=ShoeListOut,
    summary="Every pair with distance, wear warnings and the rotation nudge",
)
def api_shoes(web: WebDep, on: QueryDay = None) -> ShoeListOut:
    return reply(ShoeListOut, list_shoes(web.app, today=on or runner_today()))


@router.post(
    "/shoes",
    response_model=ShoeOut,
    status_code=201,
    summary="Add a pair of shoes",
    dependencies=JSON_ONLY,
)
def api_add_shoe(web: WebDep, body: ShoeIn) -> ShoeOut:
    return reply(ShoeOut, save_shoe(web, body))


@router.put(
    "/shoes/default",
    response_model=ShoeOut,
    summary="Make a pair the default for a sport",
    dependencies=JSON_ONLY,
)
def api_default_shoe(web: WebDep, body: ShoeDefaultIn) -> ShoeOut:
    return reply(ShoeOut, make_default(web, body))


@router.post(
    "/shoes/retire",
    response_model=ShoeOut,
    summary="Retire a pair (it stops being a default)",
    dependencies=JSON_ONLY,
)
def api_retire_shoe(web: WebDep, body: ShoeRetireIn) -> ShoeOut:
    return reply(ShoeOut, retire(web, body))


# The use cases, as the API and the Shoes page's forms take them.


def save_shoe(web: WebDep, body: ShoeIn) -> ShoeView:
    return add_shoe(
        web.app,
        body.name,
        today=runner_today(),
        start_km=body.start_km,
        inspect_km=body.inspect_km,
        retire_km=body.retire_km,
        bought_on=body.bought_on,
    )


def make_default(web: WebDep, body: ShoeDefaultIn) -> ShoeView:
    return set_default_shoe(web.app, body.name, sport=body.sport.value, today=runner_today())


def retire(web: WebDep, body: ShoeRetireIn) -> ShoeView:
    return retire_shoe(web.app, body.name, today=runner_today(), on=body.on)
