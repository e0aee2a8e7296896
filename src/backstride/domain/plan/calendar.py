"""The plan as a calendar: each day's role and session, week spans, an easier session on
demand, and the weeks summed up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from backstride.domain.plan.progress import (
    project,
)
from backstride.domain.plan.schedule import (
    Block,
    BlockKind,
    DayKind,
    Outcome,
    SessionTemplate,
    cross_training_for,
    cross_training_minutes,
    week_roles,
)
from backstride.domain.plan.state import (
    PlanSpec,
    PlanWeek,
    run_dates,
)

# --- the calendar -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanDay:
    """What a day holds in the plan."""

    day: date
    kind: DayKind
    week_seq: int | None = None
    template_week: int | None = None
    session_index: int | None = None  # 1..3 for run days
    session: SessionTemplate | None = None
    cross_training: str | None = None  # exercise id on cross-training days
    cross_minutes: int | None = None
    projected: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WeekSpan:
    week: PlanWeek
    start: date
    end: date  # exclusive
    projected: bool


def spans(weeks: Sequence[PlanWeek], projected: Sequence[PlanWeek] = ()) -> list[WeekSpan]:
    """Each week and the days it owns: from its start to the next week's start."""
    every = [(w, False) for w in weeks] + [(w, True) for w in projected]
    out: list[WeekSpan] = []
    for index, (week, is_projected) in enumerate(every):
        end = every[index + 1][0].starts_on if index + 1 < len(every) else week.window_end
        if week.outcome in (Outcome.FINISHED, Outcome.STOPPED) and week.settled_on:
            end = min(end, week.window_end)
        out.append(WeekSpan(week, week.starts_on, end, is_projected))
    return out


@dataclass(frozen=True, slots=True)
class PauseState:
    """A pause that is still on: since when and why (the runner's or the safety gate's)."""

    since: date
    reason: str
    by_gate: bool = False


def _in_span(span: WeekSpan, day: date, kind: DayKind, **extra: object) -> PlanDay:
    return PlanDay(
        day,
        kind,
        week_seq=span.week.seq,
        template_week=span.week.template_week,
        projected=span.projected,
        **extra,  # type: ignore[arg-type]
    )


def day_in_week(spec: PlanSpec, span: WeekSpan, day: date) -> PlanDay:
    week = span.week
    template = spec.templates[week.template_week - 1]
    if week.rest_day_on == day:
        note = "An extra rest day after a session that broke the pain rules."
        return _in_span(span, day, DayKind.INSERTED_REST, note=note)
    if week.paused_from is not None and day >= week.paused_from:
        return _in_span(span, day, DayKind.PAUSED, note="The plan was paused.")
    if week.cut_on is not None and day > week.cut_on:
        note = "Rest: the week ended early and the next one starts soon."
        return _in_span(span, day, DayKind.REST, note=note)
    role = week_roles(spec.days)[day.weekday()]
    if role is DayKind.RUN:
        index = run_dates(spec, week.starts_on, week.window_end).index(day)
        return _in_span(
            span,
            day,
            DayKind.RUN,
            session_index=index + 1,
            session=template.sessions[index],
            note=template.focus,
        )
    if role is DayKind.CROSS_TRAIN:
        return _in_span(
            span,
            day,
            DayKind.CROSS_TRAIN,
            cross_training=cross_training_for(spec.variant, week.seq),
            cross_minutes=cross_training_minutes(spec.goal, week.template_week),
        )
    return _in_span(span, day, role)


def day_plan(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    day: date,
    *,
    pause: PauseState | None = None,
    ended_on: date | None = None,
) -> PlanDay:
    """What ``day`` holds: before the start, paused, a run session, strength, cross-training or
    rest; days beyond the current week come from the projection."""
    if day < spec.start_on:
        return PlanDay(day, DayKind.BEFORE_START, note=f"The plan starts on {spec.start_on}.")
    if ended_on is not None and day >= ended_on:
        return PlanDay(day, DayKind.AFTER_END, note="The plan has ended.")
    if pause is not None and day >= pause.since:
        return PlanDay(day, DayKind.PAUSED, note=pause.reason)
    for span in spans(weeks, project(spec, weeks)):
        if span.start <= day < span.end:
            return day_in_week(spec, span, day)
    return PlanDay(day, DayKind.AFTER_END, note="The plan has ended.")


def easier_session(spec: PlanSpec, template_week: int, index: int) -> SessionTemplate:
    """A shorter version of a session, for days when the guidance says run easy: about two
    thirds of the main set, cut at a block boundary (a long run is cut to whole minutes)."""
    session = spec.templates[template_week - 1].sessions[index - 1]
    target = session.main_s * 2 // 3
    kept: list[Block] = []
    used = 0
    for block in session.blocks:
        if used + block.seconds <= target:
            kept.append(block)
            used += block.seconds
            continue
        left = (target - used) // 60 * 60
        if block.kind is BlockKind.RUN and left >= 60:
            kept.append(Block(block.kind, left))
        break
    if not kept:
        first = session.blocks[0]
        kept.append(Block(first.kind, max(60, first.seconds * 2 // 3 // 60 * 60)))
    return SessionTemplate(tuple(kept), session.note)


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """A week of the calendar, for display."""

    span: WeekSpan
    days: tuple[PlanDay, ...] = field(default=())


def calendar(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    *,
    pause: PauseState | None = None,
    ended_on: date | None = None,
) -> tuple[WeekSummary, ...]:
    """Every week, lived and projected, with its days."""
    out: list[WeekSummary] = []
    for span in spans(weeks, () if ended_on else project(spec, weeks)):
        days: list[PlanDay] = []
        day = span.start
        while day < span.end:
            if pause is not None and day >= pause.since and not span.week.settled:
                days.append(_in_span(span, day, DayKind.PAUSED, note=pause.reason))
            else:
                days.append(day_in_week(spec, span, day))
            day += timedelta(days=1)
        out.append(WeekSummary(span, tuple(days)))
    return tuple(out)
