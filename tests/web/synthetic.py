"""Deterministic synthetic activities with full streams, stored through ``ActivityRepo.add``.

Used by the web tests (a few activities) and by ``bench/web_bench.py`` (ten years of them).
No randomness: every value follows from the activity's index.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import numpy as np

from backstride.adapters.db.repos import ActivityRepo
from backstride.domain.activity import Activity, Sport, Streams, Surface
from backstride.services.context import App

_BASE_LAT = 46.05
_BASE_LON = 14.50


def synthetic_activity(index: int, *, day: date, sample_s: float = 2.0) -> Activity:
    """A run (or, every fifth, a ride) on ``day``: a loop with hills, heart rate, cadence."""
    is_ride = index % 5 == 4
    sport = Sport.CYCLE if is_ride else (Sport.TRAIL_RUN if index % 7 == 3 else Sport.RUN)
    minutes = 25 + (index * 7) % 50
    duration_s = minutes * 60.0
    n = int(duration_s / sample_s) + 1
    t = np.arange(n, dtype=np.float64) * sample_s
    base_speed = (6.5 if is_ride else 2.6) + 0.4 * math.sin(index)
    speed = base_speed + 0.3 * np.sin(t / 97.0) + 0.15 * np.sin(t / 13.0)
    if not is_ride and index % 3 == 0:
        speed[(t > 600) & (t < 660)] = 0.0  # a pause at a traffic light
    dist = np.concatenate(([0.0], np.cumsum((speed[1:] + speed[:-1]) / 2 * np.diff(t))))
    total = float(dist[-1])
    radius_m = max(total / (2 * math.pi), 50.0)
    angle = dist / radius_m + index
    north = radius_m * np.sin(angle)
    east = radius_m * np.cos(angle) * (1.0 + 0.3 * math.sin(index / 3))
    lat = _BASE_LAT + (north / 111_195.0) + 0.001 * (index % 11)
    lon = _BASE_LON + east / (111_195.0 * math.cos(math.radians(_BASE_LAT)))
    altitude = 300.0 + 25.0 * np.sin(dist / 900.0 + index) + 8.0 * np.sin(dist / 170.0)
    hr = 128.0 + 18.0 * np.sin(t / 400.0 + index) + 6.0 * (speed - base_speed) + (index % 9)
    cadence = (88.0 if is_ride else 84.0) + 3.0 * np.sin(t / 60.0)
    cadence = np.where(speed > 0.5, cadence, 0.0)
    streams = Streams(
        time_s=t,
        lat_deg=lat,
        lon_deg=lon,
        altitude_m=altitude,
        distance_m=dist,
        speed_m_s=speed,
        hr_bpm=hr,
        cadence_rpm=cadence,
    )
    start = datetime(day.year, day.month, day.day, 6 + index % 12, (index * 13) % 60, tzinfo=UTC)
    moving = float(np.sum(np.diff(t)[speed[1:] > 0.5]))
    climb = float(np.sum(np.clip(np.diff(altitude), 0, None)))
    return Activity(
        sport=sport,
        source_sport="cycling" if is_ride else "running",
        source_format="fit",
        start_at=start,
        utc_offset_s=3600,
        duration_s=duration_s,
        moving_time_s=moving,
        distance_m=total,
        elevation_gain_m=climb,
        elevation_loss_m=climb,
        avg_hr_bpm=float(hr.mean()),
        max_hr_bpm=float(hr.max()),
        avg_cadence_rpm=float(cadence[cadence > 0].mean()),
        name=f"{'Ride' if is_ride else 'Run'} {index + 1}",
        device="Synthetic Watch 1",
        surface=Surface.TRAIL if sport is Sport.TRAIL_RUN else None,
        rpe=float(3 + index % 6) if index % 4 else None,
        streams=streams,
    )


def history_days(*, end: date, count: int, years: float) -> list[date]:
    """``count`` days spread evenly over ``years`` years ending on ``end`` (oldest first)."""
    span = int(years * 365.25)
    return [end - timedelta(days=span - (i * span) // max(1, count - 1)) for i in range(count)]


def add_history(app: App, *, end: date, count: int, years: float, sample_s: float = 2.0) -> int:
    """Store ``count`` synthetic activities spread over ``years`` up to ``end``; returns count."""
    days = history_days(end=end, count=count, years=years)
    batch = 200
    for first in range(0, count, batch):
        with app.store.session() as session:
            repo = ActivityRepo(session)
            for i in range(first, min(count, first + batch)):
                activity = synthetic_activity(i, day=days[i], sample_s=sample_s)
                repo.add(
                    app.athlete_id, activity, source_label=f"synthetic-{i}.fit", content_hash=None
                )
    return count
