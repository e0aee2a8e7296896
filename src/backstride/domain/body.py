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
  assessment (NASS 2011; Suri 2010);
- long-term steroids and a weakened immune system (fracture and infection risk; NICE CKS,
  IFOMPT 2020); a runner who may be under 16; back pain that no doctor has diagnosed at 50 or
  over, or with a past cancer (NICE CKS red flags); an operation or injection on the spine
  (dated); a pregnancy (dated; ACOG 2020).
A clearance covers a reason when it is dated on or after the day the reason arose (profile
conditions carry no date, so any clearance covers them). Until screening is done, plans wait.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.evidence import cite
from backstride.domain.pain import PainEntry, RiskContext
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


SCREENING_SOURCE = cite(
    "parq-plus", "riebe-2015", note="the questions cover their topics in backstride's words"
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


_SPINE_SOURCE = cite(
    "parq-plus",
    "riebe-2015",
    note=(
        "these screen for heart, metabolic and kidney disease and general health; asking a "
        "physician about a spine condition is backstride's conservative extension (expert "
        "opinion, not a trial)"
    ),
)
_RED_FLAG_AGE_SOURCE = cite(
    "nice-cks",
    "ifompt-2020",
    note="new back pain at 50 or over, a history of cancer: signs of a cause that needs tests",
)
_PROCEDURE_SOURCE = (
    "backstride's conservative choice (expert opinion): after an operation or injection on the "
    "spine, the team that did it says when running may start"
)


def _profile_reasons(
    profile: Profile, *, today: date | None, back_pain_since: date | None
) -> list[ClearanceReason]:
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
                f"{cite('riebe-2015')}: known cardiovascular disease",
            )
        )
    if Condition.OSTEOPOROSIS in profile.conditions:
        reasons.append(
            ClearanceReason(
                "condition:osteoporosis",
                "You have osteoporosis: ask your doctor whether running impact is right for your "
                "bones before a plan starts.",
                f"{cite('parq-plus')} bone and joint domain; backstride's conservative choice",
            )
        )
    if Condition.LONG_TERM_STEROIDS in profile.conditions:
        reasons.append(
            ClearanceReason(
                "condition:long-term-steroids",
                "You take steroid tablets, or took them for months: they can thin the bones, so "
                "ask your doctor whether running impact suits you before a plan starts.",
                cite(
                    "nice-cks",
                    "ifompt-2020",
                    note="steroids: fracture risk; backstride's conservative choice",
                ),
            )
        )
    if Condition.IMMUNOSUPPRESSION in profile.conditions:
        reasons.append(
            ClearanceReason(
                "condition:immunosuppression",
                "Your immune system is weakened by medicines or an illness: back pain is more "
                "often an infection then, so ask your doctor before a running plan starts.",
                f"{cite('nice-cks')}; {cite('ifompt-2020')} (immunosuppression: infection risk)",
            )
        )
    if Condition.PAST_CANCER in profile.conditions and back_pain_since is not None:
        reasons.append(
            ClearanceReason(
                "condition:past-cancer",
                "You have had cancer and recorded back pain: a doctor should check the back "
                "pain once before a running plan starts.",
                _RED_FLAG_AGE_SOURCE,
                since=back_pain_since,
            )
        )
    if today is not None and profile.maybe_under(CLEARANCE_UNDER_AGE, on=today):
        reasons.append(
            ClearanceReason(
                "profile:under-16",
                f"You may be under {CLEARANCE_UNDER_AGE}: young runners' backs are still "
                "growing, so a doctor or physiotherapist should clear a running plan first.",
                "backstride's conservative choice (expert opinion): the evidence behind the "
                "plans comes from adults",
            )
        )
    if (
        today is not None
        and back_pain_since is not None
        and not profile.spine_conditions
        and profile.at_least(NEW_PAIN_CHECK_AGE, on=today)
    ):
        reasons.append(
            ClearanceReason(
                "profile:back-pain-over-50",
                f"You are {NEW_PAIN_CHECK_AGE} or over and recorded back pain that no doctor "
                "has diagnosed: a doctor should check it once before a running plan starts.",
                _RED_FLAG_AGE_SOURCE,
                since=back_pain_since,
            )
        )
    for code, what, day in (
        ("procedure:spine-surgery", "an operation on your spine", profile.spine_surgery_on),
        ("procedure:spine-injection", "an injection into your spine", profile.spine_injection_on),
    ):
        if day is not None:
            reasons.append(
                ClearanceReason(
                    code,
                    f"You had {what} on {day.isoformat()}: the team that treated you should say "
                    "when you may run; no plan starts before a clearance dated after it.",
                    _PROCEDURE_SOURCE,
                    since=day,
                )
            )
    if profile.pregnant_since is not None:
        reasons.append(
            ClearanceReason(
                "profile:pregnancy",
                "You are pregnant: ask your midwife or doctor whether running suits you now "
                "(and again after the birth) before a plan starts.",
                f"{cite('acog-2020')} Committee Opinion 804 (exercise in pregnancy); backstride's "
                "conservative choice",
                since=profile.pregnant_since,
            )
        )
    return reasons


def first_back_pain_day(entries: Iterable[PainEntry], *, above: int = 2) -> date | None:
    """The first day with a pain score above ``above`` (past the safe zone), if any."""
    days = [e.day for e in entries if e.score > above]
    return min(days) if days else None


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
    if profile.pregnant_since is not None:
        notes.append(
            "During pregnancy, keep running to what you did before: no build-up in distance or "
            "effort, stop if anything feels wrong, and follow your midwife or doctor "
            f"({cite('acog-2020')})."
        )
    if screening is not None:
        active = screening.answers.get("regularly-active", False) or bool(regularly_active)
        hard = screening.answers.get("wants-hard-training", False)
        if regularly_active and not screening.answers.get("regularly-active", False):
            notes.append(
                f"Your records show {REGULAR_RUNS_A_WEEK} or more runs in each of the last "
                f"{REGULAR_WEEKS} weeks: you are exercising regularly now. Keep building up "
                f"gradually ({cite('riebe-2015')})."
            )
        if not active:
            notes.append(
                "You are not exercising regularly yet: start with easy run/walk sessions and "
                f"build up the effort gradually ({cite('riebe-2015')})."
            )
        elif hard and screening.yes_health:
            notes.append(
                "Ask your doctor specifically about hard training, as you plan to train hard "
                f"({cite('riebe-2015')})."
            )
    return notes


def clearance_needed(
    profile: Profile,
    screening: Screening | None,
    clearances: Sequence[Clearance],
    *,
    claudication_since: date | None = None,
    regularly_active: bool | None = None,
    today: date | None = None,
    back_pain_since: date | None = None,
) -> ClearanceState:
    """Whether a physician's clearance is needed before a plan, and why.

    ``regularly_active``: whether her records show regular training now
    (:func:`training_status`); None when not judged (the screening answer stands).

    ``claudication_since`` is the first day the walking/standing leg-symptom pattern was
    recorded (see :func:`backstride.domain.pain.first_claudication_day`); it needs an
    assessment only without a stenosis diagnosis (NASS 2011; Suri 2010). ``back_pain_since``
    is the first day with pain past the safe zone (:func:`first_back_pain_day`): at 50 or over
    without a diagnosed spine condition, or with a past cancer, a doctor checks it once. The
    age rules need ``today`` (without it they are not applied).
    """
    reasons = _profile_reasons(profile, today=today, back_pain_since=back_pain_since)
    if screening is not None:
        reasons.extend(_screening_reasons(screening))
    if claudication_since is not None and not profile.has_stenosis:
        reasons.append(
            ClearanceReason(
                "pattern:walking-leg-symptoms",
                "You recorded leg symptoms that come on with walking or standing and ease with "
                "sitting or bending forward: a physician should assess this.",
                f"{cite('nass-2011')} guideline; {cite('suri-2010')}, JAMA 304:2628-36",
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
