"""Daily guidance: "what should I do today?" as findings with reasons, sources and one decision.

Pure: no I/O, no clock (``today`` comes in the state). Rules turn a :class:`GuidanceState` (the
runner's load, recent runs, pain diary, body, gear and saved routes *as of* ``today``) into
:class:`Finding` objects. Each finding says what it asks for today (``asks``); the decision is
the most cautious of them::

    urgent_care > see_professional > start_here > rest > cross_train > run_easy > run

``start_here`` means backstride cannot coach a run yet: the health questions are not answered
(or, for the day as a whole, nothing is known about the runner); the answer lists what to do
first. The day's answer (``domain/day.py``) combines this decision with the runner's plan.

backstride coaches; it does not diagnose. Red flags always win. Every threshold lives in
:class:`~backstride.domain.params.GuidanceParams` with its source, and ``docs/guidance.md``
explains each rule in plain words. Sections (``§``) refer to EVIDENCE.md.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from backstride.domain.activity import Sport, Surface
from backstride.domain.body import ClearanceState, Condition, Experience, Profile
from backstride.domain.load import DayLoad, LoadReport
from backstride.domain.pain import (
    CLAUDICATION_SOURCE,
    LEFT_LEG,
    NERVE_FEELS,
    OUTCOME_WORDS,
    RED_FLAG_SOURCE,
    RED_FLAGS,
    AwaitingClearance,
    MorningWeek,
    OpenRedFlag,
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RunPainCheck,
    Urgency,
    current_flare,
    flag_urgencies,
    most_urgent,
    suspected_flags,
    triage,
)
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS, GuidanceParams
from backstride.domain.selftest import TESTS, SelfTestName, SelfTestReport, format_value
from backstride.domain.shoes import ROTATION_SOURCE, WEAR_SOURCE, ShoeStatus

Level = Literal["info", "caution", "reduce", "stop", "urgent"]
Decision = Literal[
    "run", "run_easy", "cross_train", "rest", "start_here", "see_professional", "urgent_care"
]

LEVELS: tuple[Level, ...] = ("info", "caution", "reduce", "stop", "urgent")
DECISIONS: tuple[Decision, ...] = (
    "run",
    "run_easy",
    "cross_train",
    "rest",
    "start_here",
    "see_professional",
    "urgent_care",
)

LEVEL_WORDS: Mapping[str, str] = {
    "info": "Note",
    "caution": "Take care",
    "reduce": "Run less",
    "stop": "No run today",
    "urgent": "Urgent",
}
DECISION_WORDS: Mapping[str, str] = {
    "run": "You can run today",
    "run_easy": "Run easy: shorter, flatter, slower",
    "cross_train": "No run today: do something else instead",
    "rest": "Rest today",
    "start_here": "Start here: a few things to do before a run",
    "see_professional": "See a professional before your next run",
    "urgent_care": "Get medical help now",
}

_RUN_SPORTS = (Sport.RUN, Sport.TRAIL_RUN, Sport.TREADMILL_RUN)
_UNEVEN = (Surface.TRAIL, Surface.MIXED)


def ev(section: str, implication: int | None = None) -> str:
    """The EVIDENCE.md pointer of a source: ``(EVIDENCE.md §1; implication 1)``."""
    tail = f"; implication {implication}" if implication is not None else ""
    return f"(EVIDENCE.md §{section}{tail})"


# ---------------------------------------------------------------------------------------------
# Findings


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the guidance noticed. ``evidence`` holds the runner's own numbers."""

    id: str
    level: Level
    title: str
    reason: str
    evidence: Mapping[str, Any]
    source: str
    action: str
    asks: Decision = "run"
    # True for a finding that alone would allow a run, shown under a decision that does not:
    # it is for when running starts again, and ``asks`` then repeats the day's decision.
    for_later: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "title": self.title,
            "reason": self.reason,
            "evidence": dict(self.evidence),
            "source": self.source,
            "action": self.action,
            "asks": self.asks,
            "for_later": self.for_later,
        }


def rank(finding: Finding) -> tuple[int, int]:
    """Seriousness: what it asks for first, then its level."""
    return DECISIONS.index(finding.asks), LEVELS.index(finding.level)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most serious first; emergencies always lead. Stable for equal seriousness."""
    return tuple(sorted(findings, key=lambda f: (-rank(f)[0], -rank(f)[1])))


def decide(findings: Iterable[Finding]) -> Decision:
    """The most cautious decision any finding asks for (``run`` when none asks for more)."""
    return max((f.asks for f in findings), key=DECISIONS.index, default="run")


# ---------------------------------------------------------------------------------------------
# The state


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What guidance knows about one recent run, from the cached analysis (never the samples).

    ``descent_bands`` are ``(upper grade %, distance m)`` of the analysis's downhill grade
    bands (the steepest band has the most negative upper edge).
    """

    activity_id: int
    day: date
    sport: Sport
    distance_m: float | None
    moving_time_s: float | None
    cadence_spm: float | None
    descent_bands: tuple[tuple[float, float], ...] = ()
    steep_descent_5pct_m: float | None = None
    longest_descent_drop_m: float | None = None
    surface: Surface | None = None
    hard: bool = False
    has_heart_rate: bool = False
    gear: str | None = None
    notes: str | None = None

    @property
    def speed_m_s(self) -> float | None:
        if not self.distance_m or not self.moving_time_s:
            return None
        return self.distance_m / self.moving_time_s

    def descent_steeper_than_m(self, grade_pct: float) -> float | None:
        """Distance on the grade bands whose upper edge is at or below ``grade_pct``."""
        if not self.descent_bands:
            return None
        return sum(d for upper, d in self.descent_bands if upper <= grade_pct + 1e-9)


@dataclass(frozen=True, slots=True)
class RunDay:
    """A run's day and distance, for the long look back (breaks in running)."""

    day: date
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class WarmUpSkip:
    """A run on a day whose warm-up was logged as skipped, or not logged once the runner logs
    routines, and that was followed by pain (from the routine log; see
    :func:`backstride.domain.routines.find_warmup_skips`)."""

    activity_id: int
    day: date
    worst_pain: int | None


@dataclass(frozen=True, slots=True)
class SavedRoute:
    """A saved route as guidance sees it (its cached taxing score)."""

    name: str
    distance_m: float
    taxing_score: float
    band: str
    explanation: tuple[str, ...]
    surface: Surface | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distance_km": round(self.distance_m / 1000.0, 2),
            "taxing_score": self.taxing_score,
            "band": self.band,
            "explanation": list(self.explanation),
            "surface": self.surface.value if self.surface else None,
        }


@dataclass(frozen=True, slots=True)
class GuidanceState:
    """Everything the rules read, as of ``today`` (nothing after it).

    ``load`` must reach ``today`` and cover at least 35 days; ``runs`` are the runs of the last
    ``max(cap_window_days, stride_window_days)`` days (oldest first); ``pain`` the diary of at
    least the last 70 days up to today, plus every older entry with a red flag or the
    walking-leg-symptom pattern; ``run_checks`` the pain rules applied to ``runs``; ``shoes``
    the active pairs; ``warm_up_skips`` the painful runs after a skipped warm-up;
    ``history`` every run of the last 200 days (day and distance, oldest first), for breaks;
    ``awaiting`` the red flags seen by a clinician without a "you may train" yet.
    """

    today: date
    load: LoadReport
    runs: tuple[RunFacts, ...]
    pain: tuple[PainEntry, ...]
    run_checks: tuple[RunPainCheck, ...]
    morning_weeks: tuple[MorningWeek, ...]
    open_red_flags: tuple[OpenRedFlag, ...]
    clearance: ClearanceState
    profile: Profile
    selftests: SelfTestReport | None = None
    shoes: tuple[ShoeStatus, ...] = ()
    rotation: str | None = None
    routes: tuple[SavedRoute, ...] = field(default=())
    warm_up_skips: tuple[WarmUpSkip, ...] = ()
    history: tuple[RunDay, ...] = ()
    awaiting: tuple[AwaitingClearance, ...] = ()

    @property
    def careful(self) -> bool:
        """Beginners, returning runners and runners with a spine condition (implication 6)."""
        p = self.profile
        return bool(p.spine_conditions) or p.experience in (Experience.NEW, Experience.RETURNING)

    @property
    def conservative(self) -> bool:
        """Past injuries, a hip problem, a recent illness or a pregnancy: progress more slowly
        (DESIGN; ACOG 2020)."""
        p = self.profile
        return (
            bool(p.past_injuries)
            or p.pregnant
            or any(c in p.conditions for c in (Condition.HIP_PROBLEM, Condition.RECENT_ILLNESS))
        )

    def day(self, offset: int = 0) -> DayLoad | None:
        """The load of ``today - offset`` days, if in the report."""
        target = self.today - timedelta(days=offset)
        for d in reversed(self.load.days):
            if d.day == target:
                return d
            if d.day < target:
                return None
        return None

    @property
    def last_complete_day(self) -> DayLoad | None:
        """Today if something is logged today, else yesterday: the day recovery is judged on."""
        today = self.day(0)
        if today is not None and today.sessions > 0:
            return today
        return self.day(1)

    def runs_since(self, days: int) -> list[RunFacts]:
        """Runs of the last ``days`` days (today included)."""
        start = self.today - timedelta(days=days - 1)
        return [r for r in self.runs if start <= r.day <= self.today]


# ---------------------------------------------------------------------------------------------
# Helpers


def _km(metres: float | None, digits: int = 1) -> float | None:
    return None if metres is None else round(metres / 1000.0, digits)


def _pct(ratio: float) -> int:
    return int(round(ratio * 100.0))


def _on(day: date) -> str:
    return day.strftime("%a %d %b").replace(" 0", " ")


def _pace(speed_m_s: float) -> str:
    s = 1000.0 / speed_m_s
    return f"{int(s // 60)}:{int(round(s % 60)):02d} min/km"


def _f(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


Rule = Callable[[GuidanceState, GuidanceParams], list[Finding]]


# ---------------------------------------------------------------------------------------------
# Red flags and screening (§7; implications 11 and 12)


def rule_red_flags(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """Open red flags by urgency: emergency (``urgent_care``), a doctor today (``urgent_care``
    with a same-day headline), a doctor within days (``see_professional``)."""
    out: list[Finding] = []
    context = state.profile.risk
    emergency = [o for o in state.open_red_flags if o.urgency is Urgency.EMERGENCY]
    same_day = [o for o in state.open_red_flags if o.urgency is Urgency.SAME_DAY]
    prompt = [o for o in state.open_red_flags if o.urgency is Urgency.PROMPT]
    source = f"{RED_FLAG_SOURCE}; implication 11"
    if emergency:
        t = triage((o.flag for o in state.open_red_flags), context)
        assert t is not None
        out.append(
            Finding(
                id="redflag.emergency",
                level="urgent",
                title="Emergency: get medical help today",
                reason=t.what_it_may_mean,
                evidence={
                    "flags": [o.flag.value for o in emergency],
                    "first_reported_on": min(o.first_reported_on for o in emergency).isoformat(),
                    "last_reported_on": max(o.last_reported_on for o in emergency).isoformat(),
                },
                source=source,
                action=f"{t.where_to_go} {t.meanwhile}",
                asks="urgent_care",
            )
        )
    if same_day:
        t = triage((o.flag for o in same_day), context)
        assert t is not None
        out.append(
            Finding(
                id="redflag.same_day",
                level="urgent",
                title="See a doctor today",
                reason=t.what_it_may_mean,
                evidence={
                    "flags": [o.flag.value for o in same_day],
                    "first_reported_on": min(o.first_reported_on for o in same_day).isoformat(),
                    "last_reported_on": max(o.last_reported_on for o in same_day).isoformat(),
                },
                source=source,
                action=f"{t.where_to_go} {t.meanwhile}",
                asks="urgent_care",
            )
        )
    if prompt:
        t = triage((o.flag for o in prompt), context)
        assert t is not None
        out.append(
            Finding(
                id="redflag.prompt",
                level="stop",
                title="See a doctor within the next few days",
                reason=t.what_it_may_mean,
                evidence={
                    "flags": [o.flag.value for o in prompt],
                    "last_reported_on": max(o.last_reported_on for o in prompt).isoformat(),
                },
                source=source,
                action=f"{t.where_to_go} {t.meanwhile}",
                asks="see_professional",
            )
        )
    return out


def rule_awaiting_clearance(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """Seen about a red flag, without a clinician's "you may train" yet: walking and gentle
    mobility only (IFOMPT 2020: activity resumes once a serious cause is ruled out)."""
    if not state.awaiting:
        return []
    parts = []
    for a in state.awaiting:
        by = f" ({a.seen_by})" if a.seen_by else ""
        parts.append(
            f"you were seen about {RED_FLAGS[a.flag].plain} on {_on(a.seen_on)}{by}: "
            f"{OUTCOME_WORDS[a.outcome]}"
        )
    flags = [a.flag.value for a in state.awaiting]
    record = " and ".join(
        f"`backstride pain seen --flag {f} --on DATE --outcome may-train`" for f in flags
    )
    return [
        Finding(
            id="redflag.awaiting_clearance",
            level="stop",
            title="Walking and gentle mobility only, until a clinician says you may train",
            reason=(
                _cap(_join_sentences(parts)) + ". After a warning sign, training starts again "
                "only once a clinician has said you may."
            ),
            evidence={
                "flags": flags,
                "seen_on": max(a.seen_on for a in state.awaiting).isoformat(),
                "outcomes": [a.outcome.value for a in state.awaiting],
            },
            source=f"{RED_FLAG_SOURCE}; implication 11",
            action=(
                "Gentle walking and easy mobility (knee-to-chest, pelvic tilts) are fine if "
                "they feel comfortable; no running or hard training. When a clinician says you "
                f"may train, record it: {record}. It is saved as a clearance, and a running "
                "plan resumes one step back."
            ),
            asks="rest",
        )
    ]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_sentences(parts: Sequence[str]) -> str:
    return "; ".join(parts)


def rule_unconfirmed_flags(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """Possible warning signs read from an entry's places, feelings or notes that the runner
    has neither confirmed nor ruled out (``confirm_window_days``): no running until answered,
    and what to do if the answer is yes."""
    start = state.today - timedelta(days=p.confirm_window_days - 1)
    open_flags = {o.flag for o in state.open_red_flags}
    items = [
        (e, s)
        for e in state.pain
        if start <= e.day <= state.today
        for s in suspected_flags(e)
        if s.flag not in open_flags
    ]
    if not items:
        return []
    context = state.profile.risk
    urgencies = flag_urgencies({s.flag for _, s in items}, context)
    urgency = most_urgent(urgencies.values())
    lines = [f"on {_on(e.day)} {s.because}: {s.question}" for e, s in items]
    if urgency is Urgency.EMERGENCY:
        if_yes = (
            "If any of this is new, it needs emergency care today: go to the nearest emergency "
            "department, or call your emergency number (112 in Europe, 999 in the UK, 911 in "
            "the US and Canada)."
        )
    elif urgency is Urgency.SAME_DAY:
        if_yes = "If so, see a doctor today (your GP, an urgent care centre or walk-in clinic)."
    else:
        if_yes = "If so, see your GP or family doctor within the next few days."
    commands = "; ".join(
        f"{s.flag.value}: `backstride pain edit {e.id if e.id is not None else 'ID'} "
        f"--add-red-flag {s.flag.value}` if yes, `--not-red-flag {s.flag.value}` if not"
        for e, s in items
    )
    return [
        Finding(
            id="redflag.to_confirm",
            level="urgent" if urgency is Urgency.EMERGENCY else "stop",
            title="Please answer: a possible warning sign",
            reason=(
                "What you wrote may describe a warning sign, and backstride does not guess. "
                + " ".join(_cap(line) for line in lines)
                + f" {if_yes}"
            ),
            evidence={
                "entries": [
                    {
                        "entry_id": e.id,
                        "day": e.day.isoformat(),
                        "flag": s.flag.value,
                        "because": s.because,
                    }
                    for e, s in items
                ],
                "urgency_if_yes": urgency.value if urgency else None,
            },
            source=f"{RED_FLAG_SOURCE}; implication 11",
            action=(
                f"{if_yes} Then answer for each sign ({commands}); on the dashboard, the entry's "
                "page asks. Until you answer, no running."
            ),
            asks="see_professional",
        )
    ]


SCREENING_SOURCE = "PAR-Q+ (Warburton); ACSM 2015 algorithm, Riebe 2015 " + ev("7", 12)


def rule_clearance(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    c = state.clearance
    if c.status == "needed":
        return [
            Finding(
                id="screening.clearance_needed",
                level="stop",
                title="Check with your physician before a running plan",
                reason=" ".join(r.text for r in c.uncovered),
                evidence={
                    "reasons": [r.code for r in c.uncovered],
                    "last_clearance_on": c.clearance.on.isoformat() if c.clearance else None,
                },
                source=SCREENING_SOURCE,
                action=(
                    "Book an appointment with your physician (GP) and ask whether running suits "
                    "you now. When they agree, record it: `backstride clearance add --on DATE "
                    "--by NAME`. Logging runs and pain works as usual meanwhile."
                ),
                asks="see_professional",
            )
        ]
    if c.status == "not-screened":
        return [
            Finding(
                id="data.no_screening",
                level="stop",
                title="Answer the health questions",
                reason=(
                    "backstride has not asked you its short health questions yet, so it cannot "
                    "tell whether a doctor should check you before a running plan."
                ),
                evidence={"screened": False},
                source=SCREENING_SOURCE,
                action=(
                    "Answer them first (12 yes/no questions): `backstride screen`, or the "
                    "health questions on the Profile page. Until then backstride does not "
                    "suggest a run."
                ),
                asks="start_here",
            )
        ]
    return []


# ---------------------------------------------------------------------------------------------
# Pain (§6, §8; implication 10)

PAIN_SOURCE = (
    "Silbernagel 2007, pain-monitoring model (a trial in Achilles tendinopathy; backstride "
    "applies it to back pain by analogy: expert opinion, low certainty) " + ev("8", 10)
)


def _recent_checks(state: GuidanceState, p: GuidanceParams) -> list[RunPainCheck]:
    start = state.today - timedelta(days=p.pain_recent_run_days - 1)
    return [c for c in state.run_checks if start <= c.day <= state.today]


def rule_leg_pattern(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    start = state.today - timedelta(days=p.leg_pattern_days - 1)
    days = sorted(
        {e.day for e in state.pain if e.has_claudication_pattern and start <= e.day <= state.today}
    )
    if not days:
        return []
    stenosis = state.profile.has_stenosis
    evidence = {
        "days": [d.isoformat() for d in days],
        "last_on": days[-1].isoformat(),
        "stenosis_diagnosed": stenosis,
    }
    what = (
        f"On {len(days)} day{'s' if len(days) > 1 else ''} in the last {p.leg_pattern_days} days "
        f"(last on {_on(days[-1])}) you noted leg or buttock symptoms that come on with walking "
        "or standing and ease when you sit or bend forward."
    )
    source = f"{CLAUDICATION_SOURCE} " + ev("6")
    if stenosis:
        return [
            Finding(
                id="pain.leg_symptom_pattern",
                level="reduce",
                title="Your stenosis symptoms are active",
                reason=(
                    f"{what} That fits your spinal stenosis: the nerves in the lower back get "
                    "squeezed when the back is straight or arched and have more room when you "
                    "lean forward."
                ),
                evidence=evidence,
                source=source,
                action=(
                    "Keep runs short and flat, with walk or sitting breaks before the leg "
                    "symptoms start. Cycling is usually easier (you lean forward). If the "
                    "distance you can walk keeps getting shorter, tell your doctor."
                ),
                asks="run_easy",
            )
        ]
    return [
        Finding(
            id="pain.leg_symptom_pattern",
            level="stop",
            title="Leg symptoms worth a doctor's check",
            reason=(
                f"{what} This pattern can come from narrowing around the nerves in the lower back "
                "(spinal stenosis) or from poor blood flow to the legs. A doctor can tell them "
                "apart. It is not an emergency."
            ),
            evidence=evidence,
            source=source,
            action=(
                "Book a routine appointment with your physician (GP). Until then, running plans "
                "wait; cycling or gentle walking with sitting breaks are fine if comfortable."
            ),
            asks="see_professional",
        )
    ]


def _weekly_medians(state: GuidanceState, weeks: int) -> list[float | None]:
    """Median check-in score in each of the last ``weeks`` 7-day blocks, oldest first."""
    out: list[float | None] = []
    for k in range(weeks - 1, -1, -1):
        end = state.today - timedelta(days=7 * k)
        start = end - timedelta(days=6)
        scores = [e.score for e in state.pain if start <= e.day <= end]
        out.append(float(statistics.median(scores)) if scores else None)
    return out


def rule_persistent(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    start = state.today - timedelta(days=p.persistent_window_days - 1)
    high_days = sorted(
        {
            e.day
            for e in state.pain
            if start <= e.day <= state.today and e.score > p.pain_acceptable_max
        }
    )
    medians = _weekly_medians(state, p.persistent_weeks)
    known = [m for m in medians if m is not None]
    lasting = (
        len(known) == len(medians)
        and all(m >= p.persistent_weekly_median for m in known)
        and known[-1] >= known[0]
    )
    if len(high_days) < p.persistent_high_days and not lasting:
        return []
    if len(high_days) >= p.persistent_high_days:
        what = (
            f"Your pain was above {p.pain_acceptable_max} on {len(high_days)} separate days in "
            f"the last {p.persistent_window_days} days ({p.persistent_high_days} or more count): "
            "it keeps coming back."
        )
    else:
        what = (
            f"For {p.persistent_weeks} weeks in a row your typical pain score was "
            f"{p.persistent_weekly_median} or more, and it is no better now than "
            f"{p.persistent_weeks} weeks ago."
        )
    return [
        Finding(
            id="pain.persistent",
            level="stop",
            title="Pain that is not going away",
            reason=(
                f"{what} Pain that lasts or keeps returning deserves a proper look rather than "
                "more waiting."
            ),
            evidence={
                "high_pain_days": [d.isoformat() for d in high_days],
                "weekly_median_scores": medians,
                "limit": p.pain_acceptable_max,
            },
            source=(
                f"{PAIN_SOURCE}; NICE CKS red-flag pathways: no improvement after about a "
                "month " + ev("7")
            ),
            action=(
                "See a physiotherapist or your physician (GP) about the pain. Take your diary: "
                "`backstride pain report` shows it. Until then, keep activity gentle."
            ),
            asks="see_professional",
        )
    ]


def rule_high_during(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    limit = p.pain_acceptable_max
    bad = [
        c
        for c in _recent_checks(state, p)
        if (c.during is not None and c.during > limit) or (c.after is not None and c.after > limit)
    ]
    if not bad:
        return []
    c = bad[-1]
    worst = max(v for v in (c.during, c.after) if v is not None)
    when = "during" if c.during is not None and c.during == worst else "after"
    return [
        Finding(
            id="pain.high_during",
            level="stop",
            title="Too much pain on your last run",
            reason=(
                f"Your pain was {worst}/10 {when} your run on {_on(c.day)}. The pain rules allow "
                f"up to {limit} during and after a run; above that the back is being asked for "
                "more than it can take right now."
            ),
            evidence={
                "run_on": c.day.isoformat(),
                "activity_id": c.activity_id,
                "during": c.during,
                "after": c.after,
                "limit": limit,
            },
            source=PAIN_SOURCE,
            action=(
                "No run today. Choose an activity that does not bring the pain on (see below), "
                "and check in tomorrow morning: `backstride checkin`."
            ),
            asks="cross_train",
        )
    ]


def rule_not_settled(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    bad = [c for c in _recent_checks(state, p) if c.settled == "no"]
    if not bad:
        return []
    c = bad[-1]
    assert c.next_morning is not None
    high = c.next_morning > p.pain_acceptable_max
    usual = (
        f"your usual level (about {_f(c.usual_level)}/10)"
        if c.usual_level is not None
        else "the safe zone (0-2)"
    )
    return [
        Finding(
            id="pain.not_settled",
            level="stop",
            title="Pain had not settled by the next morning",
            reason=(
                f"The morning after your run on {_on(c.day)} your pain was {c.next_morning}/10, "
                f"above {usual}. Pain that has not settled overnight suggests the last run was "
                "more than your back was ready for."
            ),
            evidence={
                "run_on": c.day.isoformat(),
                "activity_id": c.activity_id,
                "next_morning": c.next_morning,
                "usual_level": c.usual_level,
            },
            source=PAIN_SOURCE,
            action=(
                "Rest today: gentle walking and easy stretches only."
                if high
                else "No run today: cycling, swimming or a core routine instead, if they do not "
                "bring the pain on. Step the next run back (shorter or with more walking)."
            ),
            asks="rest" if high else "cross_train",
        )
    ]


def _rising_run(state: GuidanceState, last: MorningWeek) -> list[MorningWeek]:
    """The weeks up to ``last`` in which the mean morning pain rose every week (oldest first,
    starting with the week before the first rise)."""
    by_start = {w.week_start: w for w in state.morning_weeks}
    run = [last]
    while True:
        prev = by_start.get(run[0].week_start - timedelta(days=7))
        if prev is None or not prev.mean_score < run[0].mean_score:
            break
        run.insert(0, prev)
    return run


def rule_rising_trend(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    window_start = state.today - timedelta(days=13)
    weeks = [w for w in state.morning_weeks if window_start <= w.week_start <= state.today]
    if not weeks:
        return []
    by_start = {w.week_start: w for w in state.morning_weeks}
    rising = _rising_run(state, weeks[-1])
    rises = len(rising) - 1
    total = rising[-1].mean_score - rising[0].mean_score
    if rises >= p.rising_weeks_refer and total >= p.morning_rise_points - 1e-9:
        return [
            Finding(
                id="pain.rising_trend",
                level="stop",
                title="Morning pain has risen week after week",
                reason=(
                    f"Your average morning pain rose {rises} weeks in a row: from "
                    f"{_f(rising[0].mean_score)} in the week of {_on(rising[0].week_start)} to "
                    f"{_f(rising[-1].mean_score)} out of 10 in the week of "
                    f"{_on(rising[-1].week_start)}. Pain that keeps creeping up for "
                    f"{p.rising_weeks_refer} weeks or more needs a proper look rather than "
                    "more of the same."
                ),
                evidence={
                    "weeks": [w.week_start.isoformat() for w in rising],
                    "morning_means": [w.mean_score for w in rising],
                    "rises": rises,
                    "refer_after_rises": p.rising_weeks_refer,
                },
                source=PAIN_SOURCE + "; NICE CKS: no improvement after about a month " + ev("7"),
                action=(
                    "See a physiotherapist or your physician (GP) before your next run; take "
                    "your diary (`backstride pain report`). Meanwhile keep activity gentle."
                ),
                asks="see_professional",
            )
        ]
    for w in reversed(weeks):
        prev = by_start.get(w.week_start - timedelta(days=7))
        if prev is None:
            continue
        pain_up = w.mean_score - prev.mean_score >= p.morning_rise_points - 1e-9
        stiff_up = w.stiffness_share - prev.stiffness_share >= p.stiffness_rise_share - 1e-9
        if not (pain_up or stiff_up):
            continue
        parts = []
        if pain_up:
            parts.append(
                f"your average morning pain rose from {_f(prev.mean_score)} to "
                f"{_f(w.mean_score)} out of 10 (backstride counts a rise of "
                f"{_f(p.morning_rise_points)} point{'s' if p.morning_rise_points != 1 else ''} "
                "or more)"
            )
        if stiff_up:
            parts.append(
                f"you woke stiff on {_pct(w.stiffness_share)} % of mornings, up from "
                f"{_pct(prev.stiffness_share)} % (backstride counts {_pct(p.stiffness_rise_share)} "
                "points or more)"
            )
        return [
            Finding(
                id="pain.rising_trend",
                level="reduce",
                title="Mornings are getting worse",
                reason=(
                    f"In the week of {_on(w.week_start)} " + " and ".join(parts) + " compared "
                    "with the week before. Morning pain and stiffness should stay level from "
                    "week to week."
                ),
                evidence={
                    "week_start": w.week_start.isoformat(),
                    "morning_mean": w.mean_score,
                    "previous_morning_mean": prev.mean_score,
                    "stiffness_share": w.stiffness_share,
                    "previous_stiffness_share": prev.stiffness_share,
                },
                source=PAIN_SOURCE,
                action=(
                    "Step back a little: shorter runs, more walking breaks, flat routes, until "
                    "mornings are back to how they were. If morning pain rises "
                    f"{p.rising_weeks_refer} weeks in a row, see a professional."
                ),
                asks="run_easy",
            )
        ]
    return []


_WHEN_WORDS: Mapping[PainWhen, str] = {
    PainWhen.BEFORE: "before a run",
    PainWhen.DURING: "during a run",
    PainWhen.AFTER: "after a run",
    PainWhen.NEXT_MORNING: "in the morning",
    PainWhen.REST_DAY: "on a rest day",
}
_AT_REST = (PainWhen.BEFORE, PainWhen.NEXT_MORNING, PainWhen.REST_DAY)


def rule_pain_flare(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """Every pain entry counts, whatever its time point.

    - Pain above ``pain_acceptable_max`` today or yesterday: no run today (``rest`` when it
      was felt without running: before a run, in the morning or on a rest day; else
      ``cross_train``), unless a run-linked rule already asks for as much.
    - One score of ``pain_severe_min`` or more, or pain above the maximum on
      ``flare_high_days`` days within ``flare_window_days``: ``see_professional``.
    - After the flare, nothing recorded since: the advice stays careful (``cross_train``) for
      up to ``flare_memory_days`` days; a missing check-in is never read as settled.
    """
    flare = current_flare(
        state.pain,
        today=state.today,
        acceptable_max=p.pain_acceptable_max,
        window_days=p.flare_window_days,
        memory_days=p.flare_memory_days,
    )
    if flare is None:
        return []
    limit = p.pain_acceptable_max
    out: list[Finding] = []
    evidence = {
        "last_high_on": flare.last_high_day.isoformat(),
        "high_days": [d.isoformat() for d in flare.high_days],
        "worst": flare.worst,
        "worst_on": flare.worst_on.isoformat(),
        "worst_when": flare.worst_when.value,
        "limit": limit,
        "severe_min": p.pain_severe_min,
        "recorded_since": not flare.open,
    }
    severe = flare.worst >= p.pain_severe_min
    repeated = len(flare.high_days) >= p.flare_high_days
    if severe or repeated:
        parts = []
        if severe:
            parts.append(
                f"On {_on(flare.worst_on)} your pain was {flare.worst}/10 "
                f"{_WHEN_WORDS[flare.worst_when]}: pain of {p.pain_severe_min} or more is severe"
            )
        if repeated:
            days = ", ".join(_on(d) for d in flare.high_days)
            parts.append(
                f"your pain was above {limit} on {len(flare.high_days)} days within "
                f"{p.flare_window_days} days ({days}; {p.flare_high_days} or more count)"
            )
        out.append(
            Finding(
                id="pain.flare_referral",
                level="stop",
                title="Severe or repeated pain",
                reason=(
                    _cap("; and ".join(parts)) + ". Pain like this deserves a proper look "
                    "before you run again. On its own it is not an emergency."
                ),
                evidence=evidence,
                source=PAIN_SOURCE + "; NICE NG59 and CKS " + ev("7"),
                action=(
                    "See a physiotherapist or your physician (GP) before your next run; take "
                    "your diary (`backstride pain report`). Meanwhile, gentle walking if it is "
                    "comfortable. If numbness, weakness, or a change in bladder or bowel "
                    "control appears, get help at once."
                ),
                asks="see_professional",
            )
        )
    recent = flare.last_high_day >= state.today - timedelta(days=1)
    if recent:
        latest = [e for e in flare.entries if e.day >= state.today - timedelta(days=1)]
        worst = max(latest, key=lambda e: (e.score, e.day))
        at_rest = any(e.when in _AT_REST for e in latest)
        asks: Decision = "rest" if at_rest else "cross_train"
        covered = rule_high_during(state, p) + rule_not_settled(state, p)
        if any(DECISIONS.index(f.asks) >= DECISIONS.index(asks) for f in covered):
            return out
        when = "today" if worst.day == state.today else "yesterday"
        out.append(
            Finding(
                id="pain.high_recent",
                level="stop",
                title=f"Pain above {limit} {when}",
                reason=(
                    f"Your pain was {worst.score}/10 {_WHEN_WORDS[worst.when]} {when} "
                    f"({_on(worst.day)}), above {limit}: more than the pain rules allow for "
                    "running. Every pain score counts, whenever it was felt."
                ),
                evidence=evidence,
                source=PAIN_SOURCE,
                action=(
                    "Rest today: gentle walking and easy mobility if they are comfortable."
                    if asks == "rest"
                    else "No run today: cycling, swimming or mobility, if they do not bring "
                    "the pain on."
                )
                + " Check in tomorrow morning: `backstride checkin`.",
                asks=asks,
            )
        )
    elif flare.open:
        out.append(
            Finding(
                id="pain.high_recent",
                level="stop",
                title="No lower pain score since your last flare",
                reason=(
                    f"On {_on(flare.last_high_day)} your pain was above {limit} (worst "
                    f"{flare.worst}/10), and nothing has been recorded since. backstride does "
                    "not read a missing check-in as 'settled': the advice stays careful for up "
                    f"to {p.flare_memory_days} days, until a lower score is recorded."
                ),
                evidence=evidence,
                source=PAIN_SOURCE,
                action=(
                    "Record how your back is now: `backstride checkin`. Until a score of "
                    f"{limit} or less is recorded, no running: gentle walking, cycling or "
                    "mobility if they are comfortable."
                ),
                asks="cross_train",
            )
        )
    return out


def rule_nerve_root(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """One leg below the knee with pins and needles, numbness or pain on coughing: an
    irritated nerve root (sciatica). ``run_easy`` at most; a professional when it lasts
    ``nerve_root_refer_days`` or spreads to the other leg (NICE NG59 and CKS)."""
    window = state.today - timedelta(days=p.leg_pattern_days - 1)
    pattern = [e for e in state.pain if e.has_nerve_root_pattern and e.day <= state.today]
    recent = [e for e in pattern if e.day >= window]
    if not recent:
        return []
    last = max(e.day for e in recent)
    look_back = last - timedelta(days=3 * p.nerve_root_refer_days)
    considered = [e for e in pattern if e.day >= look_back]
    first = min(e.day for e in considered)
    days = sorted({e.day for e in considered})
    lasted = (last - first).days + 1
    sides = {"left" if set(e.where) & LEFT_LEG else "right" for e in considered}
    both_legs_nerve = any(
        e.both_legs and set(e.feels) & NERVE_FEELS
        for e in state.pain
        if window <= e.day <= state.today
    )
    spread = len(sides) > 1 or both_legs_nerve
    lasting = lasted >= p.nerve_root_refer_days
    side = "left" if "left" in sides and len(sides) == 1 else "right" if len(sides) == 1 else ""
    feels = set().union(*(set(e.feels) for e in considered)) & NERVE_FEELS
    what = " and ".join(
        w
        for f, w in ((PainFeel.TINGLING, "pins and needles"), (PainFeel.NUMBNESS, "numbness"))
        if f in feels
    )
    cough = any(e.worse_coughing for e in considered)
    signs = ", ".join(x for x in (what, "worse on coughing or sneezing" if cough else "") if x)
    leg = f"your {side} leg" if side else "a leg"
    reason = (
        f"On {len(days)} day{'s' if len(days) > 1 else ''} from {_on(first)} to {_on(last)} you "
        f"noted symptoms in {leg} below the knee ({signs}). This is the pattern of an irritated "
        "nerve root in the lower back (sciatica); it often settles over a few weeks."
    )
    evidence = {
        "days": [d.isoformat() for d in days],
        "first_on": first.isoformat(),
        "last_on": last.isoformat(),
        "lasted_days": lasted,
        "sides": sorted(sides),
        "spread": spread,
        "refer_after_days": p.nerve_root_refer_days,
    }
    source = "NICE NG59 (sciatica); NICE CKS; IFOMPT 2020 " + ev("7")
    if lasting or spread:
        why = (
            f"It has lasted {lasted} days ({p.nerve_root_refer_days} or more)"
            if lasting
            else "It has spread to the other leg"
        )
        return [
            Finding(
                id="pain.nerve_root",
                level="stop",
                title="Nerve symptoms in the leg that last or spread",
                reason=f"{reason} {why}: a professional should examine it.",
                evidence=evidence,
                source=source,
                action=(
                    "See a physiotherapist or your physician (GP) before your next run. If a "
                    "leg or foot gets weaker, or both legs, or bladder or bowel control change, "
                    "go to the emergency department at once."
                ),
                asks="see_professional",
            )
        ]
    return [
        Finding(
            id="pain.nerve_root",
            level="reduce",
            title="Signs of an irritated nerve in the leg",
            reason=reason,
            evidence=evidence,
            source=source,
            action=(
                "Run easy meanwhile: shorter, flat, and stop if the leg symptoms get worse. If "
                f"they last {p.nerve_root_refer_days} days or spread to the other leg, see a "
                "physiotherapist or your GP; if a leg or foot gets weaker, or bladder or bowel "
                "control change, go to the emergency department at once."
            ),
            asks="run_easy",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Load (§1; implications 1-3)


def rule_spike(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    start = state.today - timedelta(days=p.spike_lookback_days - 1)
    spikes = [
        r
        for r in state.load.runs
        if start <= r.day <= state.today
        and r.spike_ratio is not None
        and r.spike_ratio > p.spike_caution_ratio
        and r.longest_prev_30d_m is not None
    ]
    if not spikes:
        return []
    r = max(spikes, key=lambda s: (s.spike_ratio or 0.0, s.day))
    ratio = r.spike_ratio
    assert ratio is not None and r.longest_prev_30d_m is not None
    reduce_at = p.spike_caution_ratio if state.conservative else p.spike_reduce_ratio
    evidence = {
        "run_on": r.day.isoformat(),
        "activity_id": r.activity_id,
        "run_km": _km(r.distance_m),
        "longest_prev_30d_km": _km(r.longest_prev_30d_m),
        "spike_pct": _pct(ratio - 1.0),
    }
    base = (
        f"Your {_f(_km(r.distance_m) or 0.0)} km run on {_on(r.day)} was {_pct(ratio - 1.0)} % "
        f"longer than your longest run in the 30 days before it "
        f"({_f(_km(r.longest_prev_30d_m) or 0.0)} km). In a study of 5,205 runners, runs more "
        "than 10 % longer than that came with more overuse injuries; backstride notes steps "
        f"above {_pct(p.spike_caution_ratio - 1.0)} % and asks for easy runs above "
        f"{_pct(reduce_at - 1.0)} %"
    )
    source = "Frandsen 2025 " + ev("1", 1)
    cap = f"{_f(_km(r.longest_prev_30d_m) or 0.0)} km"
    if ratio > reduce_at:
        severe = ratio > p.spike_severe_ratio
        extra = (
            f" More than {_pct(p.spike_severe_ratio - 1.0)} % longer is the riskiest step of all."
            if severe
            else (
                " With past injuries, backstride is stricter and treats any step above "
                f"{_pct(p.spike_caution_ratio - 1.0)} % this way."
                if state.conservative and ratio <= p.spike_reduce_ratio
                else ""
            )
        )
        return [
            Finding(
                id="load.single_run_spike",
                level="reduce",
                title="A much longer run than your body is used to",
                reason=f"{base}.{extra}",
                evidence=evidence,
                source=source,
                action=(
                    f"For the next runs, stay at or below {cap} and keep them easy. Build up "
                    f"again in steps of no more than {_pct(p.spike_caution_ratio - 1.0)} %."
                ),
                asks="run_easy",
            )
        ]
    return [
        Finding(
            id="load.single_run_spike",
            level="caution",
            title="A step up in distance",
            reason=f"{base}; the step was moderate.",
            evidence=evidence,
            source=source,
            action=f"Do not go further for now: keep your runs at or below {cap} this week.",
        )
    ]


def rule_progression(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    d = state.day(0)
    if d is None or d.progression is None:
        return []
    prev_km = d.run_distance_prev_14d_m / 1000.0
    if d.progression <= p.progression_reduce or prev_km < p.progression_min_base_km:
        return []
    last_km = d.run_distance_14d_m / 1000.0
    return [
        Finding(
            id="load.progression",
            level="reduce",
            title="Distance has grown quickly",
            reason=(
                f"You ran {_f(last_km)} km in the last 2 weeks, {_pct(d.progression)} % more "
                f"than the {_f(prev_km)} km of the 2 weeks before. In a study of 874 new "
                "runners, growing more than 30 % in two weeks came with more injuries from "
                "running too far (the evidence is suggestive, not certain); backstride asks "
                f"you to hold back above {_pct(p.progression_reduce)} %, from a base of "
                f"{_f(p.progression_min_base_km)} km."
            ),
            evidence={
                "last_14d_km": round(last_km, 1),
                "prev_14d_km": round(prev_km, 1),
                "progression_pct": _pct(d.progression),
            },
            source="Nielsen 2014 " + ev("1", 2),
            action=(
                "Hold your weekly distance where it is for a week or two before adding more; "
                "keep today's run no longer than your usual runs."
            ),
            asks="run_easy",
        )
    ]


@dataclass(frozen=True, slots=True)
class Break:
    """The latest break in running (``break_min_days`` or more without a run)."""

    last_before: date  # the last run before the break
    first_back: date | None  # the first run after it; None while the break goes on
    days_off: int  # whole days without a run
    weeks_off: int
    before_m: float  # the longest run of the 30 days up to the last run before the break


def find_break(state: GuidanceState, p: GuidanceParams) -> Break | None:
    """The latest break up to today, while it still shapes the runs: during the break, and
    for as many weeks after it as it lasted ("one plan week back per week off")."""
    runs = [
        r
        for r in state.history
        if r.day <= state.today and r.distance_m is not None and r.distance_m > 0
    ]
    days = sorted({r.day for r in runs})
    if not days:
        return None
    last_before: date | None = None
    first_back: date | None = None
    if (state.today - days[-1]).days > p.break_min_days:
        last_before = days[-1]  # on a break now: the next run is the first back
    else:
        for before, after in zip(days[-2::-1], days[::-1], strict=False):
            if (after - before).days > p.break_min_days:
                last_before, first_back = before, after
                break
    if last_before is None:
        return None
    end = first_back or state.today + timedelta(days=1)
    days_off = (end - last_before).days - 1
    weeks_off = days_off // 7
    if first_back is not None and state.today >= first_back + timedelta(weeks=weeks_off):
        return None  # back to the level before the break
    window = last_before - timedelta(days=29)
    before_m = [r.distance_m or 0.0 for r in runs if window <= r.day <= last_before]
    return Break(last_before, first_back, days_off, weeks_off, max(before_m))


def break_allowance_m(b: Break, day: date, p: GuidanceParams) -> float:
    """The longest run ``day`` allows after the break: the run before it, less
    ``break_step_per_week`` per week off (at least ``break_floor_share`` of it), growing back
    by one step per week of running again."""
    back = 0 if b.first_back is None else max(0, (day - b.first_back).days // 7)
    share = max(p.break_floor_share, 1.0 - p.break_step_per_week * (b.weeks_off - back))
    return b.before_m * min(1.0, share)


def rule_after_break(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """A run after ``break_min_days`` or more without running is compared with the runs before
    the break, scaled down by the gap (one plan week back per week off)."""
    b = find_break(state, p)
    if b is None:
        return []
    allowed_today = break_allowance_m(b, state.today, p)
    step = _pct(p.break_step_per_week)
    rule = (
        f"after a break ({p.break_min_days} days or more without a run) backstride takes you "
        f"back one plan week for each week off: {step} % shorter per "
        f"week off (at least {_pct(p.break_floor_share)} % of it), then {step} % longer for "
        "each week of running again"
    )
    before = f"{_f(b.before_m / 1000.0)} km"
    evidence: dict[str, Any] = {
        "last_run_before_on": b.last_before.isoformat(),
        "first_run_back_on": b.first_back.isoformat() if b.first_back else None,
        "days_off": b.days_off,
        "weeks_off": b.weeks_off,
        "before_break_km": _km(b.before_m),
        "cap_km": _km(allowed_today),
    }
    source = (
        "Own rule after return-to-run protocols and NHS Couch to 5K (repeat or go back a "
        "week after time off); Frandsen 2025 " + ev("1", 1)
    )
    out: list[Finding] = []
    if b.first_back is None:
        out.append(
            Finding(
                id="load.after_break",
                level="caution",
                title="Your first run after a break",
                reason=(
                    f"You have not run for {b.days_off} days (since {_on(b.last_before)}). "
                    f"Before the break your longest run was {before}; {rule}."
                ),
                evidence=evidence,
                source=source,
                action=f"Keep your next run to {_f(allowed_today / 1000.0)} km or less, easy.",
            )
        )
    else:
        back_runs = [
            r for r in state.history if b.first_back <= r.day <= state.today and r.distance_m
        ]
        over = [
            (r, break_allowance_m(b, r.day, p))
            for r in back_runs
            if (r.distance_m or 0.0) > break_allowance_m(b, r.day, p) + 50.0
        ]
        if over:
            r, allowed = max(over, key=lambda ra: ((ra[0].distance_m or 0.0) / ra[1], ra[0].day))
            evidence |= {"run_on": r.day.isoformat(), "run_km": _km(r.distance_m)}
            out.append(
                Finding(
                    id="load.after_break",
                    level="reduce",
                    title="Back from a break: too much too soon",
                    reason=(
                        f"After {b.days_off} days without running ({_on(b.last_before)} to "
                        f"{_on(b.first_back)}) your {_f(_km(r.distance_m) or 0.0)} km run on "
                        f"{_on(r.day)} was longer than {_f(allowed / 1000.0)} km. Before the "
                        f"break your longest run was {before}; {rule}."
                    ),
                    evidence=evidence,
                    source=source,
                    action=(
                        f"Keep today's run to {_f(allowed_today / 1000.0)} km or less, easy, "
                        f"and add about {step} % a week."
                    ),
                    asks="run_easy",
                )
            )
        else:
            out.append(
                Finding(
                    id="load.after_break",
                    level="caution",
                    title="Building up again after a break",
                    reason=(
                        f"You came back on {_on(b.first_back)} after {b.days_off} days without "
                        f"running. Before the break your longest run was {before}; {rule}."
                    ),
                    evidence=evidence,
                    source=source,
                    action=f"Keep today's run to {_f(allowed_today / 1000.0)} km or less.",
                )
            )
    out.extend(_pain_before_break(state, p, b))
    return out


def _pain_before_break(state: GuidanceState, p: GuidanceParams, b: Break) -> list[Finding]:
    """Pain above the maximum, or numbness and pins and needles in a leg, in the
    ``break_pain_days`` before the break: checked by a professional before building up."""
    start = b.last_before - timedelta(days=p.break_pain_days - 1)
    end = b.first_back or state.today
    telling = [
        e
        for e in state.pain
        if start <= e.day <= end
        and (
            e.score > p.pain_acceptable_max
            or (set(e.feels) & NERVE_FEELS and set(e.where) - {PainSite.LOW_BACK})
        )
    ]
    if not telling:
        return []
    last = max(e.day for e in telling)
    cleared = state.clearance.clearance
    if cleared is not None and cleared.on >= last:
        return []
    worst = max(telling, key=lambda e: e.score)
    nerve = any(set(e.feels) & NERVE_FEELS for e in telling)
    what = f"pain up to {worst.score}/10" + (" with numbness or pins and needles" if nerve else "")
    return [
        Finding(
            id="pain.before_break",
            level="stop",
            title="Have the pain that stopped you checked before building up again",
            reason=(
                f"Around the start of your break you recorded {what} (last on {_on(last)}). "
                "Before running builds up again, a professional should check that it has "
                "settled."
            ),
            evidence={
                "entries": [e.day.isoformat() for e in telling],
                "worst": worst.score,
                "nerve_signs": nerve,
                "limit": p.pain_acceptable_max,
            },
            source="NICE NG59 (reassess when symptoms persist or change) " + ev("7"),
            action=(
                "See a physiotherapist or your physician (GP) before your next run. When they "
                "agree, record it: `backstride clearance add --on DATE --by NAME`."
            ),
            asks="see_professional",
        )
    ]


def rule_acute_chronic(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    d = state.last_complete_day
    if d is None or d.load_ratio is None or d.load_ratio < p.load_ratio_caution:
        return []
    return [
        Finding(
            id="load.acute_chronic",
            level="caution",
            title="This week is much busier than your usual weeks",
            reason=(
                f"Your training load over the last week is {_f(d.load_ratio, 2)} times your "
                "average over the last four weeks (the 'acute:chronic ratio'; 1.5 or more was "
                "called a 'danger zone' in team sports; backstride notes it from "
                f"{_f(p.load_ratio_caution, 2)}). This measure is contested: later studies found "
                "it predicts injuries hardly better than chance. So backstride shows it only as "
                "background; it never changes your plan."
            ),
            evidence={
                "load_ratio": round(d.load_ratio, 2),
                "uncoupled_load_ratio": (
                    round(d.uncoupled_load_ratio, 2) if d.uncoupled_load_ratio is not None else None
                ),
                "acute_load": round(d.acute_load, 1),
                "chronic_load": round(d.chronic_load, 1),
            },
            source="Gabbett 2016; Williams 2017; critiques Lolli 2019, Impellizzeri 2020 "
            + ev("1", 3),
            action="Only context: nothing to change because of this number alone.",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Recovery and variety (§1, §2, §10; implications 4 and 6)


def rule_no_rest_day(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    d = state.last_complete_day
    if d is None:
        return []
    streak = d.consecutive_run_days
    since_rest = d.days_since_rest
    too_long = since_rest >= p.max_days_without_rest
    # Judged on today's own runs, today is part of the streak: one run today is not a streak.
    allowed = p.careful_max_consecutive_run_days + (1 if d.day == state.today else 0)
    back_to_back = state.careful and streak >= allowed
    if not (too_long or back_to_back):
        return []
    evidence = {"consecutive_run_days": streak, "days_since_rest": since_rest}
    if too_long:
        return [
            Finding(
                id="recovery.no_rest_day",
                level="stop",
                title="Time for a rest day",
                reason=(
                    f"You have trained {since_rest} days in a row without a rest day "
                    f"(backstride asks for one after {p.max_days_without_rest}). The body gets "
                    "stronger during recovery, not during the training itself."
                ),
                evidence=evidence,
                source="Meeusen 2013 (ECSS/ACSM consensus); NHS Couch to 5K " + ev("2", 6),
                action="Rest today: a gentle walk or easy stretches at most.",
                asks="rest",
            )
        ]
    who = (
        "have a spine condition"
        if state.profile.spine_conditions
        else "are new to running"
        if state.profile.experience is Experience.NEW
        else "are returning to running"
    )
    allowed = p.careful_max_consecutive_run_days
    ran = (
        f"You ran on {_on(d.day)}"
        if streak == 1
        else f"You ran {streak} days in a row up to {_on(d.day)}"
    )
    keep = (
        "keep at least one day without running between runs"
        if allowed == 1
        else f"run no more than {allowed} days in a row"
    )
    return [
        Finding(
            id="recovery.no_rest_day",
            level="stop",
            title=(
                "No run two days in a row"
                if allowed == 1
                else f"No more than {allowed} running days in a row"
            ),
            reason=(
                f"{ran}. As you {who}, {keep}; beginner plans such as Couch to 5K keep a day "
                "without running between runs."
            ),
            evidence=evidence,
            source="NHS Couch to 5K; Stanley 2013 [R] " + ev("2", 6),
            action="No run today: cycling, swimming or a core routine instead, or a rest day.",
            asks="cross_train",
        )
    ]


def rule_hard_close(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    gap_days = max(1, math.ceil(p.hard_gap_hours / 24.0))
    recent_hard = [
        d for k in range(gap_days) if (d := state.day(k)) is not None and d.hard_sessions > 0
    ]
    source = "Stanley 2013 [R]; NHS Couch to 5K " + ev("2", 6)
    if recent_hard:
        last = recent_hard[0]
        return [
            Finding(
                id="recovery.hard_sessions_close",
                level="reduce",
                title="Keep today easy after a hard session",
                reason=(
                    f"You had a hard session on {_on(last.day)}. After hard sessions the body "
                    f"needs about {_f(p.hard_gap_hours, 0)} hours before the next hard one."
                ),
                evidence={"last_hard_on": last.day.isoformat(), "gap_hours": p.hard_gap_hours},
                source=source,
                action="If you run today, keep it short and easy: you should be able to talk.",
                asks="run_easy",
            )
        ]
    hard_days = [d for k in range(7) if (d := state.day(k)) is not None and d.hard_sessions > 0][
        ::-1
    ]
    pairs = [
        (a, b)
        for a, b in zip(hard_days, hard_days[1:], strict=False)
        if (b.day - a.day).days < gap_days
    ]
    pairs += [(d, d) for d in hard_days if d.hard_sessions > 1]
    if not pairs:
        return []
    a, b = max(pairs, key=lambda ab: ab[1].day)
    when = f"twice on {_on(a.day)}" if a is b else f"on {_on(a.day)} and again on {_on(b.day)}"
    return [
        Finding(
            id="recovery.hard_sessions_close",
            level="caution",
            title="Hard sessions too close together",
            reason=(
                f"You trained hard {when}, less than {_f(p.hard_gap_hours, 0)} hours apart. "
                f"After a hard session the body needs about {_f(p.hard_gap_hours, 0)} hours "
                "before the next one."
            ),
            evidence={
                "first_on": a.day.isoformat(),
                "second_on": b.day.isoformat(),
                "gap_hours": p.hard_gap_hours,
            },
            source=source,
            action="Put at least one easy day between hard sessions.",
        )
    ]


def rule_monotony(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    d = state.last_complete_day
    if d is None or d.monotony is None or d.monotony <= p.monotony_reduce:
        return []
    week = [x for k in range(7) if (x := state.day((state.today - d.day).days + k)) is not None]
    run_days = sum(1 for x in week if x.runs > 0)
    training_days = sum(1 for x in week if x.sessions > 0)
    running_mostly = run_days * 2 >= max(training_days, 1)
    what = (
        f"Over the 7 days up to {_on(d.day)} your training days were very alike "
        f"(monotony {_f(d.monotony, 1)}: the average day's load divided by how much it varies; "
        f"above {_f(p.monotony_reduce, 1)} is high)."
    )
    evidence = {
        "monotony": round(d.monotony, 2),
        "strain": round(d.strain, 0) if d.strain is not None else None,
        "run_days_7d": run_days,
        "training_days_7d": training_days,
    }
    source = "Foster 1998 " + ev("1", 4)
    if running_mostly:
        return [
            Finding(
                id="variety.monotony",
                level="reduce",
                title="Every day has been much the same",
                reason=(
                    f"{what} You ran on {run_days} of those days. Doing the same thing every "
                    "day gives the same muscles, joints and back no break."
                ),
                evidence=evidence,
                source=source,
                action="Make today different: cycling, swimming or a core and hip routine.",
                asks="cross_train",
            )
        ]
    return [
        Finding(
            id="variety.monotony",
            level="caution",
            title="No easy days lately",
            reason=(
                f"{what} Your activities vary, but every day was about equally busy; the body "
                "adapts best when hard days alternate with easy ones."
            ),
            evidence=evidence,
            source=source,
            action="Make one or two days a week clearly easy: a short walk, or rest.",
        )
    ]


def rule_run_only(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    d = state.last_complete_day or state.day(0)
    if d is None or d.running_share_28d is None:
        return []
    runs = len(state.runs_since(28))
    if d.running_share_28d < p.run_only_share or runs < p.run_only_min_runs:
        return []
    return [
        Finding(
            id="variety.run_only",
            level="caution",
            title="Almost all of your training is running",
            reason=(
                f"{_pct(d.running_share_28d)} % of your training time over the last 4 weeks was "
                f"running (backstride notes {_pct(p.run_only_share)} % or more, from "
                f"{p.run_only_min_runs} runs). Runners who did other sports as well had fewer "
                "injuries, and in a review of trials strength training cut sports injuries to "
                "about a third (not studies of runners with back pain)."
            ),
            evidence={"running_share_28d_pct": _pct(d.running_share_28d), "runs_28d": runs},
            source="Malisoux 2015 " + ev("2") + "; Lauersen 2014 " + ev("10", 14),
            action=(
                "Swap one run a week for cycling or swimming, and add a 15-minute core and hip "
                "routine 2-3 times a week."
            ),
        )
    ]


# ---------------------------------------------------------------------------------------------
# Gear (§3; implication 7)


def rule_shoes(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    out: list[Finding] = []
    since = state.today - timedelta(days=27)
    in_use = [
        s
        for s in state.shoes
        if s.shoe.active
        and (
            (s.last_used_on is not None and s.last_used_on >= since)
            or any(sp in s.shoe.default_for for sp in ("run", "trail_run", "treadmill_run"))
        )
    ]
    worn = [s for s in in_use if s.state in ("inspect", "retire")]
    if worn:
        worn.sort(key=lambda s: (s.state != "retire", -s.total_km))
        s = worn[0]
        retire = s.state == "retire"
        out.append(
            Finding(
                id="gear.shoes_worn",
                level="caution",
                title=f"'{s.shoe.name}' {'need replacing' if retire else 'need a check'}",
                reason=(
                    f"'{s.shoe.name}' have about {s.total_km:.0f} km on them, past the "
                    f"{(s.shoe.retire_km if retire else s.shoe.inspect_km):.0f} km mark. "
                    "Cushioning wears out with distance. (This rule of thumb comes from "
                    "machine tests of cushioning, not from injury studies.)"
                ),
                evidence={
                    "shoe": s.shoe.name,
                    "km": round(s.total_km, 0),
                    "inspect_km": s.shoe.inspect_km,
                    "retire_km": s.shoe.retire_km,
                    "state": s.state,
                    "others": [w.shoe.name for w in worn[1:]],
                },
                source=f"{WEAR_SOURCE}; implication 7",
                action=(
                    "Plan a new pair, and watch whether your back aches more after runs in these."
                    if retire
                    else "Look for deep creases in the midsole, a worn-through sole or a heel "
                    "that tilts; if they feel flat or leave you sorer, replace them."
                ),
            )
        )
    if state.rotation:
        out.append(
            Finding(
                id="gear.single_pair",
                level="info",
                title="Only one pair of running shoes",
                reason=state.rotation,
                evidence={"pairs_in_use": len(in_use)},
                source=f"{ROTATION_SOURCE}; implication 7",
                action="Consider a second pair and alternate between them.",
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Terrain (§4; implication 8)


def _sensitive_to(state: GuidanceState, run: RunFacts) -> bool:
    """A back that dislikes arching: a spine condition, or pain of 3+ linked to that run."""
    if state.profile.spine_conditions:
        return True
    for e in state.pain:
        linked = e.activity_id == run.activity_id or (
            e.activity_id is None
            and (
                (e.when in (PainWhen.DURING, PainWhen.AFTER) and e.day == run.day)
                or (e.when is PainWhen.NEXT_MORNING and e.day == run.day + timedelta(days=1))
            )
        )
        if linked and e.score >= 3:
            return True
    return False


def rule_downhill(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    hits: list[tuple[RunFacts, float, float]] = []
    for r in state.runs_since(p.terrain_recent_days):
        steep = r.descent_steeper_than_m(p.downhill_grade_pct) or 0.0
        drop = r.longest_descent_drop_m or 0.0
        if steep >= p.downhill_steep_m or drop >= p.downhill_long_drop_m:
            hits.append((r, steep, drop))
    if not hits:
        return []
    r, steep, drop = max(hits, key=lambda h: (h[1], h[2], h[0].day))
    sensitive = any(_sensitive_to(state, h[0]) for h in hits)
    parts = []
    if steep >= p.downhill_steep_m:
        parts.append(
            f"{_f(steep / 1000.0, 1)} km of steep descent (steeper than "
            f"{_f(-p.downhill_grade_pct, 0)} %; backstride notes {p.downhill_steep_m:.0f} m or "
            "more)"
        )
    if drop >= p.downhill_long_drop_m:
        parts.append(
            f"one continuous descent of {drop:.0f} m (backstride notes "
            f"{p.downhill_long_drop_m:.0f} m or more)"
        )
    reason = (
        f"Your run on {_on(r.day)}, in the last {p.terrain_recent_days} days, had "
        + " and ".join(parts)
        + ". Running downhill adds "
        "jolt and braking to every step and arches the lower back more"
    )
    reason += (
        ", which is what a back with stenosis or arching-sensitive pain dislikes."
        if sensitive
        else "."
    )
    return [
        Finding(
            id="terrain.downhill",
            level="reduce" if sensitive else "caution",
            title="Long or steep downhill running",
            reason=reason,
            evidence={
                "run_on": r.day.isoformat(),
                "activity_id": r.activity_id,
                "steep_descent_m": round(steep, 0),
                "steep_grade_pct": p.downhill_grade_pct,
                "longest_descent_drop_m": round(drop, 0),
                "descent_steeper_than_5pct_m": (
                    round(r.steep_descent_5pct_m, 0) if r.steep_descent_5pct_m is not None else None
                ),
            },
            source="Gottschall & Kram 2005; Levine 2007 " + ev("4", 8),
            action=(
                "Run on flat routes for now; on a hill, walk the steep downhill parts or go "
                "round the other way so the steep part is uphill."
            ),
            asks="run_easy" if sensitive else "run",
        )
    ]


def rule_uneven(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    if not state.careful:
        return []
    runs = [r for r in state.runs_since(p.uneven_window_days) if r.distance_m]
    total = sum(r.distance_m or 0.0 for r in runs)
    rough = sum(r.distance_m or 0.0 for r in runs if r.surface in _UNEVEN)
    if total <= 0 or rough / total < p.uneven_share:
        return []
    return [
        Finding(
            id="terrain.uneven",
            level="caution",
            title="Mostly uneven ground",
            reason=(
                f"{_pct(rough / total)} % of your running in the last {p.uneven_window_days} days "
                f"was on trails or mixed ground (backstride notes {_pct(p.uneven_share)} % or "
                "more). On uneven ground every step is a little "
                "different, which tires the trunk and legs sooner; while you build up, even "
                "ground is kinder."
            ),
            evidence={
                "uneven_km": round(rough / 1000.0, 1),
                "total_km": round(total / 1000.0, 1),
                "uneven_share_pct": _pct(rough / total),
            },
            source="Voloshina & Ferris 2015 " + ev("4", 8),
            action="Do most runs on road, track or smooth paths for now.",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Body and history (§3, §5, §10; implication 14)


_RATIO_WORDS: Mapping[str, str] = {
    "flexion/extension": "stomach hold divided by back hold",
    "left/right side bridge": "left side hold divided by right side hold",
    "left side bridge/extension": "left side hold divided by back hold",
    "right side bridge/extension": "right side hold divided by back hold",
}
_RATIO_MEANING: Mapping[str, str] = {
    "flexion/extension": "your back muscles tire sooner than your stomach muscles",
    "left/right side bridge": "one side of your trunk tires sooner than the other",
    "left side bridge/extension": "your back muscles tire early compared with your side muscles",
    "right side bridge/extension": "your back muscles tire early compared with your side muscles",
}


def rule_core(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    report = state.selftests
    if report is None:
        return []
    off = [r for r in report.ratios if r.ok is False and r.value is not None]
    if not off:
        return []
    parts = [
        f"{_RATIO_WORDS.get(r.name, r.name)} is {r.value:.2f} (should be {r.target}), so "
        f"{_RATIO_MEANING.get(r.name, 'the holds are out of balance')}"
        for r in off
        if r.value is not None
    ]
    return [
        Finding(
            id="body.core_endurance",
            level="caution",
            title="Your trunk muscles are out of balance",
            reason=(
                "In your last hold tests, "
                + "; ".join(parts)
                + ". Trunk muscles that last equally long protect the back."
            ),
            evidence={r.name: {"value": r.value, "target": r.target} for r in off},
            source="McGill 1999 " + ev("5") + "; Lauersen 2014 " + ev("10", 14),
            action=(
                "Do a core routine 2-3 times a week (curl-up, side bridge, bird-dog; "
                "`backstride routine core` shows them), and repeat the tests in 6 weeks."
            ),
        )
    ]


_FLEX_TESTS = (
    SelfTestName.SIT_AND_REACH,
    SelfTestName.STRAIGHT_LEG_RAISE_LEFT,
    SelfTestName.STRAIGHT_LEG_RAISE_RIGHT,
    SelfTestName.HIP_FLEXOR_LENGTH_LEFT,
    SelfTestName.HIP_FLEXOR_LENGTH_RIGHT,
)
_FLEX_LOW = ("poor", "below-usual-range", "fail")


def rule_flexibility(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    report = state.selftests
    if report is None:
        return []
    low = [
        a
        for a in report.assessments
        if a.name in _FLEX_TESTS and a.rating in _FLEX_LOW and a.latest is not None
    ]
    if not low:
        return []
    return [
        Finding(
            id="body.flexibility",
            level="caution",
            title="Tight hamstrings or hips",
            reason=(
                "Your last flexibility tests: "
                + "; ".join(
                    f"{TESTS[a.name].title}: {format_value(a.name, a.latest.value)}"
                    for a in low
                    if a.latest is not None
                )
                + ". Limited hip and hamstring flexibility is linked with low back pain in "
                "runners. (Stretching alone has not been shown to prevent injuries; it helps "
                "the range of movement.)"
            ),
            evidence={
                a.name.value: {"value": a.latest.value, "rating": a.rating}
                for a in low
                if a.latest is not None
            },
            source="Maselli 2020 " + ev("5") + "; Lauersen 2014 and ACSM 2011 " + ev("10", 14),
            action=(
                "After runs, stretch the hamstrings and the front of the hips: hold each "
                "stretch 10-30 seconds, 2-4 times."
            ),
        )
    ]


def rule_selftest_data(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    report = state.selftests
    if report is None:
        return [
            Finding(
                id="data.no_selftests",
                level="info",
                title="No self-tests yet",
                reason=(
                    "Simple hold and stretch tests show whether weak trunk muscles or tight hips "
                    "could be adding to back pain."
                ),
                evidence={"tests_done": 0},
                source="McGill 1999; Maselli 2020 " + ev("5"),
                action="See the tests and how to do them: `backstride selftest list`.",
            )
        ]
    if report.retest_due:
        return [
            Finding(
                id="body.retest_due",
                level="info",
                title="Time to repeat your self-tests",
                reason=report.reminder or "Six weeks or more have passed since your last tests.",
                evidence={"tests": [n.value for n in report.retest_due]},
                source="McGill 1999 " + ev("5"),
                action="Repeat them and record the results: `backstride selftest add`.",
            )
        ]
    return []


def rule_past_injury(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    prof = state.profile
    items = list(prof.past_injuries)
    if Condition.HIP_PROBLEM in prof.conditions:
        items.append("a hip problem")
    if Condition.RECENT_ILLNESS in prof.conditions:
        items.append("a recent illness")
    if not items:
        return []
    illness = Condition.RECENT_ILLNESS in prof.conditions
    return [
        Finding(
            id="history.past_injury",
            level="caution",
            title="Your history calls for a slower build-up",
            reason=(
                "Your profile lists " + "; ".join(items) + ". Runners with a previous injury "
                "were injured more often (about 1.7 times as often in one study), so "
                "backstride builds up more slowly for you."
            ),
            evidence={
                "past_injuries": list(prof.past_injuries),
                "conditions": [
                    c.value
                    for c in prof.conditions
                    if c in (Condition.HIP_PROBLEM, Condition.RECENT_ILLNESS)
                ],
            },
            source="Malisoux 2015 " + ev("3") + "; DESIGN.md causes table",
            action=(
                f"Keep each run within {_pct(p.spike_caution_ratio - 1.0)} % of your longest run "
                "of the last 30 days."
                + (
                    " After an illness, wait until you feel well; if it brought a fever or "
                    "chest symptoms, ask your doctor first."
                    if illness
                    else ""
                )
                + " A physiotherapist can tell you what to strengthen."
            ),
        )
    ]


# ---------------------------------------------------------------------------------------------
# Form (§4; implication 9)


def expected_cadence_spm(speed_m_s: float, p: GuidanceParams) -> float:
    """The step rate a recreational runner typically uses at ``speed_m_s`` (own choice [R])."""
    return p.stride_ref_spm + p.stride_spm_per_m_s * (speed_m_s - p.stride_ref_speed_m_s)


def rule_stride(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    judged: list[tuple[RunFacts, float, float]] = []
    for r in state.runs_since(p.stride_window_days):
        speed = r.speed_m_s
        if r.cadence_spm is None or speed is None:
            continue
        if r.cadence_spm < p.stride_min_cadence_spm or speed < p.stride_min_speed_m_s:
            continue
        judged.append((r, r.cadence_spm, expected_cadence_spm(speed, p)))
    if len(judged) < p.stride_min_runs:
        return []
    shortfall = statistics.median(1.0 - c / e for _, c, e in judged)
    if shortfall <= p.stride_shortfall:
        return []
    cadence = statistics.median(c for _, c, _ in judged)
    expected = statistics.median(e for _, _, e in judged)
    speeds = [r.speed_m_s for r, _, _ in judged if r.speed_m_s]
    speed = statistics.median(speeds)
    low, high = cadence * 1.05, cadence * 1.10
    return [
        Finding(
            id="form.stride",
            level="caution",
            title="Long strides for your pace",
            reason=(
                f"On your last {len(judged)} runs you took about {cadence:.0f} steps a minute at "
                f"about {_pace(speed)}. Runners at that pace usually take about {expected:.0f}; "
                f"yours is more than {_pct(p.stride_shortfall)} % below that. "
                "Few, long steps mean the foot lands far in front of the body (overstriding), "
                "which brakes every step and loads the knees, hips and back more."
            ),
            evidence={
                "typical_cadence_spm": round(cadence, 0),
                "expected_cadence_spm": round(expected, 0),
                "shortfall_pct": _pct(shortfall),
                "typical_speed_m_s": round(speed, 2),
                "runs": len(judged),
            },
            source="Heiderscheit 2011; Lieberman 2015 " + ev("4", 9),
            action=(
                f"Raise your step rate gradually by 5-10 %, to about {low:.0f}-{high:.0f} steps "
                "a minute, with shorter, quicker steps at the same pace (a metronome app helps). "
                "Ask a running coach or physiotherapist to look at your stride."
            ),
        )
    ]


# ---------------------------------------------------------------------------------------------
# Missing data


def rule_missing_data(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    out: list[Finding] = []
    recent = state.runs_since(p.checkin_lookback_days)
    checks = {c.activity_id: c for c in state.run_checks}
    waiting = [
        r
        for r in recent
        if r.day < state.today
        and (c := checks.get(r.activity_id)) is not None
        and c.next_morning is None
    ]
    if waiting and recent and waiting[-1].day == max(r.day for r in recent if r.day < state.today):
        r = waiting[-1]
        out.append(
            Finding(
                id="data.no_morning_checkin",
                level="caution",
                title="No next-morning check-in after your last run",
                reason=(
                    f"There is no pain score for the morning after your run on {_on(r.day)}. "
                    "Pain often shows up only hours later, so the next morning tells whether "
                    "a run suited your back."
                ),
                evidence={"run_on": r.day.isoformat(), "activity_id": r.activity_id},
                source=PAIN_SOURCE,
                action=(
                    "Each morning after a run, record your pain: `backstride checkin`, or "
                    f"`backstride pain add --when next-morning --on "
                    f"{(r.day + timedelta(days=1)).isoformat()} --score N`."
                ),
            )
        )
    month = state.runs_since(28)
    if month and not month[-1].has_heart_rate:
        r = month[-1]
        out.append(
            Finding(
                id="data.no_heart_rate",
                level="info",
                title="No heart rate on your last run",
                reason=(
                    f"Your run on {_on(r.day)} has no heart rate, so its effort is estimated "
                    "from its duration (or from how hard you said it felt)."
                ),
                evidence={"run_on": r.day.isoformat(), "activity_id": r.activity_id},
                source="Banister TRIMP (Morton 1990); Foster 1998 session RPE " + ev("1", 4),
                action=(
                    "Wear a watch or strap that records heart rate, or log how hard each run "
                    f"felt from 0 to 10: `backstride activity edit {r.activity_id} --rpe N`."
                ),
            )
        )
    shoeless = [r for r in month if not r.gear]
    if shoeless:
        out.append(
            Finding(
                id="data.no_shoes",
                level="info",
                title="Runs without shoes assigned",
                reason=(
                    f"{len(shoeless)} of your runs in the last 4 weeks have no shoes recorded, "
                    "so backstride cannot tell how worn your shoes are."
                ),
                evidence={"runs": [r.activity_id for r in shoeless]},
                source=f"{WEAR_SOURCE}; implication 7",
                action=(
                    "Add your shoes (`backstride shoes add NAME`), make them the default "
                    "(`backstride shoes default NAME --sport run`), and set them on past runs: "
                    f"`backstride activity edit {shoeless[-1].activity_id} --shoes NAME`."
                ),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Warm-up (§10; implication 14)

_WARM = r"warm[\s-]?up"
_SKIPPED = re.compile(
    rf"\b(?:no|skip|skipped|skipping|without|forgot|missed)\b[^.;\n]{{0,25}}{_WARM}"
    rf"|{_WARM}[^.;\n]{{0,15}}\b(?:skipped|missed|forgotten)\b",
    re.IGNORECASE,
)


def warm_up_skipped(text: str | None) -> bool:
    """Whether a run's name or notes say the warm-up was skipped ("skipped the warm-up walk",
    "no warm-up", "warm-up missed")."""
    return bool(text) and _SKIPPED.search(text or "") is not None


def rule_warm_up(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    start = state.today - timedelta(days=p.warm_up_window_days - 1)
    by_notes = [r for r in state.runs_since(p.warm_up_window_days) if warm_up_skipped(r.notes)]
    by_log = [w for w in state.warm_up_skips if start <= w.day <= state.today]
    days = sorted({r.day for r in by_notes} | {w.day for w in by_log})
    if not days:
        return []
    parts = []
    if by_notes:
        parts.append(
            f"your notes say you skipped the warm-up on {len(by_notes)} run"
            f"{'s' if len(by_notes) > 1 else ''}"
        )
    if by_log:
        parts.append(
            f"{len(by_log)} run{'s' if len(by_log) > 1 else ''} without a logged warm-up "
            "were followed by pain"
        )
    return [
        Finding(
            id="warmup.skipped",
            level="caution",
            title="Warm up before you run",
            reason=(
                f"In the last {p.warm_up_window_days} days " + " and ".join(parts) + f" (last on "
                f"{_on(days[-1])}). A few minutes of brisk walking and easy drills get the back "
                "and legs ready; warm-up programmes cut injuries in other sports."
            ),
            evidence={
                "runs": sorted({r.activity_id for r in by_notes} | {w.activity_id for w in by_log}),
                "skipped_in_notes": len(by_notes),
                "skipped_then_pain": len(by_log),
                "last_on": days[-1].isoformat(),
            },
            source="NHS Couch to 5K; Herman 2012 (FIFA 11+) " + ev("10", 14),
            action=(
                "Before every run: 5 minutes of brisk walking, then a few leg swings, knee lifts "
                "and easy skips (`backstride routine warmup` shows them)."
            ),
        )
    ]


def rule_pregnancy(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    """During pregnancy: no build-up in running (ACOG 2020: keep to the activity you did
    before; no new high-impact progression)."""
    since = state.profile.pregnant_since
    if since is None or since > state.today:
        return []
    start = state.today - timedelta(days=p.cap_window_days)
    prior = [r.distance_m for r in state.runs if start <= r.day < state.today and r.distance_m]
    longest = max(prior) if prior else None
    evidence: dict[str, Any] = {"pregnant_since": since.isoformat()}
    keep = "no longer than your runs before"
    if longest is not None:
        evidence["cap_km"] = _km(longest)
        keep = (
            f"no longer than {_f(longest / 1000.0)} km (your longest run of the last "
            f"{p.cap_window_days} days)"
        )
    return [
        Finding(
            id="history.pregnancy",
            level="caution",
            title="Pregnancy: no build-up in running",
            reason=(
                "You recorded a pregnancy. Running you already did can usually carry on, but "
                "this is not the time to build up distance or effort, and the joints and back "
                "take more strain as the pregnancy goes on."
            ),
            evidence=evidence,
            source="ACOG 2020 Committee Opinion 804 (physical activity in pregnancy)",
            action=(
                f"Keep runs {keep}, at an easy effort, and follow your midwife or doctor. Stop "
                "and get advice if you feel pain, dizziness, bleeding or fluid loss."
            ),
        )
    ]


RULES: tuple[Rule, ...] = (
    rule_red_flags,
    rule_awaiting_clearance,
    rule_unconfirmed_flags,
    rule_clearance,
    rule_leg_pattern,
    rule_nerve_root,
    rule_persistent,
    rule_pain_flare,
    rule_high_during,
    rule_not_settled,
    rule_rising_trend,
    rule_spike,
    rule_progression,
    rule_after_break,
    rule_acute_chronic,
    rule_no_rest_day,
    rule_hard_close,
    rule_monotony,
    rule_run_only,
    rule_shoes,
    rule_downhill,
    rule_uneven,
    rule_core,
    rule_flexibility,
    rule_past_injury,
    rule_pregnancy,
    rule_stride,
    rule_warm_up,
    rule_selftest_data,
    rule_missing_data,
)


def compute_findings(
    state: GuidanceState, params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS
) -> tuple[Finding, ...]:
    """Every rule over ``state``, most serious first (:func:`defer_notes` applied)."""
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(state, params))
    return defer_notes(sort_findings(found))


_ALLOW_RUNNING: tuple[Decision, ...] = ("run", "run_easy")


def defer_notes(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Under a decision that rules out running today (``cross_train`` and more cautious), a
    finding that alone would allow a run (``run``, ``run_easy``) never says so: its ``asks``
    becomes the day's decision and ``for_later`` marks it as advice for when running starts
    again. The order and the decision do not change."""
    decision = decide(findings)
    if decision in _ALLOW_RUNNING:
        return tuple(findings)
    return tuple(
        replace(f, asks=decision, for_later=True) if f.asks in _ALLOW_RUNNING else f
        for f in findings
    )


# ---------------------------------------------------------------------------------------------
# What to do today


@dataclass(frozen=True, slots=True)
class CrossTraining:
    """An alternative to running: what it spares and what it works."""

    activity: str
    how: str
    spares: str
    works: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "how": self.how,
            "spares": self.spares,
            "works": self.works,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Referral:
    """Who to see and why."""

    who: str
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"who": self.who, "why": self.why}


CYCLING = CrossTraining(
    activity="cycling",
    how="30-45 minutes, easy (you can talk), indoors or on flat roads",
    spares=(
        "the lower back from the jolt of every landing; sitting bent slightly forward gives the "
        "nerves in the lower back more room, which usually suits spinal stenosis"
    ),
    works="thighs (quadriceps), buttocks (glutes), heart and lungs",
    source="Pua 2007; Whitman 2006 " + ev("6"),
)
SWIMMING = CrossTraining(
    activity="swimming or water walking",
    how="20-40 minutes, easy; front crawl or backstroke, with a float if you like",
    spares="all impact; the water carries your weight",
    works="shoulders, back and trunk muscles, heart and lungs",
    source="Malisoux 2015 (other sports protective) " + ev("2"),
)
CORE = CrossTraining(
    activity="core and hip routine",
    how=(
        "15-20 minutes: curl-up, side bridge, bird-dog (McGill's 'big 3'), glute bridge, clamshells"
    ),
    spares="the legs and back from impact",
    works="the trunk (abdominals, back and side muscles) and the hip muscles",
    source="McGill 1999 " + ev("5") + "; Lauersen 2014 " + ev("10", 14),
)
FLEXION_MOBILITY = CrossTraining(
    activity="gentle mobility",
    how="10-15 minutes: knee-to-chest, pelvic tilts, child's pose",
    spares="everything: no impact, no arching of the back",
    works="the range of movement of the lower back and hips (bending forward)",
    source="EVIDENCE.md §10 (exercises for stenosis: flexion bias)",
)

PROFESSIONAL_FOR: Mapping[str, Referral] = {
    "redflag.prompt": Referral(
        "your physician (GP), within the next few days",
        "a red-flag sign needs a doctor's examination",
    ),
    "redflag.to_confirm": Referral(
        "a doctor, unless you can rule the sign out (today, if it is an emergency sign)",
        "something you wrote may be a warning sign",
    ),
    "pain.flare_referral": Referral(
        "a physiotherapist or your physician (GP)",
        "severe pain, or pain above the acceptable level on several days, needs an examination",
    ),
    "pain.rising_trend": Referral(
        "a physiotherapist or your physician (GP)",
        "morning pain that keeps rising week after week needs an examination",
    ),
    "pain.nerve_root": Referral(
        "a physiotherapist or your physician (GP)",
        "nerve symptoms in the leg that last or spread need an examination",
    ),
    "pain.before_break": Referral(
        "a physiotherapist or your physician (GP)",
        "to check that the pain that stopped you has settled before you build up again",
    ),
    "screening.clearance_needed": Referral(
        "your physician (GP)",
        "to confirm a running plan suits you (clearance) before one starts",
    ),
    "pain.leg_symptom_pattern": Referral(
        "your physician (GP)",
        "to find out what causes leg symptoms that come on with walking and ease with sitting",
    ),
    "pain.persistent": Referral(
        "a physiotherapist or your physician (GP)",
        "pain that lasts or keeps coming back needs an examination and a plan",
    ),
    "form.stride": Referral(
        "a running coach or a physiotherapist",
        "to look at your stride and help you take shorter, quicker steps",
    ),
    "body.core_endurance": Referral(
        "a physiotherapist", "to set you core exercises that suit your back"
    ),
}


def gentlest_route(routes: Sequence[SavedRoute], target_m: float | None) -> SavedRoute | None:
    """The saved route with the lowest taxing score among those at least 90 % of ``target_m``
    long (all routes when there is no target); None when no route covers the distance."""
    candidates = [r for r in routes if target_m is None or r.distance_m >= 0.9 * target_m]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.taxing_score, r.distance_m, r.name))


@dataclass(frozen=True, slots=True)
class TodayPlan:
    """The decision and what to do today."""

    decision: Decision
    headline: str
    summary: str
    details: tuple[str, ...] = ()
    cap_km: float | None = None
    route: SavedRoute | None = None
    route_note: str | None = None
    activities: tuple[CrossTraining, ...] = ()
    professionals: tuple[Referral, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "summary": self.summary,
            "details": list(self.details),
            "cap_km": self.cap_km,
            "route": self.route.to_json() if self.route else None,
            "route_note": self.route_note,
            "activities": [a.to_json() for a in self.activities],
            "professionals": [r.to_json() for r in self.professionals],
        }


@dataclass(frozen=True, slots=True)
class RunCaps:
    """How far a run may go today, from the runner's own runs before today.

    ``cap_m`` is the shortest of: her longest run of the last ``cap_window_days`` days; her
    typical run of those days (the median) plus ``cap_typical_margin``; after a long-run spike,
    the longest run before the jump; after a flare (a run followed by pain above the
    acceptable level during, after or the next morning), ``flare_cap_share`` of that run,
    until a run of that length goes within the pain rules. ``why`` names the limit that
    applies, in plain words built from the numbers in force.
    """

    typical_m: float | None
    longest_m: float | None
    cap_m: float | None
    why: str | None
    flare_run_on: date | None = None
    flare_run_m: float | None = None

    @property
    def cap_km(self) -> float | None:
        return round(self.cap_m / 1000.0, 1) if self.cap_m else None

    @property
    def typical_km(self) -> float | None:
        return round(self.typical_m / 1000.0, 1) if self.typical_m else None

    def to_json(self) -> dict[str, Any]:
        return {
            "cap_km": self.cap_km,
            "typical_km": self.typical_km,
            "longest_km": round(self.longest_m / 1000.0, 1) if self.longest_m else None,
            "why": self.why,
            "flare_run_on": self.flare_run_on.isoformat() if self.flare_run_on else None,
            "flare_run_km": _km(self.flare_run_m),
        }


def _latest_flare(
    state: GuidanceState, prior: Sequence[RunFacts], p: GuidanceParams
) -> RunFacts | None:
    """The last run of ``prior`` followed by pain above the acceptable level, unless a later
    run at least as long as the flare cap went within the pain rules since."""
    checks = {c.activity_id: c for c in state.run_checks}
    limit = p.pain_acceptable_max

    def flared(r: RunFacts) -> bool:
        c = checks.get(r.activity_id)
        return c is not None and any(
            v is not None and v > limit for v in (c.during, c.after, c.next_morning)
        )

    flares = [r for r in prior if flared(r) and r.distance_m]
    if not flares:
        return None
    last = flares[-1]
    cap = (last.distance_m or 0.0) * p.flare_cap_share
    for r in prior:
        c = checks.get(r.activity_id)
        if r.day > last.day and (r.distance_m or 0.0) >= cap and c is not None:
            if c.verdict == "within":
                return None
    return last


def run_caps(
    state: GuidanceState, findings: Sequence[Finding], p: GuidanceParams = DEFAULT_GUIDANCE_PARAMS
) -> RunCaps:
    """The limits on today's run from her own runs (see :class:`RunCaps`)."""
    start = state.today - timedelta(days=p.cap_window_days)
    prior = [
        r
        for r in state.runs
        if start <= r.day < state.today and r.distance_m is not None and r.distance_m > 0
    ]
    distances = [r.distance_m or 0.0 for r in prior]
    longest = max(distances) if distances else None
    typical = float(statistics.median(distances)) if distances else None
    window = f"{p.cap_window_days} days"
    limits: list[tuple[float, str]] = []
    if longest is not None:
        limits.append((longest, f"your longest run of the last {window} ({_f(longest / 1000)} km)"))
    if typical is not None:
        grown = typical * (1.0 + p.cap_typical_margin)
        limits.append(
            (
                grown,
                f"your typical run of the last {window} ({_f(typical / 1000)} km) plus "
                f"{_pct(p.cap_typical_margin)} %",
            )
        )
    for f in findings:
        if f.id == "load.single_run_spike" and f.asks != "run":
            ref = float(f.evidence["longest_prev_30d_km"]) * 1000.0
            limits.append((ref, f"your longest run before the jump ({_f(ref / 1000)} km)"))
        elif isinstance(f.evidence.get("cap_km"), int | float) and f.evidence["cap_km"] > 0:
            # A finding that sets a limit of its own (e.g. after a break) says "cap_km".
            own = float(f.evidence["cap_km"]) * 1000.0
            limits.append((own, f"{f.title.lower()} ({_f(own / 1000)} km)"))
    flare = _latest_flare(state, prior, p)
    if flare is not None and flare.distance_m:
        limits.append(
            (
                flare.distance_m * p.flare_cap_share,
                f"{_pct(p.flare_cap_share)} % of your {_f(flare.distance_m / 1000)} km run on "
                f"{_on(flare.day)}, which was followed by pain above "
                f"{p.pain_acceptable_max}/10",
            )
        )
    if not limits:
        return RunCaps(typical, longest, None, None)
    cap, why = min(limits, key=lambda lw: lw[0])
    return RunCaps(
        typical_m=typical,
        longest_m=longest,
        cap_m=cap,
        why=why,
        flare_run_on=flare.day if flare else None,
        flare_run_m=flare.distance_m if flare else None,
    )


def _usual_run_m(state: GuidanceState) -> float | None:
    recent = [r.distance_m for r in state.runs_since(28) if r.distance_m]
    return float(statistics.median(recent)) if recent else None


def _route_for(
    state: GuidanceState, target_m: float | None
) -> tuple[SavedRoute | None, str | None]:
    if not state.routes:
        return None, (
            "Save the routes you run (`backstride route add FILE --name NAME`) and backstride "
            "will name the gentlest one."
        )
    route = gentlest_route(state.routes, target_m)
    if route is None:
        shortest = gentlest_route(state.routes, None)
        assert shortest is not None
        return shortest, (
            f"None of your saved routes is long enough; '{shortest.name}' is the gentlest "
            f"({shortest.distance_m / 1000:.1f} km, taxing score {shortest.taxing_score:g}): "
            "run it more than once if needed."
        )
    note = (
        f"Gentlest saved route that covers it: '{route.name}' ({route.distance_m / 1000:.1f} km, "
        f"taxing score {route.taxing_score:g}, {route.band})."
    )
    if target_m is not None and route.distance_m > 1.15 * target_m:
        note += " Turn back or stop early to keep to the distance."
    return route, note


def _cross_options(*, stenosis_like: bool, pain: bool) -> tuple[CrossTraining, ...]:
    """Cycling first (flexion-friendly, §6); with pain, gentle mobility before strength."""
    if stenosis_like:
        return (CYCLING, FLEXION_MOBILITY, SWIMMING)
    if pain:
        return (CYCLING, SWIMMING, FLEXION_MOBILITY)
    return (CYCLING, SWIMMING, CORE)


def plan_today(
    state: GuidanceState,
    findings: Sequence[Finding],
    params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS,
) -> TodayPlan:
    """The decision (the most cautious any finding asks for) and concrete advice for today."""
    decision = decide(findings)
    ids = {f.id for f in findings}
    terrain = bool(ids & {"terrain.downhill", "terrain.uneven", "pain.leg_symptom_pattern"})
    headline = DECISION_WORDS[decision]
    asking = [f for f in findings if f.asks == decision and not f.for_later]
    because = "; ".join(f.title.lower() for f in asking[:3])

    if decision == "urgent_care":
        flags = [o.flag for o in state.open_red_flags]
        t = triage(flags, state.profile.risk)
        assert t is not None
        return TodayPlan(
            decision=decision,
            headline=t.headline,
            summary=t.where_to_go,
            details=(t.what_it_may_mean, t.meanwhile),
        )

    if decision == "start_here":
        return TodayPlan(
            decision=decision,
            headline=headline,
            summary=(
                f"Because: {because}. backstride cannot tell yet whether running suits you "
                "today, so it does not suggest a run."
            ),
            details=tuple(f"{f.title}: {f.action}" for f in asking),
        )

    if decision == "see_professional":
        referrals: list[Referral] = []
        for f in findings:
            ref = PROFESSIONAL_FOR.get(f.id)
            own = f.asks == "see_professional" and not f.for_later
            if ref is not None and (own or f.id == "form.stride"):
                if ref not in referrals:
                    referrals.append(ref)
        meanwhile = (
            "Meanwhile, logging runs and pain works as usual. Keep any activity gentle: easy "
            "walking or cycling if it does not bring on pain."
        )
        return TodayPlan(
            decision=decision,
            headline=headline,
            summary=f"Because: {because}.",
            details=tuple(f"See {r.who}: {r.why}." for r in referrals) + (meanwhile,),
            professionals=tuple(referrals),
        )

    pain = bool(
        ids & {"pain.high_during", "pain.not_settled", "pain.rising_trend", "pain.persistent"}
    )
    route: SavedRoute | None = None
    route_note: str | None = None
    if decision == "rest":
        return TodayPlan(
            decision=decision,
            headline=headline,
            summary=(
                f"Because: {because}. Take the day off training. A gentle walk and easy "
                "stretches are fine if they feel comfortable."
            ),
            details=("Check in tomorrow morning with `backstride checkin`.",),
            activities=(FLEXION_MOBILITY,),
        )

    if decision == "cross_train":
        options = _cross_options(
            stenosis_like=state.profile.has_stenosis or "pain.leg_symptom_pattern" in ids,
            pain=pain,
        )
        first = options[0]
        lines = tuple(
            f"{o.activity.capitalize()} ({o.how}): spares {o.spares}; works {o.works}."
            for o in options
        )
        if terrain:
            route, route_note = _route_for(state, _usual_run_m(state))
            if route_note and route is not None:
                route_note = "For your next run: " + route_note[0].lower() + route_note[1:]
        return TodayPlan(
            decision=decision,
            headline=headline,
            summary=(
                f"Because: {because}. Instead: {first.activity}, {first.how}. Stop if it brings "
                "the pain on."
            ),
            details=lines,
            activities=options,
            route=route,
            route_note=route_note,
        )

    if decision == "run_easy":
        caps = run_caps(state, findings, params)
        target = caps.cap_m or _usual_run_m(state)
        route, route_note = _route_for(state, target)
        cap_km = caps.cap_km
        limit = f"no longer than {cap_km:g} km ({caps.why})" if cap_km else "shorter than usual"
        details = [
            f"Distance: {limit}.",
            "Warm-up: 5 minutes of brisk walking first.",
            "Pace: easy enough to talk in full sentences; walk breaks are fine.",
            "Ground: flat and even; walk any steep downhill.",
        ]
        if route_note:
            details.append(route_note)
        short = f"no longer than {cap_km:g} km" if cap_km else "shorter than usual"
        return TodayPlan(
            decision=decision,
            headline=headline,
            summary=f"Because: {because}. Today: {short}, flat, at an easy pace.",
            details=tuple(details),
            cap_km=cap_km,
            route=route,
            route_note=route_note,
        )

    # run
    cautions = [f for f in findings if f.level == "caution"]
    notes = [f"{f.title}: {f.action}" for f in cautions]
    if terrain:
        route, route_note = _route_for(state, _usual_run_m(state))
        if route_note:
            notes.append(route_note)
    return TodayPlan(
        decision=decision,
        headline=headline,
        summary=(
            "Nothing in your records argues against a run today. Warm up with 5 minutes of "
            "brisk walking, and check in tomorrow morning."
            if not cautions
            else "You can run today. Warm up with 5 minutes of brisk walking, and keep these "
            "in mind:"
        ),
        details=tuple(notes),
        route=route,
        route_note=route_note,
    )
