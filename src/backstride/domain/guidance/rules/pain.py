"""Rules of the pain family."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from datetime import timedelta

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import DECISIONS, Decision, Finding
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.guidance.words import _cap, _f, _on, _pct
from backstride.domain.pain import (
    CLAUDICATION_SOURCE,
    LEFT_LEG,
    NERVE_FEELS,
    MorningWeek,
    PainFeel,
    PainWhen,
    RunPainCheck,
    current_flare,
)
from backstride.domain.params import GuidanceParams

# ---------------------------------------------------------------------------------------------
# Pain (§6, §8; implication 10)

NO_IMPROVEMENT = "no improvement after about a month"
PAIN_SOURCE = cite(
    "silbernagel-2007",
    note=(
        "pain-monitoring model, a trial in Achilles tendinopathy; backstride applies it to back "
        "pain by analogy: expert opinion, low certainty"
    ),
)


def _recent_checks(state: GuidanceState, p: GuidanceParams) -> list[RunPainCheck]:
    start = state.today - timedelta(days=p.pain_recent_run_days - 1)
    return [c for c in state.run_checks if start <= c.day <= state.today]


@rule(
    about="Leg symptoms that come with walking and ease when sitting",
    family="pain",
    ids=("pain.leg_symptom_pattern",),
    params=("leg_pattern_days",),
    evidence=(
        "nass-2011",
        "suri-2010",
    ),
)
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
    source = CLAUDICATION_SOURCE
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


@rule(
    about="Pain that keeps coming back or does not ease",
    family="pain",
    ids=("pain.persistent",),
    params=(
        "pain_acceptable_max",
        "persistent_high_days",
        "persistent_weekly_median",
        "persistent_weeks",
        "persistent_window_days",
    ),
    evidence=(
        "silbernagel-2007",
        "nice-cks",
    ),
)
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
            source=f"{PAIN_SOURCE}; {cite('nice-cks', note=NO_IMPROVEMENT)}",
            action=(
                "See a physiotherapist or your physician (GP) about the pain. Take your diary: "
                "`backstride pain report` shows it. Until then, keep activity gentle."
            ),
            asks="see_professional",
        )
    ]


@rule(
    about="Pain during a run above the acceptable level",
    family="pain",
    ids=("pain.high_during",),
    params=(
        "pain_acceptable_max",
        "pain_recent_run_days",
    ),
    evidence=("silbernagel-2007",),
)
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


@rule(
    about="Pain that has not settled by the next morning",
    family="pain",
    ids=("pain.not_settled",),
    params=(
        "pain_acceptable_max",
        "pain_recent_run_days",
    ),
    evidence=("silbernagel-2007",),
)
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


@rule(
    about="Morning pain or stiffness rising week after week",
    family="pain",
    ids=("pain.rising_trend",),
    params=(
        "morning_rise_points",
        "rising_weeks_refer",
        "stiffness_rise_share",
    ),
    evidence=(
        "silbernagel-2007",
        "nice-cks",
    ),
)
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
                source=f"{PAIN_SOURCE}; {cite('nice-cks', note=NO_IMPROVEMENT)}",
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


@rule(
    about="A flare: pain above the acceptable level today or yesterday, or severe pain",
    family="pain",
    ids=(
        "pain.flare_referral",
        "pain.high_recent",
    ),
    params=(
        "flare_high_days",
        "flare_memory_days",
        "flare_window_days",
        "pain_acceptable_max",
        "pain_severe_min",
    ),
    evidence=(
        "silbernagel-2007",
        "nice-ng59",
        "nice-cks",
    ),
)
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
                source=f"{PAIN_SOURCE}; {cite('nice-ng59', 'nice-cks')}",
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


@rule(
    about="Nerve symptoms down one leg (pins and needles, worse on coughing)",
    family="pain",
    ids=("pain.nerve_root",),
    params=(
        "leg_pattern_days",
        "nerve_root_refer_days",
    ),
    evidence=(
        "nice-ng59",
        "nice-cks",
        "ifompt-2020",
    ),
)
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
    source = cite("nice-ng59", "nice-cks", "ifompt-2020")
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
