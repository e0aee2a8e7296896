"""Daily guidance, the finding shape, the decision, the order of findings and threshold overrides.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from backstride.domain.body import Clearance, Condition, Experience
from backstride.domain.evidence import EVIDENCE, keys_in
from backstride.domain.guidance import (
    DECISIONS,
    LEVELS,
    Finding,
    decide,
    gentlest_route,
    sort_findings,
)
from backstride.domain.pain import RedFlag
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS as P
from tests.domain.guidance_world import (
    TODAY,
    Session,
    calm,
    days_ago,
    long_run_saturday,
    route,
    set_cadence,
)

# --- the baseline ------------------------------------------------------------------------------


def test_the_calm_baseline_runs_with_nothing_above_info() -> None:
    w = calm()
    findings = w.findings()
    assert all(f.level == "info" for f in findings), [f.id for f in findings]
    assert decide(findings) == "run"
    assert w.plan().decision == "run"


def test_every_finding_has_the_public_shape() -> None:
    w = calm()
    w.entry(days_ago(2), "during", 7)
    w.profile = replace(w.profile, past_injuries=("knee",))
    for f in w.findings():
        data = f.to_json()
        assert {"id", "level", "title", "reason", "evidence", "source", "action"} <= set(data)
        assert data["level"] in LEVELS
        assert data["sources"] and all(k in EVIDENCE for k in data["sources"]), data["source"]
        assert "EVIDENCE.md" not in data["source"] and "implication" not in data["source"]
        assert data["reason"] and data["action"] and data["title"]


# --- the decision ------------------------------------------------------------------------------


def _f(fid: str, level: str, asks: str) -> Finding:
    return Finding(fid, level, "t", "r", {}, "s", "a", asks)  # type: ignore[arg-type]


def test_the_decision_is_the_most_cautious_any_finding_asks_for() -> None:
    assert decide([]) == "run"
    fs = [_f("a", "caution", "run"), _f("b", "reduce", "run_easy"), _f("c", "stop", "rest")]
    assert decide(fs) == "rest"
    for i, d in enumerate(DECISIONS):
        assert decide([_f("x", "info", d), _f("y", "info", DECISIONS[max(0, i - 1)])]) == d


def test_findings_are_sorted_most_serious_first() -> None:
    fs = [
        _f("info", "info", "run"),
        _f("easy", "reduce", "run_easy"),
        _f("redflag.emergency", "urgent", "urgent_care"),
        _f("caution", "caution", "run"),
        _f("pro", "stop", "see_professional"),
    ]
    assert [f.id for f in sort_findings(fs)] == [
        "redflag.emergency",
        "pro",
        "easy",
        "caution",
        "info",
    ]


def test_see_professional_says_who_and_why() -> None:
    w = calm()
    for n in (1, 5, 9):
        w.entry(days_ago(n), "rest-day", 6)
    set_cadence(w, 140.0)
    plan = w.plan()
    assert plan.decision == "see_professional"
    who = " ".join(r.who for r in plan.professionals)
    assert "physiotherapist" in who and "running coach" in who


def test_cross_training_for_stenosis_starts_with_cycling_and_names_muscles() -> None:
    w = calm()
    w.profile = replace(
        w.profile,
        conditions=(Condition.LUMBAR_SPINAL_STENOSIS,),
        experience=Experience.RETURNING,
    )
    w.clearances.append(Clearance(on=days_ago(60), by="Dr Jones"))
    w.drop_on(days_ago(3))
    w.add(Session(day=days_ago(1)))
    plan = w.plan()
    assert plan.decision == "cross_train"
    cycling = plan.activities[0]
    assert cycling.activity == "cycling"
    assert "stenosis" in cycling.spares and "thighs" in cycling.works
    assert keys_in([cycling.source]) == ("pua-2007", "whitman-2006")


def test_gentlest_route_must_cover_the_distance() -> None:
    routes = [route("Short flat", 2.0, 1.0), route("River", 5.0, 3.0), route("Hill", 6.0, 40.0)]
    assert gentlest_route(routes, 5.0 * 1000).name == "River"  # type: ignore[union-attr]
    assert gentlest_route(routes, 5.5 * 1000).name == "River"  # type: ignore[union-attr]
    assert gentlest_route(routes, 6.0 * 1000).name == "Hill"  # type: ignore[union-attr]
    assert gentlest_route(routes, 9.0 * 1000) is None
    assert gentlest_route(routes, None).name == "Short flat"  # type: ignore[union-attr]


def test_nothing_after_today_counts() -> None:
    w = calm()
    w.entry(TODAY + timedelta(days=1), "rest-day", 2, red_flags=(RedFlag.SADDLE_NUMBNESS,))
    w.add(Session(day=TODAY + timedelta(days=1), km=20.0))
    assert w.plan().decision == "run"


def test_every_guidance_threshold_cites_a_source_and_a_range() -> None:
    from dataclasses import fields

    for f in fields(P):
        assert len(f.metadata["source"]) > 20, f.name
        low, high = f.metadata["range"]
        assert low <= getattr(P, f.name) <= high, f.name


# --- overrides ---------------------------------------------------------------------------------


def test_overrides_change_a_threshold() -> None:
    p = P.with_overrides({"spike_reduce_ratio": 1.2, "pain_recent_run_days": 2.0})
    assert p.spike_reduce_ratio == 1.2
    assert p.pain_recent_run_days == 2 and isinstance(p.pain_recent_run_days, int)
    w = calm()
    long_run_saturday(w, 6.1)  # +22 %: a caution by default, an easy day with the override
    assert w.get("load.single_run_spike").asks == "run"
    assert w.get("load.single_run_spike", p).asks == "run_easy"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"spike_ratio": 1.2}, "Unknown guidance setting 'spike_ratio'"),
        ({"spike_reduce_ratio": 9.0}, "outside its range"),
        ({"pain_recent_run_days": 2.5}, "whole number"),
        ({"monotony_reduce": "high"}, "must be a number"),
        ({"spike_caution_ratio": 1.5, "spike_reduce_ratio": 1.3}, "must rise"),
    ],
)
def test_bad_overrides_are_refused_clearly(overrides: dict[str, object], words: str) -> None:
    from backstride.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        P.with_overrides(overrides)
    assert words in info.value.message
    if "Unknown" in words:
        assert "spike_reduce_ratio" in (info.value.hint or "")
