"""Rules of the load family."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.guidance.words import _km, _pct
from backstride.domain.pain import NERVE_FEELS, PainSite
from backstride.domain.params import GuidanceParams

# ---------------------------------------------------------------------------------------------
# Load (§1; implications 1-3)


@rule(
    about="A run much longer than your longest run of the last 30 days",
    family="load",
    ids=("load.single_run_spike",),
    params=(
        "spike_caution_ratio",
        "spike_lookback_days",
        "spike_reduce_ratio",
        "spike_severe_ratio",
    ),
    evidence=("frandsen-2025",),
    words={
        "spike": (
            "Your {run:dist} run on {run_on:on} was {ratio:over} % longer than your longest run "
            "in the 30 days before it ({longest:dist}). In a study of 5,205 runners, runs more "
            "than 10 % longer than that came with more overuse injuries; backstride notes steps "
            "above {p.spike_caution_ratio:over} % and asks for easy runs above {reduce_at:over} %"
        ),
        "severe": " More than {p.spike_severe_ratio:over} % longer is the riskiest step of all.",
        "stricter": (
            " With past injuries, backstride is stricter and treats any step above "
            "{p.spike_caution_ratio:over} % this way."
        ),
        "reduce.title": "A much longer run than your body is used to",
        "reduce.reason": "{spike}.{extra}",
        "reduce.action": (
            "For the next runs, stay at or below {longest:dist} and keep them easy. Build up "
            "again in steps of no more than {p.spike_caution_ratio:over} %."
        ),
        "caution.title": "A step up in distance",
        "caution.reason": "{spike}; the step was moderate.",
        "caution.action": (
            "Do not go further for now: keep your runs at or below {longest:dist} this week."
        ),
    },
)
def rule_spike(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
    measured = {
        "run": r.distance_m or 0.0,
        "run_on": r.day,
        "ratio": ratio,
        "longest": r.longest_prev_30d_m,
        "reduce_at": reduce_at,
    }
    spike = say("spike", **measured)
    finding = partial(
        Finding, id="load.single_run_spike", evidence=evidence, source=cite("frandsen-2025")
    )
    if ratio > reduce_at:
        severe = ratio > p.spike_severe_ratio
        extra = (
            say("severe")
            if severe
            else (say("stricter") if state.conservative and ratio <= p.spike_reduce_ratio else "")
        )
        words = say.words("reduce", spike=spike, extra=extra, **measured)
        return [finding(level="reduce", **words, asks="run_easy")]
    return [finding(level="caution", **say.words("caution", spike=spike, **measured))]


@rule(
    about="Weekly distance growing fast over two weeks",
    family="load",
    ids=("load.progression",),
    params=(
        "progression_min_base_km",
        "progression_reduce",
    ),
    evidence=(
        "nielsen-2014",
        "buist-2008",
    ),
    words={
        "grown.title": "Distance has grown quickly",
        "grown.reason": (
            "You ran {last:dist} in the last 2 weeks, {progression:pct} % more than the "
            "{prev:dist} of the 2 weeks before. In a study of 874 new runners, growing more "
            "than 30 % in two weeks came with more injuries from running too far (the evidence "
            "is suggestive, not certain); backstride asks you to hold back above "
            "{p.progression_reduce:pct} %, from a base of {p.progression_min_base_km:km}."
        ),
        "grown.action": (
            "Hold your weekly distance where it is for a week or two before adding more; "
            "keep today's run no longer than your usual runs."
        ),
    },
)
def rule_progression(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
            **say.words(
                "grown",
                last=d.run_distance_14d_m,
                prev=d.run_distance_prev_14d_m,
                progression=d.progression,
            ),
            evidence={
                "last_14d_km": round(last_km, 1),
                "prev_14d_km": round(prev_km, 1),
                "progression_pct": _pct(d.progression),
            },
            source=cite("nielsen-2014", "buist-2008"),
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


@rule(
    about="Coming back after a break from running",
    family="load",
    ids=(
        "load.after_break",
        "pain.before_break",
    ),
    params=(
        "break_floor_share",
        "break_min_days",
        "break_pain_days",
        "break_step_per_week",
        "pain_acceptable_max",
    ),
    evidence=(
        "nhs-c25k",
        "frandsen-2025",
        "nice-ng59",
    ),
    words={
        "steps": (
            "after a break ({p.break_min_days} days or more without a run) backstride takes "
            "you back one plan week for each week off: {p.break_step_per_week:pct} % shorter "
            "per week off (at least {p.break_floor_share:pct} % of it), then "
            "{p.break_step_per_week:pct} % longer for each week of running again"
        ),
        "first.title": "Your first run after a break",
        "first.reason": (
            "You have not run for {days_off} days (since {last_before:on}). Before the break "
            "your longest run was {before:dist}; {steps}."
        ),
        "first.action": "Keep your next run to {allowed_today:dist} or less, easy.",
        "over.title": "Back from a break: too much too soon",
        "over.reason": (
            "After {days_off} days without running ({last_before:on} to {first_back:on}) your "
            "{run:dist} run on {run_on:on} was longer than {allowed:dist}. Before the break "
            "your longest run was {before:dist}; {steps}."
        ),
        "over.action": (
            "Keep today's run to {allowed_today:dist} or less, easy, and add about "
            "{p.break_step_per_week:pct} % a week."
        ),
        "back.title": "Building up again after a break",
        "back.reason": (
            "You came back on {first_back:on} after {days_off} days without running. Before "
            "the break your longest run was {before:dist}; {steps}."
        ),
        "back.action": "Keep today's run to {allowed_today:dist} or less.",
        "checked.title": "Have the pain that stopped you checked before building up again",
        "checked.reason": (
            "Around the start of your break you recorded pain up to {worst}/10{nerve} (last on "
            "{last:on}). Before running builds up again, a professional should check that it "
            "has settled."
        ),
        "nerve": " with numbness or pins and needles",
        "checked.action": (
            "See a physiotherapist or your physician (GP) before your next run. When they "
            "agree, record it: `backstride clearance add --on DATE --by NAME`."
        ),
    },
)
def rule_after_break(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    """A run after ``break_min_days`` or more without running is compared with the runs before
    the break, scaled down by the gap (one plan week back per week off)."""
    b = find_break(state, p)
    if b is None:
        return []
    allowed_today = break_allowance_m(b, state.today, p)
    measured: dict[str, Any] = {
        "steps": say("steps"),
        "days_off": b.days_off,
        "last_before": b.last_before,
        "first_back": b.first_back,
        "before": b.before_m,
        "allowed_today": allowed_today,
    }
    evidence: dict[str, Any] = {
        "last_run_before_on": b.last_before.isoformat(),
        "first_run_back_on": b.first_back.isoformat() if b.first_back else None,
        "days_off": b.days_off,
        "weeks_off": b.weeks_off,
        "before_break_km": _km(b.before_m),
        "cap_km": _km(allowed_today),
    }
    source = cite(
        "nhs-c25k",
        "frandsen-2025",
        note="backstride's own rule after return-to-run protocols: go back a week per week off",
    )
    finding = partial(Finding, id="load.after_break", evidence=evidence, source=source)
    out: list[Finding] = []
    if b.first_back is None:
        out.append(finding(level="caution", **say.words("first", **measured)))
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
            words = say.words(
                "over", run=r.distance_m or 0.0, run_on=r.day, allowed=allowed, **measured
            )
            out.append(finding(level="reduce", **words, asks="run_easy"))
        else:
            out.append(finding(level="caution", **say.words("back", **measured)))
    out.extend(_pain_before_break(state, p, say, b))
    return out


def _pain_before_break(
    state: GuidanceState, p: GuidanceParams, say: Say, b: Break
) -> list[Finding]:
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
    return [
        Finding(
            id="pain.before_break",
            level="stop",
            **say.words(
                "checked", worst=worst.score, nerve=say("nerve") if nerve else "", last=last
            ),
            evidence={
                "entries": [e.day.isoformat() for e in telling],
                "worst": worst.score,
                "nerve_signs": nerve,
                "limit": p.pain_acceptable_max,
            },
            source=cite("nice-ng59", note="reassess when symptoms persist or change"),
            asks="see_professional",
        )
    ]


@rule(
    about="This week's load against the weeks before (context only)",
    family="load",
    ids=("load.acute_chronic",),
    params=("load_ratio_caution",),
    evidence=(
        "gabbett-2016",
        "williams-2017",
        "lolli-2019",
        "impellizzeri-2020",
    ),
    words={
        "busy.title": "This week is much busier than your usual weeks",
        "busy.reason": (
            "Your training load over the last week is {ratio:f2} times your average over the "
            "last four weeks (the 'acute:chronic ratio'; 1.5 or more was called a 'danger zone' "
            "in team sports; backstride notes it from {p.load_ratio_caution:f2}). This measure "
            "is contested: later studies found it predicts injuries hardly better than chance. "
            "So backstride shows it only as background; it never changes your plan."
        ),
        "busy.action": "Only context: nothing to change because of this number alone.",
    },
)
def rule_acute_chronic(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    d = state.last_complete_day
    if d is None or d.load_ratio is None or d.load_ratio < p.load_ratio_caution:
        return []
    return [
        Finding(
            id="load.acute_chronic",
            level="caution",
            **say.words("busy", ratio=d.load_ratio),
            evidence={
                "load_ratio": round(d.load_ratio, 2),
                "uncoupled_load_ratio": (
                    round(d.uncoupled_load_ratio, 2) if d.uncoupled_load_ratio is not None else None
                ),
                "acute_load": round(d.acute_load, 1),
                "chronic_load": round(d.chronic_load, 1),
            },
            source=cite("gabbett-2016", "williams-2017", "lolli-2019", "impellizzeri-2020"),
        )
    ]
