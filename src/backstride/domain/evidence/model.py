"""A source of evidence and the kinds of evidence (see :mod:`backstride.domain.evidence`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Strength(StrEnum):
    """What kind of evidence a source is, from the firmest to the softest."""

    GUIDELINE = "guideline"
    REVIEW = "review"
    TRIAL = "trial"
    COHORT = "cohort"
    CROSS_SECTIONAL = "cross_sectional"
    LAB = "lab"
    EXPERT = "expert"
    METHOD = "method"

    @property
    def words(self) -> str:
        return STRENGTH_WORDS[self]


STRENGTH_WORDS: Mapping[Strength, str] = {
    Strength.GUIDELINE: "Clinical guideline or consensus of experts",
    Strength.REVIEW: "Review that pools many studies",
    Strength.TRIAL: "Randomised trial",
    Strength.COHORT: "Study that followed a group of people over time",
    Strength.CROSS_SECTIONAL: "Study of a group at one point in time",
    Strength.LAB: "Laboratory measurements on a small group",
    Strength.EXPERT: "Expert opinion or a practitioners' rule of thumb",
    Strength.METHOD: "A method or formula (it makes no claim about injuries)",
}

#: Topics, in the order the evidence pages list them.
SECTIONS: Mapping[str, str] = {
    "load": "Training load and injury",
    "recovery": "Recovery and variety",
    "shoes": "Shoes",
    "terrain": "Hills, uneven ground and stride",
    "back": "Back pain in runners, and the self-tests",
    "stenosis": "Lumbar spinal stenosis",
    "safety": "Warning signs and health screening",
    "pain": "Listening to pain",
    "plan": "The running plan",
    "exercises": "Warm-up, stretching and exercises",
    "tools": "How other training tools compute the same figures",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One source. ``label`` is how the runner sees it cited ("Frandsen 2025"); ``checked``
    says whether the figures quoted were read in the study's own abstract or page (False: they
    come from a secondary account and should be read as approximate)."""

    key: str
    label: str
    citation: str
    section: str
    strength: Strength
    summary: str
    use: str
    checked: bool = True

    @property
    def section_title(self) -> str:
        return SECTIONS[self.section]

    @property
    def href(self) -> str:
        return f"/evidence/{self.key}"

    @property
    def checked_words(self) -> str:
        return (
            "The figures quoted here were checked against the study's own summary."
            if self.checked
            else "The figures quoted here come from a secondary account and were not checked "
            "against the original: read them as approximate."
        )

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "citation": self.citation,
            "section": self.section,
            "section_title": self.section_title,
            "strength": self.strength.value,
            "strength_words": self.strength.words,
            "checked": self.checked,
            "summary": self.summary,
            "use": self.use,
            "href": self.href,
        }


def source_entry(
    key: str,
    label: str,
    citation: str,
    section: str,
    strength: Strength,
    summary: str,
    use: str,
    *,
    checked: bool = True,
) -> Source:
    return Source(key, label, citation, section, strength, summary, use, checked)
