"""A rule, declared once: the finding ids it may report, the thresholds it reads, and the
evidence behind it.

A rule's check builds every message from the thresholds in force (the ``GuidanceParams`` it is
given), never from a number written into the text. The registry of all rules is
:data:`backstride.domain.guidance.rules.RULES`; the documentation, its tests and the API schema
iterate it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Literal

from backstride.domain.guidance.finding import Finding
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

Check = Callable[[GuidanceState, GuidanceParams], list[Finding]]

_PARAM_NAMES = frozenset(f.name for f in fields(GuidanceParams))


@dataclass(frozen=True, slots=True)
class Rule:
    """One guidance rule.

    ``about`` says in a runner's words what the rule watches; ``ids`` are the finding ids it
    may report, ``params`` the :class:`GuidanceParams` fields it reads, ``evidence`` the keys
    of :data:`backstride.domain.evidence.EVIDENCE` it rests on. Calling the rule runs its
    check.
    """

    check: Check
    about: str
    family: Family
    ids: tuple[str, ...]
    params: tuple[str, ...]
    evidence: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.check.__name__.removeprefix("rule_")

    @property
    def doc(self) -> str:
        """The first paragraph of the check's docstring, in one line."""
        text = (self.check.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(text.split())

    def __call__(self, state: GuidanceState, p: GuidanceParams) -> list[Finding]:
        return self.check(state, p)


def rule(
    *,
    about: str,
    family: Family,
    ids: tuple[str, ...],
    params: tuple[str, ...] = (),
    evidence: tuple[str, ...] = (),
) -> Callable[[Check], Rule]:
    """Declare a rule: ``@rule(about=..., family=..., ids=(...), params=(...), evidence=(...))``."""
    unknown = [name for name in params if name not in _PARAM_NAMES]
    if unknown:
        raise ValueError(f"unknown guidance parameters: {', '.join(unknown)}")

    def declare(check: Check) -> Rule:
        return Rule(
            check=check, about=about, family=family, ids=ids, params=params, evidence=evidence
        )

    return declare
