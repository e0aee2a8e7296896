"""The table of rules in ``docs/guidance.md``, written from the registry.

``tools/gen_evidence_doc.py`` writes it between the ``rules:start`` and ``rules:end`` marks; a
test checks that the page holds what :func:`rules_markdown` returns.
"""

from __future__ import annotations

from backstride.domain.evidence import EVIDENCE
from backstride.domain.guidance.rules import RULES

START = "<!-- rules:start (generated from the rule registry by tools/gen_evidence_doc.py) -->"
END = "<!-- rules:end -->"


def rules_markdown() -> str:
    """One row per rule, in the order they run: what it watches, its family, the finding ids
    it may report, the thresholds it reads and the sources it rests on (linked to
    ``evidence.md``)."""
    lines = [
        START,
        "",
        "| what the rule watches | family | findings | thresholds | sources |",
        "|---|---|---|---|---|",
    ]
    for r in RULES:
        ids = ", ".join(f"`{i}`" for i in r.ids)
        params = ", ".join(f"`{p}`" for p in r.params) or "–"
        sources = ", ".join(f"[{EVIDENCE[k].label}](evidence.md#{k})" for k in r.evidence)
        lines.append(f"| {r.about} | {r.family} | {ids} | {params} | {sources} |")
    lines += ["", END]
    return "\n".join(lines)


def with_rules_table(page: str) -> str:
    """``page`` with its rules table replaced by the registry's (appended when missing)."""
    table = rules_markdown()
    if START in page and END in page:
        head, rest = page.split(START, 1)
        _, tail = rest.split(END, 1)
        return head + table + tail
    return page.rstrip("\n") + "\n\n" + table + "\n"
