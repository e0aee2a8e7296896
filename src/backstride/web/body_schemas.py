"""Pydantic models of the body API (profile, screening, clearance, pain diary, red flags,
self-tests, shoes), documented in ``/openapi.json``.

Responses mirror the services' ``to_json()`` (the same shapes as the CLI's ``--json``).
Requests are bounded (lengths, ranges, list sizes) and refuse unknown fields; the services
check the rest (dates in the future, plausibility) and answer 422 with a message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from backstride.domain.activity import Sport
from backstride.domain.body import MAX_TEXT_CHARS, Condition, Experience, Sex
from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY
from backstride.domain.pain import (
    MAX_NOTES_CHARS,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    SeenOutcome,
    Urgency,
)
from backstride.domain.selftest import SelfTestName
from backstride.domain.shoes import DEFAULT_INSPECT_KM, DEFAULT_RETIRE_KM, MAX_KM, MAX_NAME_CHARS

MAX_ID = 2**31 - 1
"""The largest id any table can hold (a 32-bit integer column on PostgreSQL): a larger one
in a request is refused as invalid (422) before it reaches the database."""
PageId = Annotated[int, Path(ge=1, le=MAX_ID, description="The id in the page's address.")]

Day = Annotated[dt.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
ShortText = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)]
Zone = Literal["safe", "acceptable", "too-much"]
ClearanceStatus = Literal["needed", "not-screened", "cleared", "not-needed"]
ShoeState = Literal["ok", "inspect", "retire", "retired"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- profile --------------------------------------------------------------------------------------


class ProfileOut(BaseModel):
    """The runner's profile (``backstride profile show --json``)."""

    stored: bool = Field(description="False until a profile has been saved.")
    birth_year: int | None
    sex: Sex
    resting_hr_bpm: int | None
    max_hr_bpm: int | None
    conditions: list[Condition]
    spine_conditions: list[Condition]
    past_injuries: list[str]
    experience: Experience | None
    spine_surgery_on: dt.date | None = Field(description="The last operation on the spine.")
    spine_injection_on: dt.date | None = Field(description="The last injection into the spine.")
    pregnant: bool
    pregnant_since: dt.date | None = Field(description="The day a pregnancy was recorded.")
    units: Literal["km", "mi"] | None = Field(
        default=None,
        description="The runner's choice of kilometres or miles for the pages (null: not "
        "chosen). The API's figures stay SI whatever it is.",
    )


class ProfileIn(_In):
    """Fields to set; leave out what stays as it is. ``conditions`` and ``past_injuries``
    replace the stored lists (an empty list clears them)."""

    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    sex: Sex | None = None
    resting_hr_bpm: int | None = Field(default=None, ge=25, le=120, description="bpm")
    max_hr_bpm: int | None = Field(default=None, ge=100, le=230, description="bpm")
    conditions: list[Condition] | None = Field(default=None, max_length=len(Condition))
    past_injuries: (
        list[Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]] | None
    ) = Field(default=None, max_length=50)
    experience: Experience | None = None
    spine_surgery_on: Day | None = Field(
        default=None, description="The last operation on the spine (null leaves it)."
    )
    spine_injection_on: Day | None = Field(
        default=None, description="The last injection into the spine (null leaves it)."
    )
    clear_spine_surgery: bool = False
    clear_spine_injection: bool = False
    pregnant: bool | None = Field(
        default=None, description="true records a pregnancy from today, false removes it."
    )
    units: Literal["km", "mi"] | None = Field(
        default=None, description="km or mi for the pages (null leaves it)."
    )


# --- screening and clearance ----------------------------------------------------------------------


class QuestionOut(BaseModel):
    """One yes/no screening question; ``health`` questions call for clearance when yes."""

    key: str
    text: str
    domain: str
    kind: Literal["health", "habit", "intensity"]


class ScreeningIn(_In):
    """Every question's answer, by key (``GET /api/screening/questions``)."""

    answers: dict[Annotated[str, StringConstraints(max_length=64)], bool] = Field(
        max_length=40, description="Question key to true (yes) or false (no); every key required."
    )
    on: Day | None = Field(default=None, description="The day answered; default today.")


class ClearanceOut(BaseModel):
    id: int | None
    on: dt.date
    by: str
    restrictions: str | None
    notes: str | None


class ClearanceReasonOut(BaseModel):
    code: str
    text: str
    source: str
    since: dt.date | None = Field(description="When the reason arose; null for conditions.")
    covered: bool = Field(description="A clearance dated on or after `since` covers it.")


class ClearanceStateOut(BaseModel):
    """Whether a physician's clearance is needed before a running plan, and why."""

    status: ClearanceStatus
    plans_allowed: bool
    message: str
    reasons: list[ClearanceReasonOut]
    notes: list[str]
    clearance: ClearanceOut | None = Field(description="The latest clearance, if any.")
    screened_on: dt.date | None


class ScreeningSavedOut(BaseModel):
    answered_on: dt.date
    answers: dict[str, bool]
    yes_to: list[str] = Field(description="Health questions answered yes.")
    source: str
    clearance: ClearanceStateOut


class ClearanceIn(_In):
    """A physician's clearance as given: when, by whom, and any restrictions."""

    on: Day
    by: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS)]
    restrictions: ShortText | None = None
    notes: ShortText | None = None


class ClearanceListOut(BaseModel):
    clearances: list[ClearanceOut]
    state: ClearanceStateOut


# --- pain diary and red flags ---------------------------------------------------------------------


class TriageOut(BaseModel):
    """The urgent-care answer for red flags: show ``headline`` before anything else."""

    urgency: Urgency
    flags: list[RedFlag]
    headline: str
    what_it_may_mean: str
    where_to_go: str
    meanwhile: str
    source: str


class AdviceOut(BaseModel):
    code: str
    text: str
    source: str
    blocks_plans: bool


class SuspicionOut(BaseModel):
    """A warning sign the entry's places, feelings or notes may describe: answer it with
    ``POST /api/pain/{id}/warning-signs``; until then the advice keeps you from running."""

    flag: RedFlag
    because: str
    question: str
    plain: str
    urgency_if_yes: Urgency
    if_yes: str


class PainEntryOut(BaseModel):
    id: int | None
    day: dt.date
    when: PainWhen
    score: int = Field(ge=0, le=10)
    zone: Zone
    activity_id: int | None
    where: list[PainSite]
    feels: list[PainFeel]
    walking_leg_symptoms: bool
    eases_sitting: bool
    red_flags: list[RedFlag]
    urgency: Urgency | None
    notes: str | None
    worse_coughing: bool
    ruled_out: list[RedFlag] = Field(description="Warning signs the runner said are not there.")
    to_confirm: list[RedFlag] = Field(description="Warning signs still to answer.")


class PainSavedOut(BaseModel):
    """An added or edited entry; ``triage`` comes first and is null without red flags."""

    triage: TriageOut | None
    to_confirm: list[SuspicionOut]
    entry: PainEntryOut
    claudication: AdviceOut | None = Field(description="Advice on the walking-leg pattern.")
    advice: list[str]
    linked_automatically: bool


class OpenRedFlagOut(BaseModel):
    flag: RedFlag
    urgency: Urgency
    needs: str = Field(description="How soon, in words: emergency care now, a doctor today...")
    what: str
    first_reported_on: dt.date
    last_reported_on: dt.date
    entry_ids: list[int]


class AwaitingClearanceOut(BaseModel):
    """A red flag seen by a clinician without a "you may train" yet: walking and gentle
    mobility only."""

    flag: RedFlag
    what: str
    first_reported_on: dt.date
    last_reported_on: dt.date
    seen_on: dt.date
    seen_by: str | None
    outcome: SeenOutcome
    outcome_words: str
    notes: str | None


class PainListOut(BaseModel):
    open_red_flags: list[OpenRedFlagOut]
    awaiting_clearance: list[AwaitingClearanceOut]
    entries: list[PainEntryOut]


class PainIn(_In):
    """A pain check-in. An `after` or `during` entry without `activity_id` is linked to that
    day's run when there is exactly one."""

    day: Day | None = Field(default=None, description="Default today; never in the future.")
    when: PainWhen
    score: int = Field(ge=0, le=10, description="0 (no pain) to 10 (worst imaginable).")
    activity_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    where: list[PainSite] = Field(default_factory=list, max_length=len(PainSite))
    feels: list[PainFeel] = Field(default_factory=list, max_length=len(PainFeel))
    walking_leg_symptoms: bool = False
    eases_sitting: bool = False
    red_flags: list[RedFlag] = Field(default_factory=list, max_length=len(RedFlag))
    notes: str | None = Field(default=None, max_length=MAX_NOTES_CHARS)
    worse_coughing: bool = False
    ruled_out: list[RedFlag] = Field(
        default_factory=list,
        max_length=len(RedFlag),
        description="Warning signs asked about that are not there.",
    )


class PainPatch(_In):
    """Fields to change; leave out what stays. An empty list clears a list."""

    day: Day | None = None
    when: PainWhen | None = None
    score: int | None = Field(default=None, ge=0, le=10)
    activity_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    unlink_activity: bool = False
    where: list[PainSite] | None = Field(default=None, max_length=len(PainSite))
    feels: list[PainFeel] | None = Field(default=None, max_length=len(PainFeel))
    walking_leg_symptoms: bool | None = None
    eases_sitting: bool | None = None
    red_flags: list[RedFlag] | None = Field(default=None, max_length=len(RedFlag))
    notes: str | None = Field(default=None, max_length=MAX_NOTES_CHARS)
    worse_coughing: bool | None = None
    ruled_out: list[RedFlag] | None = Field(default=None, max_length=len(RedFlag))


class WarningSignsIn(_In):
    """The answers to the warning signs backstride asked about: ``present`` become red flags
    (triaged at once), ``absent`` are noted as not there."""

    present: list[RedFlag] = Field(default_factory=list, max_length=len(RedFlag))
    absent: list[RedFlag] = Field(default_factory=list, max_length=len(RedFlag))


class PainDeletedOut(BaseModel):
    deleted: int


class PainRulesOut(BaseModel):
    safe_max: int
    acceptable_max: int
    baseline_window_days: int
    morning_rise_points: float
    stiffness_rise_share: float
    source: str
    red_flag_source: str


class RunPainOut(BaseModel):
    """The pain-monitoring rules for one run; `not-known-yet` without a next-morning check-in."""

    activity_id: int
    day: dt.date
    before: int | None
    during: int | None
    during_zone: Zone | None
    after: int | None
    after_zone: Zone | None
    next_morning: int | None
    usual_level: float | None
    settled: Literal["yes", "no", "not-known-yet"]
    verdict: Literal["within", "outside", "not-known-yet"]
    reasons: list[str]


Trend = Literal["rising", "steady", "falling", "no-week-before"]


class MorningWeekOut(BaseModel):
    week_start: dt.date
    mornings: int
    mean_score: float
    max_score: int
    stiffness_mornings: int
    stiffness_share: float
    pain_trend: Trend
    stiffness_trend: Trend


class PainReportOut(BaseModel):
    """The pain-monitoring rules per run and the weekly morning trend."""

    open_red_flags: list[OpenRedFlagOut]
    awaiting_clearance: list[AwaitingClearanceOut]
    since: dt.date
    until: dt.date
    usual_level: float | None
    rules: PainRulesOut
    runs: list[RunPainOut]
    weeks: list[MorningWeekOut]
    claudication: AdviceOut | None


class SeenIn(_In):
    """A professional saw the runner about ``flag`` on ``on`` (closes it up to that day)."""

    flag: RedFlag
    on: Day | None = Field(default=None, description="Default today.")
    by: ShortText | None = None
    notes: str | None = Field(default=None, max_length=MAX_NOTES_CHARS)
    outcome: SeenOutcome = Field(
        default=SeenOutcome.NOT_KNOWN,
        description="What the clinician said about training. Only may-train lets training "
        "start again (one step back), and it is recorded as a clearance too.",
    )


class SeenOut(BaseModel):
    id: int | None
    flag: RedFlag
    on: dt.date
    by: str | None
    notes: str | None
    outcome: SeenOutcome
    may_train: bool = Field(description="Training may start again, one step back.")
    clearance_recorded: bool
    message: list[str] = Field(description="What the visit means for training, in words.")
    closed: bool = Field(description="The flag was open and this record closes it.")
    still_open: list[OpenRedFlagOut]
    awaiting_clearance: list[AwaitingClearanceOut]


# --- self-tests -----------------------------------------------------------------------------------


class SelfTestDefOut(BaseModel):
    """A self-test: what it measures, its unit and range, and how to do it."""

    test: SelfTestName
    title: str
    unit: Literal["s", "cm", "deg", "pass/fail"]
    measures: str
    how_to: list[str]
    caution: str
    min_value: float
    max_value: float


class SelfTestIn(_In):
    """A result as measured: seconds (`95` or `"1:35"`), cm, degrees, or `"pass"`/`"fail"`."""

    test: SelfTestName
    value: Annotated[str, StringConstraints(min_length=1, max_length=20)] | float
    on: Day | None = Field(default=None, description="Default today.")


class SelfTestResultOut(BaseModel):
    id: int | None
    day: dt.date
    value: float
    shown: str


class SelfTestSavedOut(SelfTestResultOut):
    test: SelfTestName
    unit: Literal["s", "cm", "deg", "pass/fail"]


class ReferenceOut(BaseModel):
    label: str
    value: float
    source: str
    verified: bool


class AssessmentOut(BaseModel):
    test: SelfTestName
    title: str
    unit: Literal["s", "cm", "deg", "pass/fail"]
    measures: str
    latest: SelfTestResultOut | None
    previous: SelfTestResultOut | None
    rating: str | None
    text: str
    references: list[ReferenceOut]
    how_to: list[str]
    caution: str
    retest_due_on: dt.date | None
    retest_due: bool


class RatioOut(BaseModel):
    name: str
    numerator: SelfTestName
    denominator: SelfTestName
    value: float | None
    target: str
    ok: bool | None = Field(description="Null while a result is missing.")
    text: str
    source: str


class SelfTestReportOut(BaseModel):
    """Each latest result against its norms, McGill's ratios and retest reminders."""

    sex: Sex
    tests: list[AssessmentOut]
    ratios: list[RatioOut]
    retest_due: list[SelfTestName]
    reminder: str | None


# --- shoes ----------------------------------------------------------------------------------------

ShoeName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)]
Km = Annotated[float, Field(ge=0, le=MAX_KM)]


class ShoeOut(BaseModel):
    """A pair: distance = start + the runs assigned to it; wear state and warnings."""

    id: int | None
    name: str
    start_km: float
    inspect_km: float
    retire_km: float
    bought_on: dt.date | None
    retired_on: dt.date | None
    default_for: list[str]
    distance_km: float
    assigned_km: float
    activities: int
    runs: int
    without_distance: int
    age_days: int | None
    first_used_on: dt.date | None
    last_used_on: dt.date | None
    state: ShoeState
    warnings: list[str]
    avg_next_morning_pain: float | None
    pain_mornings: int


class UnknownGearOut(BaseModel):
    name: str
    activities: int


class ShoeSourcesOut(BaseModel):
    wear: str
    rotation: str


class ShoeListOut(BaseModel):
    shoes: list[ShoeOut]
    warnings: list[str]
    rotation: str | None
    unknown_gear: list[UnknownGearOut]
    sources: ShoeSourcesOut


class ShoeIn(_In):
    name: ShoeName
    start_km: Km = 0.0
    inspect_km: Km = DEFAULT_INSPECT_KM
    retire_km: Km = DEFAULT_RETIRE_KM
    bought_on: Day | None = None


class ShoeDefaultIn(_In):
    """Make a pair the default for a sport (`run` also covers trail and treadmill runs)."""

    name: ShoeName
    sport: Sport = Sport.RUN


class ShoeRetireIn(_In):
    name: ShoeName
    on: Day | None = Field(default=None, description="Default today.")
