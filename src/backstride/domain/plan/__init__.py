"""The run/walk plan: schedules, the week-by-week adaptation to pain, and the calendar.

Pure: no I/O, no clock; every function takes the days it needs. The service
(``services/plan/``) loads the plan, the pain checks and the marks, calls :func:`settle`, and
stores what changed.

Structure (docs/evidence.md, NHS Couch to 5K, in backstride's own schedule): three
run/walk sessions a week, never on consecutive days, from short run intervals with walking
breaks to 30 minutes of continuous running; each session is a warm-up (5-minute brisk walk and
drills), the intervals, a cool-down walk and a stretch. Other days hold one core-and-hip
strength day, one cross-training day and at least two rest days (docs/evidence.md and
implications 6 and 14). The 10K plan builds the long run by about 10 % a week (Frandsen 2025,
section 1). The stenosis variant starts with walking and cycling blocks, uses smaller steps and
more weeks, and asks for flat, even routes without downhill or long standing (section 6 and
implication 13).

Adaptation (docs/evidence.md, Silbernagel 2007; implications 10, 11, 13):
- green week: every session done, each within the pain rules (pain during and after <= 5 and
  back to the usual level by the next morning), morning pain and stiffness not rising -> advance;
- amber: a session skipped or missed, a session whose next-morning check-in is missing (so it
  is not known whether pain settled), or morning pain or stiffness rising -> repeat the week;
- red session: pain during or after above 5, or pain not settled by the next morning -> step back
  one week at once; the next planned run day becomes an extra rest day;
- red flags or a missing clearance pause the plan (the service asks ``get_plan_gate``); after a
  pause the interrupted week is repeated, or stepped back when the pause lasted two weeks or more.
"""

from __future__ import annotations

from backstride.domain.plan.calendar import (
    PauseState,
    PlanDay,
    WeekSpan,
    WeekSummary,
    calendar,
    day_in_week,
    day_plan,
    easier_session,
    spans,
)
from backstride.domain.plan.progress import (
    EventKind,
    FactSource,
    PlanEvent,
    Progress,
    SessionFact,
    SessionVerdict,
    interrupt,
    judge_session,
    morning_rise,
    project,
    settle,
)
from backstride.domain.plan.schedule import (
    BLOCK_WORDS,
    COOLDOWN_WALK_MIN,
    CROSS_ROTATION,
    FIVE_K_STANDARD,
    FIVE_K_STENOSIS,
    LONG_PAUSE_DAYS,
    MIN_REST_DAYS,
    RUNS_PER_WEEK,
    SCHEDULES,
    STRETCH_MIN,
    TEN_K_STANDARD,
    TEN_K_STENOSIS,
    WARMUP_DRILLS_MIN,
    WARMUP_WALK_MIN,
    WEEKDAY_NAMES,
    WEEKDAY_WORDS,
    Block,
    BlockKind,
    DayKind,
    Goal,
    Light,
    Outcome,
    SessionTemplate,
    Variant,
    WeekTemplate,
    cross_training_for,
    cross_training_minutes,
    days_text,
    describe_blocks,
    format_seconds,
    parse_days,
    parse_goal,
    parse_variant,
    schedule,
    week_roles,
)
from backstride.domain.plan.state import (
    PLACEMENT_WINDOW_DAYS,
    MarkStatus,
    Placement,
    PlanMark,
    PlanRecord,
    PlanSpec,
    PlanStatus,
    PlanWeek,
    RecentRun,
    first_week,
    next_run_date,
    place,
    run_dates,
    week_longest_run_s,
    week_run_dates,
)

__all__ = [
    "BLOCK_WORDS",
    "Block",
    "BlockKind",
    "COOLDOWN_WALK_MIN",
    "CROSS_ROTATION",
    "DayKind",
    "EventKind",
    "FIVE_K_STANDARD",
    "FIVE_K_STENOSIS",
    "FactSource",
    "Goal",
    "LONG_PAUSE_DAYS",
    "Light",
    "MIN_REST_DAYS",
    "MarkStatus",
    "Outcome",
    "PLACEMENT_WINDOW_DAYS",
    "PauseState",
    "Placement",
    "PlanDay",
    "PlanEvent",
    "PlanMark",
    "PlanRecord",
    "PlanSpec",
    "PlanStatus",
    "PlanWeek",
    "Progress",
    "RUNS_PER_WEEK",
    "RecentRun",
    "SCHEDULES",
    "STRETCH_MIN",
    "SessionFact",
    "SessionTemplate",
    "SessionVerdict",
    "TEN_K_STANDARD",
    "TEN_K_STENOSIS",
    "Variant",
    "WARMUP_DRILLS_MIN",
    "WARMUP_WALK_MIN",
    "WEEKDAY_NAMES",
    "WEEKDAY_WORDS",
    "WeekSpan",
    "WeekSummary",
    "WeekTemplate",
    "calendar",
    "cross_training_for",
    "cross_training_minutes",
    "day_in_week",
    "day_plan",
    "days_text",
    "describe_blocks",
    "easier_session",
    "first_week",
    "format_seconds",
    "interrupt",
    "judge_session",
    "morning_rise",
    "next_run_date",
    "parse_days",
    "parse_goal",
    "parse_variant",
    "place",
    "project",
    "run_dates",
    "schedule",
    "settle",
    "spans",
    "week_longest_run_s",
    "week_roles",
    "week_run_dates",
]
