"""docs/guidance.md documents every finding and every threshold."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from backstride.domain.guidance import RULES
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS

DOC = Path(__file__).resolve().parents[3] / "docs" / "guidance.md"


def finding_ids() -> set[str]:
    return {i for r in RULES for i in r.ids}


def test_every_finding_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    ids = finding_ids()
    assert len(ids) >= 30
    missing = sorted(i for i in ids if f"`{i}`" not in text)
    assert not missing, missing


def test_every_threshold_is_documented_with_its_default() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in fields(DEFAULT_GUIDANCE_PARAMS):
        value = getattr(DEFAULT_GUIDANCE_PARAMS, f.name)
        assert f"| `{f.name}` | {value:g} |" in text, f.name


def test_the_issue_s_finding_ids_all_exist() -> None:
    required = {
        "redflag.emergency",
        "redflag.prompt",
        "screening.clearance_needed",
        "pain.leg_symptom_pattern",
        "pain.persistent",
        "pain.high_during",
        "pain.not_settled",
        "pain.rising_trend",
        "load.single_run_spike",
        "load.progression",
        "load.acute_chronic",
        "recovery.no_rest_day",
        "recovery.hard_sessions_close",
        "variety.monotony",
        "variety.run_only",
        "gear.shoes_worn",
        "gear.single_pair",
        "terrain.downhill",
        "terrain.uneven",
        "body.core_endurance",
        "body.flexibility",
        "history.past_injury",
        "form.stride",
    }
    assert required <= finding_ids()


BODY = DOC.parent / "body.md"


def test_every_red_flag_is_listed_with_its_urgency_and_source() -> None:
    from backstride.domain.pain import RED_FLAGS, Urgency

    text = BODY.read_text(encoding="utf-8")
    words = {
        Urgency.EMERGENCY: "**emergency**",
        Urgency.SAME_DAY: "**a doctor today**",
        Urgency.PROMPT: "within days",
    }
    for flag, info in RED_FLAGS.items():
        rows = [line for line in text.splitlines() if line.startswith(f"| `{flag.value}` |")]
        assert rows, flag
        cells = [c.strip() for c in rows[0].strip("|").split("|")]
        assert words[info.urgency] in cells[2], (flag, cells[2])
        assert any(s in cells[4] for s in ("NICE", "BASS", "IFOMPT")), (flag, cells[4])
    guidance = DOC.read_text(encoding="utf-8")
    for finding in ("redflag.emergency", "redflag.same_day", "redflag.prompt"):
        assert f"`{finding}`" in guidance
    assert "IFOMPT 2020" in guidance and "NICE NG59" in guidance


def test_the_rules_table_is_written_from_the_registry() -> None:
    from backstride.domain.guidance.document import rules_markdown

    assert rules_markdown() in DOC.read_text(encoding="utf-8"), (
        "docs/guidance.md's rules table is out of date: run .venv/bin/python "
        "tools/gen_evidence_doc.py"
    )
    for r in RULES:
        assert r.about in rules_markdown()
