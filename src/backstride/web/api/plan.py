"""The plan's JSON API: the same use cases as ``plan show|today|start|done|skip|pause|resume|
stop`` and the Plan page (``services/plan.py``); the day's decision stays in
``services/day.py``, and ``/api/plan/today`` carries it as ``plan today --json`` does.

Unsafe methods take ``application/json`` only (a cross-site page cannot send it without a
preflight)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.services.plan import (
    mark_done,
    mark_skipped,
    pause_plan,
    plan_today,
    resume_plan,
    show_plan,
    start_plan,
    stop_plan,
)
from backstride.web.api.common import ERROR_RESPONSES, JSON_ONLY, reply
from backstride.web.context import runner_today
from backstride.web.deps import WebDep
from backstride.web.formatting import units
from backstride.web.schemas.plan import (
    PlanChangedOut,
    PlanDayOut,
    PlanDoneIn,
    PlanMarkOut,
    PlanReasonIn,
    PlanStartedOut,
    PlanStartIn,
    PlanViewOut,
)

router = APIRouter(prefix="/api", tags=["plan"], responses=ERROR_RESPONSES)
OnQuery = Annotated[
    date | None,
    Query(
        ge=EARLIEST_DAY, le=LATEST_DAY, description="As of this day, YYYY-MM-DD (default today)."
    ),
]


@router.get("/plan", response_model=PlanViewOut, summary="The plan, week by week")
def api_plan(web: WebDep, on: OnQuery = None) -> PlanViewOut:
    today = runner_today()
    return reply(PlanViewOut, show_plan(web.app, on=on or today, today=today))


@router.get("/plan/today", response_model=PlanDayOut, summary="Today's session, with the decision")
def api_plan_today(web: WebDep, on: OnQuery = None, guidance: bool = True) -> PlanDayOut:
    today = runner_today()
    view = plan_today(web.app, on=on or today, today=today, use_guidance=guidance, units=units())
    return reply(PlanDayOut, view)


@router.post(
    "/plan",
    response_model=PlanStartedOut,
    status_code=201,
    summary="Start a plan (after the health screen and any clearance due)",
    dependencies=JSON_ONLY,
)
def api_plan_start(web: WebDep, body: PlanStartIn) -> PlanStartedOut:
    today = runner_today()
    started = start_plan(
        web.app,
        goal=body.goal,
        days=body.days,
        start=body.start or today,
        today=today,
        variant=body.variant,
        from_week=body.from_week,
    )
    return reply(PlanStartedOut, started)


@router.post(
    "/plan/done",
    response_model=PlanMarkOut,
    summary="Mark a plan session done",
    dependencies=JSON_ONLY,
)
def api_plan_done(web: WebDep, body: PlanDoneIn) -> PlanMarkOut:
    today = runner_today()
    saved = mark_done(
        web.app,
        on=body.on or today,
        today=today,
        activity_id=body.activity_id,
        warmup=body.warmup,
    )
    return reply(PlanMarkOut, saved)


@router.post(
    "/plan/skip",
    response_model=PlanMarkOut,
    summary="Mark a plan session skipped",
    dependencies=JSON_ONLY,
)
def api_plan_skip(web: WebDep, body: PlanReasonIn) -> PlanMarkOut:
    today = runner_today()
    saved = mark_skipped(web.app, on=body.on or today, today=today, reason=body.reason)
    return reply(PlanMarkOut, saved)


@router.post(
    "/plan/pause", response_model=PlanChangedOut, summary="Pause the plan", dependencies=JSON_ONLY
)
def api_plan_pause(web: WebDep, body: PlanReasonIn) -> PlanChangedOut:
    today = runner_today()
    changed = pause_plan(web.app, on=body.on or today, today=today, reason=body.reason)
    return reply(PlanChangedOut, changed)


@router.post(
    "/plan/resume",
    response_model=PlanChangedOut,
    summary="Resume a paused plan",
    dependencies=JSON_ONLY,
)
def api_plan_resume(web: WebDep, body: PlanReasonIn) -> PlanChangedOut:
    today = runner_today()
    changed = resume_plan(web.app, on=body.on or today, today=today)
    return reply(PlanChangedOut, changed)


@router.post(
    "/plan/stop",
    response_model=PlanChangedOut,
    summary="Stop the plan for good (its history is kept)",
    dependencies=JSON_ONLY,
)
def api_plan_stop(web: WebDep, body: PlanReasonIn) -> PlanChangedOut:
    today = runner_today()
    changed = stop_plan(web.app, on=body.on or today, today=today, reason=body.reason)
    return reply(PlanChangedOut, changed)
