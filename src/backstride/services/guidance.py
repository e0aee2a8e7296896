"""Use case: "what should I do today?" (:func:`today`) and the red-flag notice every page shows.

Reads only cached analysis (``activity_metrics``), the diary, the body records, the shoes and
the saved routes' cached scores, all *as of* the day asked about; it never decodes an
activity's samples. The rules themselves are pure (:mod:`backstride.domain.guidance`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from backstride.domain.activity import RUN_SPORTS, Sport, Surface
from backstride.domain.body import Experience, clearance_needed, training_status
from backstride.domain.day import Day
from backstride.domain.guidance import (
    LEVEL_WORDS,
    Decision,
    Finding,
    GuidanceState,
    RunCaps,
    RunDay,
    RunFacts,
    TodayPlan,
    WarmUpSkip,
    compute_findings,
    plan_today,
    run_caps,
)
from backstride.domain.load_rows import span_of
from backstride.domain.pain import (
    OpenRedFlag,
    RunRef,
    Triage,
    Urgency,
    awaiting_clearance,
    check_runs,
    first_claudication_day,
    open_red_flags,
    triage,
    weekly_morning_trend,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS, GuidanceParams
from backstride.domain.quick_load import report_over
from backstride.domain.routines import find_warmup_skips
from backstride.domain.selftest import build_report
from backstride.domain.shoes import (
    ROTATION_WINDOW_DAYS,
    GearUse,
    Shoe,
    name_key,
    rotation_nudge,
    shoe_status,
)
from backstride.services.context import App
from backstride.services.diary.views import triage_words
from backstride.services.routes import saved_routes
from backstride.services.training import refresh_metrics, summaries_of

if TYPE_CHECKING:
    from backstride.adapters.db.metrics_tables import ActivityMetricsRow
    from backstride.adapters.db.records import GearTotal
    from backstride.adapters.db.tables import ActivityRow
    from backstride.domain.body import Profile, TrainingStatus
    from backstride.domain.guidance import SavedRoute
    from backstride.domain.load import SessionSummary
    from backstride.domain.load_rows import LoadReport
    from backstride.domain.routines import RoutineLogEntry
    from backstride.domain.shoes import ShoeStatus


RUN_SPORT_VALUES = tuple(s.value for s in RUN_SPORTS)
#: ISO weeks of load history handed to the rules (they look back at most 35 days).
REPORT_WEEKS = 6
#: Days of session history read for the load model (EWMA weights older days below 0.1 %).
LOAD_DAYS = 200
#: Days of pain diary read: as far back as the load, so that the pain before a break in running
#: is seen (older red flags and leg patterns are always read).
PAIN_DAYS = LOAD_DAYS


def guidance_params(app: App) -> GuidanceParams:
    """The thresholds, with the ``guidance_overrides`` setting applied (checked by name and
    range; a bad override raises :class:`ConfigError`)."""
    return DEFAULT_GUIDANCE_PARAMS.with_overrides(app.settings.guidance_overrides)


#: The answer for one day: ``backstride.domain.day.Day`` (decision, session, reasons,
#: attention, the guidance's advice and every finding). The name stays for callers.
TodayAdvice = Day


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the guidance alone says about a day: its findings (most serious first), its
    concrete advice, and the limits on a run from her own runs."""

    state: GuidanceState
    params: GuidanceParams
    findings: tuple[Finding, ...]
    advice: TodayPlan
    caps: RunCaps

    @property
    def decision(self) -> Decision:
        return self.advice.decision


def _descent_bands(analysis_json: str) -> tuple[tuple[float, float], ...]:
    try:
        data = json.loads(analysis_json)
    except ValueError:
        return ()
    grade = data.get("grade") if isinstance(data, dict) else None
    if not isinstance(grade, dict):
        return ()
    out: list[tuple[float, float]] = []
    for band in grade.get("bands") or []:
        upper = band.get("upper_pct")
        dist = band.get("distance_m")
        if isinstance(upper, int | float) and upper <= 0 and isinstance(dist, int | float):
            out.append((float(upper), float(dist)))
    return tuple(out)


def _run_facts(row: ActivityMetricsRow, activity: ActivityRow | None) -> RunFacts:
    return RunFacts(
        activity_id=row.activity_id,
        day=row.day,
        sport=Sport(row.sport),
        distance_m=row.distance_m,
        moving_time_s=row.moving_time_s if row.moving_time_s is not None else row.duration_s,
        cadence_spm=row.cadence_spm,
        descent_bands=_descent_bands(row.analysis_json),
        steep_descent_5pct_m=row.steep_descent_m,
        longest_descent_drop_m=row.longest_descent_drop_m,
        surface=Surface(row.surface) if row.surface else None,
        hard=row.hard,
        has_heart_rate=row.trimp is not None,
        gear=activity.gear if activity is not None else None,
        notes=(
            ". ".join(t for t in (activity.name, activity.notes) if t)
            if activity is not None
            else None
        ),
    )


def _shoes_as_of(shoes: list[Shoe], *, on: date) -> list[Shoe]:
    """The pairs owned on ``on``; a pair retired after ``on`` was still in use then."""
    return [
        replace(s, retired_on=None) if s.retired_on is not None and s.retired_on > on else s
        for s in shoes
        if s.bought_on is None or s.bought_on <= on
    ]


def _gear_uses(totals: list[GearTotal], recent: list[ActivityRow]) -> dict[str, list[GearUse]]:
    """Uses by :func:`name_key`: older activities as one summed use per gear text and sport
    (enough for the distance), the last 8 weeks one by one (the rotation nudge looks at them)."""
    uses: dict[str, list[GearUse]] = {}
    for t in totals:
        uses.setdefault(name_key(t.gear), []).append(
            GearUse(activity_id=0, day=t.last_day, sport=t.sport, distance_m=t.distance_m)
        )
    for row in recent:
        if row.gear:
            uses.setdefault(name_key(row.gear), []).append(
                GearUse(row.id, row.local_date, row.sport, row.distance_m)
            )
    return uses


@dataclass(frozen=True, slots=True)
class TrainingFacts:
    """What the rules need that is not in the pain diary (``DIARY_TABLES``), as of a day:
    the load, the runs, the shoes, the routines logged, the saved routes and the profile.
    Immutable, so one copy serves every request while the data is unchanged."""

    summaries: tuple[SessionSummary, ...]
    report: LoadReport
    status: TrainingStatus
    profile: Profile
    runs: tuple[RunFacts, ...]
    routine_log: tuple[RoutineLogEntry, ...]
    shoes: tuple[ShoeStatus, ...]
    rotation: str | None
    routes: tuple[SavedRoute, ...]


def training_facts(app: App, *, on: date, params: GuidanceParams) -> TrainingFacts:
    """:class:`TrainingFacts` as of ``on``, kept in the context's memo (``App.remember``)
    while anything but the diary is unchanged: a check-in computes only the diary's part of
    the day again (:func:`build_state`)."""
    return app.remember(
        ("guidance.training_facts", on, params),
        lambda: _read_training_facts(app, on=on, params=params),
        reads_diary=False,
    )


def _read_training_facts(
    app: App, *, on: date, params: GuidanceParams, refresh: bool = True
) -> TrainingFacts:
    if refresh:
        refresh_metrics(app)  # analyse anything imported but not yet analysed
    lookback = max(params.cap_window_days, params.stride_window_days, 28) + 1
    since = on - timedelta(days=lookback)
    rotation_since = on - timedelta(days=ROTATION_WINDOW_DAYS)
    aid = app.athlete_id
    reads = app.reads
    with reads.batch():
        sessions = reads.session_columns(aid, since=on - timedelta(days=LOAD_DAYS), until=on)
        rows = [
            r for r in reads.metric_rows(aid, since=since, until=on) if r.sport in RUN_SPORT_VALUES
        ]
        acts = reads.activity_rows(aid, since=min(since, rotation_since), until=on)
        profile = reads.profile(aid)
        shoes = reads.shoes(aid)
        totals = reads.gear_totals(aid, before=rotation_since)
        routine_log = reads.routines(aid, until=on)
        routes = saved_routes(app)
    summaries = summaries_of(sessions)
    report = report_over(span_of(summaries, today=on, weeks=REPORT_WEEKS))
    status = training_status(
        profile.experience, (s.day for s in summaries if s.sport in RUN_SPORTS), today=on
    )
    if status.from_records:
        profile = replace(profile, experience=status.experience)
    activity_by_id = {a.id: a for a in acts}
    runs = tuple(
        _run_facts(r, activity_by_id.get(r.activity_id))
        for r in sorted(rows, key=lambda r: (r.day, r.activity_id))
    )
    owned = _shoes_as_of(shoes, on=on)
    uses = _gear_uses(totals, [a for a in acts if a.local_date >= rotation_since])
    statuses = tuple(
        shoe_status(s, uses.get(name_key(s.name), []), today=on) for s in owned if s.active
    )
    return TrainingFacts(
        summaries=tuple(summaries),
        report=report,
        status=status,
        profile=profile,
        runs=runs,
        routine_log=tuple(routine_log),
        shoes=statuses,
        rotation=rotation_nudge(owned, uses, today=on),
        routes=routes,
    )


def build_state(app: App, *, on: date, params: GuidanceParams) -> GuidanceState:
    """Everything the rules need, as of ``on`` (nothing recorded after it counts).

    Reads the last :data:`LOAD_DAYS` days of cached session analysis (the load ratios are
    exponentially weighted, so older days weigh under 0.1 %), the pain diary of the last
    :data:`PAIN_DAYS` days plus every older red-flag or leg-pattern entry, the shoes' distances
    summed in SQL, and the saved routes' cached scores. With a memo (``App.memo``), all but
    the diary is :func:`training_facts`, kept while unchanged; without one, everything is
    read in one batch (one snapshot), as before there was a memo.
    """
    if app.memo is None:
        refresh_metrics(app)  # analyse anything imported but not yet analysed
        with app.reads.batch():
            facts = _read_training_facts(app, on=on, params=params, refresh=False)
            return _with_diary(app, facts, on=on, params=params)
    return _with_diary(app, training_facts(app, on=on, params=params), on=on, params=params)


def _with_diary(
    app: App, facts: TrainingFacts, *, on: date, params: GuidanceParams
) -> GuidanceState:
    """:func:`build_state` from ``facts`` and the diary as of ``on``."""
    aid = app.athlete_id
    reads = app.reads
    with reads.batch():
        pain = reads.pain_for_guidance(aid, since=on - timedelta(days=PAIN_DAYS), until=on)
        seen = [s for s in reads.seen(aid) if s.on <= on]
        screening = reads.screening(aid)
        clearances = [c for c in reads.clearances(aid) if c.on <= on]
        tests = [t for t in reads.selftests(aid) if t.day <= on]
        first_pain = reads.first_pain_day_above(aid, score=2, until=on)
    if screening is not None and screening.answered_on > on:
        screening = None
    profile = facts.profile
    status = facts.status
    runs = facts.runs
    refs = [RunRef(r.activity_id, r.day) for r in runs]
    checks = check_runs(refs, pain)
    warm = find_warmup_skips(
        checks,
        facts.routine_log,
        since=on - timedelta(days=params.warm_up_window_days - 1),
        until=on,
    )
    return GuidanceState(
        today=on,
        load=facts.report,
        runs=runs,
        pain=tuple(pain),
        run_checks=checks,
        morning_weeks=weekly_morning_trend(
            e for e in pain if e.day >= on - timedelta(days=7 * (params.persistent_weeks + 2))
        ),
        open_red_flags=open_red_flags(pain, seen, profile.risk),
        clearance=clearance_needed(
            profile,
            screening,
            clearances,
            claudication_since=first_claudication_day(pain),
            regularly_active=status.from_records and status.experience is Experience.REGULAR,
            today=on,
            back_pain_since=first_pain,
        ),
        profile=profile,
        selftests=(
            build_report(tests, sex=profile.sex.value, today=on, birth_year=profile.birth_year)
            if tests
            else None
        ),
        shoes=facts.shoes,
        rotation=facts.rotation,
        routes=facts.routes,
        warm_up_skips=tuple(
            WarmUpSkip(w.activity_id, w.day, w.worst_pain) for w in warm.skipped_painful
        ),
        history=tuple(RunDay(s.day, s.distance_m) for s in facts.summaries if s.sport.is_run),
        awaiting=awaiting_clearance(pain, seen, [c.on for c in clearances]),
    )


def message_units(app: App) -> str:
    """The units the day's words are written in (km or mi), as every table and page: the
    ``--units`` flag, ``BACKSTRIDE_UNITS``, the runner's profile or the config file, by the
    one rule (:func:`backstride.services.body.units_in_force`)."""
    from backstride.services.body import units_in_force

    return units_in_force(app).units


def assess(app: App, *, on: date, units: str | None = None) -> Assessment:
    """The guidance's findings, advice and run limits on ``on`` (no plan involved), their
    words in ``units`` (default :func:`message_units`); nothing else depends on the units."""
    params = guidance_params(app)
    words_in = units or message_units(app)
    state = build_state(app, on=on, params=params)
    findings = compute_findings(state, params, words_in)
    advice = plan_today(state, findings, params, words_in)
    caps = run_caps(state, findings, params, words_in)
    return Assessment(state, params, findings, advice, caps)


def today(app: App, *, on: date, today: date | None = None, units: str | None = None) -> Day:
    """The one answer for ``on`` (``services.day.day_answer``): the guidance and the plan
    combined. ``today`` is the real date (a plan is never settled beyond it; default ``on``);
    ``units`` the words' units (default :func:`message_units`)."""
    from backstride.services.day import day_answer

    return day_answer(app, on=on, today=today, units=units)


# --- the notice every page shows --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmergencyNotice:
    """Open emergency red flags: shown first and alone on every page until the runner records
    that they have been seen (``backstride pain seen``)."""

    flags: tuple[OpenRedFlag, ...]
    triage: Triage

    @property
    def lines(self) -> tuple[str, ...]:
        return self.triage.lines

    def to_json(self) -> dict[str, Any]:
        return {"flags": [o.flag.value for o in self.flags], **triage_words(self.triage)}


def emergency_notice(app: App, *, on: date) -> EmergencyNotice | None:
    """The emergency notice as of ``on``, or None when no emergency red flag is open."""
    from backstride.adapters.db.body_repos import PainRepo, ProfileRepo, RedFlagSeenRepo

    with app.store.read_session() as session:
        pain = PainRepo(session).list(app.athlete_id, until=on, red_flags_only=True)
        seen = [s for s in RedFlagSeenRepo(session).list(app.athlete_id) if s.on <= on]
        context = ProfileRepo(session).get(app.athlete_id).risk
    flags = tuple(o for o in open_red_flags(pain, seen, context) if o.urgency is Urgency.EMERGENCY)
    if not flags:
        return None
    t = triage((o.flag for o in flags), context)
    assert t is not None
    return EmergencyNotice(flags, t)


__all__ = [
    "LEVEL_WORDS",
    "Assessment",
    "EmergencyNotice",
    "TodayAdvice",
    "assess",
    "build_state",
    "emergency_notice",
    "guidance_params",
    "message_units",
    "today",
]
