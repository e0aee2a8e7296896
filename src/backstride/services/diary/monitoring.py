"""The check-in's context and the pain-monitoring report (runs against pain, the morning trend),
and the red-flag questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backstride.domain.pain import (
    PAIN_RULES,
    RED_FLAG_SOURCE,
    RED_FLAGS,
    Advice,
    AwaitingClearance,
    MorningWeek,
    OpenRedFlag,
    PainRules,
    PainWhen,
    RunPainCheck,
    RunRef,
    awaiting_clearance,
    check_runs,
    claudication_advice,
    open_red_flags,
    parse_when,
    usual_level,
    weekly_morning_trend,
)
from backstride.services.body import awaiting_json, open_flag_json
from backstride.services.context import App
from backstride.services.diary.entries import (
    _runs_on,
)
from backstride.services.diary.views import (
    RUN_SPORT_VALUES,
    advice_json,
    pain_rules,
)

# --- check-in ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckinContext:
    """What a check-in on ``day`` is most likely about."""

    day: date
    when: PainWhen
    activity_id: int | None
    description: str

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "when": self.when.value,
            "activity_id": self.activity_id,
            "description": self.description,
        }


def checkin_context(app: App, *, day: date, when: str | None = None) -> CheckinContext:
    """Guess the check-in: after today's run, else the morning after yesterday's, else a rest
    day. An explicit ``when`` wins; a run is linked only when there is exactly one."""
    from backstride.adapters.db.repos import ActivityRepo

    with app.store.session() as session:
        repo = ActivityRepo(session)
        today_runs = _runs_on(repo, app.athlete_id, day)
        yesterday_runs = _runs_on(repo, app.athlete_id, day - timedelta(days=1))
    chosen = parse_when(when) if when else None
    if chosen is None:
        if today_runs:
            chosen = PainWhen.AFTER
        elif yesterday_runs:
            chosen = PainWhen.NEXT_MORNING
        else:
            chosen = PainWhen.REST_DAY
    runs = yesterday_runs if chosen is PainWhen.NEXT_MORNING else today_runs
    activity_id = runs[0].id if len(runs) == 1 and chosen is not PainWhen.REST_DAY else None
    words = {
        PainWhen.BEFORE: "before today's session",
        PainWhen.DURING: "during today's run",
        PainWhen.AFTER: "after today's run",
        PainWhen.NEXT_MORNING: "the morning after yesterday's run",
        PainWhen.REST_DAY: "a rest day",
    }
    description = words[chosen]
    if activity_id is not None:
        description += f" (activity {activity_id})"
    return CheckinContext(day, chosen, activity_id, description)


# --- pain-monitoring report -------------------------------------------------------------------


def _run_json(c: RunPainCheck) -> dict[str, Any]:
    return {
        "activity_id": c.activity_id,
        "day": c.day.isoformat(),
        "before": c.before,
        "during": c.during,
        "during_zone": c.during_zone,
        "after": c.after,
        "after_zone": c.after_zone,
        "next_morning": c.next_morning,
        "usual_level": c.usual_level,
        "settled": c.settled,
        "verdict": c.verdict,
        "reasons": list(c.reasons),
    }


def _week_json(w: MorningWeek) -> dict[str, Any]:
    return {
        "week_start": w.week_start.isoformat(),
        "mornings": w.mornings,
        "mean_score": w.mean_score,
        "max_score": w.max_score,
        "stiffness_mornings": w.stiffness_mornings,
        "stiffness_share": w.stiffness_share,
        "pain_trend": w.pain_trend,
        "stiffness_trend": w.stiffness_trend,
    }


@dataclass(frozen=True, slots=True)
class PainReport:
    """The pain-monitoring rules for each run and the weekly morning trend."""

    since: date
    until: date
    usual_level: float | None
    runs: tuple[RunPainCheck, ...]
    weeks: tuple[MorningWeek, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    claudication: Advice | None
    awaiting: tuple[AwaitingClearance, ...] = ()
    rules: PainRules = PAIN_RULES

    def to_json(self) -> dict[str, Any]:
        r = self.rules
        return {
            "open_red_flags": [open_flag_json(o) for o in self.open_red_flags],
            "awaiting_clearance": [awaiting_json(a) for a in self.awaiting],
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "usual_level": self.usual_level,
            "rules": {
                "safe_max": r.safe_max,
                "acceptable_max": r.acceptable_max,
                "baseline_window_days": r.baseline_window_days,
                "morning_rise_points": r.morning_rise_points,
                "stiffness_rise_share": r.stiffness_rise_share,
                "source": r.source,
                "red_flag_source": RED_FLAG_SOURCE,
            },
            "runs": [_run_json(c) for c in self.runs],
            "weeks": [_week_json(w) for w in self.weeks],
            "claudication": advice_json(self.claudication) if self.claudication else None,
        }


def pain_report(app: App, *, today: date, since: date | None = None) -> PainReport:
    """Runs from ``since`` (default: 8 weeks ago) to ``today`` against the pain rules."""
    start = since or today - timedelta(weeks=8)
    reads, aid = app.reads, app.athlete_id
    with reads.batch():
        rows = reads.activity_rows(aid, since=start, until=today, sports=RUN_SPORT_VALUES)
        entries = reads.pain_list(
            aid,
            since=start - timedelta(days=PAIN_RULES.baseline_window_days),
            until=today + timedelta(days=1),
        )
        everything = reads.pain_list(aid)
        seen = reads.seen(aid)
        profile = reads.profile(aid)
        cleared = [c.on for c in reads.clearances(aid)]
    rules = pain_rules(app)
    runs = [RunRef(r.id, r.local_date) for r in rows]
    recent = [e for e in entries if e.day >= start]
    pattern = any(e.has_claudication_pattern for e in recent)
    stenosis = profile.has_stenosis
    return PainReport(
        since=start,
        until=today,
        usual_level=usual_level(entries, on=today, rules=rules),
        runs=check_runs(runs, entries, rules=rules),
        weeks=weekly_morning_trend(recent, rules=rules),
        open_red_flags=open_red_flags(everything, seen, profile.risk),
        claudication=claudication_advice(has_stenosis_diagnosis=stenosis) if pattern else None,
        awaiting=awaiting_clearance(everything, seen, cleared),
        rules=rules,
    )


def red_flag_names() -> tuple[str, ...]:
    return tuple(f.value for f in RED_FLAGS)


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    """One red-flag question as a check-in form asks it (emergency signs first)."""

    flag: str
    urgency: str
    question: str
    plain: str

    def to_json(self) -> dict[str, Any]:
        return {
            "flag": self.flag,
            "urgency": self.urgency,
            "question": self.question,
            "plain": self.plain,
        }


def red_flag_questions() -> tuple[RedFlagQuestion, ...]:
    """The red-flag questions of a check-in: the emergency signs, the see-a-doctor-today
    signs, then the see-a-doctor-within-days signs (NICE CKS; BASS 2018; IFOMPT 2020)."""
    return tuple(
        RedFlagQuestion(flag.value, info.urgency.value, info.question, info.plain)
        for flag, info in RED_FLAGS.items()
    )
