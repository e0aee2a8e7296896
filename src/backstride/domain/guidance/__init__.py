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
from backstride.domain.guidance.rules.body import (
    rule_core,
    rule_flexibility,
    rule_past_injury,
    rule_pregnancy,
)
from backstride.domain.guidance.rules.data import rule_missing_data, rule_selftest_data
from backstride.domain.guidance.rules.form import expected_cadence_spm, rule_stride
from backstride.domain.guidance.rules.gear import rule_shoes
from backstride.domain.guidance.rules.load import (
    Break,
    break_allowance_m,
    find_break,
    rule_acute_chronic,
    rule_after_break,
    rule_progression,
    rule_spike,
)
from backstride.domain.guidance.rules.pain import (
    PAIN_SOURCE,
    rule_high_during,
    rule_leg_pattern,
    rule_nerve_root,
    rule_not_settled,
    rule_pain_flare,
    rule_persistent,
    rule_rising_trend,
)
from backstride.domain.guidance.rules.recovery import (
    rule_hard_close,
    rule_monotony,
    rule_no_rest_day,
    rule_run_only,
    rule_warm_up,
    warm_up_skipped,
)
from backstride.domain.guidance.rules.safety import (
    SCREENING_SOURCE,
    rule_awaiting_clearance,
    rule_clearance,
    rule_red_flags,
    rule_unconfirmed_flags,
)
from backstride.domain.guidance.rules.terrain import rule_downhill, rule_uneven
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
    "Break",
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
    "PAIN_SOURCE",
    "PROFESSIONAL_FOR",
    "RULES",
    "Referral",
    "Rule",
    "RunCaps",
    "RunDay",
    "RunFacts",
    "SCREENING_SOURCE",
    "SWIMMING",
    "SavedRoute",
    "TodayPlan",
    "WarmUpSkip",
    "break_allowance_m",
    "compute_findings",
    "decide",
    "defer_notes",
    "expected_cadence_spm",
    "find_break",
    "gentlest_route",
    "plan_today",
    "rank",
    "rule_acute_chronic",
    "rule_after_break",
    "rule_awaiting_clearance",
    "rule_clearance",
    "rule_core",
    "rule_downhill",
    "rule_flexibility",
    "rule_hard_close",
    "rule_high_during",
    "rule_leg_pattern",
    "rule_missing_data",
    "rule_monotony",
    "rule_nerve_root",
    "rule_no_rest_day",
    "rule_not_settled",
    "rule_pain_flare",
    "rule_past_injury",
    "rule_persistent",
    "rule_pregnancy",
    "rule_progression",
    "rule_red_flags",
    "rule_rising_trend",
    "rule_run_only",
    "rule_selftest_data",
    "rule_shoes",
    "rule_spike",
    "rule_stride",
    "rule_unconfirmed_flags",
    "rule_uneven",
    "rule_warm_up",
    "run_caps",
    "sort_findings",
    "warm_up_skipped",
]
