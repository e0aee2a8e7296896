"""Daily guidance: "what should I do today?" as findings with reasons, sources and one decision.

Pure: no I/O, no clock (``today`` comes in the state). Rules turn a :class:`GuidanceState` (the
runner's load, recent runs, pain diary, body, gear and saved routes *as of* ``today``) into
:class:`Finding` objects. Each finding says what it asks for today (``asks``); the decision is
the most cautious of them::

    urgent_care > see_professional > start_here > rest > cross_train > run_easy > run

``start_here`` means backstride cannot coach a run yet: the health questions are not answered
(or, for the day as a whole, nothing is known about the runner); the answer lists what to do
first. The day's answer (``domain/day/``) combines this decision with the runner's plan.

backstride coaches; it does not diagnose. Red flags always win. Every threshold lives in
:class:`~backstride.domain.params.GuidanceParams` with its source, and ``docs/guidance.md``
explains each rule in plain words. Sections (``§``) refer to docs/evidence.md.

The rules are listed once, in the registry (:mod:`.rules`, ``RULES``); a rule itself is
imported from its family's module (``guidance.rules.load``...).
"""

from __future__ import annotations

from backstride.domain.guidance.finding import (
    DECISION_WORDS,
    DECISIONS,
    LEVEL_WORDS,
    LEVELS,
    Decision,
    Finding,
    Level,
    decide,
    defer_notes,
    rank,
    sort_findings,
)
from backstride.domain.guidance.rule import FAMILIES, Family, Rule, rule
from backstride.domain.guidance.rules import (
    RULES,
    compute_findings,
    finding_ids,
    rules_by_source,
)
from backstride.domain.guidance.rules.form import expected_cadence_spm
from backstride.domain.guidance.state import (
    GuidanceState,
    RunDay,
    RunFacts,
    SavedRoute,
    WarmUpSkip,
)
from backstride.domain.guidance.today import (
    CORE,
    CYCLING,
    FLEXION_MOBILITY,
    PROFESSIONAL_FOR,
    SWIMMING,
    CrossTraining,
    Referral,
    RunCaps,
    TodayPlan,
    gentlest_route,
    plan_today,
    run_caps,
)

__all__ = [
    "FAMILIES",
    "Family",
    "rule",
    "finding_ids",
    "rules_by_source",
    "CORE",
    "CYCLING",
    "CrossTraining",
    "DECISIONS",
    "DECISION_WORDS",
    "Decision",
    "FLEXION_MOBILITY",
    "Finding",
    "GuidanceState",
    "LEVELS",
    "LEVEL_WORDS",
    "Level",
    "PROFESSIONAL_FOR",
    "RULES",
    "Referral",
    "Rule",
    "RunCaps",
    "RunDay",
    "RunFacts",
    "SWIMMING",
    "SavedRoute",
    "TodayPlan",
    "WarmUpSkip",
    "compute_findings",
    "decide",
    "defer_notes",
    "expected_cadence_spm",
    "gentlest_route",
    "plan_today",
    "rank",
    "run_caps",
    "sort_findings",
]
