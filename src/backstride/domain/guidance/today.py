"""What to do today: the decision turned into concrete advice, and the limits on a run."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import DECISION_WORDS, Decision, Finding, decide
from backstride.domain.guidance.message import Voice
from backstride.domain.guidance.state import GuidanceState, RunFacts, SavedRoute
from backstride.domain.guidance.words import _km, _on, _pct
from backstride.domain.pain import triage
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS, GuidanceParams

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
    source=cite("pua-2007", "whitman-2006"),
)
SWIMMING = CrossTraining(
    activity="swimming or water walking",
    how="20-40 minutes, easy; front crawl or backstroke, with a float if you like",
    spares="all impact; the water carries your weight",
    works="shoulders, back and trunk muscles, heart and lungs",
    source=cite("malisoux-2015", note="other sports went with fewer injuries"),
)
CORE = CrossTraining(
    activity="core and hip routine",
    how=(
        "15-20 minutes: curl-up, side bridge, bird-dog (McGill's 'big 3'), glute bridge, clamshells"
    ),
    spares="the legs and back from impact",
    works="the trunk (abdominals, back and side muscles) and the hip muscles",
    source=cite("mcgill-1999", "lauersen-2014"),
)
FLEXION_MOBILITY = CrossTraining(
    activity="gentle mobility",
    how="10-15 minutes: knee-to-chest, pelvic tilts, child's pose",
    spares="everything: no impact, no arching of the back",
    works="the range of movement of the lower back and hips (bending forward)",
    source=cite("nass-2011", "bussieres-2021", note="bending forward suits stenosis"),
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
    state: GuidanceState,
    findings: Sequence[Finding],
    p: GuidanceParams = DEFAULT_GUIDANCE_PARAMS,
    units: str = "km",
) -> RunCaps:
    """The limits on today's run from her own runs (see :class:`RunCaps`); ``why`` in
    ``units``."""
    voice = Voice(units)
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
        limits.append(
            (longest, f"your longest run of the last {window} ({voice.distance(longest)})")
        )
    if typical is not None:
        grown = typical * (1.0 + p.cap_typical_margin)
        limits.append(
            (
                grown,
                f"your typical run of the last {window} ({voice.distance(typical)}) plus "
                f"{_pct(p.cap_typical_margin)} %",
            )
        )
    for f in findings:
        if f.id == "load.single_run_spike" and f.asks != "run":
            ref = float(f.evidence["longest_prev_30d_km"]) * 1000.0
            limits.append((ref, f"your longest run before the jump ({voice.distance(ref)})"))
        elif isinstance(f.evidence.get("cap_km"), int | float) and f.evidence["cap_km"] > 0:
            # A finding that sets a limit of its own (e.g. after a break) says "cap_km".
            own = float(f.evidence["cap_km"]) * 1000.0
            limits.append((own, f"{f.title.lower()} ({voice.distance(own)})"))
    flare = _latest_flare(state, prior, p)
    if flare is not None and flare.distance_m:
        limits.append(
            (
                flare.distance_m * p.flare_cap_share,
                f"{_pct(p.flare_cap_share)} % of your {voice.distance(flare.distance_m)} run on "
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
    state: GuidanceState, target_m: float | None, voice: Voice
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
            f"({voice.distance(shortest.distance_m, zeros=True)}, taxing score "
            f"{shortest.taxing_score:g}): "
            "run it more than once if needed."
        )
    note = (
        f"Gentlest saved route that covers it: '{route.name}' "
        f"({voice.distance(route.distance_m, zeros=True)}, taxing score {route.taxing_score:g}, "
        f"{route.band})."
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
    units: str = "km",
) -> TodayPlan:
    """The decision (the most cautious any finding asks for) and concrete advice for today,
    its words in ``units`` (the decision never depends on them)."""
    voice = Voice(units)
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
            route, route_note = _route_for(state, _usual_run_m(state), voice)
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
        caps = run_caps(state, findings, params, units)
        target = caps.cap_m or _usual_run_m(state)
        route, route_note = _route_for(state, target, voice)
        cap_km = caps.cap_km
        cap = voice.distance(caps.cap_m or 0.0)
        limit = f"no longer than {cap} ({caps.why})" if cap_km else "shorter than usual"
        details = [
            f"Distance: {limit}.",
            "Warm-up: 5 minutes of brisk walking first.",
            "Pace: easy enough to talk in full sentences; walk breaks are fine.",
            "Ground: flat and even; walk any steep downhill.",
        ]
        if route_note:
            details.append(route_note)
        short = f"no longer than {cap}" if cap_km else "shorter than usual"
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
        route, route_note = _route_for(state, _usual_run_m(state), voice)
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
