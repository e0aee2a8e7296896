"""The pain diary: entries, red-flag triage, the walking-leg-symptom pattern, pain-monitoring rules.

Pure: no I/O, no clock (callers pass ``today``). Every threshold names its source from
``EVIDENCE.md``; where a number is backstride's own choice the comment says so. These are
coaching rules, not diagnoses.

Sources
- Red flags: NICE NG59 / NICE CKS pathways; BASS 2018 (EVIDENCE.md section 7). Cauda equina
  signs are an emergency; cancer, infection and fracture signs need a doctor soon.
- Neurogenic claudication: NASS 2011 (Grade C) and Suri 2010, JAMA 304:2628-36 (section 6).
- Pain-monitoring model: Thomee 1997 [R]; Silbernagel 2007, AJSM 35(6):897-906 (section 8).
"""

from __future__ import annotations

import enum
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeVar

from backstride.domain.dates import EARLIEST_DAY
from backstride.domain.evidence import cite
from backstride.errors import InvalidInputError

E = TypeVar("E", bound=enum.StrEnum)

MAX_NOTES_CHARS = 2000


class PainWhen(enum.StrEnum):
    """When the pain was felt, relative to a session."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    NEXT_MORNING = "next-morning"
    REST_DAY = "rest-day"


class PainSite(enum.StrEnum):
    LOW_BACK = "low-back"
    UPPER_BACK = "upper-back"  # the middle or upper back (thoracic spine)
    BUTTOCK_LEFT = "buttock-left"
    BUTTOCK_RIGHT = "buttock-right"
    LEG_LEFT = "leg-left"
    LEG_RIGHT = "leg-right"
    LOWER_LEG_LEFT = "lower-leg-left"  # below the knee: calf, shin or foot
    LOWER_LEG_RIGHT = "lower-leg-right"


LEFT_LEG = frozenset({PainSite.LEG_LEFT, PainSite.LOWER_LEG_LEFT})
RIGHT_LEG = frozenset({PainSite.LEG_RIGHT, PainSite.LOWER_LEG_RIGHT})
BELOW_KNEE = frozenset({PainSite.LOWER_LEG_LEFT, PainSite.LOWER_LEG_RIGHT})
LEG_OR_BUTTOCK = frozenset({PainSite.BUTTOCK_LEFT, PainSite.BUTTOCK_RIGHT}) | LEFT_LEG | RIGHT_LEG


class PainFeel(enum.StrEnum):
    ACHE = "ache"
    SHARP = "sharp"
    BURNING = "burning"
    NUMBNESS = "numbness"
    TINGLING = "tingling"  # pins and needles
    STIFFNESS = "stiffness"


NERVE_FEELS = frozenset({PainFeel.NUMBNESS, PainFeel.TINGLING})


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
RED_FLAG_SOURCE = cite("nice-ng59", "nice-cks", "bass-2018", "ifompt-2020")


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


# --- parsing and validation -------------------------------------------------------------------


def _choices(enum_cls: type[enum.StrEnum]) -> str:
    return ", ".join(m.value for m in enum_cls)


def _split(values: Iterable[str]) -> list[str]:
    """Accept repeated values and comma-separated lists alike; blanks are dropped."""
    out: list[str] = []
    for value in values:
        out.extend(p.strip().lower() for p in value.split(",") if p.strip())
    return out


def parse_when(text: str) -> PainWhen:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return PainWhen(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a time for a pain check-in.",
            hint=f"Choose one of: {_choices(PainWhen)}.",
        ) from None


_ALIASES: Mapping[str, str] = {"pins-and-needles": "tingling", "thoracic": "upper-back"}


def _parse_many(values: Iterable[str], enum_cls: type[E], what: str) -> tuple[E, ...]:
    found: list[E] = []
    for raw in _split(values):
        key = raw.replace("_", "-").replace(" ", "-")
        key = _ALIASES.get(key, key)
        try:
            member = enum_cls(key)
        except ValueError:
            raise InvalidInputError(
                f"'{raw}' is not a known {what}.", hint=f"Choose from: {_choices(enum_cls)}."
            ) from None
        if member not in found:
            found.append(member)
    order = list(enum_cls)
    return tuple(sorted(found, key=order.index))


def parse_sites(values: Iterable[str]) -> tuple[PainSite, ...]:
    """``low-back,leg-left`` (comma-separated or repeated) -> sites, in vocabulary order."""
    return _parse_many(values, PainSite, "place for pain")


def parse_feels(values: Iterable[str]) -> tuple[PainFeel, ...]:
    return _parse_many(values, PainFeel, "kind of pain")


def parse_red_flags(values: Iterable[str]) -> tuple[RedFlag, ...]:
    """Red-flag names; an unknown name is refused so that nothing is silently dropped."""
    return _parse_many(values, RedFlag, "red flag")


def known_red_flags(values: Iterable[str]) -> tuple[RedFlag, ...]:
    """The recognisable red flags among ``values``, ignoring unknown names.

    Used to name an emergency in a refusal even when another part of the input is wrong.
    """
    found: list[RedFlag] = []
    for raw in _split(values):
        key = raw.replace("_", "-").replace(" ", "-")
        if key in {f.value for f in RedFlag}:
            flag = RedFlag(key)
            if flag not in found:
                found.append(flag)
    order = list(RedFlag)
    return tuple(sorted(found, key=order.index))


_ASCII_INT = re.compile(r"[+-]?[0-9]+")


def parse_score(value: object) -> int:
    """A pain score: a whole number from 0 (no pain) to 10 (worst pain imaginable), written
    with the digits 0-9 only (a full-width or other-script digit is refused, not guessed)."""
    hint = "Use a whole number from 0 (no pain) to 10 (the worst pain you can imagine)."
    score: int
    if isinstance(value, bool):
        raise InvalidInputError(f"'{value}' is not a pain score.", hint=hint)
    if isinstance(value, int):
        score = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InvalidInputError(f"Pain score must be a whole number, got {value:g}.", hint=hint)
        score = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _ASCII_INT.fullmatch(text):
            shown = text.encode("ascii", "backslashreplace").decode("ascii")
            raise InvalidInputError(
                f"'{shown}' is not a pain score.", hint=hint + " Type it with the digits 0-9."
            )
        score = int(text)
    else:
        raise InvalidInputError(f"'{value}' is not a pain score.", hint=hint)
    if not 0 <= score <= 10:
        raise InvalidInputError(f"Pain score must be between 0 and 10, got {score}.", hint=hint)
    return score


def check_day(day: date, *, today: date, what: str = "entry") -> date:
    """Refuse dates in the future (relative to ``today``) and implausibly old ones."""
    if day > today:
        raise InvalidInputError(
            f"{day.isoformat()} is in the future; a {what} can only be recorded for today or "
            "earlier.",
            hint=f"Today is {today.isoformat()}.",
        )
    if day < EARLIEST_DAY:
        raise InvalidInputError(f"{day.isoformat()} is too long ago for a {what}.")
    return day


@dataclass(frozen=True, slots=True)
class PainEntry:
    """One pain check-in. ``score`` is 0-10 (whole numbers, Silbernagel 2007 scale).

    ``red_flags`` are the warning signs the runner confirmed; ``ruled_out`` the ones backstride
    asked about (from the places, feelings or notes) and the runner said were not there.
    """

    day: date
    when: PainWhen
    score: int
    where: tuple[PainSite, ...] = ()
    feels: tuple[PainFeel, ...] = ()
    walking_leg_symptoms: bool = False  # buttock/leg symptoms come on with walking or standing
    eases_sitting: bool = False  # ...and ease with sitting or bending forward
    red_flags: tuple[RedFlag, ...] = ()
    notes: str | None = None
    activity_id: int | None = None
    id: int | None = None
    worse_coughing: bool = False  # leg pain worse on coughing, sneezing or straining
    ruled_out: tuple[RedFlag, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise InvalidInputError(f"Pain score must be a whole number, got {self.score!r}.")
        parse_score(self.score)
        if not isinstance(self.when, PainWhen):
            raise InvalidInputError(f"'{self.when}' is not a time for a pain check-in.")
        if self.notes is not None and len(self.notes) > MAX_NOTES_CHARS:
            raise InvalidInputError(f"Notes are limited to {MAX_NOTES_CHARS:,} characters.")
        if self.when is PainWhen.REST_DAY and self.activity_id is not None:
            raise InvalidInputError(
                "A rest-day entry cannot be linked to a session.",
                hint="Use --when before, during, after or next-morning for a session.",
            )
        both = set(self.red_flags) & set(self.ruled_out)
        if both:
            names = ", ".join(sorted(f.value for f in both))
            raise InvalidInputError(
                f"A warning sign cannot be both reported and ruled out: {names}.",
                hint="Give it either as a red flag or as not present, not both.",
            )

    @property
    def has_claudication_pattern(self) -> bool:
        """Leg/buttock symptoms brought on by walking or standing that ease with sitting or
        bending forward: the neurogenic-claudication pattern (NASS 2011; Suri 2010)."""
        return self.walking_leg_symptoms and self.eases_sitting

    @property
    def has_nerve_root_pattern(self) -> bool:
        """Symptoms in one leg below the knee with pins and needles or numbness, or worse on
        coughing or sneezing: the pattern of an irritated nerve root (sciatica; NICE NG59)."""
        below = set(self.where) & BELOW_KNEE
        one_side = len(below) == 1 and not self.both_legs
        return one_side and (bool(set(self.feels) & NERVE_FEELS) or self.worse_coughing)

    @property
    def both_legs(self) -> bool:
        sites = set(self.where)
        return bool(sites & LEFT_LEG) and bool(sites & RIGHT_LEG)

    @property
    def urgency(self) -> Urgency | None:
        return triage_urgency(self.red_flags)


# --- warning signs read from what was written -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suspicion:
    """A warning sign the entry's places, feelings or notes may describe. backstride asks the
    runner to confirm it; nothing is assumed either way."""

    flag: RedFlag
    because: str  # what in the entry made backstride ask, in plain words
    asked: str | None = None  # a question fitted to what was written, else the flag's own

    @property
    def question(self) -> str:
        return self.asked or RED_FLAGS[self.flag].question


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE)


# Words in the notes that may describe a warning sign (a prompt to confirm, never a verdict:
# "no fever" matches too).
NOTE_WORDS: tuple[tuple[RedFlag, re.Pattern[str]], ...] = (
    (
        RedFlag.BLADDER_CHANGE,
        _words(
            r"bladder",
            r"pee\b",
            r"peeing",
            r"urin",
            r"wee\b",
            r"incontinen",
            r"leak",
            r"wet myself",
        ),
    ),
    (
        RedFlag.BOWEL_CHANGE,
        _words(r"bowel", r"poo\b", r"stool", r"faec", r"fecal", r"constipat", r"soiled"),
    ),
    (
        RedFlag.SADDLE_NUMBNESS,
        _words(
            r"saddle",
            r"groin",
            r"genital",
            r"perine",
            r"back passage",
            r"between (?:my|the) legs",
        ),
    ),
    (RedFlag.BOTH_LEGS_WEAK, _words(r"both legs", r"legs (?:are |feel |felt )?weak")),
    (
        RedFlag.PROGRESSIVE_WEAKNESS,
        _words(
            r"foot drop",
            r"drop foot",
            r"foot slaps",
            r"giving way",
            r"gave way",
            r"leg (?:is |feels |felt )?weaker",
        ),
    ),
    (
        RedFlag.MAJOR_TRAUMA,
        _words(r"car crash", r"car accident", r"road accident", r"fell from", r"fall from"),
    ),
    (
        RedFlag.RECENT_TRAUMA,
        _words(
            r"fell\b",
            r"a fall\b",
            r"slipped",
            r"tripped",
            r"knocked",
            r"accident",
            r"crash",
            r"hit by",
            r"landed on my",
        ),
    ),
    (
        RedFlag.FEVER,
        _words(r"fever", r"high temperature", r"a temperature", r"shivers", r"chills"),
    ),
    (RedFlag.FEELING_UNWELL, _words(r"unwell", r"flu\b", r"night sweats", r"sweating at night")),
    (RedFlag.UNEXPLAINED_WEIGHT_LOSS, _words(r"weight loss", r"lost weight", r"losing weight")),
    (
        RedFlag.NIGHT_PAIN,
        _words(r"pain at night", r"night pain", r"woke me", r"wakes me", r"can'?t sleep"),
    ),
    (RedFlag.CANCER_HISTORY, _words(r"cancer", r"tumou?r", r"chemo", r"radiotherapy")),
    (
        RedFlag.STEROIDS_OR_OSTEOPOROSIS,
        _words(r"steroid", r"prednis", r"cortison", r"osteopor", r"thin bones"),
    ),
    (RedFlag.IMMUNOSUPPRESSED, _words(r"immunosuppress", r"transplant", r"immune system")),
)


def suspected_flags(entry: PainEntry) -> tuple[Suspicion, ...]:
    """The warning signs this entry may describe but does not report, in vocabulary order.

    - pins and needles or numbness in both legs: weakness or numbness in both legs (cauda
      equina syndrome; bilateral sciatica is a red flag, BASS 2018);
    - pins and needles or numbness in both buttocks: the saddle area;
    - the middle or upper back: thoracic pain (NICE CKS; IFOMPT 2020);
    - words in the notes (bladder, bowel, a fall, a fever...), see :data:`NOTE_WORDS`.
    Signs already reported (``red_flags``) or ruled out (``ruled_out``) are not asked again.
    """
    sites = set(entry.where)
    nerve = set(entry.feels) & NERVE_FEELS
    nerve_words = " and ".join(
        w
        for f, w in ((PainFeel.NUMBNESS, "numbness"), (PainFeel.TINGLING, "pins and needles"))
        if f in nerve
    )
    found: dict[RedFlag, tuple[str, str | None]] = {}
    if entry.both_legs and nerve:
        found[RedFlag.BOTH_LEGS_WEAK] = (
            f"you noted {nerve_words} in both legs",
            f"Is the {nerve_words} in both legs new, or are both legs weak, or has the way you "
            "walk changed?",
        )
    if {PainSite.BUTTOCK_LEFT, PainSite.BUTTOCK_RIGHT} <= sites and nerve:
        found[RedFlag.SADDLE_NUMBNESS] = (
            f"you noted {nerve_words} in both buttocks",
            "Does it reach between your legs or around your back passage (where you would "
            "sit on a saddle)?",
        )
    if PainSite.UPPER_BACK in sites:
        found[RedFlag.THORACIC_PAIN] = ("you noted pain in the middle or upper back", None)
    if entry.notes:
        for flag, pattern in NOTE_WORDS:
            match = pattern.search(entry.notes)
            if match and flag not in found:
                found[flag] = (f"your notes mention '{match.group(0).strip()}'", None)
    skip = set(entry.red_flags) | set(entry.ruled_out)
    order = list(RedFlag)
    return tuple(
        Suspicion(flag, why, asked)
        for flag, (why, asked) in sorted(found.items(), key=lambda kv: order.index(kv[0]))
        if flag not in skip
    )


# --- red-flag triage --------------------------------------------------------------------------

EMERGENCY_NUMBERS = "112 in Europe, 999 in the UK, 911 in the US and Canada"


@dataclass(frozen=True, slots=True)
class Triage:
    """What to do about a set of red flags. The ``headline`` is shown before anything."""

    urgency: Urgency
    flags: tuple[RedFlag, ...]
    headline: str
    what_it_may_mean: str
    where_to_go: str
    meanwhile: str
    source: str = RED_FLAG_SOURCE

    @property
    def lines(self) -> tuple[str, ...]:
        return (self.headline, self.what_it_may_mean, self.where_to_go, self.meanwhile)


def triage_urgency(flags: Iterable[RedFlag], context: RiskContext = NO_CONTEXT) -> Urgency | None:
    return most_urgent(flag_urgencies(flags, context).values())


def _join(parts: Sequence[str]) -> str:
    """Items that may hold commas: "a; b; and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) == 2:
        return f"{parts[0]} and {parts[1]}"
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def _either(parts: Sequence[str]) -> str:
    """Short alternatives: "a", "a or b", "a, b or c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def seen_command(flags: Sequence[RedFlag]) -> str:
    """How to record the visit for ``flags``, with what the clinician said."""
    return " and ".join(
        f"`backstride pain seen --flag {f.value} --on DATE --outcome may-train|may-not|not-known`"
        for f in flags
    )


_WORSE = (
    "If you suddenly notice a change in bladder or bowel control, numbness between the legs or "
    "weakness in both legs, go to the emergency department at once."
)


def triage(flags: Iterable[RedFlag], context: RiskContext = NO_CONTEXT) -> Triage | None:
    """The urgent-care answer for a set of red flags, or None when there are none.

    Any cauda-equina sign makes it an emergency (NICE CKS; BASS 2018). A progressive
    weakness, a major accident, a fever with feeling unwell or a weakened immune system, or a
    fall with thin bones means a doctor today (IFOMPT 2020). Otherwise any sign of cancer,
    infection or fracture means a doctor within days.
    """
    ordered = tuple(sorted(set(flags), key=list(RedFlag).index))
    urgencies = flag_urgencies(ordered, context)
    urgency = most_urgent(urgencies.values())
    if urgency is None:
        return None
    emergency = [f for f in ordered if urgencies[f] is Urgency.EMERGENCY]
    others = [f for f in ordered if urgencies[f] is not Urgency.EMERGENCY]
    seen_cmds = seen_command(ordered)
    if urgency is Urgency.EMERGENCY:
        also = (
            f" You also reported {_join([RED_FLAGS[f].plain for f in others])}: mention it "
            "there too."
            if others
            else ""
        )
        return Triage(
            urgency=urgency,
            flags=ordered,
            headline="EMERGENCY: this needs emergency care today. Please do not wait to see if "
            "it settles.",
            what_it_may_mean=(
                f"You reported {_join([RED_FLAGS[f].plain for f in emergency])}. Together with "
                "back pain, this can mean the nerves at the bottom of the spine are being "
                "squeezed (cauda equina syndrome). Only a hospital can check this, and quick "
                "treatment protects bladder, bowel and leg function."
            ),
            where_to_go=(
                "Go to the nearest hospital emergency department now. If you cannot get there "
                f"safely, call your emergency number ({EMERGENCY_NUMBERS}). Do not drive "
                "yourself if your legs are weak or numb. Tell them you have back pain and "
                f"exactly what you noticed.{also}"
            ),
            meanwhile=(
                "Do not run or train. Your running plan is paused until you record the visit "
                f"and what you were told: {seen_cmds}."
            ),
        )
    concerns = _either(sorted({RED_FLAGS[f].concern for f in ordered}))
    reported = _join([RED_FLAGS[f].plain for f in ordered])
    if urgency is Urgency.SAME_DAY:
        today_flags = [f for f in ordered if urgencies[f] is Urgency.SAME_DAY]
        why = _same_day_reason(today_flags, context)
        return Triage(
            urgency=urgency,
            flags=ordered,
            headline="See a doctor today: this should not wait until tomorrow.",
            what_it_may_mean=(
                f"You reported {reported}. {why} Together with back pain, this can point to "
                f"{concerns}, which a doctor should check today. Most of the time the cause "
                "turns out to be something else, but this is one to check quickly."
            ),
            where_to_go=(
                "Today: call your GP or family doctor and ask to be seen today, or go to an "
                "urgent care centre or walk-in clinic (in the UK you can also call 111). If you "
                "cannot be seen today, or you feel very unwell, go to the emergency department. "
                + _WORSE
            ),
            meanwhile=(
                "Do not run or train until you have been seen. Your running plan is paused "
                f"until you record the visit and what you were told: {seen_cmds}."
            ),
        )
    return Triage(
        urgency=urgency,
        flags=ordered,
        headline="See a doctor within the next few days about this.",
        what_it_may_mean=(
            f"You reported {reported}. Together with back pain, this needs a doctor's check "
            f"because it can point to {concerns}. Most of the time the cause turns out not to "
            "be serious, but it should not wait for weeks."
        ),
        where_to_go=(
            "Call your GP or family doctor and ask for an appointment this week; a walk-in or "
            "urgent-care clinic is fine if you cannot get one. " + _WORSE
        ),
        meanwhile=(
            "Your running plan is paused until you record the visit and what you were told: "
            f"{seen_cmds}. Gentle walking is fine if it feels comfortable."
        ),
    )


def _same_day_reason(flags: Sequence[RedFlag], context: RiskContext) -> str:
    """Why these signs cannot wait, in the runner's words."""
    present = set(flags)
    parts: list[str] = []
    if RedFlag.PROGRESSIVE_WEAKNESS in present:
        parts.append("A weakness that is getting worse means a nerve is being pressed harder.")
    if RedFlag.MAJOR_TRAUMA in present:
        parts.append("After a major accident a bone in the spine can be broken.")
    if present & _INFECTION:
        parts.append(
            "A fever together with feeling unwell or a weakened immune system can come from an "
            "infection."
        )
    if present & _FRACTURE:
        bones = (
            "thin bones or steroid tablets"
            if RedFlag.STEROIDS_OR_OSTEOPOROSIS in present or context.fragile_bones
            else "thin bones"
        )
        parts.append(f"With {bones}, even a small fall can break a bone in the spine.")
    return " ".join(parts)


# --- the way back after a red flag ------------------------------------------------------------


class SeenOutcome(enum.StrEnum):
    """What the clinician said about training, as the runner records it."""

    MAY_TRAIN = "may-train"
    MAY_NOT = "may-not"
    NOT_KNOWN = "not-known"


OUTCOME_WORDS: Mapping[SeenOutcome, str] = {
    SeenOutcome.MAY_TRAIN: "you may train",
    SeenOutcome.MAY_NOT: "you may not train yet",
    SeenOutcome.NOT_KNOWN: "not yet known whether you may train",
}


def parse_outcome(text: str) -> SeenOutcome:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    aliases = {"yes": "may-train", "no": "may-not", "unknown": "not-known", "not-yet": "not-known"}
    key = aliases.get(key, key)
    try:
        return SeenOutcome(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not an answer about training.",
            hint="Choose may-train, may-not or not-known.",
        ) from None


@dataclass(frozen=True, slots=True)
class SeenRecord:
    """The runner records that a professional has seen them about a red flag, and what they
    said about training."""

    flag: RedFlag
    on: date
    by: str | None = None
    notes: str | None = None
    id: int | None = None
    outcome: SeenOutcome = SeenOutcome.NOT_KNOWN


@dataclass(frozen=True, slots=True)
class OpenRedFlag:
    """A red flag reported after the last time the runner was seen for it."""

    flag: RedFlag
    urgency: Urgency
    first_reported_on: date
    last_reported_on: date
    entry_ids: tuple[int, ...]


def open_red_flags(
    entries: Iterable[PainEntry],
    seen: Iterable[SeenRecord],
    context: RiskContext = NO_CONTEXT,
) -> tuple[OpenRedFlag, ...]:
    """Red flags still waiting for a professional. A "seen" record on or after the day a flag
    was reported closes it; the same flag reported later opens again. Each urgency is judged
    with the other open flags and the profile (:func:`flag_urgencies`)."""
    last_seen: dict[RedFlag, date] = {}
    for record in seen:
        if record.flag not in last_seen or record.on > last_seen[record.flag]:
            last_seen[record.flag] = record.on
    reports: dict[RedFlag, list[PainEntry]] = {}
    for entry in entries:
        for flag in entry.red_flags:
            seen_on = last_seen.get(flag)
            if seen_on is None or entry.day > seen_on:
                reports.setdefault(flag, []).append(entry)
    urgencies = flag_urgencies(reports, context)
    out = [
        OpenRedFlag(
            flag=flag,
            urgency=urgencies[flag],
            first_reported_on=min(e.day for e in found),
            last_reported_on=max(e.day for e in found),
            entry_ids=tuple(sorted(e.id for e in found if e.id is not None)),
        )
        for flag, found in reports.items()
    ]
    order = list(RedFlag)
    return tuple(sorted(out, key=lambda o: order.index(o.flag)))


@dataclass(frozen=True, slots=True)
class AwaitingClearance:
    """A red flag the runner was seen about, without a clinician's "you may train" yet:
    walking and gentle mobility only until one is recorded."""

    flag: RedFlag
    first_reported_on: date
    last_reported_on: date
    seen_on: date
    seen_by: str | None
    outcome: SeenOutcome
    notes: str | None


def awaiting_clearance(
    entries: Iterable[PainEntry],
    seen: Iterable[SeenRecord],
    clearance_days: Iterable[date] = (),
) -> tuple[AwaitingClearance, ...]:
    """Flags that were seen but not cleared for training.

    The latest visit for a flag that closed its last report decides: "may train" clears it;
    "may not" or "not yet known" waits until a later visit says "may train" or a clearance
    dated on or after that visit is recorded. Open flags are not listed here (see
    :func:`open_red_flags`).
    """
    records = sorted(seen, key=lambda r: (r.on, r.id or 0))
    reports: dict[RedFlag, list[date]] = {}
    for entry in entries:
        for flag in entry.red_flags:
            reports.setdefault(flag, []).append(entry.day)
    cleared_on = sorted(clearance_days)
    out: list[AwaitingClearance] = []
    for flag, days in reports.items():
        last_report = max(days)
        visits = [r for r in records if r.flag is flag and r.on >= last_report]
        if not visits:
            continue  # still open
        latest = visits[-1]
        if latest.outcome is SeenOutcome.MAY_TRAIN:
            continue
        if any(d >= latest.on for d in cleared_on):
            continue
        first_visit = visits[0].on
        earlier = [r.on for r in records if r.flag is flag and r.on < last_report]
        since = max(earlier) if earlier else date.min
        out.append(
            AwaitingClearance(
                flag=flag,
                first_reported_on=min(d for d in days if d > since),
                last_reported_on=last_report,
                seen_on=max(first_visit, latest.on),
                seen_by=latest.by,
                outcome=latest.outcome,
                notes=latest.notes,
            )
        )
    order = list(RedFlag)
    return tuple(sorted(out, key=lambda o: order.index(o.flag)))


# --- the flare: pain above the acceptable maximum ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Flare:
    """The latest pain above the acceptable maximum and what has been recorded since.

    ``open`` while nothing has been recorded after the last high day: a missing check-in after
    a flare is never read as "settled".
    """

    last_high_day: date
    high_days: tuple[date, ...]  # days above the maximum within the window before the last
    worst: int
    worst_on: date
    worst_when: PainWhen
    open: bool
    entries: tuple[PainEntry, ...]  # the high entries of ``high_days``


def current_flare(
    entries: Iterable[PainEntry],
    *,
    today: date,
    acceptable_max: int,
    window_days: int,
    memory_days: int,
) -> Flare | None:
    """The latest flare up to ``today``, if it still matters: its last high day is today or
    yesterday, or it is open (nothing recorded since) and at most ``memory_days`` old."""
    known = [e for e in entries if e.day <= today]
    high = [e for e in known if e.score > acceptable_max]
    if not high:
        return None
    last = max(e.day for e in high)
    is_open = not any(e.day > last for e in known)
    recent = last >= today - timedelta(days=1)
    if not recent and not (is_open and last > today - timedelta(days=memory_days)):
        return None
    start = last - timedelta(days=window_days - 1)
    window = [e for e in high if start <= e.day <= last]
    worst = max(window, key=lambda e: (e.score, e.day))
    return Flare(
        last_high_day=last,
        high_days=tuple(sorted({e.day for e in window})),
        worst=worst.score,
        worst_on=worst.day,
        worst_when=worst.when,
        open=is_open,
        entries=tuple(window),
    )


# --- the neurogenic-claudication pattern ------------------------------------------------------

CLAUDICATION_SOURCE = cite("nass-2011", "suri-2010")


@dataclass(frozen=True, slots=True)
class Advice:
    """A non-urgent recommendation with its reason and source."""

    code: str
    text: str
    source: str
    blocks_plans: bool = False


def first_claudication_day(entries: Iterable[PainEntry]) -> date | None:
    days = [e.day for e in entries if e.has_claudication_pattern]
    return min(days) if days else None


def claudication_advice(*, has_stenosis_diagnosis: bool) -> Advice:
    """What to say when the walking/standing leg-symptom pattern is recorded.

    Without a stenosis diagnosis it calls for a physician's assessment (NASS 2011: suspect
    lumbar spinal stenosis when buttock/leg symptoms worsen with walking or standing and ease
    with sitting or bending forward; Suri 2010: relief when seated LR 7.4, when bending
    forward LR 6.4). It is not an emergency.
    """
    if has_stenosis_diagnosis:
        return Advice(
            code="claudication-known-stenosis",
            text=(
                "Leg symptoms that come on with walking or standing and ease when you sit or "
                "bend forward fit the pattern of your spinal stenosis. Short walk or run blocks "
                "with sitting or bending breaks, cycling, and flat routes are usually easier. "
                "If the walking distance you manage keeps getting shorter, tell your doctor."
            ),
            source=CLAUDICATION_SOURCE,
        )
    return Advice(
        code="claudication-see-physician",
        text=(
            "Leg or buttock symptoms that come on with walking or standing and ease when you "
            "sit or bend forward are worth a doctor's assessment. This pattern can come from "
            "narrowing around the nerves in the lower back (spinal stenosis); a doctor can "
            "tell it apart from other causes, such as poor circulation in the legs. It is not "
            "an emergency: book a routine appointment. Until then, running plans wait for a "
            "recorded clearance (`backstride clearance add`); logging carries on as usual."
        ),
        source=CLAUDICATION_SOURCE,
        blocks_plans=True,
    )


# --- pain-monitoring rules --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PainRules:
    """Thresholds of the pain-monitoring model, each with its source."""

    # Pain during/after activity: 0-2 safe, up to 5 acceptable, above 5 too much.
    # Silbernagel 2007 (AJSM 35:897-906); Thomee 1997 [R]; EVIDENCE.md section 8.
    safe_max: int = 2
    acceptable_max: int = 5
    # "Usual level": median of the rest-day and before-run scores over the 28 days up to the run
    # (window length: backstride's choice; the model compares with the person's own baseline).
    baseline_window_days: int = 28
    # Without any baseline score yet, "settled" means back in the safe zone (<= safe_max).
    # Weekly trend of morning pain: a rise of the weekly mean by >= 1 point (one step of the
    # 0-10 scale) counts as rising. backstride's choice; the model says morning pain must not
    # rise week to week (Silbernagel 2007).
    morning_rise_points: float = 1.0
    # Morning stiffness: reported on a larger share of mornings than the week before, by at
    # least a quarter of mornings. backstride's choice, same rule.
    stiffness_rise_share: float = 0.25
    # One score at or above this is severe pain: see a professional (own choice; 7-10 is the
    # usual "severe" band of the 0-10 scale).
    severe_min: int = 8
    source: str = cite(
        "silbernagel-2007",
        "thomee-1997",
        note=(
            "a trial in Achilles tendinopathy; applied to back pain by analogy: low-certainty "
            "evidence"
        ),
    )

    def zone_words(self) -> Mapping[str, str]:
        """The three zones in words, with the numbers in force."""
        return {
            "safe": f"safe (0-{self.safe_max})",
            "acceptable": f"acceptable ({self.safe_max + 1}-{self.acceptable_max})",
            "too-much": f"too much (above {self.acceptable_max})",
        }


PAIN_RULES = PainRules()

Zone = Literal["safe", "acceptable", "too-much"]
Settled = Literal["yes", "no", "not-known-yet"]
Verdict = Literal["within", "outside", "not-known-yet"]
Trend = Literal["rising", "steady", "falling", "no-week-before"]

ZONE_WORDS: Mapping[str, str] = PAIN_RULES.zone_words()


def pain_zone(score: int, rules: PainRules = PAIN_RULES) -> Zone:
    """0-2 safe, 3-5 acceptable, above 5 too much (Silbernagel 2007)."""
    if score <= rules.safe_max:
        return "safe"
    if score <= rules.acceptable_max:
        return "acceptable"
    return "too-much"


@dataclass(frozen=True, slots=True)
class RunRef:
    """The little the pain rules need to know about a run."""

    activity_id: int
    day: date


@dataclass(frozen=True, slots=True)
class RunPainCheck:
    """The pain-monitoring rules applied to one run."""

    activity_id: int
    day: date
    before: int | None
    during: int | None
    during_zone: Zone | None
    after: int | None
    after_zone: Zone | None
    next_morning: int | None
    usual_level: float | None  # median of recent rest-day/before scores; None if none yet
    settled: Settled
    verdict: Verdict
    reasons: tuple[str, ...]


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def flare_days(entries: Iterable[PainEntry], *, rules: PainRules = PAIN_RULES) -> frozenset[date]:
    """Days of pain flares, which the usual level leaves out.

    A flare starts on a day with any score above ``acceptable_max`` and lasts, day by day,
    until the worst score of a day is back at the usual level from before the flare (rounded
    up; the safe zone while that level is not known). Days without a check-in do not end it.
    backstride's reading of the model: the baseline is the person's level on ordinary days
    (Silbernagel 2007), so the days of a flare are not ordinary.
    """
    worst: dict[date, int] = {}
    calm: dict[date, list[int]] = {}
    for e in entries:
        worst[e.day] = max(worst.get(e.day, 0), e.score)
        if e.when in (PainWhen.REST_DAY, PainWhen.BEFORE) and not e.red_flags:
            calm.setdefault(e.day, []).append(e.score)
    out: set[date] = set()
    limit: int | None = None  # set while a flare lasts
    for day in sorted(worst):
        score = worst[day]
        if limit is None and score > rules.acceptable_max:
            start = day - timedelta(days=rules.baseline_window_days)
            before = [
                s for d, scores in calm.items() if start <= d < day and d not in out for s in scores
            ]
            base = _median(before)
            limit = math.ceil(base) if base is not None else rules.safe_max
            limit = min(limit, rules.acceptable_max)
        if limit is None:
            continue
        if score <= limit:
            limit = None
        else:
            out.add(day)
    return frozenset(out)


def usual_level(
    entries: Iterable[PainEntry], *, on: date, rules: PainRules = PAIN_RULES
) -> float | None:
    """The runner's usual pain: the median of rest-day and before-run scores in the
    ``baseline_window_days`` up to and including ``on``; None when there are none.

    Left out: the days of a flare (:func:`flare_days`, which also covers every score above
    ``acceptable_max``) and every day with a red flag, so a bad spell never becomes "usual".
    """
    listed = [e for e in entries if e.day <= on]
    start = on - timedelta(days=rules.baseline_window_days)
    skip = set(flare_days(listed, rules=rules))
    skip |= {e.day for e in listed if e.red_flags}
    scores = [
        e.score
        for e in listed
        if e.when in (PainWhen.REST_DAY, PainWhen.BEFORE)
        and start <= e.day <= on
        and e.day not in skip
        and e.score <= rules.acceptable_max
    ]
    return _median(scores)


def _belongs(entry: PainEntry, run: RunRef, *, only_run_that_day: bool) -> bool:
    if entry.activity_id is not None:
        return entry.activity_id == run.activity_id
    return only_run_that_day and entry.day == run.day


def next_morning_score(run: RunRef, entries: Iterable[PainEntry]) -> int | None:
    """The worst next-morning score the day after ``run`` (linked to it, or unlinked).

    A rest-day check-in on that day counts as the next-morning check-in when there is no
    next-morning one: the day after a run is usually a rest day, and its check-in tells the
    same thing.
    """
    after = run.day + timedelta(days=1)
    listed = [e for e in entries if e.day == after and e.activity_id in (None, run.activity_id)]
    morning = [e.score for e in listed if e.when is PainWhen.NEXT_MORNING]
    if morning:
        return max(morning)
    rest = [e.score for e in listed if e.when is PainWhen.REST_DAY]
    return max(rest) if rest else None


def check_run(
    run: RunRef,
    entries: Sequence[PainEntry],
    *,
    only_run_that_day: bool = True,
    rules: PainRules = PAIN_RULES,
) -> RunPainCheck:
    """Apply the pain-monitoring rules to one run (Silbernagel 2007; EVIDENCE.md section 8).

    Pain during and after: <= 2 safe, 3-5 acceptable, > 5 too much (the worst entry counts).
    Next morning: settled when the score is at or below the usual level rounded up (or within
    the safe zone while no usual level is known). A missing next-morning check-in is
    "not known yet", never fine.
    """

    def worst(when: PainWhen) -> int | None:
        scores = [
            e.score
            for e in entries
            if e.when is when and _belongs(e, run, only_run_that_day=only_run_that_day)
        ]
        return max(scores) if scores else None

    before, during, after = worst(PainWhen.BEFORE), worst(PainWhen.DURING), worst(PainWhen.AFTER)
    morning = next_morning_score(run, entries)
    usual = usual_level(entries, on=run.day, rules=rules)
    reasons: list[str] = []
    during_zone = pain_zone(during, rules) if during is not None else None
    after_zone = pain_zone(after, rules) if after is not None else None
    top = rules.acceptable_max
    if during_zone == "too-much":
        reasons.append(f"Pain during the run was {during}/10, above {top}: too much.")
    if after_zone == "too-much":
        reasons.append(f"Pain after the run was {after}/10, above {top}: too much.")
    settled: Settled
    if morning is None:
        settled = "not-known-yet"
        reasons.append("No next-morning check-in yet, so it is not known whether pain settled.")
    else:
        limit = math.ceil(usual) if usual is not None else rules.safe_max
        settled = "yes" if morning <= limit else "no"
        level = (
            f"your usual level (about {usual:g}/10)"
            if usual is not None
            else f"the safe zone (0-{rules.safe_max}; your usual level is not known yet)"
        )
        if settled == "no":
            reasons.append(f"Next morning pain was {morning}/10, above {level}: not settled.")
        else:
            reasons.append(f"Next morning pain was {morning}/10, back to {level}.")
    verdict: Verdict
    if during_zone == "too-much" or after_zone == "too-much" or settled == "no":
        verdict = "outside"
    elif settled == "not-known-yet":
        verdict = "not-known-yet"
    else:
        verdict = "within"
    return RunPainCheck(
        activity_id=run.activity_id,
        day=run.day,
        before=before,
        during=during,
        during_zone=during_zone,
        after=after,
        after_zone=after_zone,
        next_morning=morning,
        usual_level=usual,
        settled=settled,
        verdict=verdict,
        reasons=tuple(reasons),
    )


def check_runs(
    runs: Sequence[RunRef], entries: Sequence[PainEntry], *, rules: PainRules = PAIN_RULES
) -> tuple[RunPainCheck, ...]:
    """:func:`check_run` for each run; unlinked same-day entries count only on one-run days."""
    per_day: dict[date, int] = {}
    for run in runs:
        per_day[run.day] = per_day.get(run.day, 0) + 1
    return tuple(
        check_run(run, entries, only_run_that_day=per_day[run.day] == 1, rules=rules)
        for run in sorted(runs, key=lambda r: (r.day, r.activity_id))
    )


@dataclass(frozen=True, slots=True)
class MorningWeek:
    """Next-morning check-ins of one week (Monday to Sunday) and the change from the week
    before."""

    week_start: date
    mornings: int
    mean_score: float
    max_score: int
    stiffness_mornings: int
    stiffness_share: float
    pain_trend: Trend
    stiffness_trend: Trend


def _trend(now: float, before: float | None, threshold: float) -> Trend:
    if before is None:
        return "no-week-before"
    if now - before >= threshold - 1e-9:
        return "rising"
    if before - now >= threshold - 1e-9:
        return "falling"
    return "steady"


def weekly_morning_trend(
    entries: Iterable[PainEntry], *, rules: PainRules = PAIN_RULES
) -> tuple[MorningWeek, ...]:
    """Mean next-morning pain and the share of mornings with stiffness, per week, each compared
    with the calendar week just before (the model: morning pain and stiffness must not rise
    week to week; Silbernagel 2007)."""
    weeks: dict[date, list[PainEntry]] = {}
    for e in entries:
        if e.when is PainWhen.NEXT_MORNING:
            weeks.setdefault(e.day - timedelta(days=e.day.weekday()), []).append(e)
    out: list[MorningWeek] = []
    summary: dict[date, tuple[float, float]] = {}
    for start in sorted(weeks):
        found = weeks[start]
        mean = sum(e.score for e in found) / len(found)
        stiff = sum(1 for e in found if PainFeel.STIFFNESS in e.feels)
        share = stiff / len(found)
        summary[start] = (mean, share)
        prev = summary.get(start - timedelta(days=7))
        out.append(
            MorningWeek(
                week_start=start,
                mornings=len(found),
                mean_score=round(mean, 2),
                max_score=max(e.score for e in found),
                stiffness_mornings=stiff,
                stiffness_share=round(share, 3),
                pain_trend=_trend(mean, prev[0] if prev else None, rules.morning_rise_points),
                stiffness_trend=_trend(
                    share, prev[1] if prev else None, rules.stiffness_rise_share
                ),
            )
        )
    return tuple(out)


def advise_entry(entry: PainEntry, *, rules: PainRules = PAIN_RULES) -> tuple[str, ...]:
    """Short, calm coaching lines for an entry's score (Silbernagel 2007 zones), with the
    numbers in force."""
    zone = pain_zone(entry.score, rules)
    words = rules.zone_words()
    top = rules.acceptable_max
    lasting = (
        f"If pain above {top} keeps coming back or has not settled within a few days, see a "
        "physiotherapist or doctor."
    )
    severe = (
        f"Pain of {rules.severe_min} or more is severe: see a physiotherapist or doctor before "
        "you run again."
    )
    if entry.when in (PainWhen.DURING, PainWhen.AFTER):
        if zone == "safe":
            return (f"{entry.score}/10 is in the {words['safe']} zone.",)
        if zone == "acceptable":
            return (
                f"{entry.score}/10 is {words['acceptable']} if it settles by tomorrow morning. "
                "Do a next-morning check-in: `backstride checkin`.",
            )
        return (
            f"{entry.score}/10 is more than the pain rules allow (above {top}). No run today: "
            "ease off, and check in tomorrow morning.",
            severe if entry.score >= rules.severe_min else lasting,
        )
    if zone == "too-much":
        return (
            f"{entry.score}/10 is high. Rest or gentle walking today rather than a run, and "
            "check in again tomorrow: until a lower score is recorded, backstride keeps the "
            "advice careful.",
            severe if entry.score >= rules.severe_min else lasting,
        )
    return ()
