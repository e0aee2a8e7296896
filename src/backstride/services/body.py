"""Use cases for the runner's body: profile, screening, clearance, self-tests, and the plan gate.

Every result is a frozen dataclass with ``to_json()``; the CLI and the web app share them.
Validation errors are :class:`InvalidInputError` raised before anything is stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from backstride.adapters.db.body_repos import (
    ClearanceRepo,
    PainRepo,
    ProfileRepo,
    RedFlagSeenRepo,
    ScreeningRepo,
    SelfTestRepo,
)
from backstride.adapters.db.repos import ActivityRepo
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
    parse_conditions,
    parse_experience,
    parse_screening,
    parse_sex,
    training_status,
    validate_clearance,
    validate_profile,
)
from backstride.domain.pain import (
    RED_FLAGS,
    OpenRedFlag,
    Urgency,
    check_day,
    first_claudication_day,
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
    with app.store.read_session() as session:
        repo = ProfileRepo(session)
        return ProfileView(repo.get(app.athlete_id), repo.exists(app.athlete_id))


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
) -> ProfileView:
    """Change the given fields; ``None`` leaves a field as it is.

    ``conditions`` and ``past_injuries`` replace the stored lists; ``["none"]`` clears them.
    """
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
                " ".join(t.split()) for t in past_injuries if t.strip().lower() not in NONE_WORDS
            )
        if experience is not None:
            changes["experience"] = parse_experience(experience)
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
    with app.store.read_session() as session:
        rows = ActivityRepo(session).list_rows(
            app.athlete_id, since=since, until=until, sports=[s.value for s in RUN_SPORTS]
        )
    return [r.local_date for r in rows]


def training_status_for(app: App, *, today: date) -> TrainingStatus:
    """Her running experience from her records when they say enough (4 weeks of 2+ runs, or
    two weeks without a run after "regular"), else her profile answer."""
    profile = get_profile(app).profile
    days = _run_days(app, since=today - timedelta(days=400), until=today)
    return training_status(profile.experience, days, today=today)


def _state(app: App, *, today: date | None = None) -> ClearanceState:
    with app.store.session() as session:
        profile = ProfileRepo(session).get(app.athlete_id)
        screening = ScreeningRepo(session).latest(app.athlete_id)
        clearances = ClearanceRepo(session).list(app.athlete_id)
        entries = PainRepo(session).list(app.athlete_id)
    regular: bool | None = None
    if today is not None:
        status = training_status_for(app, today=today)
        regular = status.from_records and status.experience is Experience.REGULAR
    return clearance_needed(
        profile,
        screening,
        clearances,
        claudication_since=first_claudication_day(entries),
        regularly_active=regular,
    )


def latest_screening(app: App) -> Screening | None:
    """The runner's most recent screening answers (None before the first)."""
    with app.store.read_session() as session:
        return ScreeningRepo(session).latest(app.athlete_id)


def get_clearance_state(app: App, *, today: date | None = None) -> ClearanceView:
    """The clearance state; with ``today`` its notes use her records (training status)."""
    return ClearanceView(_state(app, today=today))


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
    check_day(on, today=today, what="screening")
    screening = parse_screening(answers, answered_on=on)
    with app.store.session() as session:
        ScreeningRepo(session).add(app.athlete_id, screening)
    return ScreeningSaved(screening, get_clearance_state(app))


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
    clearance = validate_clearance(
        Clearance(
            on=on,
            by=" ".join(by.split()),
            restrictions=(restrictions.strip() or None) if restrictions else None,
            notes=(notes.strip() or None) if notes else None,
        ),
        today=today,
    )
    with app.store.session() as session:
        ClearanceRepo(session).add(app.athlete_id, clearance)
    return list_clearances(app)


def list_clearances(app: App) -> ClearanceList:
    with app.store.session() as session:
        clearances = ClearanceRepo(session).list(app.athlete_id)
    return ClearanceList(tuple(clearances), get_clearance_state(app))


# --- the plan gate ----------------------------------------------------------------------------


def open_flag_json(o: OpenRedFlag) -> dict[str, Any]:
    return {
        "flag": o.flag.value,
        "urgency": o.urgency.value,
        "what": RED_FLAGS[o.flag].plain,
        "first_reported_on": o.first_reported_on.isoformat(),
        "last_reported_on": o.last_reported_on.isoformat(),
        "entry_ids": list(o.entry_ids),
    }


@dataclass(frozen=True, slots=True)
class PlanGate:
    """Whether a running plan may start or continue, and every reason it may not.

    Red flags pause plans until the runner records being seen (``pain seen``); a needed
    clearance or missing screening blocks plans. Logging and analysis are never blocked.
    """

    allowed: bool
    urgency: str | None  # "emergency" | "prompt" when a red flag is open
    reasons: tuple[str, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    clearance: ClearanceView

    def to_json(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "urgency": self.urgency,
            "reasons": list(self.reasons),
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "clearance": self.clearance.to_json(),
        }


def get_plan_gate(app: App, *, today: date | None = None) -> PlanGate:
    with app.store.session() as session:
        entries = PainRepo(session).list(app.athlete_id)
        seen = RedFlagSeenRepo(session).list(app.athlete_id)
    flags = open_red_flags(entries, seen)
    clearance = get_clearance_state(app, today=today)
    reasons: list[str] = []
    urgency: str | None = None
    if any(o.urgency is Urgency.EMERGENCY for o in flags):
        urgency = Urgency.EMERGENCY.value
    elif flags:
        urgency = Urgency.PROMPT.value
    for o in flags:
        when = "emergency care" if o.urgency is Urgency.EMERGENCY else "a doctor within days"
        reasons.append(
            f"Paused: you reported {RED_FLAGS[o.flag].plain} on "
            f"{o.last_reported_on.isoformat()}, which needs {when}. Record the visit with "
            f"`backstride pain seen --flag {o.flag.value} --on DATE`."
        )
    if not clearance.plans_allowed:
        reasons.append(clearance.state.message)
        reasons.extend(r.text for r in clearance.state.uncovered)
    return PlanGate(
        allowed=not reasons,
        urgency=urgency,
        reasons=tuple(reasons),
        open_red_flags=flags,
        clearance=clearance,
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
    with app.store.session() as session:
        results = SelfTestRepo(session).list(app.athlete_id)
        profile = ProfileRepo(session).get(app.athlete_id)
    sex = profile.sex.value
    report = build_report(results, sex=sex, today=today, birth_year=profile.birth_year)
    return SelfTestReportView(report, sex)


def selftest_names() -> tuple[str, ...]:
    return tuple(n.value for n in SelfTestName)
