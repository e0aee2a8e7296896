"""Write ``docs/evidence.md`` from the evidence registry.

Run from the repository root after changing ``src/backstride/domain/evidence/``::

    .venv/bin/python tools/gen_evidence_doc.py
"""

from __future__ import annotations

from pathlib import Path

from backstride.domain.evidence.document import evidence_markdown
from backstride.domain.guidance import rules_by_source

OUT = Path(__file__).resolve().parents[1] / "docs" / "evidence.md"

if __name__ == "__main__":
    OUT.write_text(evidence_markdown(rules_by_source()), encoding="utf-8")
