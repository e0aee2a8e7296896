"""Write ``docs/evidence.md`` from the evidence registry, and the rules table of
``docs/guidance.md`` from the rule registry.

Run from the repository root after changing ``src/backstride/domain/evidence/`` or a rule's
declaration::

    .venv/bin/python tools/gen_evidence_doc.py
"""

from __future__ import annotations

from pathlib import Path

from backstride.domain.evidence.document import evidence_markdown
from backstride.domain.guidance import rules_by_source
from backstride.domain.guidance.document import with_rules_table

DOCS = Path(__file__).resolve().parents[1] / "docs"
OUT = DOCS / "evidence.md"
GUIDANCE = DOCS / "guidance.md"

if __name__ == "__main__":
    OUT.write_text(evidence_markdown(rules_by_source()), encoding="utf-8")
    page = GUIDANCE.read_text(encoding="utf-8")
    GUIDANCE.write_text(with_rules_table(page), encoding="utf-8")
