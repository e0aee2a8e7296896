"""Use case: the report a runner takes to her physiotherapist or physician (docs/report.md).

:func:`build_report` gathers, for a period, who she is, red flags and when they were seen,
pain against running load week by week, what the daily guidance found (the one day-decision
service, :func:`backstride.services.guidance.today`), self-tests against norms, outcome
measures and their change, the plan, shoes, and the questions she wants to ask. Everything
is returned as one JSON-ready dict (``backstride report --json``); the HTML and PDF are drawn
from that same dict (:mod:`backstride.adapters.files.report_doc`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backstride import __version__
from backstride.adapters.db.body_repos import PainRepo, RedFlagSeenRepo
from backstride.adapters.db.data_repos import MeasureRepo, ReportNoteRepo
from backstride.adapters.db.metrics_repo import MetricsRepo
from backstride.adapters.db.plan_repos import PlanRepo, RoutineLogRepo
from backstride.domain.activity import RUN_SPORTS
from backstride.domain.body import CONDITION_WORDS, SCREENING_QUESTIONS
from backstride.domain.evidence import cite
from backstride.domain.guidance import DECISION_WORDS, LEVEL_WORDS, Finding, rank
from backstride.domain.measures import compute_changes, retests_due
from backstride.domain.pain import RED_FLAGS, PainEntry, RedFlag, SeenRecord
from backstride.domain.plan import Outcome
from backstride.domain.report import (
    CHART_MOMENTS,
    MarkRules,
    Period,
    RunMark,
    compute_week_rows,
    notable_entries,
)
from backstride.domain.routines import RoutineKind
from backstride.domain.selftest import TESTS, format_value
from backstride.domain.selftest import build_report as build_selftest_report
from backstride.domain.units import format_elevation
from backstride.errors import InvalidInputError
from backstride.services.context import App
from backstride.services.guidance import guidance_params, message_units, today
from backstride.services.measures import change_json, retest_json, score_json
from backstride.services.shoes import list_shoes
from backstride.services.training import load_report

REPORT_VERSION = 1
DEFAULT_WEEKS = 12
NOTABLE_MIN_SCORE = 4
NOTABLE_LIMIT = 10
MAX_QUESTIONS_CHARS = 2000

MOMENT_WORDS: Mapping[str, str] = {
    "before": "before",
    "during": "during",
    "after": "after",
    "next-morning": "next morning",
    "rest-day": "rest day",
}
SITE_WORDS: Mapping[str, str] = {
    "low-back": "low back",
    "buttock-left": "left buttock",
    "buttock-right": "right buttock",
    "leg-left": "left leg",
    "leg-right": "right leg",
}
OUTCOME_WORDS: Mapping[str, str] = {
    "advance": "moved on",
    "repeat": "repeated",
    "step_back": "stepped back",
    "finished": "finished",
    "stopped": "stopped",
}
# Pointers to the project's research notes are not for a reader of the report.
_NOTES_REF = re.compile(r"\s*\((?:[^()]*\b(?:EVIDENCE|DESIGN)\.md\b[^()]*)\)|;?\s*DESIGN\.md[^;)]*")


def reader_source(text: str) -> str:
    """A finding's source without the pointers to backstride's own research notes."""
    return _NOTES_REF.sub("", text).strip(" ;") or text


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to its full stop), for the printed tables."""
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])", text)
    return text[: match.start()] if match else text


def default_period(*, today_on: date, since: date | None, until: date | None) -> Period:
    """``--to`` defaults to today, ``--from`` to the Monday 11 weeks before ``--to``'s week
    (12 ISO weeks in all)."""
    end = until or today_on
    if end > today_on:
        raise InvalidInputError(
            f"The report cannot end after today ({today_on}).", hint="Give --to today or earlier."
        )
    start = since or (end - timedelta(days=end.weekday()) - timedelta(weeks=DEFAULT_WEEKS - 1))
    return Period(start, end)


# --- sections -------------------------------------------------------------------------------------


def _who(app: App, period: Period) -> dict[str, Any]:
    reads = app.reads
    with reads.batch():
        profile = reads.profile(app.athlete_id)
        screening = reads.screening(app.athlete_id)
        clearances = [c for c in reads.clearances(app.athlete_id) if c.on <= period.end]
    if screening is not None and screening.answered_on > period.end:
        screening = None
    answers: list[dict[str, Any]] = []
    if screening is not None:
        for q in SCREENING_QUESTIONS:
            if q.key in screening.answers:
                answers.append(
                    {"question": q.text, "answer": "yes" if screening.answers[q.key] else "no"}
                )
    return {
        "age": period.end.year - profile.birth_year if profile.birth_year else None,
        "birth_year": profile.birth_year,
        "sex": profile.sex.value,
        "conditions": [CONDITION_WORDS[c] for c in profile.conditions],
        "past_injuries": list(profile.past_injuries),
        "experience": profile.experience.value if profile.experience else None,
        "screening": {
            "answered_on": screening.answered_on.isoformat(),
            "yes": [a["question"] for a in answers if a["answer"] == "yes"],
            "answers": answers,
        }
        if screening is not None
        else None,
        "clearances": [
            {
                "on": c.on.isoformat(),
                "by": c.by,
                "restrictions": c.restrictions,
                "notes": c.notes,
            }
            for c in sorted(clearances, key=lambda c: c.on)
        ],
    }


def _red_flags(
    entries: Sequence[PainEntry], seen: Sequence[SeenRecord], period: Period
) -> list[dict[str, Any]]:
    """Every red flag reported in the period: when, and when (and by whom) it was seen."""
    out: list[dict[str, Any]] = []
    for e in entries:
        if not period.contains(e.day):
            continue
        for flag in e.red_flags:
            later = sorted(
                (s for s in seen if s.flag is flag and s.on >= e.day), key=lambda s: s.on
            )
            info = RED_FLAGS[flag]
            out.append(
                {
                    "flag": flag.value,
                    "words": info.plain,
                    "urgency": info.urgency.value,
                    "reported_on": e.day.isoformat(),
                    "seen_on": later[0].on.isoformat() if later else None,
                    "seen_by": later[0].by if later else None,
                }
            )
    return out


def _entry_json(e: PainEntry) -> dict[str, Any]:
    return {
        "date": e.day.isoformat(),
        "when": MOMENT_WORDS.get(e.when.value, e.when.value),
        "score": e.score,
        "where": [SITE_WORDS.get(s.value, s.value) for s in e.where],
        "feels": [f.value for f in e.feels],
        "leg_symptoms_walking": e.walking_leg_symptoms,
        "eases_sitting": e.eases_sitting,
        "red_flags": [RedFlag(f).value for f in e.red_flags],
        "notes": e.notes,
    }


def _pain_and_load(
    app: App, period: Period, entries: Sequence[PainEntry], units: str
) -> dict[str, Any]:
    params = guidance_params(app)
    weeks = len(period.week_starts())
    report = load_report(app, on=period.end, weeks=weeks)
    spike_by_id = {r.activity_id: r.spike_ratio for r in report.runs}
    run_values = {s.value for s in RUN_SPORTS}
    with app.store.read_session() as session:
        rows = MetricsRepo(session).list_rows(app.athlete_id, since=period.start, until=period.end)
    runs = [
        RunMark(
            day=r.day,
            distance_m=r.distance_m or 0.0,
            moving_time_s=r.moving_time_s if r.moving_time_s is not None else r.duration_s,
            spike_ratio=spike_by_id.get(r.activity_id),
            longest_descent_drop_m=r.longest_descent_drop_m,
            steep_descent_m=r.steep_descent_m,
        )
        for r in rows
        if r.sport in run_values
    ]
    rules = MarkRules(
        spike_ratio=params.spike_caution_ratio,
        long_drop_m=params.downhill_long_drop_m,
        steep_descent_m=params.downhill_steep_m,
    )
    rows_out = compute_week_rows(period, pain=entries, runs=runs, rules=rules)
    in_period = [e for e in entries if period.contains(e.day)]
    notable, more = notable_entries(in_period, min_score=NOTABLE_MIN_SCORE, limit=NOTABLE_LIMIT)
    return {
        "moments": [MOMENT_WORDS[m.value] for m in CHART_MOMENTS],
        "weeks": [
            {
                "start": w.start.isoformat(),
                "run_km": round(w.run_km, 1),
                "run_min": round(w.run_min),
                "runs": w.runs,
                "pain_high": list(w.pain_high),
                "spike_days": [d.isoformat() for d in w.spike_days],
                "descent_days": [d.isoformat() for d in w.descent_days],
                "entries": w.entries,
            }
            for w in rows_out
        ],
        "totals": {
            "runs": sum(w.runs for w in rows_out),
            "run_km": round(sum(w.run_km for w in rows_out), 1),
            "entries": len(in_period),
        },
        "marks": {
            "spike": f"a run more than {round((rules.spike_ratio - 1) * 100)} % longer than the "
            f"longest run of the 30 days before it ({cite('frandsen-2025')})",
            "descent": "a continuous descent dropping "
            f"{format_elevation(rules.long_drop_m, units)} or more, or "
            f"{format_elevation(rules.steep_descent_m, units)} or more of steep downhill in "
            "one run",
        },
        "notable_entries": [_entry_json(e) for e in notable],
        "notable_more": more,
        "notable_rule": f"red flags, leg symptoms on walking, or pain of {NOTABLE_MIN_SCORE}/10 "
        "or more",
    }


def _finding_json(f: Finding, *, first: date, last: date, days: int) -> dict[str, Any]:
    return {
        "id": f.id,
        "level": f.level,
        "level_words": LEVEL_WORDS.get(f.level, f.level),
        "title": f.title,
        "reason": f.reason,
        "reason_short": first_sentence(f.reason),
        "action": f.action,
        "source": reader_source(f.source),
        "first_on": first.isoformat(),
        "last_on": last.isoformat(),
        "days": days,
    }


def _findings(app: App, period: Period, units: str) -> dict[str, Any]:
    """What the day-decision service said on each Sunday of the period and on its last day,
    gathered by finding: first and last day it was said, and its latest wording."""
    days: list[date] = []
    day = period.start + timedelta(days=(6 - period.start.weekday()))
    while day < period.end:
        days.append(day)
        day += timedelta(days=7)
    days.append(period.end)
    seen: dict[str, tuple[Finding, date, date, int]] = {}
    last_advice = None
    for d in days:
        advice = today(app, on=d, units=units)
        last_advice = advice
        for f in advice.findings:
            if f.id in seen:
                _, first, _, n = seen[f.id]
                seen[f.id] = (f, first, d, n + 1)
            else:
                seen[f.id] = (f, d, d, 1)
    ordered = sorted(seen.values(), key=lambda v: (-rank(v[0])[0], -rank(v[0])[1], v[1]))
    assert last_advice is not None
    return {
        "checked_on": [d.isoformat() for d in days],
        "decision_on_last_day": {
            "date": period.end.isoformat(),
            "decision": last_advice.decision,
            "words": DECISION_WORDS[last_advice.decision],
        },
        "findings": [_finding_json(f, first=a, last=b, days=n) for f, a, b, n in ordered],
    }


def _selftests(app: App, period: Period) -> dict[str, Any]:
    reads = app.reads
    with reads.batch():
        results = [t for t in reads.selftests(app.athlete_id) if t.day <= period.end]
        sex = reads.profile(app.athlete_id).sex.value
    if not results:
        return {"tests": [], "ratios": []}
    report = build_selftest_report(results, sex=sex, today=period.end)
    tests = []
    for a in report.assessments:
        if a.latest is None:
            continue
        spec = TESTS[a.name]
        trend = None
        if a.previous is not None and spec.unit != "pass/fail":
            trend = round(a.latest.value - a.previous.value, 1)
        tests.append(
            {
                "test": a.name.value,
                "title": spec.title,
                "latest": format_value(a.name, a.latest.value),
                "latest_on": a.latest.day.isoformat(),
                "previous": format_value(a.name, a.previous.value) if a.previous else None,
                "previous_on": a.previous.day.isoformat() if a.previous else None,
                "change": trend,
                "unit": spec.unit,
                "assessment": a.text,
                "assessment_short": first_sentence(a.text).split(";")[0].rstrip(".") + ".",
                "norms": [
                    {"label": r.label, "value": r.value, "source": reader_source(r.source)}
                    for r in a.references
                ],
            }
        )
    ratios = [
        {"name": r.name, "value": r.value, "target": r.target, "ok": r.ok, "text": r.text}
        for r in report.ratios
        if r.value is not None
    ]
    return {"tests": tests, "ratios": ratios}


def _measures(app: App, period: Period) -> dict[str, Any]:
    with app.store.read_session() as session:
        every = MeasureRepo(session).list(app.athlete_id, until=period.end)
    shown = [s for s in every if period.contains(s.day)]
    return {
        "scores": [score_json(s) for s in shown],
        "changes": [change_json(c) for c in compute_changes(shown)],
        "retest_due": [
            retest_json(r, today=period.end) for r in retests_due(every, today=period.end)
        ],
    }


def _plan(app: App, period: Period) -> dict[str, Any] | None:
    with app.store.read_session() as session:
        repo = PlanRepo(session)
        plans = [
            p
            for p in repo.list(app.athlete_id)
            if p.spec.start_on <= period.end and (p.ended_on is None or p.ended_on >= period.start)
        ]
        if not plans:
            return None
        plan = max(plans, key=lambda p: (p.spec.start_on, p.id or 0))
        assert plan.id is not None
        weeks = repo.weeks(plan.id)
        marks = repo.marks(plan.id)
        routine = RoutineLogRepo(session).list(app.athlete_id, since=period.start, until=period.end)
    lived = [w for w in weeks if w.starts_on <= period.end]
    current = lived[-1] if lived else None
    settled = [w for w in weeks if w.settled_on is not None and period.contains(w.settled_on)]
    outcomes = {o.value: sum(1 for w in settled if w.outcome is o) for o in Outcome}
    in_period = [m for d, m in marks.items() if period.contains(d)]
    adherence = {}
    for kind in RoutineKind:
        mine = [e for e in routine if e.routine is kind]
        adherence[kind.value] = {
            "done": sum(1 for e in mine if e.done),
            "skipped": sum(1 for e in mine if not e.done),
        }
    return {
        "goal": plan.spec.goal.value,
        "variant": plan.spec.variant.value,
        "status": plan.status.value,
        "started_on": plan.spec.start_on.isoformat(),
        "week": current.template_week if current else None,
        "weeks_total": len(plan.spec.templates),
        "focus": plan.spec.templates[current.template_week - 1].focus if current else None,
        "sessions_done": sum(1 for m in in_period if m.status == "done"),
        "sessions_skipped": sum(1 for m in in_period if m.status == "skipped"),
        "weeks_stepped_back": outcomes.get("step_back", 0),
        "week_outcomes": {OUTCOME_WORDS[k]: v for k, v in outcomes.items() if v},
        "routines": adherence,
    }


def _shoes(app: App, period: Period, units: str) -> list[dict[str, Any]]:
    view = list_shoes(app, today=period.end, units=units).to_json()
    return [
        {
            "name": s["name"],
            "distance_km": s["distance_km"],
            "retire_km": s["retire_km"],
            "state": s["state"],
            "warnings": s["warnings"],
            "retired_on": s["retired_on"],
        }
        for s in view["shoes"]
        if s["retired_on"] is None or s["retired_on"] >= period.start.isoformat()
    ]


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    data: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return dict(self.data)


def build_report(app: App, *, period: Period, units: str | None = None) -> Report:
    """Everything the report shows for ``period`` (nothing recorded after its end counts).

    Its figures stay in kilometres and metres (``run_km``, ``distance_km``...); ``units`` (km
    or mi, default the runner's ``units`` setting) is what the words use and what the HTML,
    PDF and text show them in."""
    shown_in = units or message_units(app)
    with app.store.read_session() as session:
        entries = PainRepo(session).list(app.athlete_id, until=period.end)
        seen = [s for s in RedFlagSeenRepo(session).list(app.athlete_id) if s.on <= period.end]
        questions = ReportNoteRepo(session).get(app.athlete_id)
    data = {
        "report_version": REPORT_VERSION,
        "backstride_version": __version__,
        "units": shown_in,
        "period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": period.days,
        },
        "who": _who(app, period),
        "red_flags": _red_flags(entries, seen, period),
        "pain_and_load": _pain_and_load(app, period, entries, shown_in),
        "guidance": _findings(app, period, shown_in),
        "selftests": _selftests(app, period),
        "measures": _measures(app, period),
        "plan": _plan(app, period),
        "shoes": _shoes(app, period, shown_in),
        "questions": questions,
        "disclaimer": "backstride coaches; it does not diagnose. This report lists what the "
        "runner recorded and what backstride's rules said about it; it is not a clinical "
        "assessment.",
    }
    return Report(data)


def get_questions(app: App) -> str:
    with app.store.read_session() as session:
        return ReportNoteRepo(session).get(app.athlete_id)


def set_questions(app: App, text: str) -> str:
    """Store the questions for the professional (free text, up to 2,000 characters)."""
    clean = text.replace("\r\n", "\n").strip()
    if len(clean) > MAX_QUESTIONS_CHARS:
        raise InvalidInputError(
            f"The questions are limited to {MAX_QUESTIONS_CHARS:,} characters "
            f"({len(clean):,} given)."
        )
    with app.store.session() as session:
        ReportNoteRepo(session).set(app.athlete_id, clean)
    return clean
