"""The runner's profile: conditions, sex, experience, and the ages it is checked against."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from backstride.domain.pain import RiskContext
from backstride.domain.units import check_units
from backstride.errors import InvalidInputError

MAX_TEXT_CHARS = 500


class Condition(enum.StrEnum):
    LUMBAR_SPINAL_STENOSIS = "lumbar-spinal-stenosis"
    DISC_HERNIATION = "disc-herniation"
    SPONDYLOLISTHESIS = "spondylolisthesis"
    OTHER_SPINE = "other-spine"
    HIP_PROBLEM = "hip-problem"
    OSTEOPOROSIS = "osteoporosis"
    RECENT_ILLNESS = "recent-illness"
    HEART_CONDITION = "heart-condition"
    IMMUNOSUPPRESSION = "immunosuppression"
    LONG_TERM_STEROIDS = "long-term-steroids"
    PAST_CANCER = "past-cancer"


SPINE_CONDITIONS = frozenset(
    {
        Condition.LUMBAR_SPINAL_STENOSIS,
        Condition.DISC_HERNIATION,
        Condition.SPONDYLOLISTHESIS,
        Condition.OTHER_SPINE,
    }
)

CONDITION_WORDS: Mapping[Condition, str] = {
    Condition.LUMBAR_SPINAL_STENOSIS: "lumbar spinal stenosis",
    Condition.DISC_HERNIATION: "a disc herniation",
    Condition.SPONDYLOLISTHESIS: "spondylolisthesis",
    Condition.OTHER_SPINE: "a spine condition",
    Condition.HIP_PROBLEM: "a hip problem",
    Condition.OSTEOPOROSIS: "osteoporosis",
    Condition.RECENT_ILLNESS: "a recent illness",
    Condition.HEART_CONDITION: "a heart condition",
    Condition.IMMUNOSUPPRESSION: "a weakened immune system (from medicines or an illness)",
    Condition.LONG_TERM_STEROIDS: "steroid tablets taken now or for months in the past",
    Condition.PAST_CANCER: "cancer now or in the past",
}


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


class Experience(enum.StrEnum):
    NEW = "new"
    RETURNING = "returning"
    REGULAR = "regular"


def _parse_choice(text: str, enum_cls: type[enum.StrEnum], what: str) -> str:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    values = [m.value for m in enum_cls]
    if key not in values:
        raise InvalidInputError(
            f"'{text}' is not a known {what}.", hint=f"Choose one of: {', '.join(values)}."
        )
    return key


def parse_conditions(values: Iterable[str]) -> tuple[Condition, ...]:
    """Condition names (repeated or comma-separated), in vocabulary order, without repeats."""
    found: set[Condition] = set()
    for value in values:
        for part in value.split(","):
            if part.strip():
                found.add(Condition(_parse_choice(part, Condition, "condition")))
    order = list(Condition)
    return tuple(sorted(found, key=order.index))


def parse_sex(text: str) -> Sex:
    return Sex(_parse_choice(text, Sex, "value for sex"))


def parse_experience(text: str) -> Experience:
    return Experience(_parse_choice(text, Experience, "running experience"))


@dataclass(frozen=True, slots=True)
class Profile:
    """What backstride knows about the runner. Heart rates in beats per minute."""

    birth_year: int | None = None
    sex: Sex = Sex.UNSPECIFIED
    resting_hr_bpm: int | None = None
    max_hr_bpm: int | None = None
    conditions: tuple[Condition, ...] = ()
    past_injuries: tuple[str, ...] = ()
    experience: Experience | None = None
    spine_surgery_on: date | None = None  # the last operation on the spine
    spine_injection_on: date | None = None  # the last injection into the spine
    pregnant_since: date | None = None  # the day the runner recorded a pregnancy
    units: str | None = None  # km or mi for distances; None: not chosen (the settings say)

    @property
    def spine_conditions(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c in SPINE_CONDITIONS)

    @property
    def has_stenosis(self) -> bool:
        return Condition.LUMBAR_SPINAL_STENOSIS in self.conditions

    @property
    def pregnant(self) -> bool:
        return self.pregnant_since is not None

    def age_range(self, on: date) -> tuple[int, int] | None:
        """The youngest and oldest the runner can be on ``on`` from the birth year alone."""
        if self.birth_year is None:
            return None
        oldest = on.year - self.birth_year
        return max(oldest - 1, 0), oldest

    def maybe_under(self, age: int, *, on: date) -> bool:
        """True when the runner may still be younger than ``age`` on ``on`` (without the
        birthday, a runner born in 2010 may be 15 or 16 in 2026)."""
        ages = self.age_range(on)
        return ages is not None and ages[0] < age

    def at_least(self, age: int, *, on: date) -> bool:
        """True when the runner is ``age`` or older on ``on`` at the latest this year."""
        ages = self.age_range(on)
        return ages is not None and ages[1] >= age

    @property
    def risk(self) -> RiskContext:
        """What the profile adds to the red flags (see :func:`backstride.domain.pain.triage`)."""
        return RiskContext(
            immunosuppressed=Condition.IMMUNOSUPPRESSION in self.conditions,
            fragile_bones=bool(
                {Condition.OSTEOPOROSIS, Condition.LONG_TERM_STEROIDS} & set(self.conditions)
            ),
        )


YOUNGEST_AGE = 12  # backstride's plans are written for runners aged 12 and over
OLDEST_AGE = 110
CLEARANCE_UNDER_AGE = 16  # under 16: a clinician clears any plan first
NEW_PAIN_CHECK_AGE = 50  # 50 or over with new back pain: a doctor checks it once


def validate_profile(profile: Profile, *, today: date) -> Profile:
    """Refuse values no runner has: a birth year that makes the runner younger than 12 or
    older than 110, impossible heart rates, spine procedures or a pregnancy in the future."""
    if profile.birth_year is not None:
        earliest, latest = today.year - OLDEST_AGE, today.year - YOUNGEST_AGE
        if not earliest <= profile.birth_year <= latest:
            raise InvalidInputError(
                f"Birth year {profile.birth_year} is not plausible for a runner using backstride.",
                hint=f"Give a year between {earliest} and {latest}: backstride is written for "
                f"runners aged {YOUNGEST_AGE} and over (under {CLEARANCE_UNDER_AGE}, a "
                "clinician clears any plan first).",
            )
    for what, day in (
        ("spine operation", profile.spine_surgery_on),
        ("spine injection", profile.spine_injection_on),
        ("pregnancy", profile.pregnant_since),
    ):
        if day is not None and not date(1990, 1, 1) <= day <= today:
            raise InvalidInputError(
                f"The date of the {what} ({day.isoformat()}) must be between 1990 and today.",
                hint=f"Today is {today.isoformat()}.",
            )
    if profile.units is not None and check_units(profile.units) != profile.units:
        raise InvalidInputError(f"'{profile.units}' is not a choice of units.")
    if profile.resting_hr_bpm is not None and not 25 <= profile.resting_hr_bpm <= 120:
        raise InvalidInputError(
            f"A resting heart rate of {profile.resting_hr_bpm} bpm is out of range.",
            hint="Measure it lying quietly in the morning; it is usually between 40 and 90 bpm.",
        )
    if profile.max_hr_bpm is not None and not 100 <= profile.max_hr_bpm <= 230:
        raise InvalidInputError(
            f"A maximum heart rate of {profile.max_hr_bpm} bpm is out of range.",
            hint="Use the highest value your watch has recorded in a hard effort (100-230 bpm).",
        )
    if (
        profile.resting_hr_bpm is not None
        and profile.max_hr_bpm is not None
        and profile.resting_hr_bpm >= profile.max_hr_bpm
    ):
        raise InvalidInputError(
            f"The resting heart rate ({profile.resting_hr_bpm} bpm) must be below the maximum "
            f"({profile.max_hr_bpm} bpm)."
        )
    for injury in profile.past_injuries:
        if not injury.strip() or len(injury) > MAX_TEXT_CHARS:
            raise InvalidInputError(
                f"Each past injury must be 1 to {MAX_TEXT_CHARS} characters of text."
            )
    return profile
