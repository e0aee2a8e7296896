"""The day: one answer for a runner and a date, the same on every surface.

Pure: no I/O, no clock. The service (``services/day.py``) gathers the guidance's findings and
advice (``domain/guidance/``), the run limits from her own runs, what her plan holds that
day, and what is known about her at all; :func:`combine` turns them into one frozen
:class:`Day`: the decision, the session to do (or none), the reasons and the things that need
her attention. ``backstride today``, ``backstride plan today``, the Today, Plan and Overview
pages, ``/api/today`` and ``/api/overview`` all render that one object.

The rules (docs/guidance.md, "One answer for the day"):

- The decision is never less careful than the guidance's: red flags and clinical findings win
  (``urgent_care``, ``see_professional``), then ``start_here`` (the health questions are not
  answered, or nothing is known about her yet), then the plan and the guidance together.
- The guidance may make a planned session easier or replace it; it never turns a plan's rest
  day into a run. A plan's strength or cross-training day is a day without a run
  (``cross_train``); its rest day is ``rest``.
- Without a plan nothing says "as planned": the answer comes from her own runs (her typical
  run, within the limits of :class:`~backstride.domain.guidance.RunCaps`) and offers a plan.
"""

from __future__ import annotations

from backstride.domain.day.answer import (
    Attention,
    Day,
    Routine,
    SessionToDo,
    StartStep,
)
from backstride.domain.day.attention import (
    WHERE,
    attention_for,
    first_sentence,
    start_steps,
    where,
)
from backstride.domain.day.combine import (
    combine,
)
from backstride.domain.day.inputs import (
    ACTIVE_PLAN_DAYS,
    DISCLAIMER,
    PLAN_DAY_DECISION,
    SESSION_LABELS,
    AttentionLevel,
    PlanToday,
    SessionKind,
    StartFacts,
    more_careful,
    session_kind,
)

__all__ = [
    "ACTIVE_PLAN_DAYS",
    "Attention",
    "AttentionLevel",
    "DISCLAIMER",
    "Day",
    "PLAN_DAY_DECISION",
    "PlanToday",
    "Routine",
    "SESSION_LABELS",
    "SessionKind",
    "SessionToDo",
    "StartFacts",
    "StartStep",
    "WHERE",
    "attention_for",
    "combine",
    "first_sentence",
    "more_careful",
    "session_kind",
    "start_steps",
    "where",
]
