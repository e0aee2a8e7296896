"""What a rule returns: a :class:`Finding`, its level and the decision it asks for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from backstride.domain.evidence import keys_in
from backstride.domain.guidance.message import Voice

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

    def numbers(self, units: str = "km") -> tuple[tuple[str, str], ...]:
        """The runner's own numbers in words, as (label, value) pairs: only those of
        :data:`NUMBER_WORDS` (the reason states the rest; the JSON keeps every key, in SI and
        kilometres). Distances in ``units`` (km or mi), lengths in metres or feet."""
        voice = Voice(units)
        rows: list[tuple[str, str]] = []
        for key, value in self.evidence.items():
            label = NUMBER_WORDS.get(key)
            if label is None or value is None or isinstance(value, bool | list | dict):
                continue
            rows.append((label, voice.number(key, value)))
        return tuple(rows)

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


#: Words for the numbers a finding keeps (its ``evidence`` keys), shown beside the reason.
NUMBER_WORDS: Mapping[str, str] = {
    "run_on": "Run on",
    "run_km": "That run",
    "longest_prev_30d_km": "Longest run in the 30 days before",
    "spike_pct": "Longer by",
    "last_14d_km": "Last 14 days",
    "prev_14d_km": "The 14 days before",
    "progression_pct": "Growth over two weeks",
    "load_ratio": "Load ratio (this week against the last four)",
    "uncoupled_load_ratio": "Load ratio (this week against the three before)",
    "monotony": "Monotony",
    "training_days_7d": "Training days in the last 7",
    "run_days_7d": "Run days in the last 7",
    "gap_hours": "Hours between the hard sessions",
    "shoe": "Shoes",
    "km": "Distance on them",
    "inspect_km": "Check them at",
    "retire_km": "Usually replaced by",
    "steep_descent_m": "Steep downhill",
    "longest_descent_drop_m": "Longest descent (height lost)",
    "uneven_share_pct": "Share on trail or uneven ground",
    "typical_cadence_spm": "Your usual step rate",
    "expected_cadence_spm": "Typical at your pace",
    "shortfall_pct": "Below typical by",
    "worst": "Worst pain score",
    "worst_on": "Worst on",
    "usual_level": "Your usual pain level",
    "days_off": "Days without running",
    "weeks_off": "Weeks without running",
    "cap_km": "Today's limit",
    "high_days": "Days above the acceptable level",
    "lasted_days": "Lasted (days)",
    "first_on": "First on",
    "last_on": "Last on",
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
