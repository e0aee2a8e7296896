"""The evidence pages: every source backstride cites, in its own words, with the reference.

``/evidence`` lists the sources by topic, ``/evidence/<key>`` shows one source and what in
backstride rests on it (the guidance rules and thresholds that cite it); ``api/evidence.py``
gives the same as JSON. All of it comes from the evidence registry
(:mod:`backstride.domain.evidence`); every "Source:" on the other pages links here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from backstride.domain.evidence import EVIDENCE, SECTIONS, Source, sections
from backstride.domain.guidance import RULES, Rule
from backstride.errors import NotFoundError
from backstride.web.templating import render

router = APIRouter()

KeyPath = Annotated[str, Path(description="The source's key, e.g. frandsen-2025.")]


def find_source(key: str) -> Source:
    found = EVIDENCE.get(key)
    if found is None:
        raise NotFoundError(
            f"No source called '{key}'.", hint="The evidence page lists every source."
        )
    return found


def rules_citing(key: str) -> tuple[Rule, ...]:
    """The guidance rules that rest on the source ``key``."""
    return tuple(r for r in RULES if key in r.evidence)


@router.get("/evidence", response_class=HTMLResponse, include_in_schema=False)
def evidence_index(request: Request) -> HTMLResponse:
    return render(
        request,
        "pages/evidence.html",
        {"sections": sections(), "count": len(EVIDENCE)},
        active="evidence",
    )


@router.get("/evidence/{key}", response_class=HTMLResponse, include_in_schema=False)
def evidence_page(request: Request, key: KeyPath) -> HTMLResponse:
    source = find_source(key)
    return render(
        request,
        "pages/evidence_source.html",
        {"s": source, "rules": rules_citing(key), "section_title": SECTIONS[source.section]},
        active="evidence",
    )
