"""A rule, declared once: the finding ids it may report, the thresholds it reads, the
evidence behind it and its words (message templates, :mod:`.message`).

A rule's check builds every message from its templates, rendered with the thresholds in force
(the ``GuidanceParams`` it is given) and the values it measured, in the runner's units: never
from a number written into the text. The registry of all rules is
:data:`backstride.domain.guidance.rules.RULES`; the documentation, its tests and the API schema
iterate it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Literal

from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import KM, Say, Voice, template_fields
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.params import GuidanceParams

Family = Literal["safety", "pain", "load", "recovery", "gear", "terrain", "body", "form", "data"]
FAMILIES: tuple[Family, ...] = (
    "safety",
    "pain",
    "load",
    "recovery",
    "gear",
    "terrain",
    "body",
    "form",
    "data",
)

Check = Callable[[GuidanceState, GuidanceParams, Say], list[Finding]]

_PARAM_NAMES = frozenset(f.name for f in fields(GuidanceParams))


@dataclass(frozen=True, slots=True)
class Rule:
    """One guidance rule.

    ``about`` says in a runner's words what the rule watches; ``ids`` are the finding ids it
    may report, ``params`` the :class:`GuidanceParams` fields it reads, ``evidence`` the keys
    of :data:`backstride.domain.evidence.EVIDENCE` it rests on, ``words`` its message
    templates by key. Calling the rule runs its check, its words rendered in ``voice``'s
    units (kilometres unless told).
    """

    check: Check
    about: str
    family: Family
    ids: tuple[str, ...]
    params: tuple[str, ...]
    evidence: tuple[str, ...]
    words: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.check.__name__.removeprefix("rule_")

    @property
    def doc(self) -> str:
        """The first paragraph of the check's docstring, in one line."""
        text = (self.check.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(text.split())

    def __call__(self, state: GuidanceState, p: GuidanceParams, voice: Voice = KM) -> list[Finding]:
        return self.check(state, p, Say(self.words, p, voice))

    def params_in_words(self) -> frozenset[str]:
        """The thresholds its templates name."""
        return frozenset(
            f.param for text in self.words.values() for f in template_fields(text) if f.param
        )


def rule(
    *,
    about: str,
    family: Family,
    ids: tuple[str, ...],
    params: tuple[str, ...] = (),
    evidence: tuple[str, ...] = (),
    words: Mapping[str, str] | None = None,
) -> Callable[[Check], Rule]:
    """Declare a rule: ``@rule(about=..., family=..., ids=(...), params=(...), evidence=(...),
    words={...})``. A template may name only the parameters the rule declares."""
    unknown = [name for name in params if name not in _PARAM_NAMES]
    if unknown:
        raise ValueError(f"unknown guidance parameters: {', '.join(unknown)}")

    def declare(check: Check) -> Rule:
        declared = Rule(
            check=check,
            about=about,
            family=family,
            ids=ids,
            params=params,
            evidence=evidence,
            words=dict(words or {}),
        )
        undeclared = sorted(declared.params_in_words() - set(params))
        if undeclared:
            raise ValueError(
                f"{declared.name}: its words name undeclared parameters: {', '.join(undeclared)}"
            )
        return declared

    return declare
