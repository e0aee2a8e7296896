"""The combination (:func:`combine`): the guidance, the plan and her own runs into one
:class:`Day`; the more careful decision always wins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from backstride.domain.day.answer import (
    Day,
    Routine,
    SessionToDo,
)
from backstride.domain.day.attention import (
    attention_for,
    start_steps,
)
from backstride.domain.day.inputs import (
    PLAN_DAY_DECISION,
    PlanToday,
    StartFacts,
    more_careful,
    session_kind,
)
from backstride.domain.guidance import (
    DECISIONS,
    Decision,
    Finding,
    RunCaps,
    TodayPlan,
)
from backstride.domain.guidance.message import Voice
from backstride.domain.pain import OpenRedFlag
from backstride.domain.plan import SessionTemplate

# ---------------------------------------------------------------------------------------------
# The combination


def _minutes(session: SessionTemplate) -> int:
    return round(session.total_s / 60)


def _plan_session(p: PlanToday) -> SessionToDo | None:
    if p.kind == "run" and p.session is not None:
        s = p.session
        return SessionToDo(
            session_kind(s),
            p.title,
            s.describe(),
            minutes=_minutes(s),
            from_plan=True,
            blocks=s,
        )
    if p.kind == "strength":
        return SessionToDo(
            "strength", "Core and hip strength", "The core and hip routine", 20, from_plan=True
        )
    if p.kind == "cross_train":
        name = p.cross_training or "Cross-training"
        minutes = p.cross_minutes
        what = f"{name}, {minutes} minutes at an easy effort" if minutes else name
        return SessionToDo("cross_train", name, what, minutes, from_plan=True)
    if p.kind in ("rest", "inserted_rest"):
        title = "Extra rest day" if p.kind == "inserted_rest" else "Rest day"
        return SessionToDo(
            "rest",
            title,
            "No training. A gentle walk and easy stretches are fine.",
            from_plan=True,
        )
    return None


def _cap_words(caps: RunCaps | None, voice: Voice) -> str:
    if caps is None or caps.cap_km is None or caps.cap_m is None:
        return ""
    return f", no longer than {voice.distance(caps.cap_m)}"


def _own_run(decision: Decision, caps: RunCaps | None, voice: Voice) -> SessionToDo:
    """An easy run from her own history (no plan)."""
    cap = caps.cap_km if caps else None
    typical = caps.typical_km if caps else None
    cap_m = caps.cap_m if caps else None
    typical_m = caps.typical_m if caps else None
    if decision == "run_easy":
        what = (
            f"At most {voice.distance(cap_m or 0.0)}, flat, at an easy pace; walk breaks are fine"
            if cap
            else "Shorter than usual, flat, at an easy pace; walk breaks are fine"
        )
        return SessionToDo("run", "An easy run", what, max_km=cap)
    size = min(typical, cap) if typical and cap else typical or cap
    size_m = (
        min(typical_m or 0.0, cap_m or 0.0)
        if typical and cap
        else (typical_m if typical else cap_m)
    )
    what = (
        f"About {voice.distance(size_m or 0.0)} at an easy pace, like your usual runs"
        f"{_cap_words(caps, voice)}"
        if size
        else "A short run at an easy pace"
    )
    return SessionToDo("run", "An easy run", what, max_km=cap)


def _guidance_alternative(advice: TodayPlan, minutes: int | None) -> SessionToDo:
    if advice.activities:
        a = advice.activities[0]
        how = f"for about {minutes} minutes, easy" if minutes else a.how
        return SessionToDo("cross_train", a.activity.capitalize(), f"{a.activity}, {how}", minutes)
    return SessionToDo("cross_train", "Something other than running", "An easy ride or swim")


def _routines(decision: Decision, session: SessionToDo | None) -> tuple[Routine, ...]:
    if decision in ("run", "run_easy") and session is not None and session.kind != "rest":
        return (
            Routine("warmup", "Warm-up: 5 minutes of brisk walking, then easy drills", False),
            Routine("cooldown", "After the run: an easy walk and the stretches", False),
        )
    if session is not None and session.kind == "strength":
        return (Routine("core", "The core and hip routine", False),)
    if decision in ("rest", "cross_train", "start_here"):
        return (Routine("mobility", "The 10-minute mobility routine, if it feels good", True),)
    return ()


def _because(findings: Sequence[Finding], decision: Decision) -> str:
    titles = [f.title.lower() for f in findings if f.asks == decision and not f.for_later][:3]
    return "; ".join(titles)


def _later(findings: Sequence[Finding], caps: RunCaps | None, voice: Voice) -> str:
    """What the findings ask of the next run when the plan's day asks for less than a run."""
    asking = [f for f in findings if f.asks in ("run_easy", "cross_train") and not f.for_later]
    if not asking:
        return ""
    cap = (
        f" ({voice.distance(caps.cap_m or 0.0)} at most)"
        if caps is not None and caps.cap_km
        else ""
    )
    return (
        f" For your next run, take care: {asking[0].title.lower()}; keep it easy{cap}."
        if asking[0].asks == "run_easy"
        else f" Before your next run: {asking[0].title.lower()}."
    )


def combine(
    *,
    on: date,
    findings: Sequence[Finding],
    advice: TodayPlan,
    caps: RunCaps | None,
    planned: PlanToday | None,
    start: StartFacts,
    open_flags: Sequence[OpenRedFlag] = (),
    units: str = "km",
) -> Day:
    """The day's one answer (see the module docstring for the rules). ``units`` (km or mi)
    is for the words only: the decision never depends on it."""
    voice = Voice(units)
    found = tuple(findings)
    g: Decision = advice.decision
    active = planned is not None and planned.active
    gate_paused = planned is not None and planned.kind == "paused" and planned.paused_by_gate
    # Nothing to size a run from and nothing else to say: the first steps, not "run".
    no_data = not active and not gate_paused and not start.has_recent_runs and g == "run"
    if active:
        assert planned is not None
        decision = more_careful(PLAN_DAY_DECISION[planned.kind], g)
    elif gate_paused:
        decision = more_careful("rest", g)
    elif no_data:
        decision = "start_here"
    else:
        decision = g
    steps = start_steps(start)
    attention = attention_for(found, open_flags)
    reasons = tuple(f"{f.title}." for f in found if f.asks != "run" and not f.for_later)
    headline, summary, session = _words(
        decision=decision,
        guidance=g,
        findings=found,
        advice=advice,
        caps=caps,
        planned=planned if (active or gate_paused) else None,
        other_plan=planned if not (active or gate_paused) else None,
        start=start,
        voice=voice,
    )
    plan_line = _plan_line(planned)
    if plan_line:
        reasons = (plan_line, *reasons)
    return Day(
        day=on,
        decision=decision,
        headline=headline,
        summary=summary,
        session=session,
        reasons=reasons,
        attention=attention,
        advice=advice,
        findings=found,
        planned=planned,
        steps=steps,
        routines=_routines(decision, session),
        caps=caps,
        units=voice.units,
    )


def _plan_line(p: PlanToday | None) -> str:
    if p is None:
        return ""
    if p.kind == "paused":
        return f"Your {p.words} is paused: {p.note or 'resume it when you are ready'}"
    if p.kind == "before_start":
        return f"Your {p.goal.upper()} plan starts on {p.starts_on or 'a later day'}."
    if p.kind == "after_end":
        return f"Your {p.goal.upper()} plan has ended."
    return f"Your {p.words} holds: {p.title.lower()}."


def _words(
    *,
    decision: Decision,
    guidance: Decision,
    findings: tuple[Finding, ...],
    advice: TodayPlan,
    caps: RunCaps | None,
    planned: PlanToday | None,
    other_plan: PlanToday | None,
    start: StartFacts,
    voice: Voice,
) -> tuple[str, str, SessionToDo | None]:
    """Headline, summary and session for the decision, from where it came."""
    if decision in ("urgent_care", "see_professional"):
        return advice.headline, advice.summary, None
    if decision == "start_here":
        if not start.screened:
            return (
                "Answer the health questions first",
                "backstride has not asked its twelve health questions yet, so it cannot tell "
                "whether running suits you now and does not suggest a run. Answer them first; "
                "walking and gentle movement are fine meanwhile.",
                None,
            )
        return (
            "Start here: import your runs or start a plan",
            "backstride knows no runs of yours from the last weeks, so it cannot size a run "
            "for you. Import your runs, or start a plan: it begins gently and adapts to your "
            "pain. Walking and gentle movement are fine meanwhile.",
            None,
        )
    if planned is not None and planned.active:
        return _with_plan(decision, guidance, findings, advice, caps, planned, voice)
    if planned is not None:  # paused by the safety gate, and the findings ask for no more
        return (
            "Rest today: your plan is paused for your safety",
            f"{planned.note or 'Your plan is paused.'} A gentle walk and easy stretches are fine.",
            SessionToDo("rest", "Rest", "No training. A gentle walk and easy stretches are fine."),
        )
    return _without_plan(decision, findings, advice, caps, other_plan, voice)


def _with_plan(
    decision: Decision,
    guidance: Decision,
    findings: tuple[Finding, ...],
    advice: TodayPlan,
    caps: RunCaps | None,
    p: PlanToday,
    voice: Voice,
) -> tuple[str, str, SessionToDo | None]:
    base = PLAN_DAY_DECISION[p.kind]
    own = _plan_session(p)
    because = _because(findings, decision)
    from_plan = DECISIONS.index(base) >= DECISIONS.index(guidance)
    if decision == "rest":
        if from_plan:
            title = own.title if own else "Rest day"
            return (
                f"{title} in your plan",
                f"Your {p.words} has a {title.lower()} today: no training. A gentle walk and "
                f"easy stretches are fine.{_later(findings, caps, voice)}",
                own,
            )
        return (
            "Rest today instead of your plan's session",
            f"Because: {because}. Your plan's {p.title.lower()} waits; a gentle walk and easy "
            "stretches are fine.",
            SessionToDo("rest", "Rest", "No training. A gentle walk and easy stretches are fine."),
        )
    if decision == "cross_train":
        if p.kind == "run":  # the guidance replaces the run
            minutes = own.minutes if own else None
            alt = _guidance_alternative(advice, minutes)
            return (
                f"No run today: {alt.title.lower()} instead of your session",
                f"Because: {because}. Instead of your plan's {p.title.lower()}: "
                f"{alt.what}. Stop if it brings the pain on.",
                alt,
            )
        assert own is not None
        extra = f" Because: {because}." if not from_plan and because else ""
        return (
            f"{own.title} today, no run",
            f"Your {p.words} holds {own.what.lower()} today.{extra}{_later(findings, caps, voice)}",
            own,
        )
    assert p.kind == "run" and own is not None and p.session is not None
    if decision == "run_easy":
        easier = p.easier or p.session
        shorter = SessionToDo(
            "shorter",
            f"A shorter {p.title.lower()}",
            f"{easier.describe()} (about two thirds of the plan's session), flat, at an easy "
            f"pace{_cap_words(caps, voice)}",
            minutes=_minutes(easier),
            max_km=caps.cap_km if caps else None,
            from_plan=True,
            blocks=easier,
        )
        return (
            "Run easy: a shorter session today",
            f"Because: {because}. Your plan's {p.title.lower()} is shortened to "
            f"{easier.describe()}, on a flat route, at an easy pace.",
            shorter,
        )
    note = _keep_in_mind(findings)
    return (
        f"Run as planned: {p.title.lower()}",
        f"Your {p.words} holds {own.what} today, and nothing in your records argues against "
        f"it. Warm up first, and check in tomorrow morning.{note}",
        own,
    )


def _keep_in_mind(findings: tuple[Finding, ...]) -> str:
    """ " Keep in mind: ..." for up to three cautions, or nothing."""
    cautions = [f for f in findings if f.level == "caution"]
    if not cautions:
        return ""
    return " Keep in mind: " + "; ".join(f.title.lower() for f in cautions[:3]) + "."


def _without_plan(
    decision: Decision,
    findings: tuple[Finding, ...],
    advice: TodayPlan,
    caps: RunCaps | None,
    other: PlanToday | None,
    voice: Voice,
) -> tuple[str, str, SessionToDo | None]:
    offer = (
        f" {_plan_line(other)}"
        if other is not None
        else " A plan would build up step by step from where you are (see 'Start a plan')."
    )
    because = _because(findings, decision)
    if decision == "rest":
        return (
            advice.headline,
            f"Because: {because}. A gentle walk and easy stretches are fine.",
            SessionToDo("rest", "Rest", "No training. A gentle walk and easy stretches are fine."),
        )
    if decision == "cross_train":
        alt = _guidance_alternative(advice, None)
        return advice.headline, advice.summary, alt
    session = _own_run(decision, caps, voice)
    if decision == "run_easy":
        return (
            "Run easy: shorter, flatter, slower",
            f"Because: {because}. You have no plan running, so this comes from your own runs: "
            f"{session.what.lower()}.{offer}",
            session,
        )
    note = _keep_in_mind(findings)
    return (
        "You can run today: an easy run like your usual ones",
        f"You have no plan running, so this comes from your own runs: {session.what.lower()}. "
        f"Nothing in your records argues against it.{note}{offer}",
        session,
    )
