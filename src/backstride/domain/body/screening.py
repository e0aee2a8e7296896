"""The screening questions (their source, words and answers) and a screening read from answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from backstride.domain.evidence import cite
from backstride.errors import InvalidInputError

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
