"""What a rule returns: a :class:`Finding`, its level and the decision it asks for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from backstride.domain.evidence import keys_in

Level = Literal["info", "caution", "reduce", "stop", "urgent"]
Decision = Literal[
    "run", "run_easy", "cross_train", "rest", "start_here", "see_professional", "urgent_care"
]

LEVELS: tuple[Level, ...] = ("info", "caution", "reduce", "stop", "urgent")
DECISIONS: tuple[Decision, ...] = (
    "run",
    "run_easy",
    "cross_train",
    "rest",
    "start_here",
    "see_professional",
    "urgent_care",
)

LEVEL_WORDS: Mapping[str, str] = {
    "info": "Note",
    "caution": "Take care",
    "reduce": "Run less",
    "stop": "No run today",
    "urgent": "Urgent",
}
DECISION_WORDS: Mapping[str, str] = {
    "run": "You can run today",
    "run_easy": "Run easy: shorter, flatter, slower",
    "cross_train": "No run today: do something else instead",
    "rest": "Rest today",
    "start_here": "Start here: a few things to do before a run",
    "see_professional": "See a professional before your next run",
    "urgent_care": "Get medical help now",
}


# ---------------------------------------------------------------------------------------------
# Findings


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the guidance noticed. ``evidence`` holds the runner's own numbers."""

    id: str
    level: Level
    title: str
    reason: str
    evidence: Mapping[str, Any]
    source: str
    action: str
    asks: Decision = "run"
    # True for a finding that alone would allow a run, shown under a decision that does not:
    # it is for when running starts again, and ``asks`` then repeats the day's decision.
    for_later: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "reason": self.reason,
            "evidence": dict(self.evidence),
            "source": self.source,
            "sources": list(keys_in([self.source])),
            "action": self.action,
            "asks": self.asks,
            "for_later": self.for_later,
        }


def rank(finding: Finding) -> tuple[int, int]:
    """Seriousness: what it asks for first, then its level."""
    return DECISIONS.index(finding.asks), LEVELS.index(finding.level)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most serious first; emergencies always lead. Stable for equal seriousness."""
    return tuple(sorted(findings, key=lambda f: (-rank(f)[0], -rank(f)[1])))


def decide(findings: Iterable[Finding]) -> Decision:
    """The most cautious decision any finding asks for (``run`` when none asks for more)."""
    return max((f.asks for f in findings), key=DECISIONS.index, default="run")


_ALLOW_RUNNING: tuple[Decision, ...] = ("run", "run_easy")


def defer_notes(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Under a decision that rules out running today (``cross_train`` and more cautious), a
    finding that alone would allow a run (``run``, ``run_easy``) never says so: its ``asks``
    becomes the day's decision and ``for_later`` marks it as advice for when running starts
    again. The order and the decision do not change."""
    decision = decide(findings)
    if decision in _ALLOW_RUNNING:
        return tuple(findings)
    return tuple(
        replace(f, asks=decision, for_later=True) if f.asks in _ALLOW_RUNNING else f
        for f in findings
    )
