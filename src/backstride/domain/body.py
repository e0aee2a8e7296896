"""The runner's body: profile, pre-participation screening, and whether clearance is needed.

Pure: no I/O, no clock. The screening questions are backstride's own wording; they cover the
domains of the PAR-Q+ (Warburton) and the inputs of the ACSM 2015 pre-participation algorithm
(Riebe 2015, MSSE 47:2473-9), summarised in EVIDENCE.md section 7, without reproducing either.

Clearance rules (EVIDENCE.md "Implications" 12; DESIGN.md "Safety"):
- a spine diagnosis (including lumbar spinal stenosis) needs a physician's clearance before any
  plan; so does a known heart condition (ACSM: known cardiovascular disease) and osteoporosis
  (fracture risk with impact; backstride's conservative choice);
- any "yes" to a health question of the screening needs clearance (PAR-Q+: any "yes" leads to
  follow-up questions or a professional; backstride has no follow-ups, so: a professional);
- the neurogenic-claudication pattern without a stenosis diagnosis needs a physician's
  assessment (NASS 2011; Suri 2010).
A clearance covers a reason when it is dated on or after the day the reason arose (profile
conditions carry no date, so any clearance covers them). Until screening is done, plans wait.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

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

    @property
    def spine_conditions(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c in SPINE_CONDITIONS)

    @property
    def has_stenosis(self) -> bool:
        return Condition.LUMBAR_SPINAL_STENOSIS in self.conditions


def validate_profile(profile: Profile, *, today: date) -> Profile:
    """Refuse values no runner has: a birth year in the future, impossible heart rates."""
    if profile.birth_year is not None:
        latest = today.year - 10
        if not 1900 <= profile.birth_year <= latest:
            raise InvalidInputError(
                f"Birth year {profile.birth_year} is not plausible.",
                hint=f"Give a year between 1900 and {latest}.",
            )
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


# --- screening --------------------------------------------------------------------------------

QuestionKind = Literal["health", "habit", "intensity"]


@dataclass(frozen=True, slots=True)
class ScreeningQuestion:
    """One yes/no screening question (backstride's own wording).

    ``kind``: "health" questions call for clearance when answered yes; "habit" (regular
    exercise) and "intensity" (hard training wanted) are the other ACSM 2015 inputs and only
    shape the advice.
    """

    key: str
    text: str
    domain: str
    kind: QuestionKind = "health"


SCREENING_SOURCE = (
    "Covers the domains of the PAR-Q+ (Warburton) and the ACSM 2015 algorithm (Riebe 2015, "
    "MSSE 47:2473-9); EVIDENCE.md section 7"
)

SCREENING_QUESTIONS: tuple[ScreeningQuestion, ...] = (
    ScreeningQuestion(
        "heart-or-blood-pressure",
        "Do you have a heart or circulation problem, or high blood pressure, that a health "
        "professional has diagnosed?",
        "heart and blood pressure",
    ),
    ScreeningQuestion(
        "chest-discomfort",
        "Do you ever get pain, pressure or tightness in your chest, whether resting, going "
        "about your day, or exercising?",
        "signs of heart disease",
    ),
    ScreeningQuestion(
        "fainting-or-dizziness",
        "Over the past year, have you passed out, or had dizzy spells that made you lose your "
        "balance? (Answer no if it only happened while out of breath from a hard effort.)",
        "signs of heart disease; balance",
    ),
    ScreeningQuestion(
        "breathless-or-palpitations",
        "Does light effort, such as one flight of stairs, leave you unusually short of breath, "
        "give you a racing or fluttering heartbeat, or swollen ankles?",
        "signs of heart or lung disease",
    ),
    ScreeningQuestion(
        "calf-pain-walking",
        "Do your calves cramp or ache when you walk, and settle after a few minutes of "
        "standing still?",
        "signs of circulation problems in the legs",
    ),
    ScreeningQuestion(
        "diabetes-or-kidney",
        "Do you have diabetes (type 1 or 2) or kidney disease?",
        "metabolic and kidney disease",
    ),
    ScreeningQuestion(
        "other-long-term-condition",
        "Do you live with another long-term condition that a health professional looks after, "
        "for example lung disease, cancer, arthritis or a nerve condition?",
        "other long-term conditions",
    ),
    ScreeningQuestion(
        "regular-medication",
        "Do you take prescribed medicine regularly for a long-term condition?",
        "medication",
    ),
    ScreeningQuestion(
        "bone-joint-worse",
        "Do you have a bone, joint, muscle or nerve problem (your back included) that got "
        "worse when you were active in the past year, or that you were told exercise could "
        "make worse?",
        "bones, joints and nerves",
    ),
    ScreeningQuestion(
        "told-to-limit-exercise",
        "Has a doctor or other health professional told you to exercise only under "
        "supervision, or to avoid exercise for now?",
        "professional advice",
    ),
    ScreeningQuestion(
        "regularly-active",
        "For the last three months, have you done planned exercise on at least three days a "
        "week, about 30 minutes each time, at an effort that makes you breathe harder?",
        "current exercise habit",
        kind="habit",
    ),
    ScreeningQuestion(
        "wants-hard-training",
        "Do you want to train hard, at efforts where you can only say a few words at a time, "
        "rather than easy runs and run/walk?",
        "intended intensity",
        kind="intensity",
    ),
)

QUESTIONS_BY_KEY: Mapping[str, ScreeningQuestion] = {q.key: q for q in SCREENING_QUESTIONS}

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _answer(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    raise InvalidInputError(
        f"The answer to '{key}' must be yes or no (true or false), got {value!r}."
    )


@dataclass(frozen=True, slots=True)
class Screening:
    """A complete set of screening answers, given on ``answered_on``."""

    answered_on: date
    answers: Mapping[str, bool]

    @property
    def yes_health(self) -> tuple[ScreeningQuestion, ...]:
        return tuple(
            q for q in SCREENING_QUESTIONS if q.kind == "health" and self.answers.get(q.key)
        )


def parse_screening(answers: Mapping[str, object], *, answered_on: date) -> Screening:
    """Check that every question is answered with yes/no and nothing unknown is given."""
    unknown = sorted(set(answers) - set(QUESTIONS_BY_KEY))
    if unknown:
        raise InvalidInputError(
            f"Unknown screening question{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            hint=f"The questions are: {', '.join(QUESTIONS_BY_KEY)}.",
        )
    missing = [q.key for q in SCREENING_QUESTIONS if q.key not in answers]
    if missing:
        raise InvalidInputError(
            f"Please answer every screening question; missing: {', '.join(missing)}.",
        )
    clean = {q.key: _answer(q.key, answers[q.key]) for q in SCREENING_QUESTIONS}
    return Screening(answered_on=answered_on, answers=clean)


# --- clearance --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clearance:
    """A physician's clearance, as the runner records it."""

    on: date
    by: str
    restrictions: str | None = None
    notes: str | None = None
    id: int | None = None


def validate_clearance(clearance: Clearance, *, today: date) -> Clearance:
    if clearance.on > today:
        raise InvalidInputError(
            f"{clearance.on.isoformat()} is in the future; record a clearance once it is given.",
            hint=f"Today is {today.isoformat()}.",
        )
    if not clearance.by.strip():
        raise InvalidInputError(
            "Say who gave the clearance (--by), e.g. 'Dr Jones, GP'.",
        )
    for text in (clearance.by, clearance.restrictions or "", clearance.notes or ""):
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInputError(f"Clearance texts are limited to {MAX_TEXT_CHARS} characters.")
    return clearance


@dataclass(frozen=True, slots=True)
class ClearanceReason:
    """Why a physician's clearance is needed; ``since`` is when the reason arose, if known."""

    code: str
    text: str
    source: str
    since: date | None = None


ClearanceStatus = Literal["needed", "not-screened", "cleared", "not-needed"]


@dataclass(frozen=True, slots=True)
class ClearanceState:
    """Whether plans may start. Logging and analysis never wait for clearance."""

    status: ClearanceStatus
    reasons: tuple[ClearanceReason, ...]
    uncovered: tuple[ClearanceReason, ...]
    notes: tuple[str, ...]
    clearance: Clearance | None
    screened_on: date | None
    message: str

    @property
    def plans_allowed(self) -> bool:
        return self.status in ("cleared", "not-needed")


_SPINE_SOURCE = "PAR-Q+ (Warburton); Riebe 2015 (ACSM); EVIDENCE.md implication 12"


def _profile_reasons(profile: Profile) -> list[ClearanceReason]:
    reasons: list[ClearanceReason] = []
    for cond in profile.spine_conditions:
        reasons.append(
            ClearanceReason(
                f"condition:{cond.value}",
                f"You have {CONDITION_WORDS[cond]}: a physician should confirm that a running "
                "plan suits you before one starts.",
                _SPINE_SOURCE,
            )
        )
    if Condition.HEART_CONDITION in profile.conditions:
        reasons.append(
            ClearanceReason(
                "condition:heart-condition",
                "You have a heart condition: ask your doctor before starting a running plan.",
                "ACSM 2015 algorithm (Riebe 2015): known cardiovascular disease",
            )
        )
    if Condition.OSTEOPOROSIS in profile.conditions:
        reasons.append(
            ClearanceReason(
                "condition:osteoporosis",
                "You have osteoporosis: ask your doctor whether running impact is right for your "
                "bones before a plan starts.",
                "PAR-Q+ bone and joint domain; backstride's conservative choice",
            )
        )
    return reasons


def _screening_reasons(screening: Screening) -> list[ClearanceReason]:
    return [
        ClearanceReason(
            f"screening:{q.key}",
            f"You answered yes to a question about {q.domain}: check with a physician "
            "before starting a plan.",
            SCREENING_SOURCE,
            since=screening.answered_on,
        )
        for q in screening.yes_health
    ]


def _notes(
    profile: Profile, screening: Screening | None, *, regularly_active: bool | None = None
) -> list[str]:
    notes: list[str] = []
    if Condition.HIP_PROBLEM in profile.conditions:
        notes.append(
            "With a hip problem, plans build up more slowly; tell your physiotherapist about "
            "any hip pain during runs."
        )
    if Condition.RECENT_ILLNESS in profile.conditions:
        notes.append(
            "After a recent illness, wait until you feel well and start gently; if the illness "
            "brought a fever, chest symptoms or affected the heart, ask your doctor first."
        )
    if profile.past_injuries:
        notes.append("Past injuries make plans progress more conservatively.")
    if screening is not None:
        active = screening.answers.get("regularly-active", False) or bool(regularly_active)
        hard = screening.answers.get("wants-hard-training", False)
        if regularly_active and not screening.answers.get("regularly-active", False):
            notes.append(
                f"Your records show {REGULAR_RUNS_A_WEEK} or more runs in each of the last "
                f"{REGULAR_WEEKS} weeks: you are exercising regularly now. Keep building up "
                "gradually (ACSM 2015, Riebe 2015)."
            )
        if not active:
            notes.append(
                "You are not exercising regularly yet: start with easy run/walk sessions and "
                "build up the effort gradually (ACSM 2015, Riebe 2015)."
            )
        elif hard and screening.yes_health:
            notes.append(
                "Ask your doctor specifically about hard training, as you plan to train hard "
                "(ACSM 2015, Riebe 2015)."
            )
    return notes


def clearance_needed(
    profile: Profile,
    screening: Screening | None,
    clearances: Sequence[Clearance],
    *,
    claudication_since: date | None = None,
    regularly_active: bool | None = None,
) -> ClearanceState:
    """Whether a physician's clearance is needed before a plan, and why.

    ``regularly_active``: whether her records show regular training now
    (:func:`training_status`); None when not judged (the screening answer stands).

    ``claudication_since`` is the first day the walking/standing leg-symptom pattern was
    recorded (see :func:`backstride.domain.pain.first_claudication_day`); it needs an
    assessment only without a stenosis diagnosis (NASS 2011; Suri 2010).
    """
    reasons = _profile_reasons(profile)
    if screening is not None:
        reasons.extend(_screening_reasons(screening))
    if claudication_since is not None and not profile.has_stenosis:
        reasons.append(
            ClearanceReason(
                "pattern:walking-leg-symptoms",
                "You recorded leg symptoms that come on with walking or standing and ease with "
                "sitting or bending forward: a physician should assess this.",
                "NASS 2011 guideline; Suri 2010, JAMA 304:2628-36",
                since=claudication_since,
            )
        )
    latest = max(clearances, key=lambda c: (c.on, c.id or 0)) if clearances else None

    def covered(reason: ClearanceReason) -> bool:
        if latest is None:
            return False
        return reason.since is None or latest.on >= reason.since

    uncovered = tuple(r for r in reasons if not covered(r))
    notes = tuple(_notes(profile, screening, regularly_active=regularly_active))
    screened_on = screening.answered_on if screening is not None else None
    status: ClearanceStatus
    if uncovered:
        status = "needed"
        message = (
            "A physician's clearance is needed before a running plan starts. Logging runs and "
            "pain works as usual. When you have it, record it with "
            "`backstride clearance add --on DATE --by NAME`."
        )
        if latest is not None:
            message += (
                f" Your clearance of {latest.on.isoformat()} came before something new "
                "(listed below), so please check with your doctor again."
            )
    elif screening is None:
        status = "not-screened"
        message = (
            "Please answer the pre-participation screening (`backstride screen`) before a "
            "running plan starts."
        )
    elif reasons:
        status = "cleared"
        assert latest is not None
        message = f"Cleared by {latest.by} on {latest.on.isoformat()}."
        if latest.restrictions:
            message += f" Restrictions: {latest.restrictions}."
    else:
        status = "not-needed"
        message = (
            "No clearance is needed from your answers. Start gently, and answer the screening "
            "again if your health changes."
        )
    return ClearanceState(
        status=status,
        reasons=tuple(reasons),
        uncovered=uncovered,
        notes=notes,
        clearance=latest,
        screened_on=screened_on,
        message=message,
    )


# --- training status from the records (issue 13.3) -------------------------------------------

#: Regular training: at least this many runs in each of the last REGULAR_WEEKS weeks
#: (backstride's reading of ACSM's "regular exercise": planned exercise on most weeks, ACSM
#: 2015, Riebe 2015; the number of weeks is backstride's choice).
REGULAR_WEEKS = 4
REGULAR_RUNS_A_WEEK = 2
#: A runner who has not run for this many days is returning (the plan's long-pause rule).
RETURNING_AFTER_DAYS = 14

EXPERIENCE_WORDS: Mapping[Experience, str] = {
    Experience.NEW: "new to running",
    Experience.RETURNING: "returning after a break",
    Experience.REGULAR: "running regularly",
}


@dataclass(frozen=True, slots=True)
class TrainingStatus:
    """Her running experience as backstride uses it: from her records when they say enough,
    else her own answer in the profile."""

    experience: Experience | None
    from_records: bool
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "experience": self.experience.value if self.experience else None,
            "from_records": self.from_records,
            "reason": self.reason,
        }


def training_status(
    stated: Experience | None, run_days: Iterable[date], *, today: date
) -> TrainingStatus:
    """``regular`` once each of the last :data:`REGULAR_WEEKS` weeks (7-day blocks up to
    ``today``) holds :data:`REGULAR_RUNS_A_WEEK` runs or more; ``returning`` when she said
    regular but has not run for :data:`RETURNING_AFTER_DAYS` days; else her own answer."""
    days = sorted(d for d in run_days if d <= today)
    ends = [today - timedelta(days=7 * k) for k in range(REGULAR_WEEKS)]
    counts = [sum(1 for d in days if end - timedelta(days=7) < d <= end) for end in ends]
    if all(c >= REGULAR_RUNS_A_WEEK for c in counts):
        return TrainingStatus(
            Experience.REGULAR,
            True,
            f"Your records show {REGULAR_RUNS_A_WEEK} or more runs in each of the last "
            f"{REGULAR_WEEKS} weeks: running regularly.",
        )
    if stated is Experience.REGULAR and days:
        gap = (today - days[-1]).days
        if gap >= RETURNING_AFTER_DAYS:
            return TrainingStatus(
                Experience.RETURNING,
                True,
                f"Your last run was {gap} days ago: after a break of two weeks or more you are "
                "returning to running.",
            )
    if stated is None:
        return TrainingStatus(None, False, "Not given in your profile.")
    return TrainingStatus(stated, False, f"Your profile says: {EXPERIENCE_WORDS[stated]}.")
