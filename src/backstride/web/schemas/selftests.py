"""The self-tests' JSON shapes (``/api/self-tests``; the Self-tests page's form)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from backstride.domain.body import Sex
from backstride.domain.selftest import SelfTestName
from backstride.web.schemas.common import Day, InModel


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


class SelfTestIn(InModel):
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
