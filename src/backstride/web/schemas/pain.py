"""The pain diary's and red flags' JSON shapes (``/api/pain``, ``/api/red-flags``; the
Check-in and Diary pages' forms)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from backstride.domain.pain import (
    MAX_NOTES_CHARS,
    MorningWeek,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    RunPainCheck,
    SeenOutcome,
    Urgency,
)
from backstride.services.diary import PainChanges, PainInput
from backstride.web.schemas.common import MAX_ID, Day, InModel, ShortText

Zone = Literal["safe", "acceptable", "too-much"]


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


class PainIn(InModel):
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

    def input(self, *, today: dt.date) -> PainInput:
        """The check-in as the diary service takes it (no day means ``today``)."""
        return PainInput(
            day=self.day or today,
            when=self.when.value,
            score=self.score,
            activity_id=self.activity_id,
            where=[s.value for s in self.where],
            feels=[f.value for f in self.feels],
            walking_leg_symptoms=self.walking_leg_symptoms,
            eases_sitting=self.eases_sitting,
            red_flags=[f.value for f in self.red_flags],
            notes=self.notes,
            worse_coughing=self.worse_coughing,
            ruled_out=[f.value for f in self.ruled_out],
        )


class PainPatch(InModel):
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

    def changes(self) -> PainChanges:
        """The change as the diary service takes it (``None`` leaves a field as it is)."""
        return PainChanges(
            day=self.day,
            when=self.when.value if self.when else None,
            score=self.score,
            activity_id=self.activity_id,
            unlink_activity=self.unlink_activity,
            where=_values(self.where),
            feels=_values(self.feels),
            walking_leg_symptoms=self.walking_leg_symptoms,
            eases_sitting=self.eases_sitting,
            red_flags=_values(self.red_flags),
            notes=self.notes,
            worse_coughing=self.worse_coughing,
            ruled_out=_values(self.ruled_out),
        )


def _values(items: list[PainSite] | list[PainFeel] | list[RedFlag] | None) -> list[str] | None:
    return [i.value for i in items] if items is not None else None


class WarningSignsIn(InModel):
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


class RunPainOut(RunPainCheck):
    """The pain-monitoring rules for one run; `not-known-yet` without a next-morning check-in
    (the domain's own record, as ``to_json()`` writes it)."""

    __slots__ = ()


class MorningWeekOut(MorningWeek):
    """Next-morning check-ins of one week (Monday to Sunday) and the trend from the week
    before: the domain's own record, as ``to_json()`` writes it."""

    __slots__ = ()


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


class SeenIn(InModel):
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
