"""The training load as JSON (``/api/load``): weeks, days and run spikes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.load import WeekLoad


class RunSpikeOut(BaseModel):
    """A run against the longest run in the 30 days before it (Frandsen 2025)."""

    activity_id: int
    date: dt.date
    distance_m: float | None
    longest_prev_30d_m: float | None
    spike_ratio: float | None
    spike_band: Literal["no_prior", "le_10", "10_30", "30_100", "gt_100"] | None


class WeekLoadOut(WeekLoad):
    """Totals for one ISO week (``week``, e.g. 2026-W11; Monday to Sunday, local dates; the
    current week so far): the domain's own record, as ``to_json()`` writes it."""

    __slots__ = ()


class DayLoadOut(BaseModel):
    """Every daily series; ratios are fractions; the load ratios are contested context."""

    model_config = ConfigDict(extra="allow")

    date: dt.date
    run_distance_m: float
    load: float
    acute_load: float = Field(description="Exponentially weighted average load, 7 days.")
    chronic_load: float = Field(description="Exponentially weighted average load, 28 days.")
    load_ratio: float | None = Field(description="acute ÷ chronic (contested: context only).")
    uncoupled_load_ratio: float | None = Field(
        description="Mean daily load of the last 7 days ÷ that of days 7-27 before."
    )
    monotony: float | None = Field(description="Mean daily load ÷ its SD over 7 days.")
    strain: float | None = Field(description="The 7-day load × monotony.")
    fitness: float = Field(description="Load averaged over 42 days (impulse-response model).")
    fatigue: float = Field(description="Load averaged over 7 days (impulse-response model).")
    form: float = Field(description="Yesterday's fitness − yesterday's fatigue.")


class LoadOut(BaseModel):
    """The training-load report (``backstride`` load model; see docs/metrics.md)."""

    on: dt.date
    weeks: list[WeekLoadOut]
    runs: list[RunSpikeOut]
    days: list[DayLoadOut]
    load_ratio_caveat: str
