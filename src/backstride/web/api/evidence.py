"""The sources backstride cites, as JSON: the same registry as the evidence pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from backstride.domain.evidence import EVIDENCE, Source
from backstride.web.api.common import ERROR_RESPONSES
from backstride.web.routes.evidence import KeyPath, find_source, rules_citing
from backstride.web.schemas.evidence import EvidenceOut

router = APIRouter(tags=["evidence"], responses=ERROR_RESPONSES)


@router.get("/api/evidence")
def api_evidence() -> list[EvidenceOut]:
    """Every source backstride cites: reference, kind of evidence, summary and how it is used."""
    return [EvidenceOut.model_validate(_json(s)) for s in EVIDENCE.values()]


@router.get("/api/evidence/{key}")
def api_evidence_source(key: KeyPath) -> EvidenceOut:
    """One source, with the guidance rules that rest on it."""
    return EvidenceOut.model_validate(_json(find_source(key)))


def _json(s: Source) -> dict[str, Any]:
    return s.to_json() | {"rules": [i for r in rules_citing(s.key) for i in r.ids]}
