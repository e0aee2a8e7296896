"""Use cases of the run/walk plan: start, show, today, done/skip, pause/resume/stop, calendar
export, and the demo athlete's plan.

The plan adapts lazily: every use case first *settles* the plan up to the day it is asked about
(never beyond the real today), deciding each week that can be decided from the marks, the
logged runs and the pain diary (``domain/plan/``; pain rules via ``services.diary``), and
pausing it while the safety gate (``services.body.get_plan_gate``: red flags, clearance) is
closed. Decisions are stored with their reasons and never rewritten.

Every result is a frozen dataclass with ``to_json()``; shapes are documented on each class and
in ``docs/plan.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstride.lazy import lazy_names

if TYPE_CHECKING:
    from backstride.services.plan.changes import (
        MarkSaved,
        PlanChanged,
        export_calendar,
        mark_done,
        mark_skipped,
        pause_plan,
        resume_plan,
        stop_plan,
    )
    from backstride.services.plan.starting import (
        PlanStarted,
        recent_runs,
        start_demo_plan,
        start_plan,
    )
    from backstride.services.plan.state import (
        ACTIVE_KINDS,
        GOAL_WORDS,
        RUN_SPORT_VALUES,
        WALK_CYCLE_SPORTS,
        Override,
        PlanState,
        override_from_day,
        plan_for_day,
        refresh,
    )
    from backstride.services.plan.views import (
        DAY_LABELS,
        PlanDayView,
        PlanView,
        WeekView,
        day_label,
        plan_json,
        plan_today,
        session_json,
        show_plan,
    )

_LAZY = {
    "ACTIVE_KINDS": "backstride.services.plan.state",
    "DAY_LABELS": "backstride.services.plan.views",
    "GOAL_WORDS": "backstride.services.plan.state",
    "MarkSaved": "backstride.services.plan.changes",
    "Override": "backstride.services.plan.state",
    "PlanChanged": "backstride.services.plan.changes",
    "PlanDayView": "backstride.services.plan.views",
    "PlanStarted": "backstride.services.plan.starting",
    "PlanState": "backstride.services.plan.state",
    "PlanView": "backstride.services.plan.views",
    "RUN_SPORT_VALUES": "backstride.services.plan.state",
    "WALK_CYCLE_SPORTS": "backstride.services.plan.state",
    "WeekView": "backstride.services.plan.views",
    "day_label": "backstride.services.plan.views",
    "export_calendar": "backstride.services.plan.changes",
    "mark_done": "backstride.services.plan.changes",
    "mark_skipped": "backstride.services.plan.changes",
    "override_from_day": "backstride.services.plan.state",
    "pause_plan": "backstride.services.plan.changes",
    "plan_for_day": "backstride.services.plan.state",
    "plan_json": "backstride.services.plan.views",
    "plan_today": "backstride.services.plan.views",
    "recent_runs": "backstride.services.plan.starting",
    "refresh": "backstride.services.plan.state",
    "resume_plan": "backstride.services.plan.changes",
    "session_json": "backstride.services.plan.views",
    "show_plan": "backstride.services.plan.views",
    "start_demo_plan": "backstride.services.plan.starting",
    "start_plan": "backstride.services.plan.starting",
    "stop_plan": "backstride.services.plan.changes",
}
"""Where each name lives; imported from there on first use (:func:`backstride.lazy.lazy_names`)."""

__getattr__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "ACTIVE_KINDS",
    "DAY_LABELS",
    "GOAL_WORDS",
    "MarkSaved",
    "Override",
    "PlanChanged",
    "PlanDayView",
    "PlanStarted",
    "PlanState",
    "PlanView",
    "RUN_SPORT_VALUES",
    "WALK_CYCLE_SPORTS",
    "WeekView",
    "day_label",
    "export_calendar",
    "mark_done",
    "mark_skipped",
    "override_from_day",
    "pause_plan",
    "plan_for_day",
    "plan_json",
    "plan_today",
    "recent_runs",
    "refresh",
    "resume_plan",
    "session_json",
    "show_plan",
    "start_demo_plan",
    "start_plan",
    "stop_plan",
]
