"""Rules of the body family."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from backstride.domain.body import Condition
from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.guidance.words import _km
from backstride.domain.params import GuidanceParams
from backstride.domain.selftest import TESTS, SelfTestName, format_value

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


@rule(
    about="Core muscles out of balance in your self-tests",
    family="body",
    ids=("body.core_endurance",),
    params=(),
    evidence=(
        "mcgill-1999",
        "lauersen-2014",
    ),
    words={
        "ratio": "{ratio} is {value:.2f} (should be {target}), so {meaning}",
        "balance.title": "Your trunk muscles are out of balance",
        "balance.reason": (
            "In your last hold tests, {ratios}. Trunk muscles that last equally long protect "
            "the back."
        ),
        "balance.action": (
            "Do a core routine 2-3 times a week (curl-up, side bridge, bird-dog; "
            "`backstride routine core` shows them), and repeat the tests in 6 weeks."
        ),
    },
)
def rule_core(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    report = state.selftests
    if report is None:
        return []
    off = [r for r in report.ratios if r.ok is False and r.value is not None]
    if not off:
        return []
    parts = [
        say(
            "ratio",
            ratio=_RATIO_WORDS.get(r.name, r.name),
            value=r.value,
            target=r.target,
            meaning=_RATIO_MEANING.get(r.name, "the holds are out of balance"),
        )
        for r in off
        if r.value is not None
    ]
    return [
        Finding(
            id="body.core_endurance",
            level="caution",
            **say.words("balance", ratios="; ".join(parts)),
            evidence={r.name: {"value": r.value, "target": r.target} for r in off},
            source=cite("mcgill-1999", "lauersen-2014"),
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


@rule(
    about="Stiff hamstrings or hips in your self-tests",
    family="body",
    ids=("body.flexibility",),
    params=(),
    evidence=(
        "maselli-2020",
        "lauersen-2014",
        "garber-2011",
    ),
    words={
        "test": "{test}: {value}",
        "tight.title": "Tight hamstrings or hips",
        "tight.reason": (
            "Your last flexibility tests: {tests}. Limited hip and hamstring flexibility is "
            "linked with low back pain in runners. (Stretching alone has not been shown to "
            "prevent injuries; it helps the range of movement.)"
        ),
        "tight.action": (
            "After runs, stretch the hamstrings and the front of the hips: hold each stretch "
            "10-30 seconds, 2-4 times."
        ),
    },
)
def rule_flexibility(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
            **say.words(
                "tight",
                tests="; ".join(
                    say(
                        "test",
                        test=TESTS[a.name].title,
                        value=format_value(a.name, a.latest.value),
                    )
                    for a in low
                    if a.latest is not None
                ),
            ),
            evidence={
                a.name.value: {"value": a.latest.value, "rating": a.rating}
                for a in low
                if a.latest is not None
            },
            source=cite("maselli-2020", "lauersen-2014", "garber-2011"),
        )
    ]


@rule(
    about="Past injuries, a hip problem or a recent illness: progress more slowly",
    family="body",
    ids=("history.past_injury",),
    params=("spike_caution_ratio",),
    evidence=("malisoux-2015",),
    words={
        "hip": "a hip problem",
        "illness": "a recent illness",
        "slower.title": "Your history calls for a slower build-up",
        "slower.reason": (
            "Your profile lists {items}. Runners with a previous injury were injured more often "
            "(about 1.7 times as often in one study), so backstride builds up more slowly for "
            "you."
        ),
        "slower.action": (
            "Keep each run within {p.spike_caution_ratio:over} % of your longest run of the "
            "last 30 days.{after_illness} A physiotherapist can tell you what to strengthen."
        ),
        "after_illness": (
            " After an illness, wait until you feel well; if it brought a fever or chest "
            "symptoms, ask your doctor first."
        ),
    },
)
def rule_past_injury(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    prof = state.profile
    items = list(prof.past_injuries)
    if Condition.HIP_PROBLEM in prof.conditions:
        items.append(say("hip"))
    if Condition.RECENT_ILLNESS in prof.conditions:
        items.append(say("illness"))
    if not items:
        return []
    illness = Condition.RECENT_ILLNESS in prof.conditions
    return [
        Finding(
            id="history.past_injury",
            level="caution",
            **say.words(
                "slower",
                items="; ".join(items),
                after_illness=say("after_illness") if illness else "",
            ),
            evidence={
                "past_injuries": list(prof.past_injuries),
                "conditions": [
                    c.value
                    for c in prof.conditions
                    if c in (Condition.HIP_PROBLEM, Condition.RECENT_ILLNESS)
                ],
            },
            source=cite("malisoux-2015", note="a previous injury came with more injuries"),
        )
    ]


@rule(
    about="Running during pregnancy",
    family="body",
    ids=("history.pregnancy",),
    params=("cap_window_days",),
    evidence=("acog-2020",),
    words={
        "keep.before": "no longer than your runs before",
        "keep.longest": (
            "no longer than {longest:dist} (your longest run of the last {p.cap_window_days} days)"
        ),
        "pregnant.title": "Pregnancy: no build-up in running",
        "pregnant.reason": (
            "You recorded a pregnancy. Running you already did can usually carry on, but this "
            "is not the time to build up distance or effort, and the joints and back take more "
            "strain as the pregnancy goes on."
        ),
        "pregnant.action": (
            "Keep runs {keep}, at an easy effort, and follow your midwife or doctor. Stop and "
            "get advice if you feel pain, dizziness, bleeding or fluid loss."
        ),
    },
)
def rule_pregnancy(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    """During pregnancy: no build-up in running (ACOG 2020: keep to the activity you did
    before; no new high-impact progression)."""
    since = state.profile.pregnant_since
    if since is None or since > state.today:
        return []
    start = state.today - timedelta(days=p.cap_window_days)
    prior = [r.distance_m for r in state.runs if start <= r.day < state.today and r.distance_m]
    longest = max(prior) if prior else None
    evidence: dict[str, Any] = {"pregnant_since": since.isoformat()}
    keep = say("keep.before")
    if longest is not None:
        evidence["cap_km"] = _km(longest)
        keep = say("keep.longest", longest=longest)
    return [
        Finding(
            id="history.pregnancy",
            level="caution",
            **say.words("pregnant", keep=keep),
            evidence=evidence,
            source=cite("acog-2020"),
        )
    ]
