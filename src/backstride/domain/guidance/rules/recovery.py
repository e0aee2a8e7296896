"""Rules of the recovery family."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from backstride.domain.body import Experience
from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.guidance.words import _pct
from backstride.domain.params import GuidanceParams

# ---------------------------------------------------------------------------------------------
# Recovery and variety (§1, §2, §10; implications 4 and 6)


@rule(
    about="Too many days in a row without rest",
    family="recovery",
    ids=("recovery.no_rest_day",),
    params=(
        "careful_max_consecutive_run_days",
        "max_days_without_rest",
    ),
    evidence=(
        "nhs-c25k",
        "stanley-2013",
        "meeusen-2013",
    ),
    words={
        "rest.title": "Time for a rest day",
        "rest.reason": (
            "You have trained {since_rest} days in a row without a rest day (backstride asks "
            "for one after {p.max_days_without_rest}). The body gets stronger during recovery, "
            "not during the training itself."
        ),
        "rest.action": "Rest today: a gentle walk or easy stretches at most.",
        "who.spine": "have a spine condition",
        "who.new": "are new to running",
        "who.returning": "are returning to running",
        "ran.once": "You ran on {last:on}",
        "ran.streak": "You ran {streak} days in a row up to {last:on}",
        "keep.one": "keep at least one day without running between runs",
        "keep.few": "run no more than {p.careful_max_consecutive_run_days} days in a row",
        "title.one": "No run two days in a row",
        "title.few": "No more than {p.careful_max_consecutive_run_days} running days in a row",
        "careful.reason": (
            "{ran}. As you {who}, {keep}; beginner plans such as Couch to 5K keep a day without "
            "running between runs."
        ),
        "careful.action": (
            "No run today: cycling, swimming or a core routine instead, or a rest day."
        ),
    },
)
def rule_no_rest_day(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
                **say.words("rest", since_rest=since_rest),
                evidence=evidence,
                source=cite("meeusen-2013", "nhs-c25k"),
                asks="rest",
            )
        ]
    who = say(
        "who.spine"
        if state.profile.spine_conditions
        else "who.new"
        if state.profile.experience is Experience.NEW
        else "who.returning"
    )
    one = p.careful_max_consecutive_run_days == 1
    ran = say("ran.once" if streak == 1 else "ran.streak", streak=streak, last=d.day)
    return [
        Finding(
            id="recovery.no_rest_day",
            level="stop",
            title=say("title.one" if one else "title.few"),
            reason=say(
                "careful.reason", ran=ran, who=who, keep=say("keep.one" if one else "keep.few")
            ),
            evidence=evidence,
            source=cite("nhs-c25k", "stanley-2013"),
            action=say("careful.action"),
            asks="cross_train",
        )
    ]


@rule(
    about="Hard sessions too close together",
    family="recovery",
    ids=("recovery.hard_sessions_close",),
    params=("hard_gap_hours",),
    evidence=(
        "stanley-2013",
        "nhs-c25k",
    ),
    words={
        "easy.title": "Keep today easy after a hard session",
        "easy.reason": (
            "You had a hard session on {last:on}. After hard sessions the body needs about "
            "{p.hard_gap_hours:f0} hours before the next hard one."
        ),
        "easy.action": "If you run today, keep it short and easy: you should be able to talk.",
        "when.twice": "twice on {first:on}",
        "when.apart": "on {first:on} and again on {second:on}",
        "close.title": "Hard sessions too close together",
        "close.reason": (
            "You trained hard {when}, less than {p.hard_gap_hours:f0} hours apart. After a hard "
            "session the body needs about {p.hard_gap_hours:f0} hours before the next one."
        ),
        "close.action": "Put at least one easy day between hard sessions.",
    },
)
def rule_hard_close(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    gap_days = max(1, math.ceil(p.hard_gap_hours / 24.0))
    recent_hard = [
        d for k in range(gap_days) if (d := state.day(k)) is not None and d.hard_sessions > 0
    ]
    source = cite("stanley-2013", "nhs-c25k")
    if recent_hard:
        last = recent_hard[0]
        return [
            Finding(
                id="recovery.hard_sessions_close",
                level="reduce",
                **say.words("easy", last=last.day),
                evidence={"last_hard_on": last.day.isoformat(), "gap_hours": p.hard_gap_hours},
                source=source,
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
    when = say("when.twice" if a is b else "when.apart", first=a.day, second=b.day)
    return [
        Finding(
            id="recovery.hard_sessions_close",
            level="caution",
            **say.words("close", when=when),
            evidence={
                "first_on": a.day.isoformat(),
                "second_on": b.day.isoformat(),
                "gap_hours": p.hard_gap_hours,
            },
            source=source,
        )
    ]


@rule(
    about="The same load day after day",
    family="recovery",
    ids=("variety.monotony",),
    params=("monotony_reduce",),
    evidence=("foster-1998",),
    words={
        "alike": (
            "Over the 7 days up to {last:on} your training days were very alike (monotony "
            "{monotony:f1}: the average day's load divided by how much it varies; above "
            "{p.monotony_reduce:f1} is high)."
        ),
        "same.title": "Every day has been much the same",
        "same.reason": (
            "{alike} You ran on {run_days} of those days. Doing the same thing every day gives "
            "the same muscles, joints and back no break."
        ),
        "same.action": "Make today different: cycling, swimming or a core and hip routine.",
        "busy.title": "No easy days lately",
        "busy.reason": (
            "{alike} Your activities vary, but every day was about equally busy; the body "
            "adapts best when hard days alternate with easy ones."
        ),
        "busy.action": "Make one or two days a week clearly easy: a short walk, or rest.",
    },
)
def rule_monotony(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    d = state.last_complete_day
    if d is None or d.monotony is None or d.monotony <= p.monotony_reduce:
        return []
    week = [x for k in range(7) if (x := state.day((state.today - d.day).days + k)) is not None]
    run_days = sum(1 for x in week if x.runs > 0)
    training_days = sum(1 for x in week if x.sessions > 0)
    running_mostly = run_days * 2 >= max(training_days, 1)
    alike = say("alike", last=d.day, monotony=d.monotony)
    evidence = {
        "monotony": round(d.monotony, 2),
        "strain": round(d.strain, 0) if d.strain is not None else None,
        "run_days_7d": run_days,
        "training_days_7d": training_days,
    }
    source = cite("foster-1998")
    if running_mostly:
        return [
            Finding(
                id="variety.monotony",
                level="reduce",
                **say.words("same", alike=alike, run_days=run_days),
                evidence=evidence,
                source=source,
                asks="cross_train",
            )
        ]
    return [
        Finding(
            id="variety.monotony",
            level="caution",
            **say.words("busy", alike=alike),
            evidence=evidence,
            source=source,
        )
    ]


@rule(
    about="Running and nothing else",
    family="recovery",
    ids=("variety.run_only",),
    params=(
        "run_only_min_runs",
        "run_only_share",
    ),
    evidence=(
        "malisoux-2015",
        "lauersen-2014",
    ),
    words={
        "only.title": "Almost all of your training is running",
        "only.reason": (
            "{share:pct} % of your training time over the last 4 weeks was running (backstride "
            "notes {p.run_only_share:pct} % or more, from {p.run_only_min_runs} runs). Runners "
            "who did other sports as well had fewer injuries, and in a review of trials "
            "strength training cut sports injuries to about a third (not studies of runners "
            "with back pain)."
        ),
        "only.action": (
            "Swap one run a week for cycling or swimming, and add a 15-minute core and hip "
            "routine 2-3 times a week."
        ),
    },
)
def rule_run_only(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
            **say.words("only", share=d.running_share_28d),
            evidence={"running_share_28d_pct": _pct(d.running_share_28d), "runs_28d": runs},
            source=cite("malisoux-2015", "lauersen-2014"),
        )
    ]


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


@rule(
    about="A skipped warm-up followed by pain",
    family="recovery",
    ids=("warmup.skipped",),
    params=("warm_up_window_days",),
    evidence=(
        "nhs-c25k",
        "herman-2012",
    ),
    words={
        "notes": "your notes say you skipped the warm-up on {runs} run{s}",
        "log": "{runs} run{s} without a logged warm-up were followed by pain",
        "warm.title": "Warm up before you run",
        "warm.reason": (
            "In the last {p.warm_up_window_days} days {parts} (last on {last:on}). A few "
            "minutes of brisk walking and easy drills get the back and legs ready; warm-up "
            "programmes cut injuries in other sports."
        ),
        "warm.action": (
            "Before every run: 5 minutes of brisk walking, then a few leg swings, knee lifts "
            "and easy skips (`backstride routine warmup` shows them)."
        ),
    },
)
def rule_warm_up(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    start = state.today - timedelta(days=p.warm_up_window_days - 1)
    by_notes = [r for r in state.runs_since(p.warm_up_window_days) if warm_up_skipped(r.notes)]
    by_log = [w for w in state.warm_up_skips if start <= w.day <= state.today]
    days = sorted({r.day for r in by_notes} | {w.day for w in by_log})
    if not days:
        return []
    parts = []
    if by_notes:
        parts.append(say("notes", runs=len(by_notes), s="s" if len(by_notes) > 1 else ""))
    if by_log:
        parts.append(say("log", runs=len(by_log), s="s" if len(by_log) > 1 else ""))
    return [
        Finding(
            id="warmup.skipped",
            level="caution",
            **say.words("warm", parts=" and ".join(parts), last=days[-1]),
            evidence={
                "runs": sorted({r.activity_id for r in by_notes} | {w.activity_id for w in by_log}),
                "skipped_in_notes": len(by_notes),
                "skipped_then_pain": len(by_log),
                "last_on": days[-1].isoformat(),
            },
            source=cite("nhs-c25k", "herman-2012"),
        )
    ]
