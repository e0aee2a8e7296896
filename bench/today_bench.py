"""Benchmark ``backstride today`` (issue #6) on a 10-year history.

Run: ``.venv/bin/python bench/today_bench.py [--activities 3000] [--repeat 7]``

Builds a temporary SQLite database with 3,000 activities over 10 years, inserted the way the
importer does (``ActivityRepo.add`` + ``services.training.store_analysis``, so every activity
has its cached analysis and a compressed stream blob), about 1,200 pain check-ins, three pairs of
shoes, a profile, a screening, self-tests and three saved routes. Then times
``services.guidance.today`` (best of N, after one warm-up call) against the 300 ms target.
Deterministic: a fixed seed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from backstride.adapters.db.body_repos import PainRepo, ShoeRepo
from backstride.adapters.db.repos import ActivityRepo
from backstride.adapters.db.route_repos import RouteRepo
from backstride.config import get_settings
from backstride.domain.activity import Activity, Sport, Streams, Surface
from backstride.domain.pain import PainEntry, PainWhen
from backstride.domain.routes import Route, compute_route_terrain, compute_taxing_score
from backstride.domain.shoes import Shoe
from backstride.services.body import add_selftest, record_screening, set_profile
from backstride.services.context import App
from backstride.services.demo_load import DEMO_SCREENING
from backstride.services.guidance import today
from backstride.services.training import analysis_profile, store_analysis

TARGET_MS = 300.0
TODAY = date(2025, 6, 30)
SHOES = ("Trainer 1", "Trainer 2", "Trail 1")


def _streams(rng: np.random.Generator, duration_s: float, run: bool) -> Streams:
    """A short 60-sample recording: positions, altitude, heart rate and cadence."""
    n = 60
    t = np.linspace(0.0, duration_s, n)
    speed = float(rng.uniform(2.4, 3.4)) if run else float(rng.uniform(5.0, 7.0))
    d = t * speed
    return Streams.from_columns(
        {
            "time_s": t,
            "lat_deg": 47.0 + d / 111_195.0,
            "lon_deg": np.full(n, 8.3),
            "altitude_m": 420.0 + 15.0 * np.sin(d / 700.0),
            "distance_m": d,
            "hr_bpm": 135.0 + 10.0 * rng.random(n),
            "cadence_rpm": np.full(n, 83.0 if run else 85.0),
        }
    )


def build(app: App, *, n_activities: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    set_profile(
        app,
        today=TODAY,
        birth_year=1970,
        sex="female",
        conditions=["none"],
        past_injuries=["right calf strain (2016)"],
        experience="regular",
    )
    first = TODAY - timedelta(days=3650)
    record_screening(app, DEMO_SCREENING | {"bone-joint-worse": False}, on=first, today=TODAY)
    for name in ("trunk-flexor-hold", "trunk-extensor-hold", "side-bridge-left"):
        add_selftest(app, name=name, value="90", on=TODAY - timedelta(days=20), today=TODAY)
    profile = analysis_profile(app)
    offsets = np.sort(rng.integers(0, 3651, n_activities))
    sports = [Sport.RUN, Sport.RUN, Sport.TRAIL_RUN, Sport.CYCLE, Sport.STRENGTH, Sport.SWIM]
    aid = app.athlete_id
    with app.store.session() as session:
        shoes = ShoeRepo(session)
        for name in SHOES:
            shoes.add(aid, Shoe(name=name, start_km=0.0, bought_on=first))
        repo = ActivityRepo(session)
        pain = PainRepo(session)
        for i, off in enumerate(offsets.tolist()):
            day = first + timedelta(days=off)
            sport = sports[int(rng.integers(0, len(sports)))]
            start = datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(
                minutes=int(rng.integers(0, 720))
            )
            duration = float(rng.uniform(1200, 4800))
            run = sport.is_run
            activity = Activity(
                sport=sport,
                start_at=start,
                duration_s=duration,
                utc_offset_s=3600,
                rpe=float(rng.integers(2, 9)) if rng.random() < 0.3 else None,
                gear=SHOES[i % 3] if run else None,
                surface=Surface.TRAIL if sport is Sport.TRAIL_RUN else None,
                source_format="fit",
                streams=_streams(rng, duration, run)
                if sport is not Sport.STRENGTH
                else Streams.empty(),
            )
            new_id = repo.add(aid, activity, source_label=f"bench/{i}.fit", content_hash=None)
            store_analysis(session, aid, new_id, activity, profile)
            if run and rng.random() < 0.4:
                pain.add(
                    aid,
                    PainEntry(
                        day=day,
                        when=PainWhen.AFTER,
                        score=int(rng.integers(0, 4)),
                        activity_id=new_id,
                    ),
                )
                pain.add(
                    aid,
                    PainEntry(
                        day=day + timedelta(days=1),
                        when=PainWhen.NEXT_MORNING,
                        score=int(rng.integers(0, 4)),
                    ),
                )
        routes = RouteRepo(session)
        for k, (name, drop) in enumerate((("River", 2.0), ("Hill", 60.0), ("Forest", 200.0))):
            dist = np.linspace(0.0, 4000.0 + 1000.0 * k, 400)
            alt = 400.0 + np.where(dist > 2000.0, -(dist - 2000.0) * drop / 2000.0, 0.0)
            terrain = compute_route_terrain(dist, alt, surface=Surface.ROAD)
            pts = Streams.from_columns(
                {
                    "time_s": np.zeros(dist.size),
                    "lat_deg": 47.0 + dist / 111_195.0,
                    "lon_deg": np.full(dist.size, 8.3),
                    "altitude_m": alt,
                    "distance_m": dist,
                }
            )
            routes.add(
                aid,
                Route(
                    name, "file", f"{name}.gpx", terrain, compute_taxing_score(terrain), dist.size
                ),
                pts,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = get_settings(db=str(root / "bench.sqlite3"), data_dir=str(root / "data"))
        app = App(settings)
        try:
            t0 = time.perf_counter()
            build(app, n_activities=args.activities)
            built_s = time.perf_counter() - t0
            advice = today(app, on=TODAY)  # warm-up: imports, first queries
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                advice = today(app, on=TODAY)
                times.append((time.perf_counter() - t) * 1000.0)
        finally:
            app.close()
    best = min(times)
    median = sorted(times)[len(times) // 2]
    verdict = "OK" if best < TARGET_MS else "TOO SLOW"
    print(f"history: {args.activities} activities over 10 years (built in {built_s:.1f} s)")
    print(f"decision on {TODAY}: {advice.decision}; findings: {len(advice.findings)}")
    print(
        f"today(): best {best:.0f} ms, median {median:.0f} ms of {args.repeat} "
        f"(target < {TARGET_MS:.0f} ms): {verdict}"
    )
    return 0 if best < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
