"""Benchmark the domain core of issue #3.

Run: ``.venv/bin/python bench/load_bench.py``

1. ``compute_load_report`` on 10 years of synthetic history (3,000 activities), for a 12-week
   report and for a report over the whole history; target: well under 200 ms.
2. ``analyse_activity`` on a 5,000-sample run with GPS, altitude, heart rate and cadence.
3. ``compute_elevation_change`` on 10,000 noisy samples.

The synthetic data are deterministic (a fixed seed), so runs are comparable.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import numpy as np

from backstride.domain.activity import Activity, Sport, Streams
from backstride.domain.elevation import compute_elevation_change
from backstride.domain.load import SessionSummary, compute_load_report
from backstride.domain.metrics import HeartProfile, analyse_activity

TARGET_MS = 200.0
TODAY = date(2025, 6, 30)


def make_history(n_activities: int = 3000, years: int = 10, seed: int = 7) -> list[SessionSummary]:
    """About 300 activities a year: two thirds runs, the rest cross-training."""
    rng = np.random.default_rng(seed)
    first = TODAY - timedelta(days=365 * years)
    span_days = (TODAY - first).days
    offsets = np.sort(rng.integers(0, span_days + 1, n_activities))
    sports = [Sport.RUN, Sport.RUN, Sport.TRAIL_RUN, Sport.CYCLE, Sport.STRENGTH, Sport.MOBILITY]
    out: list[SessionSummary] = []
    for i, off in enumerate(offsets.tolist()):
        day = first + timedelta(days=off)
        sport = sports[int(rng.integers(0, len(sports)))]
        start = datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(
            minutes=int(rng.integers(0, 720))
        )
        duration = float(rng.uniform(1200, 5400))
        is_run = sport.is_run
        rpe = float(rng.integers(2, 10)) if rng.random() < 0.3 else None
        out.append(
            SessionSummary(
                activity_id=i + 1,
                day=day,
                start_at=start,
                sport=sport,
                distance_m=duration * float(rng.uniform(2.4, 3.4)) if is_run else None,
                duration_s=duration,
                moving_time_s=duration * 0.97,
                load=(rpe * duration / 60.0) if rpe is not None else duration / 60.0 * 1.4,
                load_kind="srpe" if rpe is not None else "trimp",
                hard=rpe is not None and rpe >= 7,
            )
        )
    return out


def make_run(n: int = 5000, seed: int = 3) -> Activity:
    """A 1 Hz hilly run with GPS noise, a pause, heart rate and stride cadence."""
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64)
    t[2500:] += 120.0  # a two-minute auto-pause
    speed = 3.0 + 0.3 * np.sin(t / 300.0)
    dist = np.concatenate(([0.0], np.cumsum(speed[1:] * np.minimum(np.diff(t), 1.0))))
    lat = 52.0 + dist / 111_320.0 + rng.normal(0, 2e-6, n)
    lon = np.full(n, 13.0) + rng.normal(0, 2e-6, n)
    alt = 60.0 + 25.0 * np.sin(dist / 900.0) + rng.normal(0, 0.8, n)
    hr = 140.0 + 15.0 * np.sin(t / 500.0) + rng.normal(0, 2, n)
    cadence = 84.0 + rng.normal(0, 2, n)
    streams = Streams(
        time_s=t,
        lat_deg=lat,
        lon_deg=lon,
        altitude_m=alt,
        distance_m=dist,
        hr_bpm=hr,
        cadence_rpm=cadence,
    )
    return Activity(
        sport=Sport.RUN,
        start_at=datetime(2025, 6, 1, 7, tzinfo=UTC),
        duration_s=float(t[-1]),
        streams=streams,
        name="Morning run",
        rpe=5.0,
    )


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time in milliseconds over ``repeat`` calls (after one warm-up call)."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000.0


def _service_load_report_ms() -> float:
    """The series behind `backstride load`, read from a real database of 3,000 activities."""
    import os
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from today_bench import build

    from backstride.config import get_settings
    from backstride.services.context import App
    from backstride.services.training import load_report

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BACKSTRIDE_CONFIG_FILE"] = str(Path(tmp) / "none.toml")
        app = App(get_settings(db=str(Path(tmp) / "load.sqlite3"), data_dir=tmp))
        try:
            build(app, n_activities=3000)
            on = TODAY
            return best_of(lambda: load_report(app, on=on, weeks=12), 7)
        finally:
            app.close()


def main() -> int:
    history = make_history()
    run = make_run()
    profile = HeartProfile(sex="female", resting_hr_bpm=55.0, birth_year=1975)
    rng = np.random.default_rng(11)
    alt10k = 100.0 + np.cumsum(rng.normal(0, 0.3, 10_000)) + rng.normal(0, 1.5, 10_000)

    report_12 = best_of(lambda: compute_load_report(history, today=TODAY, weeks=12), 15)
    report_all = best_of(lambda: compute_load_report(history, today=TODAY, weeks=523), 10)
    analyse = best_of(lambda: analyse_activity(run, profile=profile), 20)
    elevation = best_of(lambda: compute_elevation_change(alt10k), 20)

    service_ms = _service_load_report_ms()
    verdict = "OK" if max(report_12, report_all, service_ms) < TARGET_MS else "TOO SLOW"
    lines = [
        f"compute_load_report, {len(history)} activities over 10 years:",
        f"  12-week report          {report_12:8.1f} ms  (target < {TARGET_MS:.0f} ms) {verdict}",
        f"  whole-history report    {report_all:8.1f} ms",
        f"backstride load end to end (database read + report, 12 weeks): {service_ms:.1f} ms"
        f"  (target < {TARGET_MS:.0f} ms)",
        f"analyse_activity, {len(run.streams)}-sample run   {analyse:8.1f} ms",
        f"compute_elevation_change, 10,000 samples {elevation:8.1f} ms",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    raise SystemExit(main())
