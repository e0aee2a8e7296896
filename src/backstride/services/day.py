"""Use case: the one answer for a runner and a day (``domain/day/``).

Gathers the guidance's findings and advice (``services.guidance.assess``), what the runner's
plan holds that day (``services.plan.plan_for_day``; the plan is settled up to the day, never
beyond the real today) and what is known about her at all, and combines them with
:func:`backstride.domain.day.combine`. Every surface renders the result: ``backstride today``
and ``plan today``, the Today, Plan and Overview pages, ``/api/today`` and ``/api/overview``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from backstride.domain.body import Profile, Sex
from backstride.domain.day import Day, PlanToday, StartFacts, combine
from backstride.services.context import App
from backstride.services.guidance import Assessment, assess, message_units
from backstride.services.plan import plan_for_day

_UNSET: Final = object()


def _profile_set(p: Profile) -> bool:
    return (
        p.birth_year is not None
        or p.sex is not Sex.UNSPECIFIED
        or p.experience is not None
        or bool(p.conditions)
    )


def start_facts(app: App, a: Assessment, *, on: date, has_plan: bool) -> StartFacts:
    """What is known about the runner at all, as of ``on``."""
    state = a.state
    count = app.remember(
        ("day.activity_count", on),
        lambda: app.reads.activity_count(app.athlete_id, until=on),
        reads_diary=False,
    )
    recent = [r for r in state.runs_since(a.params.cap_window_days + 1) if r.day < on]
    return StartFacts(
        screened=state.clearance.status != "not-screened",
        profile_set=_profile_set(state.profile),
        has_activities=count > 0,
        has_recent_runs=bool(recent) or any(r.day == on for r in state.runs),
        has_plan=has_plan,
    )


def day_answer(
    app: App,
    *,
    on: date,
    today: date | None = None,
    planned: PlanToday | None | object = _UNSET,
    units: str | None = None,
) -> Day:
    """The answer for ``on``. ``today`` is the real date (default ``on``): the plan is settled
    up to ``min(on, today)``. ``planned`` lets the plan's own use case pass the day it already
    computed (None: no plan). ``units`` (km or mi; default the runner's ``units`` setting)
    changes the words only: the decision, the findings and every number of the JSON are the
    same in both."""
    real = today if today is not None else on
    words_in = units or message_units(app)
    a = assess(app, on=on, units=words_in)
    plan: PlanToday | None = (
        plan_for_day(app, on=on, today=real) if planned is _UNSET else planned  # type: ignore[assignment]
    )
    start = start_facts(app, a, on=on, has_plan=plan is not None and plan.kind != "after_end")
    return combine(
        on=on,
        findings=a.findings,
        advice=a.advice,
        caps=a.caps,
        planned=plan,
        start=start,
        open_flags=a.state.open_red_flags,
        units=words_in,
    )
