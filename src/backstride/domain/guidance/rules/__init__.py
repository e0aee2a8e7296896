"""The registry of rules: every rule, in the order they run, and :func:`compute_findings`.

A rule lives in ``rules/<family>.py``, declared once with ``@rule(...)``: its finding ids, the
thresholds it reads, the evidence behind it and its words (the message templates, rendered
from the thresholds in force and the values it measured, in the runner's units). Its tests are in
``tests/domain/guidance/test_<family>.py``; ``docs/guidance.md`` explains it in plain words.
The order below is the order the rules run in (findings of equal seriousness keep it).
"""

from __future__ import annotations

from backstride.domain.guidance.finding import Finding, defer_notes, sort_findings
from backstride.domain.guidance.message import Voice
from backstride.domain.guidance.rule import Rule
from backstride.domain.guidance.rules.body import (
    rule_core,
    rule_flexibility,
    rule_past_injury,
    rule_pregnancy,
)
from backstride.domain.guidance.rules.data import rule_missing_data, rule_selftest_data
from backstride.domain.guidance.rules.form import rule_stride
from backstride.domain.guidance.rules.gear import rule_shoes
from backstride.domain.guidance.rules.load import (
    rule_acute_chronic,
    rule_after_break,
    rule_progression,
    rule_spike,
)
from backstride.domain.guidance.rules.pain import (
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
)
from backstride.domain.guidance.rules.safety import (
    rule_awaiting_clearance,
    rule_clearance,
    rule_red_flags,
    rule_unconfirmed_flags,
)
from backstride.domain.guidance.rules.terrain import rule_downhill, rule_uneven
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS, GuidanceParams

RULES: tuple[Rule, ...] = (
    rule_red_flags,
    rule_awaiting_clearance,
    rule_unconfirmed_flags,
    rule_clearance,
    rule_leg_pattern,
    rule_nerve_root,
    rule_persistent,
    rule_pain_flare,
    rule_high_during,
    rule_not_settled,
    rule_rising_trend,
    rule_spike,
    rule_progression,
    rule_after_break,
    rule_acute_chronic,
    rule_no_rest_day,
    rule_hard_close,
    rule_monotony,
    rule_run_only,
    rule_shoes,
    rule_downhill,
    rule_uneven,
    rule_core,
    rule_flexibility,
    rule_past_injury,
    rule_pregnancy,
    rule_stride,
    rule_warm_up,
    rule_selftest_data,
    rule_missing_data,
)


def finding_ids() -> tuple[str, ...]:
    """Every finding id any rule may report, in the registry's order."""
    return tuple(i for r in RULES for i in r.ids)


def rules_by_source() -> dict[str, tuple[str, ...]]:
    """For each evidence key, what the rules resting on it watch (their ``about``)."""
    out: dict[str, list[str]] = {}
    for r in RULES:
        for key in r.evidence:
            out.setdefault(key, []).append(r.about)
    return {key: tuple(abouts) for key, abouts in out.items()}


def compute_findings(
    state: GuidanceState,
    params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS,
    units: str = "km",
) -> tuple[Finding, ...]:
    """Every rule over ``state``, most serious first (:func:`defer_notes` applied), their words
    in ``units`` (km or mi; the ids, levels and decisions never depend on it)."""
    voice = Voice(units)
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(state, params, voice))
    return defer_notes(sort_findings(found))
