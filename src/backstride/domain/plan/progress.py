"""How a plan moves on: each session's facts and verdict, the week settled (progress, repeat,
step back), pauses and the weeks projected ahead."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from backstride.domain.pain import (
    PAIN_RULES,
    PainEntry,
    PainFeel,
    PainRules,
    PainWhen,
    RunPainCheck,
)
from backstride.domain.plan.schedule import (
    LONG_PAUSE_DAYS,
    WEEKDAY_WORDS,
    Light,
    Outcome,
)
from backstride.domain.plan.state import (
    PlanSpec,
    PlanWeek,
    next_run_date,
    week_run_dates,
)

# --- facts and verdicts ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionFact:
    """What happened on a run day: done (marked, or a run logged), skipped, or neither; and the
    pain rules applied to it when done (``check``)."""

    day: date
    done: bool = False
    skipped: bool = False
    reason: str | None = None
    activity_ids: tuple[int, ...] = ()
    check: RunPainCheck | None = None


@dataclass(frozen=True, slots=True)
class SessionVerdict:
    day: date
    light: Light
    reasons: tuple[str, ...]
    detected_on: date | None  # red: the day the breach became known


def judge_session(fact: SessionFact, *, on: date) -> SessionVerdict:
    """One run session against the pain rules (Silbernagel 2007, docs/evidence.md), as
    known on ``on``: green, amber (not done, or not known whether pain settled), red (pain
    above 5, or not settled by the next morning), or pending (too early to say)."""
    day = fact.day
    when = day.isoformat()
    if not fact.done:
        if fact.skipped:
            why = f" ({fact.reason})" if fact.reason else ""
            return SessionVerdict(day, "amber", (f"The session on {when} was skipped{why}.",), None)
        if day < on:
            return SessionVerdict(
                day, "amber", (f"The session on {when} was not done (not marked or logged).",), None
            )
        return SessionVerdict(day, "pending", (), None)
    check = fact.check
    if check is not None and "too-much" in (check.during_zone, check.after_zone):
        reasons = tuple(f"Session on {when}: {r}" for r in check.reasons if "too much" in r)
        return SessionVerdict(day, "red", reasons, day)
    if check is not None and check.verdict == "outside":
        detected = day + timedelta(days=1)
        if detected > on:
            return SessionVerdict(day, "pending", (), None)
        reasons = tuple(f"Session on {when}: {r}" for r in check.reasons if "not settled" in r)
        return SessionVerdict(
            day, "red", reasons or (f"Session on {when}: pain not settled.",), detected
        )
    if check is None or check.verdict == "not-known-yet":
        if on <= day + timedelta(days=1):
            return SessionVerdict(day, "pending", (), None)
        return SessionVerdict(
            day,
            "amber",
            (
                f"No next-morning check-in after the session on {when}, so it is not known "
                "whether pain settled.",
            ),
            None,
        )
    return SessionVerdict(day, "green", (), None)


def morning_rise(
    entries: Sequence[PainEntry], *, start: date, end: date, rules: PainRules = PAIN_RULES
) -> tuple[str, ...]:
    """Reasons when next-morning pain or stiffness rose in [start, end) against the 7 days
    before (the model: morning pain and stiffness must not rise week to week; Silbernagel
    2007). Thresholds from ``PainRules``."""

    def window(a: date, b: date) -> list[PainEntry]:
        return [e for e in entries if e.when is PainWhen.NEXT_MORNING and a <= e.day < b]

    now = window(start, end)
    before = window(start - timedelta(days=7), start)
    if not now or not before:
        return ()
    reasons: list[str] = []
    mean_now = sum(e.score for e in now) / len(now)
    mean_before = sum(e.score for e in before) / len(before)
    if mean_now - mean_before >= rules.morning_rise_points - 1e-9:
        reasons.append(
            f"Morning pain rose this week (average {mean_now:.1f}/10 against {mean_before:.1f} "
            "the week before)."
        )
    stiff_now = sum(PainFeel.STIFFNESS in e.feels for e in now) / len(now)
    stiff_before = sum(PainFeel.STIFFNESS in e.feels for e in before) / len(before)
    if stiff_now - stiff_before >= rules.stiffness_rise_share - 1e-9:
        reasons.append(
            f"Morning stiffness came on more often this week ({stiff_now:.0%} of mornings "
            f"against {stiff_before:.0%} the week before)."
        )
    return tuple(reasons)


# --- settling weeks -------------------------------------------------------------------------------


class EventKind(enum.StrEnum):
    STARTED = "started"
    ADVANCED = "advanced"
    REPEATED = "repeated"
    STEPPED_BACK = "stepped_back"
    PAUSED = "paused"
    RESUMED = "resumed"
    STOPPED = "stopped"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class PlanEvent:
    day: date
    kind: EventKind
    message: str
    week_seq: int | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    weeks: tuple[PlanWeek, ...]
    events: tuple[PlanEvent, ...] = ()
    finished_on: date | None = None


FactSource = Callable[[date], SessionFact]


def _week_label(spec: PlanSpec, template_week: int) -> str:
    return f"week {template_week} of {len(spec.templates)}"


def settle(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    *,
    facts: FactSource,
    mornings: Sequence[PainEntry],
    until: date,
    hold: str | None = None,
) -> Progress:
    """Decide every week that can be decided by ``until``, in order.

    A red session ends its week at once (step back, extra rest day); otherwise a week is
    decided once its window is over and the morning after its last session has passed.
    ``hold`` (why, in words) keeps a week that would advance at the same level: no impact
    progression, for example during a pregnancy (ACOG 2020).
    """
    out = list(weeks)
    events: list[PlanEvent] = []
    templates = spec.templates
    finished_on: date | None = None
    while out and not out[-1].settled:
        week = out[-1]
        sessions = week_run_dates(spec, week)
        verdicts = [judge_session(facts(d), on=until) for d in sessions if d <= until]
        red = next((v for v in verdicts if v.light == "red"), None)
        if red is not None:
            assert red.detected_on is not None
            rest_day = next_run_date(spec, red.day)
            back_to = max(1, week.template_week - 1)
            step = (
                f"Stepping back to {_week_label(spec, back_to)}"
                if back_to < week.template_week
                else f"Starting {_week_label(spec, back_to)} again (there is no earlier week)"
            )
            reasons = (
                *red.reasons,
                f"{step}. {rest_day.isoformat()} ({WEEKDAY_WORDS[rest_day.weekday()]}) becomes "
                "an extra rest day.",
            )
            out[-1] = replace(
                week,
                cut_on=red.day,
                rest_day_on=rest_day,
                outcome=Outcome.STEP_BACK,
                reasons=reasons,
                settled_on=red.detected_on,
            )
            out.append(
                PlanWeek(
                    seq=week.seq + 1,
                    template_week=back_to,
                    starts_on=rest_day + timedelta(days=1),
                )
            )
            events.append(
                PlanEvent(red.detected_on, EventKind.STEPPED_BACK, " ".join(reasons), week.seq)
            )
            continue
        last = sessions[-1] if sessions else week.starts_on
        settle_day = max(week.window_end, last + timedelta(days=2))
        if until < settle_day:
            break
        ambers = [r for v in verdicts if v.light == "amber" for r in v.reasons]
        ambers += list(morning_rise(mornings, start=week.starts_on, end=week.window_end))
        if ambers:
            reasons = (
                *ambers,
                f"Repeating {_week_label(spec, week.template_week)}: a week advances only when "
                "every session is done within the pain rules.",
            )
            outcome, nxt, kind = Outcome.REPEAT, week.template_week, EventKind.REPEATED
        elif hold is not None:
            reasons = (
                f"Every session went within the pain rules. Staying at "
                f"{_week_label(spec, week.template_week)}: {hold}",
            )
            outcome, nxt, kind = Outcome.REPEAT, week.template_week, EventKind.REPEATED
        elif week.template_week >= len(templates):
            reasons = (
                f"Every session of the last week went within the pain rules: the "
                f"{spec.goal.value.upper()} plan is complete.",
            )
            outcome, nxt, kind = Outcome.FINISHED, week.template_week, EventKind.FINISHED
        else:
            reasons = (
                f"Every session went within the pain rules: on to "
                f"{_week_label(spec, week.template_week + 1)}.",
            )
            outcome, nxt, kind = Outcome.ADVANCE, week.template_week + 1, EventKind.ADVANCED
        out[-1] = replace(week, outcome=outcome, reasons=reasons, settled_on=settle_day)
        events.append(PlanEvent(settle_day, kind, " ".join(reasons), week.seq))
        if outcome is Outcome.FINISHED:
            finished_on = settle_day
            break
        out.append(PlanWeek(seq=week.seq + 1, template_week=nxt, starts_on=week.window_end))
    return Progress(tuple(out), tuple(events), finished_on)


def interrupt(
    spec: PlanSpec,
    weeks: Sequence[PlanWeek],
    *,
    paused_from: date,
    resume_on: date,
    why: str,
    step_back: bool = False,
) -> Progress:
    """End the current week at a pause and open the next one on ``resume_on``: the same week
    again, or one back after a pause of ``LONG_PAUSE_DAYS`` or more, or after a pause for a
    warning sign (``step_back``: training resumes one step back once a clinician said so)."""
    out = list(weeks)
    week = out[-1]
    if week.settled:
        return Progress(tuple(out))
    days_off = (resume_on - paused_from).days
    long_pause = days_off >= LONG_PAUSE_DAYS or step_back
    back_to = max(1, week.template_week - 1) if long_pause else week.template_week
    reasons = (
        f"Paused from {paused_from.isoformat()} to {resume_on.isoformat()} ({days_off} days): "
        f"{why}",
        (
            (
                f"After two weeks or more off, back to {_week_label(spec, back_to)}."
                if days_off >= LONG_PAUSE_DAYS
                else f"After a pause for safety, one step back: {_week_label(spec, back_to)}."
            )
            if long_pause
            else f"Picking up {_week_label(spec, back_to)} again from the start."
        ),
    )
    cut = max(week.starts_on, paused_from) - timedelta(days=1)
    out[-1] = replace(
        week,
        cut_on=cut,
        paused_from=paused_from,
        outcome=Outcome.STEP_BACK if back_to < week.template_week else Outcome.REPEAT,
        reasons=reasons,
        settled_on=resume_on,
    )
    out.append(PlanWeek(seq=week.seq + 1, template_week=back_to, starts_on=resume_on))
    event = PlanEvent(resume_on, EventKind.RESUMED, " ".join(reasons), week.seq)
    return Progress(tuple(out), (event,))


def project(spec: PlanSpec, weeks: Sequence[PlanWeek]) -> tuple[PlanWeek, ...]:
    """The weeks still to come if every week goes within the rules (not stored)."""
    if not weeks or weeks[-1].outcome in (Outcome.FINISHED, Outcome.STOPPED):
        return ()
    last = weeks[-1]
    out: list[PlanWeek] = []
    for number in range(last.template_week + 1, len(spec.templates) + 1):
        prev = out[-1] if out else last
        out.append(PlanWeek(seq=prev.seq + 1, template_week=number, starts_on=prev.window_end))
    return tuple(out)
