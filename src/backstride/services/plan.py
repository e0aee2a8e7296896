"""Use cases of the run/walk plan: start, show, today, done/skip, pause/resume/stop, calendar
export, and the demo athlete's plan.

The plan adapts lazily: every use case first *settles* the plan up to the day it is asked about
(never beyond the real today), deciding each week that can be decided from the marks, the
logged runs and the pain diary (``domain/plan.py``; pain rules via ``services.diary``), and
pausing it while the safety gate (``services.body.get_plan_gate``: red flags, clearance) is
closed. Decisions are stored with their reasons and never rewritten.

Every result is a frozen dataclass with ``to_json()``; shapes are documented on each class and
in ``docs/plan.md``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from backstride.adapters.db.metrics_repo import MetricsRepo
from backstride.adapters.db.plan_repos import PlanRepo
from backstride.adapters.db.repos import ActivityRepo
from backstride.domain.activity import RUN_SPORTS, Sport
from backstride.domain.day import DISCLAIMER, SESSION_LABELS, Day, PlanToday, session_kind
from backstride.domain.evidence import cite
from backstride.domain.exercises import MUSCLE_WORDS
from backstride.domain.pain import (
    PAIN_RULES,
    PainEntry,
    RunPainCheck,
    RunRef,
    check_run,
    check_runs,
)
from backstride.domain.plan import (
    BLOCK_WORDS,
    COOLDOWN_WALK_MIN,
    PLACEMENT_WINDOW_DAYS,
    STRETCH_MIN,
    WARMUP_DRILLS_MIN,
    WARMUP_WALK_MIN,
    WEEKDAY_WORDS,
    BlockKind,
    DayKind,
    EventKind,
    Goal,
    Outcome,
    PauseState,
    Placement,
    PlanDay,
    PlanEvent,
    PlanMark,
    PlanRecord,
    PlanSpec,
    PlanStatus,
    PlanWeek,
    RecentRun,
    SessionFact,
    SessionTemplate,
    SessionVerdict,
    Variant,
    calendar,
    day_plan,
    days_text,
    easier_session,
    first_week,
    format_seconds,
    interrupt,
    judge_session,
    parse_days,
    parse_goal,
    parse_variant,
    place,
    run_dates,
    settle,
)
from backstride.domain.routines import RoutineKind, RoutineNeeds
from backstride.errors import ConflictError, InvalidInputError, NotFoundError
from backstride.services.body import PlanGate, get_plan_gate, get_profile
from backstride.services.context import App
from backstride.services.diary import list_pain, pain_report
from backstride.services.exercises import (
    exercise_json,
    exercise_library,
    get_routine,
    log_routine,
    routine_needs,
)
from backstride.services.training import refresh_metrics

GOAL_WORDS = {Goal.FIVE_K: "5K", Goal.TEN_K: "10K"}
RUN_SPORT_VALUES = frozenset(s.value for s in RUN_SPORTS)
#: Activities that count as doing a session whose main set has no running (stenosis week 1).
WALK_CYCLE_SPORTS = frozenset({Sport.WALK, Sport.HIKE, Sport.CYCLE})


def _no_plan() -> NotFoundError:
    return NotFoundError(
        "You have no running plan yet.",
        hint="Start one with `backstride plan start --goal 5k --days mon,wed,sat`.",
    )


# --- loading and settling ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanState:
    """A plan as settled up to ``on``: its record, weeks, marks and history."""

    record: PlanRecord
    weeks: tuple[PlanWeek, ...]
    marks: Mapping[date, PlanMark]
    events: tuple[PlanEvent, ...]
    gate: PlanGate
    on: date
    facts: Mapping[date, SessionFact]

    @property
    def spec(self) -> PlanSpec:
        return self.record.spec

    @property
    def pause(self) -> PauseState | None:
        r = self.record
        pauses: list[PauseState] = []
        if r.status is PlanStatus.PAUSED and r.paused_on is not None:
            why = (
                f"{r.pause_reason}." if r.pause_reason else "resume with `backstride plan resume`."
            )
            pauses.append(PauseState(r.paused_on, f"Paused by you on {r.paused_on}: {why}"))
        if r.gate_paused_on is not None:
            pauses.append(PauseState(r.gate_paused_on, _safety_words(r.gate_reasons), by_gate=True))
        return min(pauses, key=lambda p: (p.since, not p.by_gate)) if pauses else None

    @property
    def current(self) -> PlanWeek | None:
        return next((w for w in self.weeks if not w.settled), None)


def _safety_words(reasons: Sequence[str]) -> str:
    """The safety gate's reasons as one pause message (without repeating "Paused:")."""
    text = " ".join(r.removeprefix("Paused: ") for r in reasons)
    return f"Paused for your safety: {text}" if text else "Paused for your safety."


def _load(
    app: App, plan_id: int | None = None
) -> tuple[PlanRecord, list[PlanWeek], dict[date, PlanMark], list[PlanEvent]]:
    with app.store.session() as session:
        repo = PlanRepo(session)
        record = repo.get(app.athlete_id, plan_id) if plan_id else repo.latest(app.athlete_id)
        if record is None:
            raise _no_plan()
        assert record.id is not None
        return record, repo.weeks(record.id), repo.marks(record.id), repo.events(record.id)


def _worst(checks: Sequence[RunPainCheck]) -> RunPainCheck | None:
    order = {"outside": 0, "not-known-yet": 1, "within": 2}
    return min(checks, key=lambda c: order[c.verdict]) if checks else None


def _facts(
    app: App,
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    marks: Mapping[date, PlanMark],
    *,
    since: date,
    until: date,
) -> tuple[dict[date, SessionFact], list[PainEntry]]:
    """Session facts for run days in [since, until] and the pain entries around them."""
    report = pain_report(app, today=until, since=since)
    entries = list(
        list_pain(app, since=since - timedelta(days=35), until=until + timedelta(days=1)).entries
    )
    with app.store.session() as session:
        rows = ActivityRepo(session).list_rows(app.athlete_id, since=since, until=until)
        activities = [(r.id, r.local_date, Sport(r.sport)) for r in rows]
    by_day: dict[date, list[RunPainCheck]] = {}
    for check in report.runs:
        by_day.setdefault(check.day, []).append(check)
    facts: dict[date, SessionFact] = {}
    for day in run_dates(spec, since, until + timedelta(days=1)):
        mark = marks.get(day)
        if mark is not None and mark.status == "skipped":
            facts[day] = SessionFact(day, skipped=True, reason=mark.reason)
            continue
        checks = by_day.get(day, [])
        if mark is not None and mark.activity_id is not None:
            linked = [c for c in checks if c.activity_id == mark.activity_id]
            checks = linked or checks
        if not checks:
            others = [
                aid for aid, d, sport in activities if d == day and sport in WALK_CYCLE_SPORTS
            ]
            if others and _walk_cycle_session(spec, weeks, day):
                checks = [check_run(RunRef(others[0], day), entries)]
        if checks:
            facts[day] = SessionFact(
                day,
                done=True,
                activity_ids=tuple(c.activity_id for c in checks),
                check=_worst(checks),
            )
        elif mark is not None and mark.status == "done":
            facts[day] = SessionFact(day, done=True, check=check_run(RunRef(0, day), entries))
        else:
            facts[day] = SessionFact(day)
    return facts, entries


def _walk_cycle_session(spec: PlanSpec, weeks: Sequence[PlanWeek], day: date) -> bool:
    plan_day = day_plan(spec, weeks, day)
    return plan_day.session is not None and plan_day.session.run_s == 0


def _gate_since(gate: PlanGate, *, on: date, start: date) -> date | None:
    """The day the safety gate closed, as known on ``on`` (None: not closed by then)."""
    if gate.allowed:
        return None
    reported = [o.first_reported_on for o in gate.open_red_flags]
    reported += [a.first_reported_on for a in gate.awaiting]
    days: list[date] = [d for d in reported if d <= on]
    if not gate.clearance.plans_allowed:
        since = [r.since for r in gate.clearance.state.uncovered if r.since is not None]
        days.append(min([d for d in since if d <= on], default=on))
    if not days:
        return None
    return max(min(days), start)


def refresh(app: App, *, on: date, today: date, plan_id: int | None = None) -> PlanState:
    """Settle the plan up to ``on`` (never beyond ``today``) and store what changed."""
    record, weeks, marks, events = _load(app, plan_id)
    loaded, loaded_weeks = record, list(weeks)
    effective = min(on, today)
    gate = get_plan_gate(app, on=effective)
    new_events: list[PlanEvent] = []
    facts: dict[date, SessionFact] = {}
    if record.is_open and effective >= record.spec.start_on and weeks:
        spec = record.spec
        gate_since = _gate_since(gate, on=effective, start=spec.start_on)
        if gate_since is None and record.gate_paused_on is not None:
            if effective >= record.gate_paused_on:
                progress = interrupt(
                    spec,
                    weeks,
                    paused_from=record.gate_paused_on,
                    resume_on=max(effective, record.gate_paused_on),
                    why="the safety check is clear again.",
                    step_back=True,
                )
                weeks = list(progress.weeks)
                new_events += progress.events
                record = replace(record, gate_paused_on=None, gate_reasons=())
        pause_days = [
            d
            for d in (gate_since, record.paused_on if record.status is PlanStatus.PAUSED else None)
            if d is not None
        ]
        if record.gate_paused_on is not None:
            pause_days.append(record.gate_paused_on)
        until = effective
        if pause_days:
            until = min(until, min(pause_days) - timedelta(days=1))
        current = next((w for w in weeks if not w.settled), None)
        if current is not None and until >= current.starts_on:
            facts, entries = _facts(app, spec, weeks, marks, since=current.starts_on, until=until)
            pregnant = get_profile(app).profile.pregnant
            progress = settle(
                spec,
                weeks,
                facts=lambda d: facts.get(d) or SessionFact(d),
                mornings=entries,
                until=until,
                hold=f"no build-up during a pregnancy ({cite('acog-2020')})." if pregnant else None,
            )
            weeks = list(progress.weeks)
            new_events += progress.events
            if progress.finished_on is not None:
                record = replace(record, status=PlanStatus.FINISHED, ended_on=progress.finished_on)
        if record.is_open and gate_since is not None:
            if record.gate_paused_on is None:
                new_events.append(
                    PlanEvent(gate_since, EventKind.PAUSED, _safety_words(gate.reasons))
                )
            record = replace(
                record,
                gate_paused_on=record.gate_paused_on or gate_since,
                gate_reasons=gate.reasons,
            )
        if new_events or record != loaded or weeks != loaded_weeks:
            with app.store.session() as session:
                repo = PlanRepo(session)
                assert record.id is not None
                repo.update(app.athlete_id, record)
                repo.save_weeks(record.id, weeks)
                repo.add_events(record.id, new_events)
    return PlanState(
        record=record,
        weeks=tuple(weeks),
        marks=marks,
        events=tuple(events) + tuple(new_events),
        gate=gate,
        on=on,
        facts=facts,
    )


# --- the day's one answer ------------------------------------------------------------------


def _plan_context(state: PlanState, d: PlanDay) -> PlanToday:
    """What the plan holds on ``d`` for the day's answer (``domain/day.py``)."""
    spec = state.spec
    easier = None
    if d.kind is DayKind.RUN and d.template_week is not None and d.session_index:
        easier = easier_session(spec, d.template_week, d.session_index)
    cross = (
        exercise_library().get(d.cross_training).name
        if d.kind is DayKind.CROSS_TRAIN and d.cross_training
        else None
    )
    pause = state.pause if state.record.is_open else None
    return PlanToday(
        kind=d.kind.value,
        title=_title(spec, d),
        goal=GOAL_WORDS[spec.goal],
        variant=spec.variant.value,
        week=d.template_week,
        weeks_total=len(spec.templates),
        session=d.session,
        easier=easier,
        cross_training=cross,
        cross_minutes=d.cross_minutes,
        note=d.note,
        paused_by_gate=bool(pause is not None and pause.by_gate and d.kind is DayKind.PAUSED),
        starts_on=spec.start_on,
    )


def plan_for_day(app: App, *, on: date, today: date) -> PlanToday | None:
    """What the latest plan holds on ``on`` (settled up to ``min(on, today)``), or None when
    the runner has never started a plan."""
    try:
        state = refresh(app, on=on, today=today)
    except NotFoundError:
        return None
    return _plan_context(state, _plan_day(state, on))


@dataclass(frozen=True, slots=True)
class Override:
    """How the day's answer changes the plan's session.

    ``replacement``: None (no change), ``shorter_session``, ``cross_train``, ``rest``,
    ``start_here``, ``see_professional`` or ``urgent_care``.
    """

    decision: str
    headline: str
    summary: str
    replacement: str | None
    message: str
    shorter: SessionTemplate | None = None
    cross_training: str | None = None

    @property
    def overrides(self) -> bool:
        return self.replacement is not None


ACTIVE_KINDS = (DayKind.RUN, DayKind.STRENGTH, DayKind.CROSS_TRAIN)


def override_from_day(plan_day: PlanDay, answer: Day) -> Override | None:
    """The plan's view of the day's one answer (``domain/day.py``): urgent care, seeing a
    professional and the health questions replace any session; rest replaces a session;
    cross-training replaces a run (with the activity the answer names); run easy shortens a
    run. Otherwise the plan's session stands."""
    if plan_day.kind not in (*ACTIVE_KINDS, DayKind.REST, DayKind.INSERTED_REST):
        return None
    decision = answer.decision
    session = answer.session
    active = plan_day.kind in ACTIVE_KINDS
    replacement: str | None = None
    shorter: SessionTemplate | None = None
    cross: str | None = None
    if decision in ("urgent_care", "see_professional", "start_here"):
        replacement = decision
    elif decision == "rest" and active:
        replacement = "rest"
    elif decision == "cross_train" and plan_day.kind is DayKind.RUN:
        replacement = "cross_train"
        cross = session.title.lower() if session is not None else None
    elif decision == "run_easy" and plan_day.kind is DayKind.RUN:
        replacement = "shorter_session"
        shorter = session.blocks if session is not None else None
    instead = (
        f"{session.title}: {session.what.rstrip('.')}."
        if session is not None
        else "no training session today."
    )
    message = (
        f"Today's decision replaces the plan's session. Instead: {instead}"
        if replacement is not None and active
        else f"Today's decision: {answer.headline}."
    )
    return Override(
        decision,
        answer.headline,
        answer.summary,
        replacement,
        message,
        shorter=shorter,
        cross_training=cross,
    )


# --- views ----------------------------------------------------------------------------------------


def _steps_json(
    session: SessionTemplate,
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
            "seconds": WARMUP_WALK_MIN * 60,
            "label": "Brisk walk",
        },
        {
            "phase": "warmup",
            "kind": "drills",
            "seconds": WARMUP_DRILLS_MIN * 60,
            "label": f"Warm-up drills: {drills}",
        },
    ]
    for block in session.blocks:
        out.append(
            {
                "phase": "main",
                "kind": block.kind.value,
                "seconds": block.seconds,
                "label": f"{BLOCK_WORDS[block.kind].capitalize()} {format_seconds(block.seconds)}",
            }
        )
    out.append(
        {
            "phase": "cooldown",
            "kind": "walk",
            "seconds": COOLDOWN_WALK_MIN * 60,
            "label": "Easy walk",
        }
    )
    names = ", ".join(stretches) if stretches else "calves, hamstrings, hip flexors, buttocks"
    out.append(
        {
            "phase": "stretch",
            "kind": "stretch",
            "seconds": STRETCH_MIN * 60,
            "label": f"Stretch: {names}",
        }
    )
    return out


def session_json(
    session: SessionTemplate, *, warmup: Sequence[str] = (), stretches: Sequence[str] = ()
) -> dict[str, Any]:
    """``{"main", "main_s", "run_s", "walk_s", "cycle_s", "longest_run_s", "total_s", "note",
    "steps": [{"phase", "kind", "seconds", "label"}]}``."""
    return {
        "main": session.describe(),
        "main_s": session.main_s,
        "run_s": session.run_s,
        "walk_s": session.seconds_of(BlockKind.WALK),
        "cycle_s": session.seconds_of(BlockKind.CYCLE),
        "longest_run_s": session.longest_run_s,
        "total_s": session.total_s,
        "note": session.note,
        "steps": _steps_json(session, warmup=warmup, stretches=stretches),
    }


def _mark_json(mark: PlanMark | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {"status": mark.status, "reason": mark.reason, "activity_id": mark.activity_id}


def _verdict_json(v: SessionVerdict | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {"light": v.light, "reasons": list(v.reasons)}


def _pause_json(p: PauseState | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"since": p.since.isoformat(), "reason": p.reason, "by_gate": p.by_gate}


def plan_json(record: PlanRecord, pause: PauseState | None) -> dict[str, Any]:
    """``{"id", "goal", "variant", "days", "start_on", "status", "ended_on", "weeks_total",
    "paused"}``."""
    spec = record.spec
    return {
        "id": record.id,
        "goal": spec.goal.value,
        "variant": spec.variant.value,
        "days": days_text(spec.days),
        "start_on": spec.start_on.isoformat(),
        "status": record.status.value,
        "ended_on": record.ended_on.isoformat() if record.ended_on else None,
        "weeks_total": len(spec.templates),
        "paused": _pause_json(pause),
    }


def _title(spec: PlanSpec, d: PlanDay) -> str:
    if d.kind is DayKind.RUN:
        words = SESSION_LABELS[session_kind(d.session)] if d.session else "Run/walk"
        return f"{words} session {d.session_index} of 3"
    return {
        DayKind.STRENGTH: "Core and hip strength",
        DayKind.CROSS_TRAIN: "Cross-training",
        DayKind.REST: "Rest day",
        DayKind.INSERTED_REST: "Extra rest day",
        DayKind.PAUSED: "Plan paused",
        DayKind.BEFORE_START: "Before the plan starts",
        DayKind.AFTER_END: "After the plan",
    }[d.kind]


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
    "disclaimer"}``. ``decision`` and ``today`` are the day's one answer (``domain/day.py``),
    the same as ``backstride today``; null with ``--no-guidance``.
    """

    record: PlanRecord
    day: PlanDay
    mark: PlanMark | None
    verdict: SessionVerdict | None
    pause: PauseState | None
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
            "weekday": WEEKDAY_WORDS[d.day.weekday()],
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
            "paused": _pause_json(self.pause if d.kind is DayKind.PAUSED else None),
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
        "decision": answer.decision,
        "headline": answer.headline,
        "summary": answer.summary,
        "session": answer.session.to_json() if answer.session else None,
        "attention": [a.to_json() for a in answer.attention],
        "routines": [r.to_json() for r in answer.routines],
    }


def _day_view(
    app: App,
    state: PlanState,
    d: PlanDay,
    *,
    needs: RoutineNeeds | None,
    verdict: SessionVerdict | None = None,
    override: Override | None = None,
    routines: bool = True,
) -> PlanDayView:
    warmup = cooldown = routine = None
    if routines and needs is not None:
        if d.kind is DayKind.RUN:
            warmup = get_routine(app, RoutineKind.WARMUP, on=d.day, needs=needs)
            cooldown = get_routine(app, RoutineKind.COOLDOWN, on=d.day, needs=needs)
        elif d.kind is DayKind.STRENGTH:
            routine = get_routine(app, RoutineKind.CORE, on=d.day, needs=needs)
        elif d.kind in (DayKind.REST, DayKind.INSERTED_REST, DayKind.CROSS_TRAIN):
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


def _plan_day(state: PlanState, day: date) -> PlanDay:
    return day_plan(
        state.spec,
        state.weeks,
        day,
        pause=state.pause if state.record.is_open else None,
        ended_on=state.record.ended_on if not state.record.is_open else None,
    )


def plan_today(app: App, *, on: date, today: date, use_guidance: bool = True) -> PlanDayView:
    """What the plan holds on ``on``, and whether the day's guidance overrides it."""
    state = refresh(app, on=on, today=today)
    d = _plan_day(state, on)
    verdict = None
    if d.kind is DayKind.RUN and on <= today:
        facts, _ = _facts(app, state.spec, state.weeks, state.marks, since=on, until=on)
        verdict = judge_session(facts.get(on) or SessionFact(on), on=on)
    override = None
    answer: Day | None = None
    if use_guidance:
        from backstride.services.day import day_answer  # the day reads the plan, too

        answer = day_answer(app, on=on, today=today, planned=_plan_context(state, d))
        if state.record.is_open:
            override = override_from_day(d, answer)
    needs = routine_needs(app, on=on)
    view = _day_view(app, state, d, needs=needs, verdict=verdict, override=override)
    return replace(view, answer=answer)


DAY_LABELS = {
    DayKind.STRENGTH: "Strength",
    DayKind.CROSS_TRAIN: "Cross-train",
    DayKind.REST: "Rest",
    DayKind.INSERTED_REST: "Extra rest",
    DayKind.PAUSED: "Paused",
    DayKind.BEFORE_START: "–",
    DayKind.AFTER_END: "–",
}


def day_label(d: PlanDay) -> str:
    """A calendar tile's word for what the day really holds: ``Walk/cycle``, ``Run/walk`` or
    ``Run`` on run days, else the kind of day."""
    if d.kind is DayKind.RUN:
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
    outcome: Outcome | None
    reasons: tuple[str, ...]
    settled_on: date | None
    projected: bool
    current: bool
    days: tuple[PlanDay, ...]
    marks: Mapping[date, PlanMark]
    verdicts: Mapping[date, SessionVerdict]
    spec: PlanSpec

    def day_summary(self, d: PlanDay) -> str:
        if d.kind is DayKind.RUN and d.session is not None:
            return d.session.describe()
        if d.kind is DayKind.CROSS_TRAIN and d.cross_training:
            name = exercise_library().get(d.cross_training).name
            return f"{name}, {d.cross_minutes} min easy"
        if d.kind is DayKind.STRENGTH:
            return "Core and hip routine (about 20 min)"
        if d.kind is DayKind.PAUSED:
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
                    "weekday": WEEKDAY_WORDS[d.day.weekday()],
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

    record: PlanRecord
    on: date
    pause: PauseState | None
    gate: PlanGate
    weeks: tuple[WeekView, ...]
    events: tuple[PlanEvent, ...]

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
    verdicts: dict[date, SessionVerdict] = {}
    if last >= spec.start_on:
        facts, _ = _facts(app, spec, state.weeks, state.marks, since=spec.start_on, until=last)
        for day, fact in facts.items():
            verdicts[day] = judge_session(fact, on=last)
    pause = state.pause if state.record.is_open else None
    ended = state.record.ended_on if not state.record.is_open else None
    views: list[WeekView] = []
    for summary in calendar(spec, state.weeks, pause=pause, ended_on=ended):
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
                    if d.day in verdicts and d.kind is DayKind.RUN
                },
                spec=spec,
            )
        )
    return PlanView(state.record, on, pause, state.gate, tuple(views), state.events)


# --- starting ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanStarted:
    """``{"plan": {...}, "notes": [...], "first_week": week, "placement": {"week",
    "matched_week", "reasons", "runs_4_weeks", "typical_continuous_min", "chosen"}}``."""

    record: PlanRecord
    notes: tuple[str, ...]
    first: WeekView | None
    placement: Placement | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": plan_json(self.record, None),
            "notes": list(self.notes),
            "first_week": self.first.to_json() if self.first else None,
            "placement": self.placement.to_json() if self.placement else None,
        }


def _refuse_gate(gate: PlanGate) -> ConflictError:
    if gate.open_red_flags or gate.awaiting:
        hint = (
            "Once a professional has seen you and said you may train, record it with "
            "`backstride pain seen --flag FLAG --on DATE --outcome may-train`; then start the "
            "plan."
        )
    elif gate.clearance.state.status == "not-screened":
        hint = "Answer the health screen first: `backstride screen`."
    else:
        hint = (
            "When your doctor agrees, record it with `backstride clearance add --on DATE --by "
            "NAME`, then start the plan. Logging runs and pain carries on meanwhile."
        )
    return ConflictError("A running plan cannot start yet. " + " ".join(gate.reasons), hint=hint)


def recent_runs(app: App, *, before: date) -> list[RecentRun]:
    """The runs of the :data:`PLACEMENT_WINDOW_DAYS` before ``before``, as placement needs
    them: the longest stretch of running without a walking break (from the cached analysis),
    the moving time, and whether pain above the acceptable level followed (a flare)."""
    refresh_metrics(app)
    since = before - timedelta(days=PLACEMENT_WINDOW_DAYS)
    with app.store.read_session() as session:
        rows = [
            r
            for r in MetricsRepo(session).list_rows(
                app.athlete_id, since=since, until=before - timedelta(days=1)
            )
            if r.sport in RUN_SPORT_VALUES
        ]
    entries = list(list_pain(app, since=since - timedelta(days=35), until=before).entries)
    checks = {
        c.activity_id: c for c in check_runs([RunRef(r.activity_id, r.day) for r in rows], entries)
    }
    limit = PAIN_RULES.acceptable_max
    out: list[RecentRun] = []
    for r in rows:
        c = checks.get(r.activity_id)
        flare = c is not None and any(
            v is not None and v > limit for v in (c.during, c.after, c.next_morning)
        )
        out.append(
            RecentRun(
                day=r.day,
                continuous_s=_longest_run_s(r.analysis_json),
                moving_s=r.moving_time_s if r.moving_time_s is not None else r.duration_s,
                flare=flare,
            )
        )
    return out


def _longest_run_s(analysis_json: str) -> float | None:
    try:
        value = json.loads(analysis_json).get("longest_run_s")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def start_plan(
    app: App,
    *,
    goal: str,
    days: str | Sequence[str],
    start: date,
    today: date,
    variant: str | None = None,
    from_week: int | None = None,
) -> PlanStarted:
    """Start a plan after the safety gate (red flags, clearance) and the plan's own rules.

    The plan starts at the week that matches the runner's last 4 weeks (:func:`place`), or at
    ``from_week`` when she chooses one; the reasons are in ``PlanStarted.placement``."""
    parsed_goal = parse_goal(goal)
    parsed_days = parse_days(days)
    profile = get_profile(app).profile
    chosen = (
        parse_variant(variant)
        if variant
        else (Variant.STENOSIS if profile.has_stenosis else Variant.STANDARD)
    )
    if start.year < 1990 or start > today + timedelta(days=366):
        raise InvalidInputError(
            f"{start.isoformat()} is not a sensible start date.",
            hint="Start within the next year (or on a past date to replay a plan).",
        )
    with app.store.session() as session:
        repo = PlanRepo(session)
        current = repo.current(app.athlete_id)
        plans = repo.list(app.athlete_id)
    if current is not None:
        raise ConflictError(
            f"You already have a {GOAL_WORDS[current.spec.goal]} plan "
            f"({current.status.value}) that started on {current.spec.start_on}.",
            hint="Stop it first with `backstride plan stop`, or carry on with it.",
        )
    if parsed_goal is Goal.TEN_K and not any(
        p.spec.goal is Goal.FIVE_K and p.status is PlanStatus.FINISHED for p in plans
    ):
        raise ConflictError(
            "The 10K plan builds on a finished 5K plan: it starts from 30 minutes of "
            "continuous running, which the 5K plan builds up to safely.",
            hint="Start with `backstride plan start --goal 5k --days ...`; the 10K plan opens "
            "once it is finished.",
        )
    gate = get_plan_gate(app, on=today)
    if not gate.allowed:
        raise _refuse_gate(gate)
    notes: list[str] = list(gate.clearance.state.notes)
    if profile.has_stenosis and chosen is Variant.STANDARD:
        notes.append(
            "Your profile lists lumbar spinal stenosis; the stenosis variant (walking and "
            "cycling blocks first, smaller steps, flat routes) is usually kinder. Restart with "
            "--variant stenosis if you prefer it."
        )
    if chosen is Variant.STENOSIS:
        notes.append(
            "Stenosis variant: choose flat, even routes, avoid downhill stretches and standing "
            "still for long; if your legs tingle or ache, sit or lean forward until it eases."
        )
    if gate.clearance.state.clearance and gate.clearance.state.clearance.restrictions:
        notes.append(
            "Your clearance lists restrictions: "
            f"{gate.clearance.state.clearance.restrictions}. Keep to them."
        )
    spec = PlanSpec(goal=parsed_goal, variant=chosen, days=parsed_days, start_on=start)
    placement = place(spec, recent_runs(app, before=start))
    total = len(spec.templates)
    if from_week is not None:
        if not 1 <= from_week <= total:
            raise InvalidInputError(
                f"Week {from_week} is not in the plan.",
                hint=f"The {GOAL_WORDS[parsed_goal]} plan ({chosen.value}) has weeks 1 to {total}.",
            )
        said = (
            f"You chose to start at week {from_week}; your records suggested week {placement.week}."
            if from_week != placement.week
            else f"You chose week {from_week}, as your records suggested."
        )
        placement = replace(
            placement, week=from_week, reasons=(*placement.reasons, said), chosen=True
        )
    record = PlanRecord(spec=spec)
    roles = ", ".join(WEEKDAY_WORDS[d] for d in parsed_days)
    with app.store.session() as session:
        repo = PlanRepo(session)
        plan_id = repo.add(app.athlete_id, record)
        repo.save_weeks(plan_id, [first_week(spec, placement.week)])
        repo.add_events(
            plan_id,
            [
                PlanEvent(
                    start,
                    EventKind.STARTED,
                    f"Started the {GOAL_WORDS[parsed_goal]} plan ({chosen.value}), "
                    f"{total} weeks, running on {roles}, at week {placement.week}. "
                    + " ".join(placement.reasons),
                    1,
                )
            ],
        )
    view = show_plan(app, on=start, today=today)
    return PlanStarted(
        replace(record, id=plan_id),
        tuple(notes),
        view.weeks[0] if view.weeks else None,
        placement,
    )


def start_demo_plan(
    app: App, *, start: date, today: date | None = None, days: str = "mon,wed,sat"
) -> PlanStarted:
    """Give the demo athlete an active 5K plan starting on ``start`` on ``days`` (the stenosis
    variant when the profile lists stenosis), at the week her records match. ``today``
    defaults to ``start``."""
    return start_plan(app, goal="5k", days=days, start=start, today=today or start, variant=None)


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
