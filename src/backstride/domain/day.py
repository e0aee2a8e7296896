"""The day: one answer for a runner and a date, the same on every surface.

Pure: no I/O, no clock. The service (``services/day.py``) gathers the guidance's findings and
advice (``domain/guidance/``), the run limits from her own runs, what her plan holds that
day, and what is known about her at all; :func:`combine` turns them into one frozen
:class:`Day`: the decision, the session to do (or none), the reasons and the things that need
her attention. ``backstride today``, ``backstride plan today``, the Today, Plan and Overview
pages, ``/api/today`` and ``/api/overview`` all render that one object.

The rules (docs/guidance.md, "One answer for the day"):

- The decision is never less careful than the guidance's: red flags and clinical findings win
  (``urgent_care``, ``see_professional``), then ``start_here`` (the health questions are not
  answered, or nothing is known about her yet), then the plan and the guidance together.
- The guidance may make a planned session easier or replace it; it never turns a plan's rest
  day into a run. A plan's strength or cross-training day is a day without a run
  (``cross_train``); its rest day is ``rest``.
- Without a plan nothing says "as planned": the answer comes from her own runs (her typical
  run, within the limits of :class:`~backstride.domain.guidance.RunCaps`) and offers a plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from backstride.domain.guidance import (
    DECISION_WORDS,
    DECISIONS,
    Decision,
    Finding,
    RunCaps,
    TodayPlan,
)
from backstride.domain.pain import RED_FLAGS, OpenRedFlag, Urgency
from backstride.domain.plan import BlockKind, SessionTemplate

#: Shown with every answer for the day (text, pages and JSON ``"disclaimer"``).
DISCLAIMER = (
    "backstride coaches; it does not diagnose, and this is not medical advice. If pain is "
    "severe, spreading, or comes with numbness or weakness, see a professional."
)

SessionKind = Literal[
    "run", "run_walk", "walk_cycle", "shorter", "cross_train", "strength", "rest", "walk"
]
AttentionLevel = Literal["info", "caution", "alert"]

#: Plan day kinds that hold something to do (or a planned rest).
ACTIVE_PLAN_DAYS = ("run", "strength", "cross_train", "rest", "inserted_rest")
#: What a plan day asks for on its own, in the decision vocabulary.
PLAN_DAY_DECISION: Mapping[str, Decision] = {
    "run": "run",
    "strength": "cross_train",
    "cross_train": "cross_train",
    "rest": "rest",
    "inserted_rest": "rest",
}


def more_careful(a: Decision, b: Decision) -> Decision:
    """The more careful of two decisions (``urgent_care`` is the most careful)."""
    return a if DECISIONS.index(a) >= DECISIONS.index(b) else b


def session_kind(session: SessionTemplate) -> SessionKind:
    """What a plan session really is: walk/cycle blocks only, run/walk, or a continuous run."""
    if session.run_s == 0:
        return "walk_cycle"
    if any(b.kind is not BlockKind.RUN for b in session.blocks):
        return "run_walk"
    return "run"


SESSION_LABELS: Mapping[str, str] = {
    "run": "Run",
    "run_walk": "Run/walk",
    "walk_cycle": "Walk/cycle",
    "shorter": "Shorter session",
    "cross_train": "Cross-training",
    "strength": "Strength",
    "rest": "Rest",
    "walk": "Walk",
}


# ---------------------------------------------------------------------------------------------
# The inputs


@dataclass(frozen=True, slots=True)
class PlanToday:
    """What the runner's plan holds on the day, as the combination needs it.

    ``kind`` is a plan day kind (``run``, ``strength``, ``cross_train``, ``rest``,
    ``inserted_rest``, ``paused``, ``before_start``, ``after_end``); ``title`` its plain words
    ("Walk/cycle session 2 of 3"); ``easier`` the shorter session for days the guidance asks
    for an easy run.
    """

    kind: str
    title: str
    goal: str
    variant: str
    week: int | None
    weeks_total: int
    session: SessionTemplate | None = None
    easier: SessionTemplate | None = None
    cross_training: str | None = None
    cross_minutes: int | None = None
    note: str | None = None
    paused_by_gate: bool = False
    starts_on: date | None = None

    @property
    def active(self) -> bool:
        return self.kind in ACTIVE_PLAN_DAYS

    @property
    def words(self) -> str:
        """``5K plan (stenosis variant, week 10 of 15)``."""
        week = f", week {self.week} of {self.weeks_total}" if self.week else ""
        return f"{self.goal.upper()} plan ({self.variant} variant{week})"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "goal": self.goal,
            "variant": self.variant,
            "week": self.week,
            "weeks_total": self.weeks_total,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class StartFacts:
    """What is known about the runner at all."""

    screened: bool
    profile_set: bool
    has_activities: bool
    has_recent_runs: bool
    has_plan: bool


# ---------------------------------------------------------------------------------------------
# The answer


@dataclass(frozen=True, slots=True)
class SessionToDo:
    """The session to do today. ``blocks`` is the main set of a plan session."""

    kind: SessionKind
    title: str
    what: str
    minutes: int | None = None
    max_km: float | None = None
    from_plan: bool = False
    blocks: SessionTemplate | None = None

    @property
    def label(self) -> str:
        return SESSION_LABELS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "title": self.title,
            "what": self.what,
            "minutes": self.minutes,
            "max_km": self.max_km,
            "from_plan": self.from_plan,
            "main": self.blocks.describe() if self.blocks else None,
            "run_s": self.blocks.run_s if self.blocks else None,
        }


@dataclass(frozen=True, slots=True)
class Attention:
    """One thing that needs the runner's attention, and where it is handled: ``href`` on the
    dashboard, ``command`` on the command line."""

    id: str
    level: AttentionLevel
    title: str
    message: str
    href: str
    command: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "message": self.message,
            "href": self.href,
            "command": self.command,
        }


@dataclass(frozen=True, slots=True)
class StartStep:
    """One of the first things to do with backstride."""

    key: str
    title: str
    why: str
    href: str
    command: str
    done: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "why": self.why,
            "href": self.href,
            "command": self.command,
            "done": self.done,
        }


@dataclass(frozen=True, slots=True)
class Routine:
    """A routine that goes with today's session."""

    key: str  # warmup | cooldown | core | mobility
    title: str
    optional: bool

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "optional": self.optional}


@dataclass(frozen=True, slots=True)
class Day:
    """The one answer for a day.

    ``advice`` is the guidance's concrete advice (distance limit, routes, alternatives, who to
    see); ``planned`` what the plan holds (None without a plan); ``steps`` the first things to
    do (shown with ``start_here``; the plan step is offered whenever there is no plan).
    ``to_json()``: ``{"date", "decision", "headline", "summary", "session", "reasons",
    "attention", "routines", "plan", "steps", "caps", "advice", "findings", "disclaimer"}``.
    """

    day: date
    decision: Decision
    headline: str
    summary: str
    session: SessionToDo | None
    reasons: tuple[str, ...]
    attention: tuple[Attention, ...]
    advice: TodayPlan
    findings: tuple[Finding, ...]
    planned: PlanToday | None = None
    steps: tuple[StartStep, ...] = ()
    routines: tuple[Routine, ...] = ()
    caps: RunCaps | None = None
    disclaimer: str = DISCLAIMER

    @property
    def plan(self) -> TodayPlan:
        """The guidance's advice (the name ``TodayAdvice.plan`` had before the day existed)."""
        return self.advice

    @property
    def emergencies(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.id == "redflag.emergency")

    @property
    def decision_words(self) -> str:
        return DECISION_WORDS[self.decision]

    @property
    def planned_day_off(self) -> bool:
        """A rest, strength or cross-training day that is simply what the plan holds (not a
        change the findings asked for): shown calmly, not as a warning."""
        s = self.session
        return (
            s is not None
            and s.from_plan
            and self.decision in ("rest", "cross_train")
            and DECISIONS.index(self.advice.decision) < DECISIONS.index(self.decision)
        )

    @property
    def open_steps(self) -> tuple[StartStep, ...]:
        return tuple(s for s in self.steps if not s.done)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "decision": self.decision,
            "headline": self.headline,
            "summary": self.summary,
            "session": self.session.to_json() if self.session else None,
            "reasons": list(self.reasons),
            "attention": [a.to_json() for a in self.attention],
            "routines": [r.to_json() for r in self.routines],
            "plan": self.planned.to_json() if self.planned else None,
            "steps": [s.to_json() for s in self.steps],
            "caps": self.caps.to_json() if self.caps else None,
            "advice": self.advice.to_json(),
            "findings": [f.to_json() for f in self.findings],
            "disclaimer": self.disclaimer,
        }


# ---------------------------------------------------------------------------------------------
# Attention: where each finding is handled

#: Finding id (or its prefix before the dot) -> (dashboard page, command).
WHERE: Mapping[str, tuple[str, str | None]] = {
    "redflag.prompt": ("/diary", "backstride pain list"),
    "screening.clearance_needed": ("/profile#clearance", "backstride clearance add"),
    "data.no_screening": ("/profile#screening", "backstride screen"),
    "data.no_morning_checkin": ("/checkin", "backstride checkin"),
    "data.no_heart_rate": ("/activities", "backstride activity edit"),
    "data.no_shoes": ("/shoes", "backstride shoes list"),
    "data.no_selftests": ("/self-tests", "backstride selftest list"),
    "pain": ("/diary", "backstride pain report"),
    "load": ("/load", "backstride load"),
    "recovery": ("/load", "backstride load"),
    "variety": ("/load", "backstride load"),
    "gear": ("/shoes", "backstride shoes list"),
    "terrain": ("/today", "backstride route list"),
    "body": ("/self-tests", "backstride selftest list"),
    "history": ("/profile", "backstride profile show"),
    "form": ("/today", "backstride today"),
    "warmup": ("/exercises", "backstride routine warmup"),
    "screening": ("/profile", "backstride clearance list"),
    "redflag": ("/today", "backstride today"),
    "data": ("/today", "backstride today"),
}
_LEVEL: Mapping[str, AttentionLevel] = {
    "info": "info",
    "caution": "caution",
    "reduce": "caution",
    "stop": "alert",
    "urgent": "alert",
}


def where(finding_id: str) -> tuple[str, str | None]:
    """The page and the command where a finding is handled."""
    if finding_id in WHERE:
        return WHERE[finding_id]
    return WHERE.get(finding_id.split(".", 1)[0], ("/today", "backstride today"))


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it is one)."""
    return _SENTENCE.split(text.strip(), maxsplit=1)[0]


def _flag_attention(o: OpenRedFlag) -> Attention:
    info = RED_FLAGS[o.flag]
    prompt = o.urgency is Urgency.PROMPT
    when = "a doctor within the next few days" if prompt else "medical help today"
    return Attention(
        id=f"redflag.{o.flag.value}",
        level="alert",
        title=f"Warning sign: {info.plain}",
        message=(
            f"Reported on {o.last_reported_on.isoformat()}; it needs {when}. Once you have been "
            "seen, record it: the plan and the runs wait until then."
        ),
        href="/diary" if prompt else "/today",
        command=f"backstride pain seen --flag {o.flag.value} --on DATE",
    )


def attention_for(
    findings: Sequence[Finding], open_flags: Sequence[OpenRedFlag]
) -> tuple[Attention, ...]:
    """Every open red flag (one item each, first), then every finding at ``caution`` or above,
    most serious first; each with the page and the command where it is handled."""
    items = [_flag_attention(o) for o in open_flags]
    flagged = bool(open_flags)
    for f in findings:
        if f.level == "info" or (flagged and f.id.startswith("redflag.")):
            continue
        href, command = where(f.id)
        if f.id == "data.no_heart_rate" and "activity_id" in f.evidence:
            href = f"/activities/{f.evidence['activity_id']}"
        items.append(
            Attention(
                id=f.id,
                level=_LEVEL[f.level],
                title=f.title,
                message=first_sentence(f.reason),
                href=href,
                command=command,
            )
        )
    return tuple(items)


# ---------------------------------------------------------------------------------------------
# First steps


def start_steps(start: StartFacts) -> tuple[StartStep, ...]:
    """The first things to do, each marked done or not."""
    return (
        StartStep(
            "screening",
            "Answer the health questions",
            "Twelve yes/no questions tell whether a doctor should check you before a running "
            "plan. backstride suggests no run before they are answered.",
            "/profile#screening",
            "backstride screen",
            start.screened,
        ),
        StartStep(
            "profile",
            "Fill in your profile",
            "Your birth year, running experience and any back condition shape the advice.",
            "/profile#profile",
            "backstride profile set --birth-year YYYY --experience new|returning|regular",
            start.profile_set,
        ),
        StartStep(
            "import",
            "Import your runs",
            "Your own runs set today's distances and the week a plan starts from.",
            "/import",
            "backstride import FOLDER",
            start.has_activities,
        ),
        StartStep(
            "plan",
            "Start a plan",
            "Three gentle sessions a week that start where you are and adapt to your pain.",
            "/plan#start-h",
            "backstride plan start --goal 5k --days mon,wed,sat",
            start.has_plan,
        ),
    )


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


def _cap_words(caps: RunCaps | None) -> str:
    if caps is None or caps.cap_km is None:
        return ""
    return f", no longer than {caps.cap_km:g} km"


def _own_run(decision: Decision, caps: RunCaps | None) -> SessionToDo:
    """An easy run from her own history (no plan)."""
    cap = caps.cap_km if caps else None
    typical = caps.typical_km if caps else None
    if decision == "run_easy":
        what = (
            f"At most {cap:g} km, flat, at an easy pace; walk breaks are fine"
            if cap
            else "Shorter than usual, flat, at an easy pace; walk breaks are fine"
        )
        return SessionToDo("run", "An easy run", what, max_km=cap)
    size = min(typical, cap) if typical and cap else typical or cap
    what = (
        f"About {size:g} km at an easy pace, like your usual runs{_cap_words(caps)}"
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


def _later(findings: Sequence[Finding], caps: RunCaps | None) -> str:
    """What the findings ask of the next run when the plan's day asks for less than a run."""
    asking = [f for f in findings if f.asks in ("run_easy", "cross_train") and not f.for_later]
    if not asking:
        return ""
    cap = f" ({caps.cap_km:g} km at most)" if caps is not None and caps.cap_km else ""
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
) -> Day:
    """The day's one answer (see the module docstring for the rules)."""
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
        return _with_plan(decision, guidance, findings, advice, caps, planned)
    if planned is not None:  # paused by the safety gate, and the findings ask for no more
        return (
            "Rest today: your plan is paused for your safety",
            f"{planned.note or 'Your plan is paused.'} A gentle walk and easy stretches are fine.",
            SessionToDo("rest", "Rest", "No training. A gentle walk and easy stretches are fine."),
        )
    return _without_plan(decision, findings, advice, caps, other_plan)


def _with_plan(
    decision: Decision,
    guidance: Decision,
    findings: tuple[Finding, ...],
    advice: TodayPlan,
    caps: RunCaps | None,
    p: PlanToday,
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
                f"easy stretches are fine.{_later(findings, caps)}",
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
            f"Your {p.words} holds {own.what.lower()} today.{extra}{_later(findings, caps)}",
            own,
        )
    assert p.kind == "run" and own is not None and p.session is not None
    if decision == "run_easy":
        easier = p.easier or p.session
        shorter = SessionToDo(
            "shorter",
            f"A shorter {p.title.lower()}",
            f"{easier.describe()} (about two thirds of the plan's session), flat, at an easy "
            f"pace{_cap_words(caps)}",
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
    cautions = [f for f in findings if f.level == "caution"]
    note = (
        " Keep in mind: " + "; ".join(f.title.lower() for f in cautions[:3]) + "."
        if cautions
        else ""
    )
    return (
        f"Run as planned: {p.title.lower()}",
        f"Your {p.words} holds {own.what} today, and nothing in your records argues against "
        f"it. Warm up first, and check in tomorrow morning.{note}",
        own,
    )


def _without_plan(
    decision: Decision,
    findings: tuple[Finding, ...],
    advice: TodayPlan,
    caps: RunCaps | None,
    other: PlanToday | None,
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
    session = _own_run(decision, caps)
    if decision == "run_easy":
        return (
            "Run easy: shorter, flatter, slower",
            f"Because: {because}. You have no plan running, so this comes from your own runs: "
            f"{session.what.lower()}.{offer}",
            session,
        )
    cautions = [f for f in findings if f.level == "caution"]
    note = (
        " Keep in mind: " + "; ".join(f.title.lower() for f in cautions[:3]) + "."
        if cautions
        else ""
    )
    return (
        "You can run today: an easy run like your usual ones",
        f"You have no plan running, so this comes from your own runs: {session.what.lower()}. "
        f"Nothing in your records argues against it.{note}{offer}",
        session,
    )
