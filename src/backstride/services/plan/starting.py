"""Starting a plan: the gate, the recent runs it starts from, and the demo's plan."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from backstride.domain.pain import (
    PAIN_RULES,
    RunRef,
    check_runs,
)
from backstride.domain.plan import (
    PLACEMENT_WINDOW_DAYS,
    WEEKDAY_WORDS,
    EventKind,
    Goal,
    Placement,
    PlanEvent,
    PlanRecord,
    PlanSpec,
    PlanStatus,
    RecentRun,
    Variant,
    first_week,
    parse_days,
    parse_goal,
    parse_variant,
    place,
)
from backstride.errors import ConflictError, InvalidInputError
from backstride.services.body import PlanGate, get_plan_gate, get_profile
from backstride.services.context import App
from backstride.services.diary import list_pain
from backstride.services.plan.state import (
    GOAL_WORDS,
    RUN_SPORT_VALUES,
)
from backstride.services.plan.views import (
    WeekView,
    plan_json,
    show_plan,
)
from backstride.services.training import refresh_metrics

# --- starting ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanStarted:
    """``{"plan": {...}, "notes": [...], "first_week": week, "placement": {"week",
    "matched_week", "reasons", "runs_4_weeks", "typical_continuous_min", "chosen"}}``."""

    record: PlanRecord
    notes: tuple[str, ...]
    first: WeekView | None
    placement: Placement | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": plan_json(self.record, None),
            "notes": list(self.notes),
            "first_week": self.first.to_json() if self.first else None,
            "placement": self.placement.to_json() if self.placement else None,
        }


def _refuse_gate(gate: PlanGate) -> ConflictError:
    if gate.open_red_flags or gate.awaiting:
        hint = (
            "Once a professional has seen you and said you may train, record it with "
            "`backstride pain seen --flag FLAG --on DATE --outcome may-train`; then start the "
            "plan."
        )
    elif gate.clearance.state.status == "not-screened":
        hint = "Answer the health screen first: `backstride screen`."
    else:
        hint = (
            "When your doctor agrees, record it with `backstride clearance add --on DATE --by "
            "NAME`, then start the plan. Logging runs and pain carries on meanwhile."
        )
    return ConflictError("A running plan cannot start yet. " + " ".join(gate.reasons), hint=hint)


def recent_runs(app: App, *, before: date) -> list[RecentRun]:
    """The runs of the :data:`PLACEMENT_WINDOW_DAYS` before ``before``, as placement needs
    them: the longest stretch of running without a walking break (from the cached analysis),
    the moving time, and whether pain above the acceptable level followed (a flare)."""
    from backstride.adapters.db.metrics_repo import MetricsRepo

    refresh_metrics(app)
    since = before - timedelta(days=PLACEMENT_WINDOW_DAYS)
    with app.store.read_session() as session:
        rows = [
            r
            for r in MetricsRepo(session).list_rows(
                app.athlete_id, since=since, until=before - timedelta(days=1)
            )
            if r.sport in RUN_SPORT_VALUES
        ]
    entries = list(list_pain(app, since=since - timedelta(days=35), until=before).entries)
    checks = {
        c.activity_id: c for c in check_runs([RunRef(r.activity_id, r.day) for r in rows], entries)
    }
    limit = PAIN_RULES.acceptable_max
    out: list[RecentRun] = []
    for r in rows:
        c = checks.get(r.activity_id)
        flare = c is not None and any(
            v is not None and v > limit for v in (c.during, c.after, c.next_morning)
        )
        out.append(
            RecentRun(
                day=r.day,
                continuous_s=_longest_run_s(r.analysis_json),
                moving_s=r.moving_time_s if r.moving_time_s is not None else r.duration_s,
                flare=flare,
            )
        )
    return out


def _longest_run_s(analysis_json: str) -> float | None:
    try:
        value = json.loads(analysis_json).get("longest_run_s")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def start_plan(
    app: App,
    *,
    goal: str,
    days: str | Sequence[str],
    start: date,
    today: date,
    variant: str | None = None,
    from_week: int | None = None,
) -> PlanStarted:
    """Start a plan after the safety gate (red flags, clearance) and the plan's own rules.

    The plan starts at the week that matches the runner's last 4 weeks (:func:`place`), or at
    ``from_week`` when she chooses one; the reasons are in ``PlanStarted.placement``."""
    from backstride.adapters.db.plan_repos import PlanRepo

    parsed_goal = parse_goal(goal)
    parsed_days = parse_days(days)
    profile = get_profile(app).profile
    chosen = (
        parse_variant(variant)
        if variant
        else (Variant.STENOSIS if profile.has_stenosis else Variant.STANDARD)
    )
    if start.year < 1990 or start > today + timedelta(days=366):
        raise InvalidInputError(
            f"{start.isoformat()} is not a sensible start date.",
            hint="Start within the next year (or on a past date to replay a plan).",
        )
    with app.store.session() as session:
        repo = PlanRepo(session)
        current = repo.current(app.athlete_id)
        plans = repo.list(app.athlete_id)
    if current is not None:
        raise ConflictError(
            f"You already have a {GOAL_WORDS[current.spec.goal]} plan "
            f"({current.status.value}) that started on {current.spec.start_on}.",
            hint="Stop it first with `backstride plan stop`, or carry on with it.",
        )
    if parsed_goal is Goal.TEN_K and not any(
        p.spec.goal is Goal.FIVE_K and p.status is PlanStatus.FINISHED for p in plans
    ):
        raise ConflictError(
            "The 10K plan builds on a finished 5K plan: it starts from 30 minutes of "
            "continuous running, which the 5K plan builds up to safely.",
            hint="Start with `backstride plan start --goal 5k --days ...`; the 10K plan opens "
            "once it is finished.",
        )
    gate = get_plan_gate(app, on=today)
    if not gate.allowed:
        raise _refuse_gate(gate)
    notes: list[str] = list(gate.clearance.state.notes)
    if profile.has_stenosis and chosen is Variant.STANDARD:
        notes.append(
            "Your profile lists lumbar spinal stenosis; the stenosis variant (walking and "
            "cycling blocks first, smaller steps, flat routes) is usually kinder. Restart with "
            "--variant stenosis if you prefer it."
        )
    if chosen is Variant.STENOSIS:
        notes.append(
            "Stenosis variant: choose flat, even routes, avoid downhill stretches and standing "
            "still for long; if your legs tingle or ache, sit or lean forward until it eases."
        )
    if gate.clearance.state.clearance and gate.clearance.state.clearance.restrictions:
        notes.append(
            "Your clearance lists restrictions: "
            f"{gate.clearance.state.clearance.restrictions}. Keep to them."
        )
    spec = PlanSpec(goal=parsed_goal, variant=chosen, days=parsed_days, start_on=start)
    placement = place(spec, recent_runs(app, before=start))
    total = len(spec.templates)
    if from_week is not None:
        if not 1 <= from_week <= total:
            raise InvalidInputError(
                f"Week {from_week} is not in the plan.",
                hint=f"The {GOAL_WORDS[parsed_goal]} plan ({chosen.value}) has weeks 1 to {total}.",
            )
        said = (
            f"You chose to start at week {from_week}; your records suggested week {placement.week}."
            if from_week != placement.week
            else f"You chose week {from_week}, as your records suggested."
        )
        placement = replace(
            placement, week=from_week, reasons=(*placement.reasons, said), chosen=True
        )
    record = PlanRecord(spec=spec)
    roles = ", ".join(WEEKDAY_WORDS[d] for d in parsed_days)
    with app.store.session() as session:
        repo = PlanRepo(session)
        plan_id = repo.add(app.athlete_id, record)
        repo.save_weeks(plan_id, [first_week(spec, placement.week)])
        repo.add_events(
            plan_id,
            [
                PlanEvent(
                    start,
                    EventKind.STARTED,
                    f"Started the {GOAL_WORDS[parsed_goal]} plan ({chosen.value}), "
                    f"{total} weeks, running on {roles}, at week {placement.week}. "
                    + " ".join(placement.reasons),
                    1,
                )
            ],
        )
    view = show_plan(app, on=start, today=today)
    return PlanStarted(
        replace(record, id=plan_id),
        tuple(notes),
        view.weeks[0] if view.weeks else None,
        placement,
    )


def start_demo_plan(
    app: App, *, start: date, today: date | None = None, days: str = "mon,wed,sat"
) -> PlanStarted:
    """Give the demo athlete an active 5K plan starting on ``start`` on ``days`` (the stenosis
    variant when the profile lists stenosis), at the week her records match. ``today``
    defaults to ``start``."""
    return start_plan(app, goal="5k", days=days, start=start, today=today or start, variant=None)
