"""Where each finding is handled (page and command), what needs the runner's attention, and
her first steps."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from backstride.domain.day.answer import (
    Attention,
    StartStep,
)
from backstride.domain.day.inputs import (
    AttentionLevel,
    StartFacts,
)
from backstride.domain.guidance import (
    Finding,
)
from backstride.domain.pain import RED_FLAGS, OpenRedFlag, Urgency

# ---------------------------------------------------------------------------------------------
# Attention: where each finding is handled

#: Finding id (or its prefix before the dot) -> (dashboard page, command).
WHERE: Mapping[str, tuple[str, str | None]] = {
    "redflag.prompt": ("/diary", "backstride pain list"),
    "screening.clearance_needed": ("/profile#clearance", "backstride clearance add"),
    "data.no_screening": ("/profile#screening", "backstride screen"),
    "data.no_morning_checkin": ("/checkin", "backstride checkin"),
    "data.no_heart_rate": ("/activities", "backstride activity edit"),
    "data.no_shoes": ("/shoes", "backstride shoes list"),
    "data.no_selftests": ("/self-tests", "backstride selftest list"),
    "pain": ("/diary", "backstride pain report"),
    "load": ("/load", "backstride load"),
    "recovery": ("/load", "backstride load"),
    "variety": ("/load", "backstride load"),
    "gear": ("/shoes", "backstride shoes list"),
    "terrain": ("/today", "backstride route list"),
    "body": ("/self-tests", "backstride selftest list"),
    "history": ("/profile", "backstride profile show"),
    "form": ("/today", "backstride today"),
    "warmup": ("/exercises", "backstride routine warmup"),
    "screening": ("/profile", "backstride clearance list"),
    "redflag": ("/today", "backstride today"),
    "data": ("/today", "backstride today"),
}
_LEVEL: Mapping[str, AttentionLevel] = {
    "info": "info",
    "caution": "caution",
    "reduce": "caution",
    "stop": "alert",
    "urgent": "alert",
}


def where(finding_id: str) -> tuple[str, str | None]:
    """The page and the command where a finding is handled."""
    if finding_id in WHERE:
        return WHERE[finding_id]
    return WHERE.get(finding_id.split(".", 1)[0], ("/today", "backstride today"))


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it is one)."""
    return _SENTENCE.split(text.strip(), maxsplit=1)[0]


def _flag_attention(o: OpenRedFlag) -> Attention:
    info = RED_FLAGS[o.flag]
    prompt = o.urgency is Urgency.PROMPT
    when = "a doctor within the next few days" if prompt else "medical help today"
    return Attention(
        id=f"redflag.{o.flag.value}",
        level="alert",
        title=f"Warning sign: {info.plain}",
        message=(
            f"Reported on {o.last_reported_on.isoformat()}; it needs {when}. Once you have been "
            "seen, record it: the plan and the runs wait until then."
        ),
        href="/diary" if prompt else "/today",
        command=f"backstride pain seen --flag {o.flag.value} --on DATE",
    )


def attention_for(
    findings: Sequence[Finding], open_flags: Sequence[OpenRedFlag]
) -> tuple[Attention, ...]:
    """Every open red flag (one item each, first), then every finding at ``caution`` or above,
    most serious first; each with the page and the command where it is handled."""
    items = [_flag_attention(o) for o in open_flags]
    flagged = bool(open_flags)
    for f in findings:
        if f.level == "info" or (flagged and f.id.startswith("redflag.")):
            continue
        href, command = where(f.id)
        if f.id == "data.no_heart_rate" and "activity_id" in f.evidence:
            href = f"/activities/{f.evidence['activity_id']}"
        items.append(
            Attention(
                id=f.id,
                level=_LEVEL[f.level],
                title=f.title,
                message=first_sentence(f.reason),
                href=href,
                command=command,
            )
        )
    return tuple(items)


# ---------------------------------------------------------------------------------------------
# First steps


def start_steps(start: StartFacts) -> tuple[StartStep, ...]:
    """The first things to do, each marked done or not."""
    return (
        StartStep(
            "screening",
            "Answer the health questions",
            "Twelve yes/no questions tell whether a doctor should check you before a running "
            "plan. backstride suggests no run before they are answered.",
            "/profile#screening",
            "backstride screen",
            start.screened,
        ),
        StartStep(
            "profile",
            "Fill in your profile",
            "Your birth year, running experience and any back condition shape the advice.",
            "/profile#profile",
            "backstride profile set --birth-year YYYY --experience new|returning|regular",
            start.profile_set,
        ),
        StartStep(
            "import",
            "Import your runs",
            "Your own runs set today's distances and the week a plan starts from.",
            "/import",
            "backstride import FOLDER",
            start.has_activities,
        ),
        StartStep(
            "plan",
            "Start a plan",
            "Three gentle sessions a week that start where you are and adapt to your pain.",
            "/plan#start-h",
            "backstride plan start --goal 5k --days mon,wed,sat",
            start.has_plan,
        ),
    )
