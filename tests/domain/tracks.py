"""Builders of small synthetic activities and sessions for the metrics and load tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from backstride.domain.activity import Activity, FloatArray, Sport, Streams
from backstride.domain.load import LoadKind, SessionSummary

START = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)


def make_track(
    *,
    speed_m_s: float = 2.5,
    distance_m: float = 2000.0,
    altitude: FloatArray | None = None,
    **columns: Any,
) -> Streams:
    """1 Hz samples at constant speed; ``altitude`` (if given) is a function of distance."""
    n = int(round(distance_m / speed_m_s)) + 1
    t = np.arange(n, dtype=np.float64)
    dist = t * speed_m_s
    cols: dict[str, Any] = {"time_s": t, "distance_m": dist}
    if altitude is not None:
        cols["altitude_m"] = altitude
    cols.update(columns)
    return Streams(**cols)


def make_activity(
    streams: Streams | None = None, *, sport: Sport = Sport.RUN, **overrides: Any
) -> Activity:
    s = streams if streams is not None else Streams.empty()
    duration = float(s.time_s[-1]) if len(s) else 1800.0
    fields: dict[str, Any] = {
        "sport": sport,
        "start_at": START,
        "duration_s": duration,
        "streams": s,
    }
    fields.update(overrides)
    return Activity(**fields)


def session(
    day: date,
    *,
    activity_id: int = 1,
    sport: Sport = Sport.RUN,
    distance_m: float | None = 5000.0,
    duration_s: float = 1800.0,
    load: float = 100.0,
    load_kind: LoadKind = "trimp",
    hard: bool = False,
    hour: int = 7,
    minute: int = 0,
) -> SessionSummary:
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
    return SessionSummary(
        activity_id=activity_id,
        day=day,
        start_at=start,
        sport=sport,
        distance_m=distance_m,
        duration_s=duration_s,
        moving_time_s=duration_s,
        load=load,
        load_kind=load_kind,
        hard=hard,
    )


def days_after(first: date, n: int) -> date:
    return first + timedelta(days=n)
