"""A plan loaded and settled up to a day, and the day's answer from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from backstride.domain.activity import RUN_SPORTS, Sport
from backstride.domain.day import SESSION_LABELS, Day, PlanToday, session_kind
from backstride.domain.evidence import cite
from backstride.domain.pain import (
    PainEntry,
    RunPainCheck,
    RunRef,
    check_run,
)
from backstride.domain.plan import (
    DayKind,
    EventKind,
    Goal,
    PauseState,
    PlanDay,
    PlanEvent,
    PlanMark,
    PlanRecord,
    PlanSpec,
    PlanStatus,
    PlanWeek,
    SessionFact,
    SessionTemplate,
    day_plan,
    easier_session,
    interrupt,
    run_dates,
    settle,
)
from backstride.errors import NotFoundError
from backstride.services.body import PlanGate, get_plan_gate, get_profile
from backstride.services.context import App
from backstride.services.diary import list_pain, pain_report
from backstride.services.exercises import (
    exercise_library,
)

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
    if plan_id:
        from backstride.adapters.db.plan_repos import PlanRepo

        with app.store.session() as session:
            record: PlanRecord | None = PlanRepo(session).get(app.athlete_id, plan_id)
    else:
        record = app.reads.latest_plan(app.athlete_id)
    if record is None:
        raise _no_plan()
    assert record.id is not None
    reads = app.reads
    with reads.batch():
        return (
            record,
            reads.plan_weeks(record.id),
            reads.plan_marks(record.id),
            reads.plan_events(record.id),
        )


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
    rows = app.reads.activity_rows(app.athlete_id, since=since, until=until)
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
            from backstride.adapters.db.plan_repos import PlanRepo

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
    """What the plan holds on ``d`` for the day's answer (``domain/day/``)."""
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
    """The plan's view of the day's one answer (``domain/day/``): urgent care, seeing a
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


def _plan_day(state: PlanState, day: date) -> PlanDay:
    return day_plan(
        state.spec,
        state.weeks,
        day,
        pause=state.pause if state.record.is_open else None,
        ended_on=state.record.ended_on if not state.record.is_open else None,
    )
