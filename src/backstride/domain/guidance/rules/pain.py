"""Rules of the pain family."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import DECISIONS, Decision, Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.pain_readings import (
    recent_run_checks,
    rising_morning_weeks,
    weekly_median_pain,
)
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.guidance.words import _cap, _on
from backstride.domain.pain import (
    CLAUDICATION_SOURCE,
    LEFT_LEG,
    NERVE_FEELS,
    PainFeel,
    PainWhen,
    current_flare,
)
from backstride.domain.params import GuidanceParams

NO_IMPROVEMENT = "no improvement after about a month"
PAIN_SOURCE = cite(
    "silbernagel-2007",
    note=(
        "pain-monitoring model, a trial in Achilles tendinopathy; backstride applies it to back "
        "pain by analogy: expert opinion, low certainty"
    ),
)


@rule(
    about="Leg symptoms that come with walking and ease when sitting",
    family="pain",
    ids=("pain.leg_symptom_pattern",),
    params=("leg_pattern_days",),
    evidence=(
        "nass-2011",
        "suri-2010",
    ),
    words={
        "pattern": (
            "On {days} day{s} in the last {p.leg_pattern_days} days (last on {last:on}) you "
            "noted leg or buttock symptoms that come on with walking or standing and ease when "
            "you sit or bend forward."
        ),
        "stenosis.title": "Your stenosis symptoms are active",
        "stenosis.reason": (
            "{pattern} That fits your spinal stenosis: the nerves in the lower back get "
            "squeezed when the back is straight or arched and have more room when you lean "
            "forward."
        ),
        "stenosis.action": (
            "Keep runs short and flat, with walk or sitting breaks before the leg symptoms "
            "start. Cycling is usually easier (you lean forward). If the distance you can walk "
            "keeps getting shorter, tell your doctor."
        ),
        "check.title": "Leg symptoms worth a doctor's check",
        "check.reason": (
            "{pattern} This pattern can come from narrowing around the nerves in the lower back "
            "(spinal stenosis) or from poor blood flow to the legs. A doctor can tell them "
            "apart. It is not an emergency."
        ),
        "check.action": (
            "Book a routine appointment with your physician (GP). Until then, running plans "
            "wait; cycling or gentle walking with sitting breaks are fine if comfortable."
        ),
    },
)
def rule_leg_pattern(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
    pattern = say("pattern", days=len(days), s="s" if len(days) > 1 else "", last=days[-1])
    finding = partial(
        Finding, id="pain.leg_symptom_pattern", evidence=evidence, source=CLAUDICATION_SOURCE
    )
    if stenosis:
        return [finding(level="reduce", **say.words("stenosis", pattern=pattern), asks="run_easy")]
    return [finding(level="stop", **say.words("check", pattern=pattern), asks="see_professional")]


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
    words={
        "returning": (
            "Your pain was above {p.pain_acceptable_max} on {days} separate days in the last "
            "{p.persistent_window_days} days ({p.persistent_high_days} or more count): it keeps "
            "coming back."
        ),
        "lasting": (
            "For {p.persistent_weeks} weeks in a row your typical pain score was "
            "{p.persistent_weekly_median} or more, and it is no better now than "
            "{p.persistent_weeks} weeks ago."
        ),
        "persistent.title": "Pain that is not going away",
        "persistent.reason": (
            "{what} Pain that lasts or keeps returning deserves a proper look rather than more "
            "waiting."
        ),
        "persistent.action": (
            "See a physiotherapist or your physician (GP) about the pain. Take your diary: "
            "`backstride pain report` shows it. Until then, keep activity gentle."
        ),
    },
)
def rule_persistent(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    start = state.today - timedelta(days=p.persistent_window_days - 1)
    high_days = sorted(
        {
            e.day
            for e in state.pain
            if start <= e.day <= state.today and e.score > p.pain_acceptable_max
        }
    )
    medians = weekly_median_pain(state, p.persistent_weeks)
    known = [m for m in medians if m is not None]
    lasting = (
        len(known) == len(medians)
        and all(m >= p.persistent_weekly_median for m in known)
        and known[-1] >= known[0]
    )
    if len(high_days) < p.persistent_high_days and not lasting:
        return []
    if len(high_days) >= p.persistent_high_days:
        what = say("returning", days=len(high_days))
    else:
        what = say("lasting")
    return [
        Finding(
            id="pain.persistent",
            level="stop",
            **say.words("persistent", what=what),
            evidence={
                "high_pain_days": [d.isoformat() for d in high_days],
                "weekly_median_scores": medians,
                "limit": p.pain_acceptable_max,
            },
            source=f"{PAIN_SOURCE}; {cite('nice-cks', note=NO_IMPROVEMENT)}",
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
    words={
        "during.title": "Too much pain on your last run",
        "during.reason": (
            "Your pain was {worst}/10 {when} your run on {run_on:on}. The pain rules allow up "
            "to {p.pain_acceptable_max} during and after a run; above that the back is being "
            "asked for more than it can take right now."
        ),
        "during.action": (
            "No run today. Choose an activity that does not bring the pain on (see below), and "
            "check in tomorrow morning: `backstride checkin`."
        ),
    },
)
def rule_high_during(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    limit = p.pain_acceptable_max
    bad = [
        c
        for c in recent_run_checks(state, p.pain_recent_run_days)
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
            **say.words("during", worst=worst, when=when, run_on=c.day),
            evidence={
                "run_on": c.day.isoformat(),
                "activity_id": c.activity_id,
                "during": c.during,
                "after": c.after,
                "limit": limit,
            },
            source=PAIN_SOURCE,
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
    words={
        "usual": "your usual level (about {level:f1}/10)",
        "safe": "the safe zone (0-2)",
        "unsettled.title": "Pain had not settled by the next morning",
        "unsettled.reason": (
            "The morning after your run on {run_on:on} your pain was {score}/10, above "
            "{usual}. Pain that has not settled overnight suggests the last run was more than "
            "your back was ready for."
        ),
        "rest": "Rest today: gentle walking and easy stretches only.",
        "cross": (
            "No run today: cycling, swimming or a core routine instead, if they do not bring "
            "the pain on. Step the next run back (shorter or with more walking)."
        ),
    },
)
def rule_not_settled(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    bad = [c for c in recent_run_checks(state, p.pain_recent_run_days) if c.settled == "no"]
    if not bad:
        return []
    c = bad[-1]
    assert c.next_morning is not None
    high = c.next_morning > p.pain_acceptable_max
    usual = say("usual", level=c.usual_level) if c.usual_level is not None else say("safe")
    return [
        Finding(
            id="pain.not_settled",
            level="stop",
            title=say("unsettled.title"),
            reason=say("unsettled.reason", run_on=c.day, score=c.next_morning, usual=usual),
            evidence={
                "run_on": c.day.isoformat(),
                "activity_id": c.activity_id,
                "next_morning": c.next_morning,
                "usual_level": c.usual_level,
            },
            source=PAIN_SOURCE,
            action=say("rest") if high else say("cross"),
            asks="rest" if high else "cross_train",
        )
    ]


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
    words={
        "refer.title": "Morning pain has risen week after week",
        "refer.reason": (
            "Your average morning pain rose {rises} weeks in a row: from {first:f1} in the week "
            "of {first_week:on} to {last:f1} out of 10 in the week of {last_week:on}. Pain that "
            "keeps creeping up for {p.rising_weeks_refer} weeks or more needs a proper look "
            "rather than more of the same."
        ),
        "refer.action": (
            "See a physiotherapist or your physician (GP) before your next run; take your diary "
            "(`backstride pain report`). Meanwhile keep activity gentle."
        ),
        "pain_up": (
            "your average morning pain rose from {before:f1} to {now:f1} out of 10 (backstride "
            "counts a rise of {p.morning_rise_points:f1} point{s} or more)"
        ),
        "stiff_up": (
            "you woke stiff on {now:pct} % of mornings, up from {before:pct} % (backstride "
            "counts {p.stiffness_rise_share:pct} points or more)"
        ),
        "worse.title": "Mornings are getting worse",
        "worse.reason": (
            "In the week of {week:on} {parts} compared with the week before. Morning pain and "
            "stiffness should stay level from week to week."
        ),
        "worse.action": (
            "Step back a little: shorter runs, more walking breaks, flat routes, until mornings "
            "are back to how they were. If morning pain rises {p.rising_weeks_refer} weeks in a "
            "row, see a professional."
        ),
    },
)
def rule_rising_trend(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    window_start = state.today - timedelta(days=13)
    weeks = [w for w in state.morning_weeks if window_start <= w.week_start <= state.today]
    if not weeks:
        return []
    by_start = {w.week_start: w for w in state.morning_weeks}
    rising = rising_morning_weeks(state, weeks[-1])
    rises = len(rising) - 1
    total = rising[-1].mean_score - rising[0].mean_score
    if rises >= p.rising_weeks_refer and total >= p.morning_rise_points - 1e-9:
        return [
            Finding(
                id="pain.rising_trend",
                level="stop",
                **say.words(
                    "refer",
                    rises=rises,
                    first=rising[0].mean_score,
                    first_week=rising[0].week_start,
                    last=rising[-1].mean_score,
                    last_week=rising[-1].week_start,
                ),
                evidence={
                    "weeks": [w.week_start.isoformat() for w in rising],
                    "morning_means": [w.mean_score for w in rising],
                    "rises": rises,
                    "refer_after_rises": p.rising_weeks_refer,
                },
                source=f"{PAIN_SOURCE}; {cite('nice-cks', note=NO_IMPROVEMENT)}",
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
                say(
                    "pain_up",
                    before=prev.mean_score,
                    now=w.mean_score,
                    s="s" if p.morning_rise_points != 1 else "",
                )
            )
        if stiff_up:
            parts.append(say("stiff_up", now=w.stiffness_share, before=prev.stiffness_share))
        return [
            Finding(
                id="pain.rising_trend",
                level="reduce",
                **say.words("worse", week=w.week_start, parts=" and ".join(parts)),
                evidence={
                    "week_start": w.week_start.isoformat(),
                    "morning_mean": w.mean_score,
                    "previous_morning_mean": prev.mean_score,
                    "stiffness_share": w.stiffness_share,
                    "previous_stiffness_share": prev.stiffness_share,
                },
                source=PAIN_SOURCE,
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
    words={
        "severe": (
            "On {worst_on:on} your pain was {worst}/10 {felt}: pain of {p.pain_severe_min} or "
            "more is severe"
        ),
        "repeated": (
            "your pain was above {p.pain_acceptable_max} on {high_days} days within "
            "{p.flare_window_days} days ({days}; {p.flare_high_days} or more count)"
        ),
        "referral.title": "Severe or repeated pain",
        "referral.reason": (
            "{parts}. Pain like this deserves a proper look before you run again. On its own "
            "it is not an emergency."
        ),
        "referral.action": (
            "See a physiotherapist or your physician (GP) before your next run; take your diary "
            "(`backstride pain report`). Meanwhile, gentle walking if it is comfortable. If "
            "numbness, weakness, or a change in bladder or bowel control appears, get help at "
            "once."
        ),
        "recent.title": "Pain above {p.pain_acceptable_max} {when}",
        "recent.reason": (
            "Your pain was {score}/10 {felt} {when} ({day:on}), above {p.pain_acceptable_max}: "
            "more than the pain rules allow for running. Every pain score counts, whenever it "
            "was felt."
        ),
        "recent.action": "{todo} Check in tomorrow morning: `backstride checkin`.",
        "recent.rest": "Rest today: gentle walking and easy mobility if they are comfortable.",
        "recent.cross": (
            "No run today: cycling, swimming or mobility, if they do not bring the pain on."
        ),
        "open.title": "No lower pain score since your last flare",
        "open.reason": (
            "On {last_high:on} your pain was above {p.pain_acceptable_max} (worst {worst}/10), "
            "and nothing has been recorded since. backstride does not read a missing check-in "
            "as 'settled': the advice stays careful for up to {p.flare_memory_days} days, until "
            "a lower score is recorded."
        ),
        "open.action": (
            "Record how your back is now: `backstride checkin`. Until a score of "
            "{p.pain_acceptable_max} or less is recorded, no running: gentle walking, cycling "
            "or mobility if they are comfortable."
        ),
    },
)
def rule_pain_flare(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
                say(
                    "severe",
                    worst_on=flare.worst_on,
                    worst=flare.worst,
                    felt=_WHEN_WORDS[flare.worst_when],
                )
            )
        if repeated:
            days = ", ".join(_on(d) for d in flare.high_days)
            parts.append(say("repeated", high_days=len(flare.high_days), days=days))
        out.append(
            Finding(
                id="pain.flare_referral",
                level="stop",
                **say.words("referral", parts=_cap("; and ".join(parts))),
                evidence=evidence,
                source=f"{PAIN_SOURCE}; {cite('nice-ng59', 'nice-cks')}",
                asks="see_professional",
            )
        )
    recent = flare.last_high_day >= state.today - timedelta(days=1)
    if recent:
        latest = [e for e in flare.entries if e.day >= state.today - timedelta(days=1)]
        worst = max(latest, key=lambda e: (e.score, e.day))
        at_rest = any(e.when in _AT_REST for e in latest)
        asks: Decision = "rest" if at_rest else "cross_train"
        covered = rule_high_during(state, p, say.voice) + rule_not_settled(state, p, say.voice)
        if any(DECISIONS.index(f.asks) >= DECISIONS.index(asks) for f in covered):
            return out
        when = "today" if worst.day == state.today else "yesterday"
        out.append(
            Finding(
                id="pain.high_recent",
                level="stop",
                **say.words(
                    "recent",
                    score=worst.score,
                    felt=_WHEN_WORDS[worst.when],
                    when=when,
                    day=worst.day,
                    todo=say("recent.rest" if asks == "rest" else "recent.cross"),
                ),
                evidence=evidence,
                source=PAIN_SOURCE,
                asks=asks,
            )
        )
    elif flare.open:
        out.append(
            Finding(
                id="pain.high_recent",
                level="stop",
                **say.words("open", last_high=flare.last_high_day, worst=flare.worst),
                evidence=evidence,
                source=PAIN_SOURCE,
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
    words={
        "pins": "pins and needles",
        "numbness": "numbness",
        "cough": "worse on coughing or sneezing",
        "leg.side": "your {side} leg",
        "leg.any": "a leg",
        "nerve": (
            "On {days} day{s} from {first:on} to {last:on} you noted symptoms in {leg} below the "
            "knee ({signs}). This is the pattern of an irritated nerve root in the lower back "
            "(sciatica); it often settles over a few weeks."
        ),
        "lasted": "It has lasted {lasted} days ({p.nerve_root_refer_days} or more)",
        "spread": "It has spread to the other leg",
        "refer.title": "Nerve symptoms in the leg that last or spread",
        "refer.reason": "{nerve} {why}: a professional should examine it.",
        "refer.action": (
            "See a physiotherapist or your physician (GP) before your next run. If a leg or "
            "foot gets weaker, or both legs, or bladder or bowel control change, go to the "
            "emergency department at once."
        ),
        "easy.title": "Signs of an irritated nerve in the leg",
        "easy.reason": "{nerve}",
        "easy.action": (
            "Run easy meanwhile: shorter, flat, and stop if the leg symptoms get worse. If they "
            "last {p.nerve_root_refer_days} days or spread to the other leg, see a "
            "physiotherapist or your GP; if a leg or foot gets weaker, or bladder or bowel "
            "control change, go to the emergency department at once."
        ),
    },
)
def rule_nerve_root(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
        say(key)
        for f, key in ((PainFeel.TINGLING, "pins"), (PainFeel.NUMBNESS, "numbness"))
        if f in feels
    )
    cough = any(e.worse_coughing for e in considered)
    signs = ", ".join(x for x in (what, say("cough") if cough else "") if x)
    nerve = say(
        "nerve",
        days=len(days),
        s="s" if len(days) > 1 else "",
        first=first,
        last=last,
        leg=say("leg.side", side=side) if side else say("leg.any"),
        signs=signs,
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
        why = say("lasted", lasted=lasted) if lasting else say("spread")
        return [
            Finding(
                id="pain.nerve_root",
                level="stop",
                **say.words("refer", nerve=nerve, why=why),
                evidence=evidence,
                source=source,
                asks="see_professional",
            )
        ]
    return [
        Finding(
            id="pain.nerve_root",
            level="reduce",
            **say.words("easy", nerve=nerve),
            evidence=evidence,
            source=source,
            asks="run_easy",
        )
    ]
