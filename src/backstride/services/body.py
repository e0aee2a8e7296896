"""Use cases for the runner's body: profile, screening, clearance, self-tests, and the plan gate.

Every result is a frozen dataclass with ``to_json()``; the CLI and the web app share them.
Validation errors are :class:`InvalidInputError` raised before anything is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from backstride.domain.activity import RUN_SPORTS
from backstride.domain.body import (
    SCREENING_QUESTIONS,
    SCREENING_SOURCE,
    Clearance,
    ClearanceState,
    Experience,
    Profile,
    Screening,
    ScreeningQuestion,
    TrainingStatus,
    clearance_needed,
    first_back_pain_day,
    parse_conditions,
    parse_experience,
    parse_screening,
    parse_sex,
    training_status,
    validate_clearance,
    validate_profile,
)
from backstride.domain.pain import (
    OUTCOME_WORDS,
    RED_FLAGS,
    URGENCY_WORDS,
    AwaitingClearance,
    OpenRedFlag,
    awaiting_clearance,
    check_day,
    first_claudication_day,
    most_urgent,
    open_red_flags,
)
from backstride.domain.selftest import (
    TESTS,
    Assessment,
    RatioCheck,
    SelfTestName,
    SelfTestReport,
    SelfTestResult,
    build_report,
    format_value,
    parse_test_name,
    parse_test_value,
)
from backstride.domain.text import clean_line, clean_text
from backstride.domain.units import UnitsChoice, check_units, choose_units
from backstride.services.context import App


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- profile ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileView:
    profile: Profile
    stored: bool

    def to_json(self) -> dict[str, Any]:
        p = self.profile
        return {
            "stored": self.stored,
            "birth_year": p.birth_year,
            "sex": p.sex.value,
            "resting_hr_bpm": p.resting_hr_bpm,
            "max_hr_bpm": p.max_hr_bpm,
            "conditions": [c.value for c in p.conditions],
            "spine_conditions": [c.value for c in p.spine_conditions],
            "past_injuries": list(p.past_injuries),
            "experience": p.experience.value if p.experience else None,
            "spine_surgery_on": iso(p.spine_surgery_on),
            "spine_injection_on": iso(p.spine_injection_on),
            "pregnant": p.pregnant,
            "pregnant_since": iso(p.pregnant_since),
            "units": p.units,
        }


@dataclass(frozen=True, slots=True)
class HeartProfile:
    """What the heart-rate load (TRIMP) needs from the profile; None = not given."""

    birth_year: int | None
    sex: str  # female | male | unspecified
    resting_hr_bpm: int | None
    max_hr_bpm: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "birth_year": self.birth_year,
            "sex": self.sex,
            "resting_hr_bpm": self.resting_hr_bpm,
            "max_hr_bpm": self.max_hr_bpm,
        }


NONE_WORDS = frozenset({"none", "-", ""})


def get_profile(app: App) -> ProfileView:
    reads = app.reads
    with reads.batch():
        return ProfileView(reads.profile(app.athlete_id), reads.profile_exists(app.athlete_id))


def units_in_force(app: App, *, shared_server: bool = False) -> UnitsChoice:
    """km or mi for what this runner reads, and where it comes from: the settings and her
    profile, by the one rule of :func:`backstride.domain.units.choose_units`. The profile is
    read only when it can count (not when --units or BACKSTRIDE_UNITS decide on this
    computer)."""
    settings = app.settings
    decided = settings.units_from in ("flag", "environment") and not shared_server
    stored = None
    if not decided:
        stored = app.remember(  # a page's every request asks: kept while the profile is
            ("body.profile_units",),
            lambda: app.reads.profile_units(app.athlete_id),
            reads_diary=False,
        )
    return choose_units(
        setting=settings.units,
        setting_from=settings.units_from,
        profile=stored,
        shared_server=shared_server,
    )


def get_heart_profile(app: App) -> HeartProfile:
    profile = get_profile(app).profile
    return HeartProfile(
        birth_year=profile.birth_year,
        sex=profile.sex.value,
        resting_hr_bpm=profile.resting_hr_bpm,
        max_hr_bpm=profile.max_hr_bpm,
    )


def set_profile(
    app: App,
    *,
    today: date,
    birth_year: int | None = None,
    sex: str | None = None,
    resting_hr_bpm: int | None = None,
    max_hr_bpm: int | None = None,
    conditions: Sequence[str] | None = None,
    past_injuries: Sequence[str] | None = None,
    experience: str | None = None,
    spine_surgery_on: date | None = None,
    spine_injection_on: date | None = None,
    clear_spine_surgery: bool = False,
    clear_spine_injection: bool = False,
    pregnant: bool | None = None,
    units: str | None = None,
) -> ProfileView:
    """Change the given fields; ``None`` leaves a field as it is.

    ``conditions`` and ``past_injuries`` replace the stored lists; ``["none"]`` clears them.
    ``spine_surgery_on``/``spine_injection_on`` record the last operation or injection on
    the spine (``clear_*`` removes it); ``pregnant=True`` records a pregnancy from ``today``
    (kept when already recorded), ``False`` removes it. ``units`` is km or mi (``none``
    removes the choice: the settings decide again).
    """
    from backstride.adapters.db.body_repos import ProfileRepo

    with app.store.session() as session:
        repo = ProfileRepo(session)
        current = repo.get(app.athlete_id)
        changes: dict[str, Any] = {}
        if birth_year is not None:
            changes["birth_year"] = birth_year
        if sex is not None:
            changes["sex"] = parse_sex(sex)
        if resting_hr_bpm is not None:
            changes["resting_hr_bpm"] = resting_hr_bpm
        if max_hr_bpm is not None:
            changes["max_hr_bpm"] = max_hr_bpm
        if conditions is not None:
            cleaned = [c for c in conditions if c.strip().lower() not in NONE_WORDS]
            changes["conditions"] = parse_conditions(cleaned)
        if past_injuries is not None:
            changes["past_injuries"] = tuple(
                clean_line(t) for t in past_injuries if t.strip().lower() not in NONE_WORDS
            )
        if experience is not None:
            changes["experience"] = parse_experience(experience)
        if clear_spine_surgery:
            changes["spine_surgery_on"] = None
        elif spine_surgery_on is not None:
            changes["spine_surgery_on"] = spine_surgery_on
        if clear_spine_injection:
            changes["spine_injection_on"] = None
        elif spine_injection_on is not None:
            changes["spine_injection_on"] = spine_injection_on
        if pregnant is not None:
            changes["pregnant_since"] = (current.pregnant_since or today) if pregnant else None
        if units is not None:
            changes["units"] = None if units.strip().lower() in NONE_WORDS else check_units(units)
        updated = validate_profile(replace(current, **changes), today=today)
        repo.save(app.athlete_id, updated)
        return ProfileView(updated, True)


# --- screening and clearance ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionView:
    question: ScreeningQuestion

    def to_json(self) -> dict[str, Any]:
        q = self.question
        return {"key": q.key, "text": q.text, "domain": q.domain, "kind": q.kind}


def screening_questions() -> tuple[QuestionView, ...]:
    """The screening questions in the order they are asked."""
    return tuple(QuestionView(q) for q in SCREENING_QUESTIONS)


def _clearance_json(c: Clearance) -> dict[str, Any]:
    return {
        "id": c.id,
        "on": c.on.isoformat(),
        "by": c.by,
        "restrictions": c.restrictions,
        "notes": c.notes,
    }


@dataclass(frozen=True, slots=True)
class ClearanceView:
    """Whether a physician's clearance is needed before a plan, and why."""

    state: ClearanceState

    @property
    def plans_allowed(self) -> bool:
        return self.state.plans_allowed

    def to_json(self) -> dict[str, Any]:
        s = self.state
        return {
            "status": s.status,
            "plans_allowed": s.plans_allowed,
            "message": s.message,
            "reasons": [
                {
                    "code": r.code,
                    "text": r.text,
                    "source": r.source,
                    "since": iso(r.since),
                    "covered": r not in s.uncovered,
                }
                for r in s.reasons
            ],
            "notes": list(s.notes),
            "clearance": _clearance_json(s.clearance) if s.clearance else None,
            "screened_on": iso(s.screened_on),
        }


def _run_days(app: App, *, since: date, until: date) -> list[date]:
    rows = app.reads.activity_rows(
        app.athlete_id, since=since, until=until, sports=[s.value for s in RUN_SPORTS]
    )
    return [r.local_date for r in rows]


def training_status_for(app: App, *, today: date) -> TrainingStatus:
    """Her running experience from her records when they say enough (4 weeks of 2+ runs, or
    two weeks without a run after "regular"), else her profile answer."""
    profile = get_profile(app).profile
    days = _run_days(app, since=today - timedelta(days=400), until=today)
    return training_status(profile.experience, days, today=today)


def _state(app: App, on: date | None) -> ClearanceState:
    day = on or date.today()  # the edge default, for callers that have no day of their own
    reads, aid = app.reads, app.athlete_id
    with reads.batch():
        profile = reads.profile(aid)
        screening = reads.screening(aid)
        clearances = reads.clearances(aid)
        entries = reads.pain_list(aid)
    status = training_status_for(app, today=day)
    regular = status.from_records and status.experience is Experience.REGULAR
    return clearance_needed(
        profile,
        screening,
        clearances,
        claudication_since=first_claudication_day(entries),
        regularly_active=regular,
        today=day,
        back_pain_since=first_back_pain_day(entries),
    )


def latest_screening(app: App) -> Screening | None:
    """The runner's most recent screening answers (None before the first)."""
    from backstride.adapters.db.body_repos import ScreeningRepo

    with app.store.read_session() as session:
        return ScreeningRepo(session).latest(app.athlete_id)


def get_clearance_state(app: App, *, on: date | None = None) -> ClearanceView:
    """Whether a clearance is needed, as of ``on`` (the age rules need the day; without one,
    today's date is read here)."""
    return ClearanceView(_state(app, on))


@dataclass(frozen=True, slots=True)
class ScreeningSaved:
    screening: Screening
    clearance: ClearanceView

    def to_json(self) -> dict[str, Any]:
        return {
            "answered_on": self.screening.answered_on.isoformat(),
            "answers": dict(self.screening.answers),
            "yes_to": [q.key for q in self.screening.yes_health],
            "source": SCREENING_SOURCE,
            "clearance": self.clearance.to_json(),
        }


def record_screening(
    app: App, answers: Mapping[str, object], *, on: date, today: date
) -> ScreeningSaved:
    """Store a complete set of answers (every question, yes or no) given on ``on``."""
    from backstride.adapters.db.body_repos import ScreeningRepo

    check_day(on, today=today, what="screening")
    screening = parse_screening(answers, answered_on=on)
    with app.store.session() as session:
        ScreeningRepo(session).add(app.athlete_id, screening)
    return ScreeningSaved(screening, get_clearance_state(app, on=today))


@dataclass(frozen=True, slots=True)
class ClearanceList:
    clearances: tuple[Clearance, ...]
    state: ClearanceView

    def to_json(self) -> dict[str, Any]:
        return {
            "clearances": [_clearance_json(c) for c in self.clearances],
            "state": self.state.to_json(),
        }


def add_clearance(
    app: App,
    *,
    on: date,
    by: str,
    today: date,
    restrictions: str | None = None,
    notes: str | None = None,
) -> ClearanceList:
    """Record a physician's clearance given on ``on`` by ``by``."""
    from backstride.adapters.db.body_repos import ClearanceRepo

    clearance = validate_clearance(
        Clearance(
            on=on,
            by=clean_line(by),
            restrictions=(clean_text(restrictions) or None) if restrictions else None,
            notes=(clean_text(notes) or None) if notes else None,
        ),
        today=today,
    )
    with app.store.session() as session:
        ClearanceRepo(session).add(app.athlete_id, clearance)
    return list_clearances(app, on=today)


def list_clearances(app: App, *, on: date | None = None) -> ClearanceList:
    from backstride.adapters.db.body_repos import ClearanceRepo

    with app.store.session() as session:
        clearances = ClearanceRepo(session).list(app.athlete_id)
    return ClearanceList(tuple(clearances), get_clearance_state(app, on=on))


# --- the plan gate ----------------------------------------------------------------------------


def open_flag_json(o: OpenRedFlag) -> dict[str, Any]:
    return {
        "flag": o.flag.value,
        "urgency": o.urgency.value,
        "needs": URGENCY_WORDS[o.urgency],
        "what": RED_FLAGS[o.flag].plain,
        "first_reported_on": o.first_reported_on.isoformat(),
        "last_reported_on": o.last_reported_on.isoformat(),
        "entry_ids": list(o.entry_ids),
    }


def awaiting_json(a: AwaitingClearance) -> dict[str, Any]:
    return {
        "flag": a.flag.value,
        "what": RED_FLAGS[a.flag].plain,
        "first_reported_on": a.first_reported_on.isoformat(),
        "last_reported_on": a.last_reported_on.isoformat(),
        "seen_on": a.seen_on.isoformat(),
        "seen_by": a.seen_by,
        "outcome": a.outcome.value,
        "outcome_words": OUTCOME_WORDS[a.outcome],
        "notes": a.notes,
    }


def awaiting_reason(a: AwaitingClearance) -> str:
    """Why the plan waits after a visit, in the runner's words."""
    by = f" ({a.seen_by})" if a.seen_by else ""
    return (
        f"Paused: you were seen about {RED_FLAGS[a.flag].plain} on {a.seen_on.isoformat()}"
        f"{by}; {OUTCOME_WORDS[a.outcome]}. Walking and gentle mobility only until a clinician "
        "says you may train; then record it with "
        f"`backstride pain seen --flag {a.flag.value} --on DATE --outcome may-train`."
    )


@dataclass(frozen=True, slots=True)
class PlanGate:
    """Whether a running plan may start or continue, and every reason it may not.

    Red flags pause plans until the runner records the visit and a clinician's "you may
    train" (``pain seen --outcome may-train``, which is also a clearance); a needed clearance
    or missing screening blocks plans. Logging and analysis are never blocked.
    """

    allowed: bool
    urgency: str | None  # "emergency" | "same-day" | "prompt" when a red flag is open
    reasons: tuple[str, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    clearance: ClearanceView
    awaiting: tuple[AwaitingClearance, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "urgency": self.urgency,
            "reasons": list(self.reasons),
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "awaiting_clearance": [awaiting_json(a) for a in self.awaiting],
            "clearance": self.clearance.to_json(),
        }


def get_plan_gate(app: App, *, on: date | None = None) -> PlanGate:
    """Whether a plan may start or continue as of ``on`` (default: today's date)."""
    reads, aid = app.reads, app.athlete_id
    with reads.batch():
        entries = reads.pain_list(aid)
        seen = reads.seen(aid)
        context = reads.profile(aid).risk
        cleared = [c.on for c in reads.clearances(aid)]
    flags = open_red_flags(entries, seen, context)
    waiting = awaiting_clearance(entries, seen, cleared)
    clearance = get_clearance_state(app, on=on)
    reasons: list[str] = []
    urgency = most_urgent(o.urgency for o in flags)
    for o in flags:
        reasons.append(
            f"Paused: you reported {RED_FLAGS[o.flag].plain} on "
            f"{o.last_reported_on.isoformat()}, which needs {URGENCY_WORDS[o.urgency]}. Record "
            f"the visit and what you were told with `backstride pain seen --flag {o.flag.value} "
            "--on DATE --outcome may-train|may-not|not-known`."
        )
    reasons.extend(awaiting_reason(a) for a in waiting)
    if not clearance.plans_allowed:
        reasons.append(clearance.state.message)
        reasons.extend(r.text for r in clearance.state.uncovered)
    return PlanGate(
        allowed=not reasons,
        urgency=urgency.value if urgency else None,
        reasons=tuple(reasons),
        open_red_flags=flags,
        clearance=clearance,
        awaiting=waiting,
    )


# --- self-tests -------------------------------------------------------------------------------


def _result_json(r: SelfTestResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "id": r.id,
        "day": r.day.isoformat(),
        "value": r.value,
        "shown": format_value(r.name, r.value),
    }


@dataclass(frozen=True, slots=True)
class SelfTestSaved:
    result: SelfTestResult

    def to_json(self) -> dict[str, Any]:
        out = _result_json(self.result)
        assert out is not None
        return {"test": self.result.name.value, "unit": TESTS[self.result.name].unit, **out}


def add_selftest(app: App, *, name: str, value: str, on: date, today: date) -> SelfTestSaved:
    """Record one self-test result (value as typed: seconds, cm, degrees, pass/fail)."""
    from backstride.adapters.db.body_repos import SelfTestRepo

    check_day(on, today=today, what="self-test result")
    test = parse_test_name(name)
    result = SelfTestResult(name=test, day=on, value=parse_test_value(test, value))
    with app.store.session() as session:
        new_id = SelfTestRepo(session).add(app.athlete_id, result)
    return SelfTestSaved(replace(result, id=new_id))


def _assessment_json(a: Assessment) -> dict[str, Any]:
    spec = TESTS[a.name]
    return {
        "test": a.name.value,
        "title": spec.title,
        "unit": spec.unit,
        "measures": spec.measures,
        "latest": _result_json(a.latest),
        "previous": _result_json(a.previous),
        "rating": a.rating,
        "text": a.text,
        "references": [
            {"label": r.label, "value": r.value, "source": r.source, "verified": r.verified}
            for r in a.references
        ],
        "how_to": list(spec.steps),
        "caution": spec.caution,
        "retest_due_on": iso(a.retest_due_on),
        "retest_due": a.retest_due,
    }


def _ratio_json(r: RatioCheck) -> dict[str, Any]:
    return {
        "name": r.name,
        "numerator": r.numerator.value,
        "denominator": r.denominator.value,
        "value": r.value,
        "target": r.target,
        "ok": r.ok,
        "text": r.text,
        "source": r.source,
    }


@dataclass(frozen=True, slots=True)
class SelfTestReportView:
    report: SelfTestReport
    sex: str

    def to_json(self) -> dict[str, Any]:
        return {
            "sex": self.sex,
            "tests": [_assessment_json(a) for a in self.report.assessments],
            "ratios": [_ratio_json(r) for r in self.report.ratios],
            "retest_due": [n.value for n in self.report.retest_due],
            "reminder": self.report.reminder,
        }


def selftest_report(app: App, *, today: date) -> SelfTestReportView:
    from backstride.adapters.db.body_repos import ProfileRepo, SelfTestRepo

    with app.store.session() as session:
        results = SelfTestRepo(session).list(app.athlete_id)
        profile = ProfileRepo(session).get(app.athlete_id)
    sex = profile.sex.value
    report = build_report(results, sex=sex, today=today, birth_year=profile.birth_year)
    return SelfTestReportView(report, sex)


def selftest_names() -> tuple[str, ...]:
    return tuple(n.value for n in SelfTestName)
