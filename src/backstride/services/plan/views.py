"""The plan as the CLI and the web show it: the day, the week, the whole plan, as views and JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from backstride.domain import plan
from backstride.domain.day import DISCLAIMER, SESSION_LABELS, Day, session_kind
from backstride.domain.routines import RoutineKind, RoutineNeeds
from backstride.errors import InvalidInputError
from backstride.services.body import PlanGate
from backstride.services.context import App
from backstride.services.exercises import (
    exercise_json,
    exercise_library,
    get_routine,
    routine_needs,
)
from backstride.services.plan.state import (
    Override,
    PlanState,
    _facts,
    _plan_context,
    _plan_day,
    _title,
    override_from_day,
    refresh,
)

# --- views ----------------------------------------------------------------------------------------


def _steps_json(
    session: plan.SessionTemplate,
    *,
    warmup: Sequence[str] = (),
    stretches: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The session step by step, as the interval timer runs it."""
    drills = ", ".join(warmup) if warmup else "leg swings, knee lifts and heel flicks"
    out: list[dict[str, Any]] = [
        {
            "phase": "warmup",
            "kind": "walk",
            "seconds": plan.WARMUP_WALK_MIN * 60,
            "label": "Brisk walk",
        },
        {
            "phase": "warmup",
            "kind": "drills",
            "seconds": plan.WARMUP_DRILLS_MIN * 60,
            "label": f"Warm-up drills: {drills}",
        },
    ]
    for block in session.blocks:
        words = plan.BLOCK_WORDS[block.kind].capitalize()
        out.append(
            {
                "phase": "main",
                "kind": block.kind.value,
                "seconds": block.seconds,
                "label": f"{words} {plan.format_seconds(block.seconds)}",
            }
        )
    out.append(
        {
            "phase": "cooldown",
            "kind": "walk",
            "seconds": plan.COOLDOWN_WALK_MIN * 60,
            "label": "Easy walk",
        }
    )
    names = ", ".join(stretches) if stretches else "calves, hamstrings, hip flexors, buttocks"
    out.append(
        {
            "phase": "stretch",
            "kind": "stretch",
            "seconds": plan.STRETCH_MIN * 60,
            "label": f"Stretch: {names}",
        }
    )
    return out


def session_json(
    session: plan.SessionTemplate, *, warmup: Sequence[str] = (), stretches: Sequence[str] = ()
) -> dict[str, Any]:
    """``{"main", "main_s", "run_s", "walk_s", "cycle_s", "longest_run_s", "total_s", "note",
    "steps": [{"phase", "kind", "seconds", "label"}]}``."""
    return {
        "main": session.describe(),
        "main_s": session.main_s,
        "run_s": session.run_s,
        "walk_s": session.seconds_of(plan.BlockKind.WALK),
        "cycle_s": session.seconds_of(plan.BlockKind.CYCLE),
        "longest_run_s": session.longest_run_s,
        "total_s": session.total_s,
        "note": session.note,
        "steps": _steps_json(session, warmup=warmup, stretches=stretches),
    }


def _mark_json(mark: plan.PlanMark | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {"status": mark.status, "reason": mark.reason, "activity_id": mark.activity_id}


def _verdict_json(v: plan.SessionVerdict | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {"light": v.light, "reasons": list(v.reasons)}


def _pause_json(p: plan.PauseState | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"since": p.since.isoformat(), "reason": p.reason, "by_gate": p.by_gate}


def plan_json(record: plan.PlanRecord, pause: plan.PauseState | None) -> dict[str, Any]:
    """``{"id", "goal", "variant", "days", "start_on", "status", "ended_on", "weeks_total",
    "paused"}``."""
    spec = record.spec
    return {
        "id": record.id,
        "goal": spec.goal.value,
        "variant": spec.variant.value,
        "days": plan.days_text(spec.days),
        "start_on": spec.start_on.isoformat(),
        "status": record.status.value,
        "ended_on": record.ended_on.isoformat() if record.ended_on else None,
        "weeks_total": len(spec.templates),
        "paused": _pause_json(pause),
    }


@dataclass(frozen=True, slots=True)
class PlanDayView:
    """One day of the plan with everything needed to do it.

    ``to_json()``: ``{"day", "weekday", "kind", "title", "plan": {...}, "week_seq",
    "template_week", "weeks_total", "session_index", "projected", "note", "session": {...} |
    null, "warmup": routine | null, "cooldown": routine | null, "routine": routine | null,
    "cross_training": exercise + {"minutes"} | null, "mark", "verdict": {"light", "reasons"} |
    null, "guidance": {"decision", "headline", "summary", "overrides", "replacement",
    "message", "shorter_session", "cross_training"} | null, "paused", "gate", "decision",
    "today": {"decision", "headline", "summary", "session", "attention", "routines"} | null,
    "disclaimer"}``. ``decision`` and ``today`` are the day's one answer (``domain/day/``),
    the same as ``backstride today``; null with ``--no-guidance``.
    """

    record: plan.PlanRecord
    day: plan.PlanDay
    mark: plan.PlanMark | None
    verdict: plan.SessionVerdict | None
    pause: plan.PauseState | None
    gate: PlanGate
    warmup: Any | None = None  # RoutineView
    cooldown: Any | None = None
    routine: Any | None = None
    override: Override | None = None
    answer: Day | None = None

    @property
    def title(self) -> str:
        return _title(self.record.spec, self.day)

    def to_json(self) -> dict[str, Any]:
        d = self.day
        spec = self.record.spec
        cross: dict[str, Any] | None = None
        if d.cross_training:
            cross = {
                **exercise_json(exercise_library().get(d.cross_training)),
                "minutes": d.cross_minutes,
            }
        warm = [s.exercise.name for s in self.warmup.routine.steps[1:]] if self.warmup else []
        stretch = [s.exercise.name for s in self.cooldown.routine.steps] if self.cooldown else []
        o = self.override
        return {
            "day": d.day.isoformat(),
            "weekday": plan.WEEKDAY_WORDS[d.day.weekday()],
            "kind": d.kind.value,
            "title": self.title,
            "plan": plan_json(self.record, self.pause),
            "week_seq": d.week_seq,
            "template_week": d.template_week,
            "weeks_total": len(spec.templates),
            "session_index": d.session_index,
            "projected": d.projected,
            "note": d.note,
            "session": session_json(d.session, warmup=warm, stretches=stretch)
            if d.session
            else None,
            "warmup": self.warmup.to_json() if self.warmup else None,
            "cooldown": self.cooldown.to_json() if self.cooldown else None,
            "routine": self.routine.to_json() if self.routine else None,
            "cross_training": cross,
            "mark": _mark_json(self.mark),
            "verdict": _verdict_json(self.verdict),
            "guidance": None
            if o is None
            else {
                "decision": o.decision,
                "headline": o.headline,
                "summary": o.summary,
                "overrides": o.overrides,
                "replacement": o.replacement,
                "message": o.message,
                "shorter_session": session_json(o.shorter) if o.shorter else None,
                "cross_training": o.cross_training,
            },
            "paused": _pause_json(self.pause if d.kind is plan.DayKind.PAUSED else None),
            "gate": self.gate.to_json(),
            "decision": self.answer.decision if self.answer else None,
            "today": _answer_json(self.answer),
            "disclaimer": DISCLAIMER,
        }


def _answer_json(answer: Day | None) -> dict[str, Any] | None:
    """The day's one answer, as ``plan today --json`` carries it."""
    if answer is None:
        return None
    return {
        **answer.brief_json(),
        "attention": [a.to_json() for a in answer.attention],
        "routines": [r.to_json() for r in answer.routines],
    }


def _day_view(
    app: App,
    state: PlanState,
    d: plan.PlanDay,
    *,
    needs: RoutineNeeds | None,
    verdict: plan.SessionVerdict | None = None,
    override: Override | None = None,
    routines: bool = True,
) -> PlanDayView:
    warmup = cooldown = routine = None
    if routines and needs is not None:
        if d.kind is plan.DayKind.RUN:
            warmup = get_routine(app, RoutineKind.WARMUP, on=d.day, needs=needs)
            cooldown = get_routine(app, RoutineKind.COOLDOWN, on=d.day, needs=needs)
        elif d.kind is plan.DayKind.STRENGTH:
            routine = get_routine(app, RoutineKind.CORE, on=d.day, needs=needs)
        elif d.kind in (plan.DayKind.REST, plan.DayKind.INSERTED_REST, plan.DayKind.CROSS_TRAIN):
            routine = get_routine(app, RoutineKind.MOBILITY, on=d.day, needs=needs)
    return PlanDayView(
        record=state.record,
        day=d,
        mark=state.marks.get(d.day),
        verdict=verdict,
        pause=state.pause,
        gate=state.gate,
        warmup=warmup,
        cooldown=cooldown,
        routine=routine,
        override=override,
    )


def plan_today(
    app: App, *, on: date, today: date, use_guidance: bool = True, units: str | None = None
) -> PlanDayView:
    """What the plan holds on ``on``, and whether the day's guidance overrides it; the day's
    words in ``units`` (default the runner's ``units`` setting)."""
    state = refresh(app, on=on, today=today)
    d = _plan_day(state, on)
    verdict = None
    if d.kind is plan.DayKind.RUN and on <= today:
        facts, _ = _facts(app, state.spec, state.weeks, state.marks, since=on, until=on)
        verdict = plan.judge_session(facts.get(on) or plan.SessionFact(on), on=on)
    override = None
    answer: Day | None = None
    if use_guidance:
        from backstride.services.day import day_answer  # the day reads the plan, too

        answer = day_answer(app, on=on, today=today, planned=_plan_context(state, d), units=units)
        if state.record.is_open:
            override = override_from_day(d, answer)
    needs = routine_needs(app, on=on)
    view = _day_view(app, state, d, needs=needs, verdict=verdict, override=override)
    return replace(view, answer=answer)


DAY_LABELS = {
    plan.DayKind.STRENGTH: "Strength",
    plan.DayKind.CROSS_TRAIN: "Cross-train",
    plan.DayKind.REST: "Rest",
    plan.DayKind.INSERTED_REST: "Extra rest",
    plan.DayKind.PAUSED: "Paused",
    plan.DayKind.BEFORE_START: "–",
    plan.DayKind.AFTER_END: "–",
}


def day_label(d: plan.PlanDay) -> str:
    """A calendar tile's word for what the day really holds: ``Walk/cycle``, ``Run/walk`` or
    ``Run`` on run days, else the kind of day."""
    if d.kind is plan.DayKind.RUN:
        return SESSION_LABELS[session_kind(d.session)] if d.session else "Run/walk"
    return DAY_LABELS[d.kind]


@dataclass(frozen=True, slots=True)
class WeekView:
    """``{"seq", "template_week", "starts_on", "ends_on", "focus", "outcome", "reasons",
    "settled_on", "projected", "current", "days": [{"day", "weekday", "kind", "title",
    "label", "summary", "mark", "light", "reasons"}]}``."""

    seq: int
    template_week: int
    starts_on: date
    ends_on: date  # last day
    focus: str
    outcome: plan.Outcome | None
    reasons: tuple[str, ...]
    settled_on: date | None
    projected: bool
    current: bool
    days: tuple[plan.PlanDay, ...]
    marks: Mapping[date, plan.PlanMark]
    verdicts: Mapping[date, plan.SessionVerdict]
    spec: plan.PlanSpec

    def day_summary(self, d: plan.PlanDay) -> str:
        if d.kind is plan.DayKind.RUN and d.session is not None:
            return d.session.describe()
        if d.kind is plan.DayKind.CROSS_TRAIN and d.cross_training:
            name = exercise_library().get(d.cross_training).name
            return f"{name}, {d.cross_minutes} min easy"
        if d.kind is plan.DayKind.STRENGTH:
            return "Core and hip routine (about 20 min)"
        if d.kind is plan.DayKind.PAUSED:
            return "no sessions until the plan resumes"
        return d.note or _title(self.spec, d)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "template_week": self.template_week,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "focus": self.focus,
            "outcome": self.outcome.value if self.outcome else None,
            "reasons": list(self.reasons),
            "settled_on": self.settled_on.isoformat() if self.settled_on else None,
            "projected": self.projected,
            "current": self.current,
            "days": [
                {
                    "day": d.day.isoformat(),
                    "weekday": plan.WEEKDAY_WORDS[d.day.weekday()],
                    "kind": d.kind.value,
                    "title": _title(self.spec, d),
                    "label": day_label(d),
                    "summary": self.day_summary(d),
                    "mark": _mark_json(self.marks.get(d.day)),
                    "light": self.verdicts[d.day].light if d.day in self.verdicts else None,
                    "reasons": list(self.verdicts[d.day].reasons) if d.day in self.verdicts else [],
                }
                for d in self.days
            ],
        }


@dataclass(frozen=True, slots=True)
class PlanView:
    """The whole plan as of ``on``.

    ``to_json()``: ``{"on", "plan": {...}, "gate": {...}, "current_week": seq | null,
    "weeks": [week...], "events": [{"day", "kind", "message", "week_seq"}]}``.
    """

    record: plan.PlanRecord
    on: date
    pause: plan.PauseState | None
    gate: PlanGate
    weeks: tuple[WeekView, ...]
    events: tuple[plan.PlanEvent, ...]

    @property
    def current(self) -> WeekView | None:
        return next((w for w in self.weeks if w.current), None)

    def week(self, seq: int) -> WeekView:
        for w in self.weeks:
            if w.seq == seq:
                return w
        raise InvalidInputError(
            f"Plan week {seq} does not exist.",
            hint=f"Weeks run from 1 to {self.weeks[-1].seq if self.weeks else 1}.",
        )

    def to_json(self) -> dict[str, Any]:
        current = self.current
        return {
            "on": self.on.isoformat(),
            "plan": plan_json(self.record, self.pause),
            "gate": self.gate.to_json(),
            "current_week": current.seq if current else None,
            "weeks": [w.to_json() for w in self.weeks],
            "events": [
                {
                    "day": e.day.isoformat(),
                    "kind": e.kind.value,
                    "message": e.message,
                    "week_seq": e.week_seq,
                }
                for e in self.events
            ],
        }


def show_plan(app: App, *, on: date, today: date) -> PlanView:
    """Every week of the plan, lived and projected, with each decision and its reasons."""
    state = refresh(app, on=on, today=today)
    spec = state.spec
    last = min(on, today)
    verdicts: dict[date, plan.SessionVerdict] = {}
    if last >= spec.start_on:
        facts, _ = _facts(app, spec, state.weeks, state.marks, since=spec.start_on, until=last)
        for day, fact in facts.items():
            verdicts[day] = plan.judge_session(fact, on=last)
    pause = state.pause if state.record.is_open else None
    ended = state.record.ended_on if not state.record.is_open else None
    views: list[WeekView] = []
    for summary in plan.calendar(spec, state.weeks, pause=pause, ended_on=ended):
        span = summary.span
        w = span.week
        current = not span.projected and not w.settled and state.record.is_open
        views.append(
            WeekView(
                seq=w.seq,
                template_week=w.template_week,
                starts_on=span.start,
                ends_on=span.end - timedelta(days=1),
                focus=spec.templates[w.template_week - 1].focus,
                outcome=w.outcome,
                reasons=w.reasons,
                settled_on=w.settled_on,
                projected=span.projected,
                current=current,
                days=summary.days,
                marks=state.marks,
                verdicts={
                    d.day: verdicts[d.day]
                    for d in summary.days
                    if d.day in verdicts and d.kind is plan.DayKind.RUN
                },
                spec=spec,
            )
        )
    return PlanView(state.record, on, pause, state.gate, tuple(views), state.events)
