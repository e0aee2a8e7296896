"""A source backstride cites, as JSON (``/api/evidence``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class EvidenceOut(BaseModel):
    """One source backstride cites, in backstride's own summary."""

    key: str
    label: str = Field(description="How the source is cited: its first author (or body) and year.")
    citation: str = Field(description="The full reference.")
    section: str
    section_title: str
    strength: Literal[
        "guideline", "review", "trial", "cohort", "cross_sectional", "lab", "expert", "method"
    ]
    strength_words: str
    checked: bool = Field(
        description="True: the figures quoted were read in the study's own summary; false: "
        "they come from a secondary account."
    )
    summary: str
    use: str = Field(description="What in backstride rests on it.")
    href: str = Field(description="The dashboard page of the source.")
    rules: list[str] = Field(description="Ids of the guidance findings that cite it.")
