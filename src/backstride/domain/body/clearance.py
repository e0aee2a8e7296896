"""Whether a clinician should clear the runner first: the clearance record, the reasons from
the profile, the screening and the pain diary, and the state the plan and the pages read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from backstride.domain.body.profile import (
    CLEARANCE_UNDER_AGE,
    CONDITION_WORDS,
    MAX_TEXT_CHARS,
    NEW_PAIN_CHECK_AGE,
    Condition,
    Profile,
)
from backstride.domain.body.screening import (
    SCREENING_SOURCE,
    Screening,
)
from backstride.domain.body.status import (
    REGULAR_RUNS_A_WEEK,
    REGULAR_WEEKS,
)
from backstride.domain.evidence import cite
from backstride.domain.pain import PainEntry
from backstride.errors import InvalidInputError

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
