"""Daily guidance, red flags and screening.

Each finding fires on its threshold and stays quiet just below it.

Every test starts from the calm baseline of :mod:`tests.domain.guidance_world` (no finding
above ``info``) and changes one thing.
"""

from __future__ import annotations

from dataclasses import replace

from backstride.domain.body import Clearance, Condition
from backstride.domain.guidance import (
    decide,
)
from backstride.domain.pain import RedFlag, SeenRecord
from tests.domain.guidance_world import (
    TODAY,
    calm,
    days_ago,
)

# --- red flags ---------------------------------------------------------------------------------


def test_redflag_emergency_fires_first_and_asks_for_urgent_care() -> None:
    w = calm()
    w.entry(TODAY, "rest-day", 3, red_flags=(RedFlag.SADDLE_NUMBNESS,))
    w.entry(days_ago(1), "during", 8)
    findings = w.findings()
    assert findings[0].id == "redflag.emergency"
    assert findings[0].level == "urgent"
    assert decide(findings) == "urgent_care"
    assert w.plan().headline.startswith("EMERGENCY")


def test_redflag_emergency_closes_once_the_runner_was_seen() -> None:
    w = calm()
    w.entry(days_ago(3), "rest-day", 3, red_flags=(RedFlag.BLADDER_CHANGE,))
    w.seen.append(SeenRecord(RedFlag.BLADDER_CHANGE, days_ago(3)))
    assert "redflag.emergency" not in w.ids()


def test_a_prompt_flag_is_not_an_emergency() -> None:
    w = calm()
    w.entry(days_ago(1), "rest-day", 3, red_flags=(RedFlag.FEVER,))
    assert "redflag.emergency" not in w.ids()
    f = w.get("redflag.prompt")
    assert f.asks == "see_professional"
    assert decide(w.findings()) == "see_professional"


def test_redflag_prompt_closes_when_seen_after_it() -> None:
    w = calm()
    w.entry(days_ago(5), "rest-day", 3, red_flags=(RedFlag.NIGHT_PAIN,))
    w.seen.append(SeenRecord(RedFlag.NIGHT_PAIN, days_ago(2)))
    assert "redflag.prompt" not in w.ids()


# --- screening ---------------------------------------------------------------------------------


def test_clearance_needed_for_a_spine_condition_without_clearance() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    f = w.get("screening.clearance_needed")
    assert f.asks == "see_professional"
    assert "condition:lumbar-spinal-stenosis" in f.evidence["reasons"]
    plan = w.plan()
    assert plan.decision == "see_professional"
    assert any("physician" in r.who for r in plan.professionals)


def test_no_clearance_finding_once_cleared() -> None:
    w = calm()
    w.profile = replace(w.profile, conditions=(Condition.LUMBAR_SPINAL_STENOSIS,))
    w.clearances.append(Clearance(on=days_ago(30), by="Dr Jones"))
    assert "screening.clearance_needed" not in w.ids()


def test_a_screening_yes_needs_clearance_and_no_screening_means_start_here() -> None:
    w = calm()
    assert w.screening is not None
    w.screening = replace(w.screening, answers={**w.screening.answers, "chest-discomfort": True})
    assert "screening.clearance_needed" in w.ids()
    w.screening = None
    f = w.get("data.no_screening")
    assert (f.level, f.asks) == ("stop", "start_here")
    assert w.plan().decision == "start_here"  # issue 12.8: never "run" without the health questions
