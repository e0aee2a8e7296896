"""Rules of the safety family."""

from __future__ import annotations

from datetime import timedelta

from backstride.domain.evidence import cite
from backstride.domain.guidance.finding import Finding, Level
from backstride.domain.guidance.message import Say
from backstride.domain.guidance.rule import rule
from backstride.domain.guidance.state import GuidanceState
from backstride.domain.guidance.words import _cap, _join_sentences
from backstride.domain.pain import (
    OUTCOME_WORDS,
    RED_FLAG_SOURCE,
    RED_FLAGS,
    Urgency,
    flag_urgencies,
    most_urgent,
    suspected_flags,
    triage,
)
from backstride.domain.pain.flags import RED_FLAG_EVIDENCE
from backstride.domain.params import GuidanceParams

# ---------------------------------------------------------------------------------------------
# Red flags and screening (§7; implications 11 and 12)


@rule(
    about="Warning signs that need a doctor",
    family="safety",
    ids=(
        "redflag.emergency",
        "redflag.prompt",
        "redflag.same_day",
    ),
    params=(),
    evidence=RED_FLAG_EVIDENCE,
    words={
        "emergency.title": "Emergency: get medical help today",
        "same_day.title": "See a doctor today",
        "prompt.title": "See a doctor within the next few days",
        "flag.reason": "{what_it_may_mean}",
        "flag.action": "{where_to_go} {meanwhile}",
    },
)
def rule_red_flags(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    """Open red flags by urgency: emergency (``urgent_care``), a doctor today (``urgent_care``
    with a same-day headline), a doctor within days (``see_professional``)."""
    return [
        *_red_flag_finding(
            state,
            say,
            Urgency.EMERGENCY,
            id="redflag.emergency",
            level="urgent",
            since=True,
            title=say("emergency.title"),
        ),
        *_red_flag_finding(
            state,
            say,
            Urgency.SAME_DAY,
            id="redflag.same_day",
            level="urgent",
            since=True,
            title=say("same_day.title"),
        ),
        *_red_flag_finding(
            state,
            say,
            Urgency.PROMPT,
            id="redflag.prompt",
            level="stop",
            since=False,
            title=say("prompt.title"),
        ),
    ]


def _red_flag_finding(
    state: GuidanceState,
    say: Say,
    urgency: Urgency,
    *,
    id: str,  # noqa: A002 - the finding's id, named as in Finding
    level: Level,
    title: str,
    since: bool,
) -> list[Finding]:
    """The finding for one urgency's open red flags (none when there are none): what they may
    mean, where to go and what to do meanwhile, from the triage."""
    opens = [o for o in state.open_red_flags if o.urgency is urgency]
    context = state.profile.risk
    if not opens:
        return []
    t = triage((o.flag for o in opens), context)
    assert t is not None
    evidence: dict[str, object] = {"flags": [o.flag.value for o in opens]}
    if since:
        evidence["first_reported_on"] = min(o.first_reported_on for o in opens).isoformat()
    evidence["last_reported_on"] = max(o.last_reported_on for o in opens).isoformat()
    return [
        Finding(
            id=id,
            level=level,
            title=title,
            reason=say("flag.reason", what_it_may_mean=t.what_it_may_mean),
            evidence=evidence,
            source=RED_FLAG_SOURCE,
            action=say("flag.action", where_to_go=t.where_to_go, meanwhile=t.meanwhile),
            asks="see_professional" if level == "stop" else "urgent_care",
        )
    ]


@rule(
    about="Waiting for a clinician's word after a warning sign",
    family="safety",
    ids=("redflag.awaiting_clearance",),
    params=(),
    evidence=RED_FLAG_EVIDENCE,
    words={
        "seen": "you were seen about {flag} on {seen_on:on}{by}: {outcome}",
        "by": " ({seen_by})",
        "record": "`backstride pain seen --flag {flag} --on DATE --outcome may-train`",
        "awaiting.title": "Walking and gentle mobility only, until a clinician says you may train",
        "awaiting.reason": (
            "{visits}. After a warning sign, training starts again only once a clinician has "
            "said you may."
        ),
        "awaiting.action": (
            "Gentle walking and easy mobility (knee-to-chest, pelvic tilts) are fine if they "
            "feel comfortable; no running or hard training. When a clinician says you may "
            "train, record it: {record}. It is saved as a clearance, and a running plan resumes "
            "one step back."
        ),
    },
)
def rule_awaiting_clearance(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    """Seen about a red flag, without a clinician's "you may train" yet: walking and gentle
    mobility only (IFOMPT 2020: activity resumes once a serious cause is ruled out)."""
    if not state.awaiting:
        return []
    parts = []
    for a in state.awaiting:
        parts.append(
            say(
                "seen",
                flag=RED_FLAGS[a.flag].plain,
                seen_on=a.seen_on,
                by=say("by", seen_by=a.seen_by) if a.seen_by else "",
                outcome=OUTCOME_WORDS[a.outcome],
            )
        )
    flags = [a.flag.value for a in state.awaiting]
    record = " and ".join(say("record", flag=f) for f in flags)
    return [
        Finding(
            id="redflag.awaiting_clearance",
            level="stop",
            **say.words("awaiting", visits=_cap(_join_sentences(parts)), record=record),
            evidence={
                "flags": flags,
                "seen_on": max(a.seen_on for a in state.awaiting).isoformat(),
                "outcomes": [a.outcome.value for a in state.awaiting],
            },
            source=RED_FLAG_SOURCE,
            asks="rest",
        )
    ]


@rule(
    about="Something you wrote that may be a warning sign",
    family="safety",
    ids=("redflag.to_confirm",),
    params=("confirm_window_days",),
    evidence=RED_FLAG_EVIDENCE,
    words={
        "line": "on {day:on} {because}: {question}",
        "if_yes.emergency": (
            "If any of this is new, it needs emergency care today: go to the nearest emergency "
            "department, or call your emergency number (112 in Europe, 999 in the UK, 911 in "
            "the US and Canada)."
        ),
        "if_yes.same_day": (
            "If so, see a doctor today (your GP, an urgent care centre or walk-in clinic)."
        ),
        "if_yes.prompt": "If so, see your GP or family doctor within the next few days.",
        "command": (
            "{flag}: `backstride pain edit {entry} --add-red-flag {flag}` if yes, "
            "`--not-red-flag {flag}` if not"
        ),
        "confirm.title": "Please answer: a possible warning sign",
        "confirm.reason": (
            "What you wrote may describe a warning sign, and backstride does not guess. "
            "{lines} {if_yes}"
        ),
        "confirm.action": (
            "{if_yes} Then answer for each sign ({commands}); on the dashboard, the entry's "
            "page asks. Until you answer, no running."
        ),
    },
)
def rule_unconfirmed_flags(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
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
    lines = [say("line", day=e.day, because=s.because, question=s.question) for e, s in items]
    if urgency is Urgency.EMERGENCY:
        if_yes = say("if_yes.emergency")
    elif urgency is Urgency.SAME_DAY:
        if_yes = say("if_yes.same_day")
    else:
        if_yes = say("if_yes.prompt")
    commands = "; ".join(
        say("command", flag=s.flag.value, entry=e.id if e.id is not None else "ID")
        for e, s in items
    )
    return [
        Finding(
            id="redflag.to_confirm",
            level="urgent" if urgency is Urgency.EMERGENCY else "stop",
            **say.words(
                "confirm",
                lines=" ".join(_cap(line) for line in lines),
                if_yes=if_yes,
                commands=commands,
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
            source=RED_FLAG_SOURCE,
            asks="see_professional",
        )
    ]


SCREENING_SOURCE = cite("parq-plus", "riebe-2015")


@rule(
    about="Health questions and a doctor's clearance before a plan",
    family="safety",
    ids=(
        "data.no_screening",
        "screening.clearance_needed",
    ),
    params=(),
    evidence=(
        "parq-plus",
        "riebe-2015",
    ),
    words={
        "needed.title": "Check with your physician before a running plan",
        "needed.reason": "{reasons}",
        "needed.action": (
            "Book an appointment with your physician (GP) and ask whether running suits you "
            "now. When they agree, record it: `backstride clearance add --on DATE --by NAME`. "
            "Logging runs and pain works as usual meanwhile."
        ),
        "screen.title": "Answer the health questions",
        "screen.reason": (
            "backstride has not asked you its short health questions yet, so it cannot tell "
            "whether a doctor should check you before a running plan."
        ),
        "screen.action": (
            "Answer them first (12 yes/no questions): `backstride screen`, or the health "
            "questions on the Profile page. Until then backstride does not suggest a run."
        ),
    },
)
def rule_clearance(state: GuidanceState, p: GuidanceParams, say: Say) -> list[Finding]:
    c = state.clearance
    if c.status == "needed":
        return [
            Finding(
                id="screening.clearance_needed",
                level="stop",
                **say.words("needed", reasons=" ".join(r.text for r in c.uncovered)),
                evidence={
                    "reasons": [r.code for r in c.uncovered],
                    "last_clearance_on": c.clearance.on.isoformat() if c.clearance else None,
                },
                source=SCREENING_SOURCE,
                asks="see_professional",
            )
        ]
    if c.status == "not-screened":
        return [
            Finding(
                id="data.no_screening",
                level="stop",
                **say.words("screen"),
                evidence={"screened": False},
                source=SCREENING_SOURCE,
                asks="start_here",
            )
        ]
    return []
