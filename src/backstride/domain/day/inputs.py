"""What the day's answer is made from: the decision vocabulary beside the guidance's, the
session kinds and their labels, and what the plan and the records say about the day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from backstride.domain.guidance import (
    DECISIONS,
    Decision,
)
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
