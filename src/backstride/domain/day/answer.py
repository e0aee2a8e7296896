"""The day's one answer (:class:`Day`) and its parts: the session to do, what needs attention,
the first steps and the routines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from backstride.domain.day.inputs import (
    DISCLAIMER,
    SESSION_LABELS,
    AttentionLevel,
    PlanToday,
    SessionKind,
)
from backstride.domain.guidance import (
    DECISION_WORDS,
    DECISIONS,
    Decision,
    Finding,
    RunCaps,
    TodayPlan,
)
from backstride.domain.plan import SessionTemplate

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
    ``units`` (km or mi) is the unit its words use; the JSON's numbers are always kilometres
    and SI, whatever the units.
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
    units: str = "km"  # the units its words are written in (km or mi); not part of the JSON

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

    def brief_json(self) -> dict[str, Any]:
        """The decision in brief (the Overview's and ``plan today``'s "today")."""
        return {
            "decision": self.decision,
            "headline": self.headline,
            "summary": self.summary,
            "session": self.session.to_json() if self.session else None,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            **self.brief_json(),
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
