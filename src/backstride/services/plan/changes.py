"""Marking sessions done or skipped, pausing, resuming and stopping a plan; the calendar
export."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from backstride.domain.exercises import MUSCLE_WORDS
from backstride.domain.plan import (
    DayKind,
    EventKind,
    Outcome,
    PauseState,
    PlanEvent,
    PlanMark,
    PlanRecord,
    PlanStatus,
    calendar,
    format_seconds,
    interrupt,
)
from backstride.domain.routines import RoutineKind
from backstride.errors import ConflictError, InvalidInputError
from backstride.services.context import App
from backstride.services.exercises import (
    exercise_library,
    log_routine,
    routine_needs,
)
from backstride.services.plan.state import (
    ACTIVE_KINDS,
    GOAL_WORDS,
    PlanState,
    _plan_day,
    _title,
    refresh,
)
from backstride.services.plan.views import (
    PlanDayView,
    _day_view,
    _mark_json,
    plan_json,
    plan_today,
    session_json,
)

# --- marks, pause, resume, stop -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarkSaved:
    """``{"mark": {...}, "warmup_logged": bool | null, "day": day view}``."""

    mark: PlanMark
    warmup_logged: bool | None
    day: PlanDayView

    def to_json(self) -> dict[str, Any]:
        return {
            "mark": _mark_json(self.mark),
            "warmup_logged": self.warmup_logged,
            "day": self.day.to_json(),
        }


def _open_state(app: App, *, on: date, today: date) -> PlanState:
    state = refresh(app, on=on, today=today)
    if not state.record.is_open:
        raise ConflictError(
            f"Your latest plan is {state.record.status.value}.",
            hint="Start a new one with `backstride plan start`.",
        )
    return state


def _mark(
    app: App,
    *,
    on: date,
    today: date,
    status: str,
    reason: str | None = None,
    activity_id: int | None = None,
    warmup: bool = True,
) -> MarkSaved:
    from backstride.adapters.db.plan_repos import PlanRepo
    from backstride.adapters.db.repos import ActivityRepo

    if on > today:
        raise InvalidInputError(
            f"{on.isoformat()} is in the future.", hint="Mark sessions once the day has come."
        )
    state = _open_state(app, on=on, today=today)
    d = _plan_day(state, on)
    if d.kind not in ACTIVE_KINDS:
        raise InvalidInputError(
            f"{on.isoformat()} holds no session in your plan ({_title(state.spec, d).lower()}).",
            hint="Run days, the strength day and the cross-training day can be marked.",
        )
    if reason is not None and len(reason) > 500:
        raise InvalidInputError("The reason is limited to 500 characters.")
    if activity_id is not None:
        with app.store.session() as session:
            row = ActivityRepo(session).get_row(app.athlete_id, activity_id)
        if row.local_date != on:
            raise InvalidInputError(
                f"Activity {activity_id} was on {row.local_date.isoformat()}, not {on.isoformat()}."
            )
    mark = PlanMark(
        day=on,
        status="done" if status == "done" else "skipped",
        reason=(reason or "").strip() or None,
        activity_id=activity_id,
    )
    assert state.record.id is not None
    with app.store.session() as session:
        PlanRepo(session).put_mark(state.record.id, mark)
    logged: bool | None = None
    if status == "done" and d.kind is DayKind.RUN:
        log_routine(app, RoutineKind.WARMUP, on=on, today=today, done=warmup, source="plan")
        logged = warmup
    elif status == "done" and d.kind is DayKind.STRENGTH:
        log_routine(app, RoutineKind.CORE, on=on, today=today, done=True, source="plan")
    view = plan_today(app, on=on, today=today, use_guidance=False)
    return MarkSaved(mark, logged, view)


def mark_done(
    app: App,
    *,
    on: date,
    today: date,
    activity_id: int | None = None,
    warmup: bool = True,
) -> MarkSaved:
    """Mark the session on ``on`` done; on run days the warm-up is logged as done too (or as
    skipped with ``warmup=False``)."""
    return _mark(app, on=on, today=today, status="done", activity_id=activity_id, warmup=warmup)


def mark_skipped(app: App, *, on: date, today: date, reason: str | None = None) -> MarkSaved:
    """Mark the session on ``on`` skipped (the week will be repeated)."""
    return _mark(app, on=on, today=today, status="skipped", reason=reason)


@dataclass(frozen=True, slots=True)
class PlanChanged:
    """``{"plan": {...}, "message": str, "events": [...]}``."""

    record: PlanRecord
    message: str
    pause: PauseState | None = None

    def to_json(self) -> dict[str, Any]:
        return {"plan": plan_json(self.record, self.pause), "message": self.message}


def pause_plan(app: App, *, on: date, today: date, reason: str | None = None) -> PlanChanged:
    from backstride.adapters.db.plan_repos import PlanRepo

    state = _open_state(app, on=on, today=today)
    record = state.record
    if record.status is PlanStatus.PAUSED:
        raise ConflictError(
            f"The plan is already paused (since {record.paused_on}).",
            hint="Resume it with `backstride plan resume`.",
        )
    why = (reason or "").strip() or None
    record = replace(record, status=PlanStatus.PAUSED, paused_on=on, pause_reason=why)
    message = f"Paused the plan from {on.isoformat()}" + (f": {why}." if why else ".")
    assert record.id is not None
    with app.store.session() as session:
        repo = PlanRepo(session)
        repo.update(app.athlete_id, record)
        repo.add_events(record.id, [PlanEvent(on, EventKind.PAUSED, message)])
    return PlanChanged(record, message + " Resume it with `backstride plan resume`.")


def resume_plan(app: App, *, on: date, today: date) -> PlanChanged:
    from backstride.adapters.db.plan_repos import PlanRepo

    state = _open_state(app, on=on, today=today)
    record = state.record
    if record.status is not PlanStatus.PAUSED or record.paused_on is None:
        raise ConflictError("The plan is not paused.")
    if on < record.paused_on:
        raise InvalidInputError(
            f"The plan was paused on {record.paused_on}; resume on or after that day."
        )
    progress = interrupt(
        state.spec,
        state.weeks,
        paused_from=record.paused_on,
        resume_on=on,
        why=(record.pause_reason or "paused by you") + ".",
    )
    record = replace(record, status=PlanStatus.ACTIVE, paused_on=None, pause_reason=None)
    assert record.id is not None
    with app.store.session() as session:
        repo = PlanRepo(session)
        repo.update(app.athlete_id, record)
        repo.save_weeks(record.id, progress.weeks)
        repo.add_events(record.id, progress.events)
    message = progress.events[0].message if progress.events else "Resumed."
    if record.gate_paused_on is not None:
        message += " The plan stays paused for safety: " + " ".join(record.gate_reasons)
    return PlanChanged(record, message)


def stop_plan(app: App, *, on: date, today: date, reason: str | None = None) -> PlanChanged:
    from backstride.adapters.db.plan_repos import PlanRepo

    state = _open_state(app, on=on, today=today)
    weeks = list(state.weeks)
    why = (reason or "").strip()
    message = f"Stopped the plan on {on.isoformat()}" + (f": {why}." if why else ".")
    if weeks and not weeks[-1].settled:
        w = weeks[-1]
        weeks[-1] = replace(
            w,
            cut_on=max(w.starts_on, on) - timedelta(days=1),
            outcome=Outcome.STOPPED,
            reasons=(message,),
            settled_on=on,
        )
    record = replace(state.record, status=PlanStatus.STOPPED, ended_on=on, paused_on=None)
    assert record.id is not None
    with app.store.session() as session:
        repo = PlanRepo(session)
        repo.update(app.athlete_id, record)
        repo.save_weeks(record.id, weeks)
        repo.add_events(record.id, [PlanEvent(on, EventKind.STOPPED, message)])
    return PlanChanged(record, message)


# --- calendar export ------------------------------------------------------------------------------


def _event_text(view: PlanDayView) -> tuple[str, str, tuple[str, ...]]:
    d = view.day
    goal = GOAL_WORDS[view.record.spec.goal]
    week = f"week {d.template_week}"
    if d.kind is DayKind.RUN and d.session is not None:
        data = session_json(
            d.session,
            warmup=[s.exercise.name for s in view.warmup.routine.steps[1:]] if view.warmup else (),
            stretches=[s.exercise.name for s in view.cooldown.routine.steps]
            if view.cooldown
            else (),
        )
        lines = [f"{view.title}, {week} of the {goal} plan.", d.note or "", ""]
        for n, step in enumerate(data["steps"], start=1):
            lines.append(f"{n}. {step['label']} ({format_seconds(int(step['seconds']))})")
        if d.session.note:
            lines += ["", d.session.note]
        lines += [
            "",
            f"About {round(d.session.total_s / 60)} minutes in all.",
            "Afterwards: check in pain (`backstride checkin`), and again tomorrow morning.",
        ]
        return f"{goal} plan: {d.session.describe()}", "\n".join(lines), ("Running",)
    if d.kind is DayKind.CROSS_TRAIN and d.cross_training:
        ex = exercise_library().get(d.cross_training)
        works = ", ".join(MUSCLE_WORDS[m] for m in ex.works)
        spares = ", ".join(MUSCLE_WORDS[m] for m in ex.spares)
        lines = [
            f"{ex.name}, {d.cross_minutes} minutes at an easy effort ({week} of the {goal} plan).",
            *ex.steps,
            f"Works: {works}. Spares: {spares}. {ex.spares_note or ''}",
        ]
        return (
            f"{goal} plan: {ex.name.lower()} {d.cross_minutes} min",
            "\n".join(lines),
            ("Cross-training",),
        )
    lines = [f"Core and hip strength ({week} of the {goal} plan)."]
    if view.routine is not None:
        for step in view.routine.routine.steps:
            lines.append(f"- {step.exercise.name}: {step.dose_text()}")
    return f"{goal} plan: core and hip strength", "\n".join(lines), ("Strength",)


def export_calendar(app: App, *, on: date, today: date, stamp: datetime) -> bytes:
    """The plan's sessions from its start to its projected end as iCalendar (all-day events
    with the steps in the description; rest days left out)."""
    from backstride.adapters.files.ics_writer import CalendarEntry, write_calendar

    state = refresh(app, on=on, today=today)
    spec = state.spec
    needs = routine_needs(app, on=on)
    pause = state.pause if state.record.is_open else None
    ended = state.record.ended_on if not state.record.is_open else None
    entries: list[CalendarEntry] = []
    for week in calendar(spec, state.weeks, pause=pause, ended_on=ended):
        for d in week.days:
            if d.kind not in ACTIVE_KINDS:
                continue
            view = _day_view(app, state, d, needs=needs)
            summary, description, categories = _event_text(view)
            entries.append(
                CalendarEntry(
                    uid=f"backstride-plan-{state.record.id}-{d.day.isoformat()}-{d.kind.value}"
                    "@backstride.local",
                    day=d.day,
                    summary=summary,
                    description=description,
                    categories=categories,
                )
            )
    name = f"backstride {GOAL_WORDS[spec.goal]} plan"
    return write_calendar(entries, name=name, stamp=stamp)
