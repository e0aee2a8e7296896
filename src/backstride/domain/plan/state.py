"""A plan as stored and placed: its spec, weeks, status and marks, where it starts from the
recent runs, and its run dates."""

from __future__ import annotations

import enum
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.plan.schedule import (
    LONG_PAUSE_DAYS,
    RUNS_PER_WEEK,
    Goal,
    Outcome,
    Variant,
    WeekTemplate,
    schedule,
)

# --- plan state ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanSpec:
    goal: Goal
    variant: Variant
    days: tuple[int, ...]
    start_on: date

    @property
    def templates(self) -> tuple[WeekTemplate, ...]:
        return schedule(self.goal, self.variant)


@dataclass(frozen=True, slots=True)
class PlanWeek:
    """One week as it was (or is being) lived. ``starts_on`` opens a 7-day window; a week that
    ended early (red session, pause) has ``cut_on``, its last counted day. ``rest_day_on`` is
    the extra rest day a step back inserts; ``paused_from`` the first paused day."""

    seq: int
    template_week: int
    starts_on: date
    cut_on: date | None = None
    rest_day_on: date | None = None
    paused_from: date | None = None
    outcome: Outcome | None = None
    reasons: tuple[str, ...] = ()
    settled_on: date | None = None

    @property
    def window_end(self) -> date:
        """The day after the 7-day window."""
        return self.starts_on + timedelta(days=7)

    @property
    def settled(self) -> bool:
        return self.outcome is not None


class PlanStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # paused by the runner (a pause by the safety gate is kept apart)
    STOPPED = "stopped"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A stored plan: its spec, status, and pauses (the runner's and the safety gate's)."""

    spec: PlanSpec
    status: PlanStatus = PlanStatus.ACTIVE
    paused_on: date | None = None
    pause_reason: str | None = None
    gate_paused_on: date | None = None
    gate_reasons: tuple[str, ...] = ()
    ended_on: date | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED)


MarkStatus = Literal["done", "skipped"]


@dataclass(frozen=True, slots=True)
class PlanMark:
    """The runner marks a plan day as done or skipped."""

    day: date
    status: MarkStatus
    reason: str | None = None
    activity_id: int | None = None


def first_week(spec: PlanSpec, week: int = 1) -> PlanWeek:
    """The plan's first week: schedule week ``week`` (see :func:`place`), from the start."""
    return PlanWeek(seq=1, template_week=week, starts_on=spec.start_on)


# --- where a plan starts ---------------------------------------------------------------------

#: The runs a placement looks at: the 4 weeks before the start.
PLACEMENT_WINDOW_DAYS = 28


@dataclass(frozen=True, slots=True)
class RecentRun:
    """What placement needs of one run: its longest stretch of running without a walking
    break (None when the recording cannot tell; then its moving time counts), and whether it
    was followed by pain above the acceptable level (a flare)."""

    day: date
    continuous_s: float | None
    moving_s: float | None
    flare: bool = False


@dataclass(frozen=True, slots=True)
class Placement:
    """The schedule week a plan starts at, and why, in plain words."""

    week: int
    matched_week: int
    reasons: tuple[str, ...]
    runs: int = 0
    typical_continuous_s: float | None = None
    chosen: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "week": self.week,
            "matched_week": self.matched_week,
            "reasons": list(self.reasons),
            "runs_4_weeks": self.runs,
            "typical_continuous_min": (
                round(self.typical_continuous_s / 60.0, 1)
                if self.typical_continuous_s is not None
                else None
            ),
            "chosen": self.chosen,
        }


def week_longest_run_s(template: WeekTemplate) -> int:
    """The longest stretch of running any session of the week asks for."""
    return max(s.longest_run_s for s in template.sessions)


def _minutes_words(seconds: float) -> str:
    minutes = seconds / 60.0
    return f"{minutes:.0f} minutes" if minutes >= 1.5 else f"{seconds:.0f} seconds"


def place(spec: PlanSpec, runs: Sequence[RecentRun]) -> Placement:
    """The schedule week that matches the runner's last 4 weeks, stepped back when needed.

    - The match: the last week whose longest stretch of running, in every session, is no
      longer than her typical (median) stretch of running without a walking break in the 4
      weeks before the start; the walk/cycle weeks of the stenosis variant are skipped once she
      runs past them.
    - How often: the plan has three sessions a week. With fewer than 2 runs a week on average
      she starts one week back; with fewer than one a week, at week 1.
    - One week back after a pain flare in those 4 weeks (a run followed by pain above the
      acceptable level) or after a break of two weeks or more without a run (the same rule as
      a long pause, ``LONG_PAUSE_DAYS``; return-to-run protocols step back the same way).
    """
    start = spec.start_on
    since = start - timedelta(days=PLACEMENT_WINDOW_DAYS)
    window = sorted((r for r in runs if since <= r.day < start), key=lambda r: r.day)
    templates = spec.templates
    if not window:
        return Placement(
            1,
            1,
            (
                "No runs in the 4 weeks before the start, so the plan begins at week 1 "
                f"({templates[0].focus[0].lower()}{templates[0].focus[1:].rstrip('.')}).",
            ),
        )
    bouts = [
        b
        for r in window
        if (b := r.continuous_s if r.continuous_s is not None else r.moving_s) is not None
    ]
    typical = float(statistics.median(bouts)) if bouts else 0.0
    matched = max(
        (t.number for t in templates if week_longest_run_s(t) <= typical + 1e-9), default=1
    )
    per_week = len(window) / (PLACEMENT_WINDOW_DAYS / 7)
    focus = templates[matched - 1].focus
    reasons = [
        f"In the 4 weeks before {start.isoformat()} you ran {len(window)} times (about "
        f"{per_week:.1f} a week), usually {_minutes_words(typical)} without a walking break: "
        f"that matches week {matched} ({focus[0].lower()}{focus[1:].rstrip('.')})."
    ]
    week = matched
    if per_week < 1.0:
        week = 1
        reasons.append("That is less than one run a week, so the plan begins at week 1.")
    elif per_week < 2.0 and week > 1:
        week -= 1
        reasons.append(
            f"The plan has {RUNS_PER_WEEK} sessions a week and you ran fewer than 2: one week "
            f"back, week {week}."
        )
    flares = [r for r in window if r.flare]
    gaps = [(b.day - a.day).days for a, b in zip(window, window[1:], strict=False)]
    gaps.append((start - window[-1].day).days)
    longest_gap = max(gaps)
    if week > 1 and (flares or longest_gap >= LONG_PAUSE_DAYS):
        week -= 1
        why = (
            f"your run on {flares[-1].day.isoformat()} was followed by pain above the "
            "acceptable level"
            if flares
            else f"you had a break of {longest_gap} days without running"
        )
        reasons.append(f"One week back because {why}: week {week}.")
    return Placement(week, matched, tuple(reasons), len(window), typical)


def run_dates(spec: PlanSpec, start: date, end: date) -> list[date]:
    """Run days in [start, end)."""
    out: list[date] = []
    day = start
    while day < end:
        if day.weekday() in spec.days:
            out.append(day)
        day += timedelta(days=1)
    return out


def week_run_dates(spec: PlanSpec, week: PlanWeek) -> list[date]:
    """The week's run sessions: run days in its window, up to ``cut_on`` when it ended early."""
    end = week.window_end
    if week.cut_on is not None:
        end = min(end, week.cut_on + timedelta(days=1))
    return run_dates(spec, week.starts_on, end)


def next_run_date(spec: PlanSpec, after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() not in spec.days:
        day += timedelta(days=1)
    return day
