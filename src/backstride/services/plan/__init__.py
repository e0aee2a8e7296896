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
