"""The evidence behind backstride: one entry per source, written once.

Every rule, threshold, exercise, self-test norm, measure and plan names its sources by key
(``cite("frandsen-2025")``); the words shown to the runner, the evidence pages of the dashboard
(``/evidence``, ``/evidence/<key>``, ``/api/evidence``) and ``docs/evidence.md`` are all built
from this registry. Each summary is backstride's own account of the source and of how
backstride uses it; the thresholds are rules of thumb from groups of people, not diagnoses.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backstride.domain.evidence import health, training
from backstride.domain.evidence.model import SECTIONS, STRENGTH_WORDS, Source, Strength

_ALL: tuple[Source, ...] = training.SOURCES + health.SOURCES

#: Every source by key, in the order of the evidence pages.
EVIDENCE: Mapping[str, Source] = {
    s.key: s for section in SECTIONS for s in _ALL if s.section == section
}


def source(key: str) -> Source:
    """The source of ``key``; a KeyError names an unknown key."""
    return EVIDENCE[key]


def cite(*keys: str, note: str | None = None) -> str:
    """How the runner sees the sources cited: ``Frandsen 2025; Nielsen 2014``, with an
    optional note in brackets."""
    text = "; ".join(EVIDENCE[k].label for k in keys)
    return f"{text} ({note})" if note else text


_KEY = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")


def expand(text: str) -> str:
    """``{frandsen-2025}`` in ``text`` written out as the source's label (``Frandsen 2025``);
    an unknown key raises KeyError."""
    return _KEY.sub(lambda m: EVIDENCE[m.group(1)].label, text)


def sections() -> tuple[tuple[str, str, tuple[Source, ...]], ...]:
    """``(section, title, sources)`` for each topic, in order."""
    return tuple(
        (key, title, tuple(s for s in EVIDENCE.values() if s.section == key))
        for key, title in SECTIONS.items()
    )


#: Other spellings of a source's label found in older texts.
_ALIASES: Mapping[str, str] = {
    "Cook, Kester & Brunet 1985": "cook-1985",
    "Riebe 2015": "riebe-2015",
}


def _label_pattern() -> re.Pattern[str]:
    labels = [s.label for s in EVIDENCE.values()] + list(_ALIASES)
    ordered = sorted(labels, key=len, reverse=True)
    return re.compile("|".join(re.escape(label) for label in ordered))


_LABELS = _label_pattern()
_BY_LABEL: Mapping[str, str] = {s.label: s.key for s in EVIDENCE.values()} | dict(_ALIASES)


@dataclass(frozen=True, slots=True)
class Cited:
    """A piece of a citation text: plain words, or a source's label with its key."""

    text: str
    key: str | None = None


def find_citations(text: str) -> tuple[Cited, ...]:
    """Split a citation text into plain words and the sources it names (for links)."""
    out: list[Cited] = []
    pos = 0
    for m in _LABELS.finditer(text):
        if m.start() > pos:
            out.append(Cited(text[pos : m.start()]))
        out.append(Cited(m.group(0), _BY_LABEL[m.group(0)]))
        pos = m.end()
    if pos < len(text):
        out.append(Cited(text[pos:]))
    return tuple(out)


def keys_in(texts: Iterable[str]) -> tuple[str, ...]:
    """The keys of the sources named in ``texts``, each once, in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for piece in find_citations(text):
            if piece.key is not None:
                seen.setdefault(piece.key, None)
    return tuple(seen)


__all__ = [
    "EVIDENCE",
    "SECTIONS",
    "STRENGTH_WORDS",
    "Cited",
    "Source",
    "Strength",
    "cite",
    "expand",
    "find_citations",
    "keys_in",
    "sections",
    "source",
]
