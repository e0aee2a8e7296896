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
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from backstride.domain.activity import Sport, Surface
from backstride.domain.body import ClearanceState, Condition, Experience, Profile
from backstride.domain.load import DayLoad, LoadReport
from backstride.domain.pain import (
    CLAUDICATION_SOURCE,
    RED_FLAG_SOURCE,
    MorningWeek,
    OpenRedFlag,
    PainEntry,
    PainWhen,
    RunPainCheck,
    Urgency,
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
    the active pairs; ``warm_up_skips`` the painful runs after a skipped warm-up.
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

    @property
    def careful(self) -> bool:
        """Beginners, returning runners and runners with a spine condition (implication 6)."""
        p = self.profile
        return bool(p.spine_conditions) or p.experience in (Experience.NEW, Experience.RETURNING)

    @property
    def conservative(self) -> bool:
        """Past injuries, a hip problem or a recent illness: progress more slowly (DESIGN)."""
        p = self.profile
        return bool(p.past_injuries) or any(
            c in p.conditions for c in (Condition.HIP_PROBLEM, Condition.RECENT_ILLNESS)
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
    out: list[Finding] = []
    emergency = [o for o in state.open_red_flags if o.urgency is Urgency.EMERGENCY]
    prompt = [o for o in state.open_red_flags if o.urgency is Urgency.PROMPT]
    if emergency:
        t = triage(o.flag for o in state.open_red_flags)
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
                source=f"{RED_FLAG_SOURCE}; implication 11",
                action=f"{t.where_to_go} {t.meanwhile}",
                asks="urgent_care",
            )
        )
    if prompt:
        t = triage(o.flag for o in prompt)
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
                source=f"{RED_FLAG_SOURCE}; implication 11",
                action=f"{t.where_to_go} {t.meanwhile}",
                asks="see_professional",
            )
        )
    return out


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

PAIN_SOURCE = "Silbernagel 2007, pain-monitoring model " + ev("8", 10)


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
            f"the last {p.persistent_window_days} days: it keeps coming back."
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
                f"above {usual}. Pain that has not settled overnight means the last run was "
                "more than your back could absorb."
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


def rule_rising_trend(state: GuidanceState, p: GuidanceParams) -> list[Finding]:
    window_start = state.today - timedelta(days=13)
    weeks = [w for w in state.morning_weeks if window_start <= w.week_start <= state.today]
    if not weeks:
        return []
    by_start = {w.week_start: w for w in state.morning_weeks}
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
                f"{_f(w.mean_score)} out of 10"
            )
        if stiff_up:
            parts.append(
                f"you woke stiff on {_pct(w.stiffness_share)} % of mornings, up from "
                f"{_pct(prev.stiffness_share)} %"
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
                    "mornings are back to how they were."
                ),
                asks="run_easy",
            )
        ]
    return []


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
        "than 10 % longer than that came with more overuse injuries"
    )
    source = "Frandsen 2025 " + ev("1", 1)
    cap = f"{_f(_km(r.longest_prev_30d_m) or 0.0)} km"
    if ratio > reduce_at:
        severe = ratio > p.spike_severe_ratio
        extra = (
            " More than double is the riskiest step of all."
            if severe
            else (
                " With past injuries, backstride is stricter and treats any step above 10 % "
                "this way."
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
                    "again in steps of no more than 10 %."
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
                "running too far (the evidence is suggestive, not certain)."
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
                "called a 'danger zone' in team sports). This measure is contested: later studies "
                "found it predicts injuries hardly better than chance. So backstride shows it "
                "only as background; it never changes your plan."
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
                    f"You have trained {since_rest} days in a row without a rest day. The body "
                    "gets stronger during recovery, not during the training itself."
                ),
                evidence=evidence,
                source="Meeusen 2013 (ECSS/ACSM consensus); NHS Couch to 5K " + ev("2", 6),
                action="Rest today: a gentle walk or easy stretches at most.",
                asks="rest",
            )
        ]
    who = (
        "a spine condition"
        if state.profile.spine_conditions
        else "new to running"
        if state.profile.experience is Experience.NEW
        else "returning to running"
    )
    return [
        Finding(
            id="recovery.no_rest_day",
            level="stop",
            title="No run two days in a row",
            reason=(
                f"You ran on {streak} day{'s' if streak > 1 else ''} in a row up to "
                f"{_on(d.day)}. As you are {who}, keep at least one day without running "
                "between runs, as beginner plans such as Couch to 5K do."
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
                "After a hard session the body needs about two days before the next one."
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
                "running. Runners who did other sports as well had fewer injuries, and strength "
                "training prevents injuries better than anything else studied."
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
            f"{_f(-p.downhill_grade_pct, 0)} %)"
        )
    if drop >= p.downhill_long_drop_m:
        parts.append(f"one continuous descent of {drop:.0f} m")
    reason = (
        f"Your run on {_on(r.day)} had " + " and ".join(parts) + ". Running downhill adds "
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
                "was on trails or mixed ground. On uneven ground every step is a little "
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
                "Keep each run within 10 % of your longest run of the last 30 days."
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
                f"about {_pace(speed)}. Runners at that pace usually take about {expected:.0f}. "
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


RULES: tuple[Rule, ...] = (
    rule_red_flags,
    rule_clearance,
    rule_leg_pattern,
    rule_persistent,
    rule_high_during,
    rule_not_settled,
    rule_rising_trend,
    rule_spike,
    rule_progression,
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
    rule_stride,
    rule_warm_up,
    rule_selftest_data,
    rule_missing_data,
)


def compute_findings(
    state: GuidanceState, params: GuidanceParams = DEFAULT_GUIDANCE_PARAMS
) -> tuple[Finding, ...]:
    """Every rule over ``state``, most serious first."""
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(state, params))
    return sort_findings(found)


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
    asking = [f for f in findings if f.asks == decision]
    because = "; ".join(f.title.lower() for f in asking[:3])

    if decision == "urgent_care":
        flags = [o.flag for o in state.open_red_flags]
        t = triage(flags)
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
            if ref is not None and (f.asks == "see_professional" or f.id == "form.stride"):
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
