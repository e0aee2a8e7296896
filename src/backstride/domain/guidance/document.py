"""The table of rules in ``docs/guidance.md``, written from the registry.

``tools/gen_evidence_doc.py`` writes it between the ``rules:start`` and ``rules:end`` marks; a
test checks that the page holds what :func:`rules_markdown` returns.
"""

from __future__ import annotations

from backstride.domain.evidence import EVIDENCE
from backstride.domain.guidance.message import preview
from backstride.domain.guidance.rule import Rule
from backstride.domain.guidance.rules import RULES
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS

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
    lines += ["", *words_markdown(), "", END]
    return "\n".join(lines)


_PARTS = {"title": "Title", "reason": "Why", "action": "What to do"}


def words_markdown() -> list[str]:
    """Each rule's messages as it writes them with the default thresholds (its templates,
    the other templates they name filled in; what it measures shown as ``‹name›``)."""
    lines = [
        "### The words of each rule",
        "",
        "Each rule writes its messages from templates declared with it (in",
        "`src/backstride/domain/guidance/rules/<family>.py`). Here they are with the default",
        "thresholds filled in; ‹…› marks what the rule measured in your own records, and a part",
        "such as ‹extra› is left out when it does not apply. Distances are written in your units",
        "(kilometres, or miles with `--units mi`, `BACKSTRIDE_UNITS=mi` or `units` in the config",
        "file), heights in metres or feet.",
    ]
    for r in RULES:
        lines += ["", f"**{r.about}** ({', '.join(f'`{i}`' for i in r.ids)})", ""]
        lines += [f"- {line}" for line in _rule_words(r)]
    return lines


def word_previews(part: str) -> tuple[str, ...]:
    """Every rule's ``part`` (``title``, ``reason`` or ``action``) with the default thresholds
    filled in, in the registry's order (the API schema's examples)."""
    return tuple(
        preview(text, DEFAULT_GUIDANCE_PARAMS, samples=False, fragments=r.words)
        for r in RULES
        for key, text in r.words.items()
        if key.rpartition(".")[2] == part
    )


def _rule_words(r: Rule) -> list[str]:
    out: list[str] = []
    for key, text in r.words.items():
        part = key.rpartition(".")[2]
        if part not in _PARTS:
            continue
        shown = preview(text, DEFAULT_GUIDANCE_PARAMS, samples=False, fragments=r.words)
        out.append(f"{_PARTS[part]}: {shown}")
    return out


def with_rules_table(page: str) -> str:
    """``page`` with its rules table replaced by the registry's (appended when missing)."""
    table = rules_markdown()
    if START in page and END in page:
        head, rest = page.split(START, 1)
        _, tail = rest.split(END, 1)
        return head + table + tail
    return page.rstrip("\n") + "\n\n" + table + "\n"
