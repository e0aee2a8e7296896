"""Warning signs read from the notes, red-flag triage, and the way back after a red flag (the
clinician's outcome, open flags, awaiting clearance)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from backstride.domain.pain.entry import (
    PainEntry,
)
from backstride.domain.pain.flags import (
    _FRACTURE,
    _INFECTION,
    NO_CONTEXT,
    RED_FLAG_SOURCE,
    RED_FLAGS,
    RedFlag,
    RiskContext,
    Urgency,
    flag_urgencies,
    most_urgent,
)
from backstride.domain.pain.sites import (
    NERVE_FEELS,
    PainFeel,
    PainSite,
)
from backstride.errors import InvalidInputError

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
