"""Red flags: their urgency, words and sources (NICE NG59 / CKS; BASS 2018), and the risk
context that raises one."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backstride.domain.evidence import cite


class Urgency(enum.StrEnum):
    """How soon a red flag needs a professional (NICE NG59 and CKS; IFOMPT 2020)."""

    EMERGENCY = "emergency"  # emergency department now
    SAME_DAY = "same-day"  # a doctor today
    PROMPT = "prompt"  # a doctor within days


URGENCY_ORDER: tuple[Urgency, ...] = (Urgency.PROMPT, Urgency.SAME_DAY, Urgency.EMERGENCY)
URGENCY_WORDS: Mapping[Urgency, str] = {
    Urgency.EMERGENCY: "emergency care now",
    Urgency.SAME_DAY: "a doctor today",
    Urgency.PROMPT: "a doctor within days",
}


def most_urgent(urgencies: Iterable[Urgency]) -> Urgency | None:
    found = set(urgencies)
    return max(found, key=URGENCY_ORDER.index) if found else None


class RedFlag(enum.StrEnum):
    # Possible cauda equina syndrome: emergency (NICE CKS; BASS 2018).
    BLADDER_CHANGE = "bladder-change"
    BOWEL_CHANGE = "bowel-change"
    SADDLE_NUMBNESS = "saddle-numbness"
    BOTH_LEGS_WEAK = "both-legs-weak"
    # Progressive neurological deficit: a doctor today (NICE CKS; IFOMPT 2020).
    PROGRESSIVE_WEAKNESS = "progressive-weakness"
    # Major trauma: a doctor today (IFOMPT 2020, fracture).
    MAJOR_TRAUMA = "major-trauma"
    # Possible cancer, infection or fracture: a doctor within days, or today in combination
    # (fever with feeling unwell or immunosuppression; a fall with thin bones or steroids).
    FEVER = "fever"
    FEELING_UNWELL = "feeling-unwell"
    IMMUNOSUPPRESSED = "immunosuppressed"
    UNEXPLAINED_WEIGHT_LOSS = "unexplained-weight-loss"
    NIGHT_PAIN = "night-pain"
    CANCER_HISTORY = "cancer-history"
    RECENT_TRAUMA = "recent-trauma"
    STEROIDS_OR_OSTEOPOROSIS = "steroids-or-osteoporosis"
    THORACIC_PAIN = "thoracic-pain"


@dataclass(frozen=True, slots=True)
class RedFlagInfo:
    """How urgent a red flag is on its own, how to say it, and how to ask about it."""

    urgency: Urgency
    plain: str  # what the runner reported, in plain words
    question: str  # the check-in's yes/no question
    concern: str  # the condition it can point to (never a diagnosis)


RED_FLAGS: Mapping[RedFlag, RedFlagInfo] = {
    RedFlag.BLADDER_CHANGE: RedFlagInfo(
        Urgency.EMERGENCY,
        "a change in bladder control (trouble starting to pee, not feeling when the bladder is "
        "full, or leaking)",
        "Any new change in peeing: trouble starting, not feeling the bladder fill, or leaking?",
        "cauda equina syndrome",
    ),
    RedFlag.BOWEL_CHANGE: RedFlagInfo(
        Urgency.EMERGENCY,
        "a change in bowel control or feeling (not feeling a bowel movement, or accidents)",
        "Any new change in bowel control or feeling when you open your bowels?",
        "cauda equina syndrome",
    ),
    RedFlag.SADDLE_NUMBNESS: RedFlagInfo(
        Urgency.EMERGENCY,
        "numbness or pins and needles between the legs or around the back passage (where you "
        "would sit on a saddle)",
        "Any numbness or pins and needles between your legs or around your back passage?",
        "cauda equina syndrome",
    ),
    RedFlag.BOTH_LEGS_WEAK: RedFlagInfo(
        Urgency.EMERGENCY,
        "weakness, or pain and numbness, in both legs at once, or a new change in the way you walk",
        "Are both legs weak, or do both legs have pain, numbness or pins and needles at the "
        "same time, or has the way you walk changed?",
        "cauda equina syndrome",
    ),
    RedFlag.PROGRESSIVE_WEAKNESS: RedFlagInfo(
        Urgency.SAME_DAY,
        "weakness in a leg or foot that is getting worse (for example a foot that catches or "
        "slaps down)",
        "Is a leg or foot getting weaker (a foot that catches or slaps down, a knee that gives "
        "way)?",
        "a nerve being pressed harder and harder",
    ),
    RedFlag.MAJOR_TRAUMA: RedFlagInfo(
        Urgency.SAME_DAY,
        "back pain after a major accident (a fall from a height, a road accident or a heavy blow)",
        "Did this pain start after a major accident: a fall from a height, a road accident or "
        "a heavy blow?",
        "a fracture",
    ),
    RedFlag.FEVER: RedFlagInfo(
        Urgency.PROMPT,
        "a fever or feeling feverish together with the back pain",
        "Do you have a fever, or feel hot and shivery, along with the back pain?",
        "an infection",
    ),
    RedFlag.FEELING_UNWELL: RedFlagInfo(
        Urgency.PROMPT,
        "feeling generally unwell (shivery, sweaty at night, off your food)",
        "Do you feel generally unwell: shivery, sweating at night, off your food?",
        "an infection",
    ),
    RedFlag.IMMUNOSUPPRESSED: RedFlagInfo(
        Urgency.PROMPT,
        "back pain while your immune system is weakened (by medicines such as chemotherapy, "
        "biologics or transplant drugs, or by an illness such as HIV)",
        "Do you take medicines that weaken the immune system, or have an illness that does?",
        "an infection",
    ),
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: RedFlagInfo(
        Urgency.PROMPT,
        "weight loss you cannot explain",
        "Have you lost weight without trying?",
        "a cause that needs tests",
    ),
    RedFlag.NIGHT_PAIN: RedFlagInfo(
        Urgency.PROMPT,
        "pain at night that does not ease with rest or changing position",
        "Does the pain keep going at night, whatever position you lie in?",
        "a cause that needs tests",
    ),
    RedFlag.CANCER_HISTORY: RedFlagInfo(
        Urgency.PROMPT,
        "back pain with cancer now or in the past",
        "Have you ever been treated for cancer, however long ago?",
        "a cause that needs tests",
    ),
    RedFlag.RECENT_TRAUMA: RedFlagInfo(
        Urgency.PROMPT,
        "back pain after a recent fall, slip, knock or accident",
        "Did this pain start after a fall, slip, knock or accident?",
        "a fracture",
    ),
    RedFlag.STEROIDS_OR_OSTEOPOROSIS: RedFlagInfo(
        Urgency.PROMPT,
        "back pain while taking steroid tablets (now or for months in the past) or living with "
        "osteoporosis (thin bones)",
        "Do you take steroid tablets, or have you taken them for months in the past, or have "
        "you been told you have thin bones (osteoporosis)?",
        "a fracture",
    ),
    RedFlag.THORACIC_PAIN: RedFlagInfo(
        Urgency.PROMPT,
        "new pain in the middle or upper back (between the shoulder blades)",
        "Is the pain in your middle or upper back new, and not yet checked by a doctor?",
        "a cause that needs tests",
    ),
}

EMERGENCY_FLAGS: tuple[RedFlag, ...] = tuple(
    f for f, info in RED_FLAGS.items() if info.urgency is Urgency.EMERGENCY
)
SAME_DAY_FLAGS: tuple[RedFlag, ...] = tuple(
    f for f, info in RED_FLAGS.items() if info.urgency is Urgency.SAME_DAY
)
PROMPT_FLAGS: tuple[RedFlag, ...] = tuple(
    f for f, info in RED_FLAGS.items() if info.urgency is Urgency.PROMPT
)
# What every red-flag rule and message rests on (docs/evidence.md §7).
RED_FLAG_EVIDENCE = ("nice-ng59", "nice-cks", "bass-2018", "ifompt-2020")
RED_FLAG_SOURCE = cite(*RED_FLAG_EVIDENCE)


@dataclass(frozen=True, slots=True)
class RiskContext:
    """What the profile adds to the red flags: a weakened immune system makes a fever more
    urgent; thin bones or long-term steroids make a fall more urgent (IFOMPT 2020)."""

    immunosuppressed: bool = False
    fragile_bones: bool = False  # osteoporosis, or steroid tablets now or for months


NO_CONTEXT = RiskContext()
_INFECTION = frozenset({RedFlag.FEVER, RedFlag.FEELING_UNWELL, RedFlag.IMMUNOSUPPRESSED})
_FRACTURE = frozenset({RedFlag.RECENT_TRAUMA, RedFlag.STEROIDS_OR_OSTEOPOROSIS})


def flag_urgencies(
    flags: Iterable[RedFlag], context: RiskContext = NO_CONTEXT
) -> dict[RedFlag, Urgency]:
    """Each flag's urgency, raised by the flags around it and the profile.

    - A fever with feeling unwell or a weakened immune system: a doctor today (possible spinal
      infection; NICE CKS; IFOMPT 2020).
    - A fall or knock with thin bones or long-term steroids: a doctor today (possible fracture
      after minor trauma; IFOMPT 2020).
    Otherwise each flag keeps its own urgency (:data:`RED_FLAGS`).
    """
    present = set(flags)
    out = {f: RED_FLAGS[f].urgency for f in present}
    infection = RedFlag.FEVER in present and (
        bool(present & {RedFlag.FEELING_UNWELL, RedFlag.IMMUNOSUPPRESSED})
        or context.immunosuppressed
    )
    if infection:
        for f in present & _INFECTION:
            out[f] = Urgency.SAME_DAY
    fracture = RedFlag.RECENT_TRAUMA in present and (
        RedFlag.STEROIDS_OR_OSTEOPOROSIS in present or context.fragile_bones
    )
    if fracture:
        for f in present & _FRACTURE:
            out[f] = Urgency.SAME_DAY
    return out


def triage_urgency(flags: Iterable[RedFlag], context: RiskContext = NO_CONTEXT) -> Urgency | None:
    return most_urgent(flag_urgencies(flags, context).values())
