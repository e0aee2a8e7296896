"""The shoes' JSON shapes (``/api/shoes``; the Shoes page's forms)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from backstride.domain.activity import Sport
from backstride.domain.shoes import DEFAULT_INSPECT_KM, DEFAULT_RETIRE_KM, MAX_KM, MAX_NAME_CHARS
from backstride.web.schemas.common import Day, InModel

ShoeState = Literal["ok", "inspect", "retire", "retired"]
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


class ShoeIn(InModel):
    name: ShoeName
    start_km: Km = 0.0
    inspect_km: Km = DEFAULT_INSPECT_KM
    retire_km: Km = DEFAULT_RETIRE_KM
    bought_on: Day | None = None


class ShoeDefaultIn(InModel):
    """Make a pair the default for a sport (`run` also covers trail and treadmill runs)."""

    name: ShoeName
    sport: Sport = Sport.RUN


class ShoeRetireIn(InModel):
    name: ShoeName
    on: Day | None = Field(default=None, description="Default today.")
