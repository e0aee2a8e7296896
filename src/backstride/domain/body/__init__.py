"""The runner's body: profile, pre-participation screening, and whether clearance is needed.

Pure: no I/O, no clock. The screening questions are backstride's own wording; they cover the
domains of the PAR-Q+ (Warburton) and the inputs of the ACSM 2015 pre-participation algorithm
(Riebe 2015, MSSE 47:2473-9), summarised in docs/evidence.md, without reproducing either.

Clearance rules (docs/evidence.md; docs/body.md):
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

from backstride.domain.body.clearance import (
    Clearance,
    ClearanceReason,
    ClearanceState,
    ClearanceStatus,
    clearance_needed,
    first_back_pain_day,
    validate_clearance,
)
from backstride.domain.body.profile import (
    CLEARANCE_UNDER_AGE,
    CONDITION_WORDS,
    MAX_TEXT_CHARS,
    NEW_PAIN_CHECK_AGE,
    OLDEST_AGE,
    SPINE_CONDITIONS,
    YOUNGEST_AGE,
    Condition,
    Experience,
    Profile,
    Sex,
    parse_conditions,
    parse_experience,
    parse_sex,
    validate_profile,
)
from backstride.domain.body.screening import (
    QUESTIONS_BY_KEY,
    SCREENING_QUESTIONS,
    SCREENING_SOURCE,
    QuestionKind,
    Screening,
    ScreeningQuestion,
    parse_screening,
)
from backstride.domain.body.status import (
    EXPERIENCE_WORDS,
    REGULAR_RUNS_A_WEEK,
    REGULAR_WEEKS,
    RETURNING_AFTER_DAYS,
    TrainingStatus,
    training_status,
)

__all__ = [
    "CLEARANCE_UNDER_AGE",
    "CONDITION_WORDS",
    "Clearance",
    "ClearanceReason",
    "ClearanceState",
    "ClearanceStatus",
    "Condition",
    "EXPERIENCE_WORDS",
    "Experience",
    "MAX_TEXT_CHARS",
    "NEW_PAIN_CHECK_AGE",
    "OLDEST_AGE",
    "Profile",
    "QUESTIONS_BY_KEY",
    "QuestionKind",
    "REGULAR_RUNS_A_WEEK",
    "REGULAR_WEEKS",
    "RETURNING_AFTER_DAYS",
    "SCREENING_QUESTIONS",
    "SCREENING_SOURCE",
    "SPINE_CONDITIONS",
    "Screening",
    "ScreeningQuestion",
    "Sex",
    "TrainingStatus",
    "YOUNGEST_AGE",
    "clearance_needed",
    "first_back_pain_day",
    "parse_conditions",
    "parse_experience",
    "parse_screening",
    "parse_sex",
    "training_status",
    "validate_clearance",
    "validate_profile",
]
