"""The day's one answer as JSON (``/api/today``): the decision, the session, what needs
attention, and every finding with its source."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from backstride.domain.guidance import finding_ids
from backstride.domain.guidance.document import word_previews


class FindingOut(BaseModel):
    """One guidance finding: why it matters, the runner's own numbers, and its source."""

    id: str = Field(
        description="The finding's id; one of the ids of the rule registry.",
        json_schema_extra={"enum": list(finding_ids())},
    )
    level: Literal["info", "caution", "reduce", "stop", "urgent"]
    title: str = Field(
        description="Written from the rule's templates, in the runner's units (km or mi); "
        "the examples are every rule's titles.",
        examples=list(word_previews("title")),
    )
    reason: str = Field(
        description="Why, in words: the rule's template with the thresholds in force and "
        "the runner's own numbers, in the runner's units (km or mi; ‹…› in the examples "
        "marks a measured value).",
        examples=list(word_previews("reason")),
    )
    evidence: dict[str, Any]
    source: str
    sources: list[str] = Field(
        default_factory=list,
        description="Keys of the sources cited (each has a page at /evidence/KEY and an entry "
        "in /api/evidence).",
    )
    action: str = Field(
        description="What to do, from the rule's templates, in the runner's units.",
        examples=list(word_previews("action")),
    )
    asks: str


DecisionOut = Literal[
    "urgent_care", "see_professional", "start_here", "rest", "cross_train", "run_easy", "run"
]


class SessionOut(BaseModel):
    """The session to do today (from the plan, the guidance or her own runs)."""

    kind: Literal[
        "run", "run_walk", "walk_cycle", "shorter", "cross_train", "strength", "rest", "walk"
    ]
    label: str
    title: str
    what: str
    minutes: int | None
    max_km: float | None
    from_plan: bool
    main: str | None = Field(description="The main set of a plan session, e.g. 8 x (run 1 min…).")
    run_s: int | None


class DayAttentionOut(BaseModel):
    """Something that needs attention, and where it is handled."""

    id: str
    level: Literal["info", "caution", "alert"]
    title: str
    message: str
    href: str = Field(description="The dashboard page where it is handled.")
    command: str | None = Field(description="The command where it is handled.")


class TodayOut(BaseModel):
    """``backstride today --json``: the day's one decision (the guidance and the plan
    combined), what to do, what needs attention, and the findings."""

    date: dt.date
    decision: DecisionOut
    headline: str
    summary: str
    session: SessionOut | None
    reasons: list[str]
    attention: list[DayAttentionOut]
    routines: list[dict[str, Any]]
    plan: dict[str, Any] | None = Field(description="What the plan holds today; null: no plan.")
    steps: list[dict[str, Any]] = Field(description="The first things to do, each done or not.")
    caps: dict[str, Any] | None = Field(description="Limits on a run from her own runs.")
    advice: dict[str, Any]
    findings: list[FindingOut]
    disclaimer: str = Field(description="backstride coaches; it is not medical advice.")
