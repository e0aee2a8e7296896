"""``docs/evidence.md``, written from the evidence registry (``tools/gen_evidence_doc.py``).

A test checks that the committed page equals :func:`evidence_markdown`, so the page and the
registry never drift apart.
"""

from __future__ import annotations

from backstride.domain.evidence import EVIDENCE, sections


def evidence_markdown(rules: dict[str, tuple[str, ...]] | None = None) -> str:
    """The evidence page as Markdown. ``rules`` maps a source's key to what in the daily
    advice rests on it (the rules' plain descriptions)."""
    rules = rules or {}
    lines = [
        "# The evidence behind backstride",
        "",
        "<!-- Generated from src/backstride/domain/evidence/ by tools/gen_evidence_doc.py;",
        "     do not edit by hand (tests/domain/test_evidence.py checks it is up to date). -->",
        "",
        "Every rule, threshold, exercise, self-test reference and plan step in backstride names",
        f"its sources. These are the {len(EVIDENCE)} sources, grouped by topic, each with a short",
        "summary in backstride's own words, what kind of evidence it is, what in backstride rests",
        "on it, and the full reference. The dashboard shows the same pages at `/evidence`, and",
        "every source cited on a page links to its entry.",
        "",
        "Most thresholds are rules of thumb from studies of groups of people: they speak of risk,",
        "not of what will happen to you. backstride coaches; it does not diagnose, and this is not",
        "medical advice.",
        "",
    ]
    for _key, title, items in sections():
        if not items:
            continue
        lines += [f"## {title}", ""]
        for s in items:
            lines += [f"### {s.label}", "", f'<a id="{s.key}"></a>', "", s.summary, ""]
            lines.append(f"- **Kind of evidence:** {s.strength.words}. {s.checked_words}")
            lines.append(f"- **In backstride:** {s.use}")
            for about in rules.get(s.key, ()):
                lines.append(f"  - daily advice: {about}")
            lines.append(f"- **Reference:** {s.citation}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
