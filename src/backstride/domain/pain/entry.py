"""A pain entry, and reading one from what the runner typed (scores, sites, feels, flags)."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from backstride.domain.dates import EARLIEST_DAY
from backstride.domain.pain import sites
from backstride.domain.pain.flags import (
    RedFlag,
    Urgency,
    triage_urgency,
)
from backstride.errors import InvalidInputError

# --- parsing and validation -------------------------------------------------------------------


def _choices(enum_cls: type[enum.StrEnum]) -> str:
    return ", ".join(m.value for m in enum_cls)


def _split(values: Iterable[str]) -> list[str]:
    """Accept repeated values and comma-separated lists alike; blanks are dropped."""
    out: list[str] = []
    for value in values:
        out.extend(p.strip().lower() for p in value.split(",") if p.strip())
    return out


def parse_when(text: str) -> sites.PainWhen:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return sites.PainWhen(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a time for a pain check-in.",
            hint=f"Choose one of: {_choices(sites.PainWhen)}.",
        ) from None


_ALIASES: Mapping[str, str] = {"pins-and-needles": "tingling", "thoracic": "upper-back"}


def _parse_many(values: Iterable[str], enum_cls: type[sites.E], what: str) -> tuple[sites.E, ...]:
    found: list[sites.E] = []
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


def parse_sites(values: Iterable[str]) -> tuple[sites.PainSite, ...]:
    """``low-back,leg-left`` (comma-separated or repeated) -> sites, in vocabulary order."""
    return _parse_many(values, sites.PainSite, "place for pain")


def parse_feels(values: Iterable[str]) -> tuple[sites.PainFeel, ...]:
    return _parse_many(values, sites.PainFeel, "kind of pain")


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
    when: sites.PainWhen
    score: int
    where: tuple[sites.PainSite, ...] = ()
    feels: tuple[sites.PainFeel, ...] = ()
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
        if not isinstance(self.when, sites.PainWhen):
            raise InvalidInputError(f"'{self.when}' is not a time for a pain check-in.")
        if self.notes is not None and len(self.notes) > sites.MAX_NOTES_CHARS:
            raise InvalidInputError(f"Notes are limited to {sites.MAX_NOTES_CHARS:,} characters.")
        if self.when is sites.PainWhen.REST_DAY and self.activity_id is not None:
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
        below = set(self.where) & sites.BELOW_KNEE
        one_side = len(below) == 1 and not self.both_legs
        return one_side and (bool(set(self.feels) & sites.NERVE_FEELS) or self.worse_coughing)

    @property
    def both_legs(self) -> bool:
        where = set(self.where)
        return bool(where & sites.LEFT_LEG) and bool(where & sites.RIGHT_LEG)

    @property
    def urgency(self) -> Urgency | None:
        return triage_urgency(self.red_flags)
