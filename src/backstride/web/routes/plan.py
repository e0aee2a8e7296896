"""The Plan page (calendar of weeks, today's session with an interval timer, done/skipped,
the reason for every repeat or step back, a start form) and the Exercises page (today's
routines with hold timers, and the library).

The timers run in ``static/plan.js`` in the browser alone, so they keep working offline once
the page is loaded. Forms carry the anti-forgery token (``security.check_csrf``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from backstride.domain.dates import parse_day
from backstride.domain.exercises import MUSCLE_WORDS, ExerciseType, Muscle
from backstride.domain.plan import WEEKDAY_NAMES, WEEKDAY_WORDS
from backstride.domain.routines import RoutineKind
from backstride.errors import BackstrideError, InvalidInputError, NotFoundError
from backstride.services.context import App
from backstride.services.exercises import (
    exercise_json,
    get_routine,
    list_exercises,
    log_routine,
    routine_adherence,
)
from backstride.services.guidance import today as day_answer
from backstride.services.plan import (
    mark_done,
    mark_skipped,
    plan_today,
    show_plan,
    start_plan,
)
from backstride.web.context import runner_today
from backstride.web.deps import TodayDep, WebDep
from backstride.web.formatting import units
from backstride.web.routes.today import DECISION_TONE
from backstride.web.security import CSRF_FIELD, check_csrf
from backstride.web.templating import render

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    "run": "Run",
    "strength": "Strength",
    "cross_train": "Cross-train",
    "rest": "Rest",
    "inserted_rest": "Extra rest",
    "paused": "Paused",
    "before_start": "–",
    "after_end": "–",
}
OUTCOME_LABELS = {
    "advance": ("Moved on", "badge-ok"),
    "repeat": ("Repeated", "badge-caution"),
    "step_back": ("Stepped back", "badge-alert"),
    "finished": ("Finished", "badge-ok"),
    "stopped": ("Stopped", "badge-info"),
}
TYPE_LABELS = {
    ExerciseType.DYNAMIC_WARMUP: "Warm-up drills",
    ExerciseType.STATIC_STRETCH: "Stretches",
    ExerciseType.STRENGTH: "Strength",
    ExerciseType.MOBILITY: "Mobility",
    ExerciseType.CROSS_TRAINING: "Cross-training",
}


def clock(seconds: int) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


def _plan_data(app: App, *, on: date, today: date) -> dict[str, Any]:
    """The page's data: the plan, the day, and the day's one answer (``answer``); ``plan:
    None`` when there is none yet (the answer is shown all the same)."""
    try:
        view = show_plan(app, on=on, today=today)
    except NotFoundError:
        answer = day_answer(app, on=on, today=today, units=units())
        return {"plan": None, "day": None, "answer": answer}
    day = plan_today(app, on=on, today=today, units=units())
    return {"plan": view.to_json(), "day": day.to_json(), "answer": day.answer}


def _context(data: dict[str, Any], on: date, **extra: Any) -> dict[str, Any]:
    return {
        **data,
        "on": on,
        "day_tone": DECISION_TONE,
        "detail_link": True,
        "kind_labels": KIND_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "weekdays": list(zip(WEEKDAY_NAMES, WEEKDAY_WORDS, strict=True)),
        "clock": clock,
        "form_error": None,
        "values": {},
        **extra,
    }


@router.get("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, web: WebDep, on: TodayDep) -> HTMLResponse:
    data = await run_in_threadpool(_plan_data, web.app, on=on, today=runner_today())
    return render(request, "pages/plan.html", _context(data, on), active="plan")


async def _form(request: Request, web: WebDep) -> dict[str, str]:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    check_csrf(request, web.csrf, form.get(CSRF_FIELD))
    return form


def _form_day(form: dict[str, str]) -> date:
    text = form.get("on", "").strip()
    return parse_day(text) if text else runner_today()


async def _after(
    request: Request, web: WebDep, on: date, exc: BackstrideError | None, values: dict[str, str]
) -> Response:
    if exc is None:
        return RedirectResponse(f"/plan?on={on.isoformat()}#today", status_code=303)
    data = await run_in_threadpool(_plan_data, web.app, on=on, today=runner_today())
    context = _context(data, on, form_error=exc, values=values)
    return render(request, "pages/plan.html", context, active="plan", status_code=exc.http_status)


@router.post("/plan/done", response_class=HTMLResponse)
async def plan_done(request: Request, web: WebDep) -> Response:
    form = await _form(request, web)
    on = _form_day(form)
    try:
        await run_in_threadpool(
            lambda: mark_done(
                web.app, on=on, today=runner_today(), warmup=form.get("warmup", "yes") != "no"
            )
        )
    except BackstrideError as exc:
        return await _after(request, web, on, exc, form)
    return await _after(request, web, on, None, form)


@router.post("/plan/skip", response_class=HTMLResponse)
async def plan_skip(request: Request, web: WebDep) -> Response:
    form = await _form(request, web)
    on = _form_day(form)
    try:
        await run_in_threadpool(
            lambda: mark_skipped(
                web.app, on=on, today=runner_today(), reason=form.get("reason") or None
            )
        )
    except BackstrideError as exc:
        return await _after(request, web, on, exc, form)
    return await _after(request, web, on, None, form)


def _week_number(text: str) -> int | None:
    """The optional "start at week" field: blank means the week the records match."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise InvalidInputError(
            f"'{text}' is not a week of the plan.", hint="Leave it blank, or give a week number."
        )
    return int(text)


@router.post("/plan/start", response_class=HTMLResponse)
async def plan_start(request: Request, web: WebDep) -> Response:
    raw = await request.form()
    check_csrf(request, web.csrf, str(raw.get(CSRF_FIELD) or ""))
    days = [str(v) for v in raw.getlist("days")]
    form = {k: str(v) for k, v in raw.items() if isinstance(v, str) and k != "days"}
    on = runner_today()
    try:
        start = _form_day({"on": form.get("start", "")})
        variant = form.get("variant") or None
        from_week = _week_number(form.get("from_week", ""))
        await run_in_threadpool(
            lambda: start_plan(
                web.app,
                goal=form.get("goal", "5k"),
                days=",".join(days),
                start=start,
                today=on,
                variant=None if variant == "auto" else variant,
                from_week=from_week,
            )
        )
    except BackstrideError as exc:
        return await _after(request, web, on, exc, {**form, "days": ",".join(days)})
    return RedirectResponse(f"/plan?on={start.isoformat()}#today", status_code=303)


# --- exercises ------------------------------------------------------------------------------------


def _exercises_data(app: App, *, on: date) -> dict[str, Any]:
    routines = [get_routine(app, kind, on=on).to_json() for kind in RoutineKind]
    library = list_exercises()
    groups = [
        (
            TYPE_LABELS[t],
            [exercise_json(e) for e in library.exercises if e.type is t],
        )
        for t in ExerciseType
    ]
    return {
        "routines": routines,
        "groups": groups,
        "count": len(library.exercises),
        "coverage": library.to_json()["coverage"],
    }


def _routine_marks(app: App, *, on: date) -> dict[str, str]:
    """Each routine's mark on ``on``: "done", "skipped" (when never done that day) or absent."""
    marks: dict[str, str] = {}
    for e in routine_adherence(app, on=on, days=1).entries:
        if e.day == on and (e.done or e.routine.value not in marks):
            marks[e.routine.value] = "done" if e.done else "skipped"
    return marks


def _exercises_context(
    app: App, on: date, *, saved: str | None = None, **extra: Any
) -> dict[str, Any]:
    data = _exercises_data(app, on=on)
    muscle_words = {m.value: MUSCLE_WORDS[m] for m in Muscle}
    return {
        **data,
        "on": on,
        "muscle_words": muscle_words,
        "clock": clock,
        "marks": _routine_marks(app, on=on),
        "saved": saved if saved in {k.value for k in RoutineKind} else None,
        "errors": {},
        **extra,
    }


@router.get("/exercises", response_class=HTMLResponse)
async def exercises_page(
    request: Request, web: WebDep, on: TodayDep, saved: str | None = None
) -> HTMLResponse:
    context = await run_in_threadpool(lambda: _exercises_context(web.app, on, saved=saved))
    return render(request, "pages/exercises.html", context, active="exercises")


@router.post("/exercises/done", response_class=HTMLResponse)
async def routine_done_form(request: Request, web: WebDep) -> Response:
    """Mark a routine done (or skipped) on a day, as ``routine done`` does."""
    form = await _form(request, web)
    routine = form.get("routine", "")
    done = form.get("done", "yes") != "no"
    try:
        on = _form_day(form)
        logged = await run_in_threadpool(
            lambda: log_routine(web.app, routine, on=on, today=runner_today(), done=done)
        )
    except BackstrideError as exc:
        if exc.http_status >= 500:
            raise
        shown, errors = runner_today(), {routine: exc}
        context = await run_in_threadpool(lambda: _exercises_context(web.app, shown, errors=errors))
        return render(
            request,
            "pages/exercises.html",
            context,
            active="exercises",
            status_code=exc.http_status,
        )
    kind = logged.entry.routine.value
    return RedirectResponse(
        f"/exercises?on={on.isoformat()}&saved={kind}#routine-{kind}", status_code=303
    )
