"""The bundled demo athlete: a seeded, deterministic 16-week history written as real files.

:func:`generate_demo` writes a Strava-style export (``activities.csv`` plus
``activities/<id>.fit[.gz]`` and ``.gpx[.gz]``) and returns a :class:`DemoStory` with what
activity files cannot hold: the profile, the physician's clearance, the pain diary,
self-tests, shoes, manual entries (strength, mobility, swimming) and session RPE.

The athlete: born 1968, female, resting heart rate 60 bpm, maximum 175 bpm, lumbar spinal
stenosis, a returning runner (10K races until 2017), cleared by her physician on day 1.

The story, by week (week 1 starts 111 days before ``end``; week 16 ends on ``end``):

* weeks 1-8: run/walk three times a week, never on consecutive days, a 5-minute brisk walk
  first; the longest run grows 5-9 % a week from 3.0 km; cross-training 1-2 times a week;
  pain 0-2.
* week 9: too much, too soon: runs on six days in a row, no walk breaks, no warm-up, no
  cross-training, and a long run 60 % longer than the longest of the previous 30 days.
* weeks 10-11: back pain after runs and the next morning that does not settle (5 falling to
  2); fewer, shorter run/walks; cycling and swimming instead.
* week 12: new trail shoes and the forest trail with a 2 km descent at about -10 % → 6/10
  next morning with tingling down the left leg on walking that eases when sitting.
* outcome measures: the PEG in week 1 (2, 2, 3) and week 16 (1, 1, 1), and a self-paced
  walking test in week 13 (first symptom after 12 minutes).
* weeks 13-15: recovery and variety; the trail once more the gentle way round (steep part
  uphill).
* week 16: week 1 of her 5K plan (stenosis variant), started where weeks 12-15 put her: three
  run/walk sessions as the plan sets them (5-minute runs); the last run two days before
  ``end``, then two rest days.

Shoes: "Daily trainer" (from before the break, bought 14 months before week 1) carries every
road run and passes 700 km in week 12; "Trail shoe" (bought in week 11) only the trail runs.

Samples are 1 s (watch, FIT) or 2 s (phone, GPX), with correlated GPS noise (~2 m),
barometric-like altitude (calibration offset, slow drift, 0.2 m steps), heart rate from the
ACSM metabolic equations (ACSM's Guidelines, running/walking VO2) via %HR reserve with a
30 s response and cardiac drift, and running cadence of about 80-86 strides/min.
Everything is drawn from ``numpy.random.default_rng(seed)``; nothing reads the clock.

Where it lives: the story is data in ``story/`` (``athlete.toml``: who she is, shoes,
clearance, self-tests, outcome measures; ``routes.toml``: her loops; ``sessions.toml``: every
recorded session, week by week; ``diary.toml``: pain check-ins and the sessions without a
file), read by :mod:`.tables`; :mod:`.sessions` and :mod:`.diary` turn the tables into
sessions and entries, :mod:`.simulate` samples and encodes each session, and
:func:`generate_demo` below writes the files and returns the :class:`DemoStory`
(:mod:`.story`).
"""

from __future__ import annotations

import gzip
import math
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from backstride.adapters.files.archive import STRAVA_CSV_NAME, StravaRow, encode_activities_csv
from backstride.domain.activity import Sport
from backstride.errors import InvalidInputError
from backstride.services.demo.diary import build_diary
from backstride.services.demo.sessions import plan_sessions
from backstride.services.demo.simulate import (
    Home,
    Physiology,
    build_routes,
    describe_route,
    encode_session,
    simulate,
)
from backstride.services.demo.story import (
    DemoClearance,
    DemoFile,
    DemoManualEntry,
    DemoMeasure,
    DemoPainEntry,
    DemoProfile,
    DemoRoute,
    DemoSelfTest,
    DemoShoe,
    DemoStory,
)
from backstride.services.demo.tables import story_tables

__all__ = [
    "DemoClearance",
    "DemoFile",
    "DemoManualEntry",
    "DemoMeasure",
    "DemoPainEntry",
    "DemoProfile",
    "DemoRoute",
    "DemoSelfTest",
    "DemoShoe",
    "DemoStory",
    "generate_demo",
]

ACTIVITIES_DIR = "activities"
ID_BASE = 12_400_000_000
_DEMO_FILE = re.compile(r"^124\d{8}\.(fit|gpx)(\.gz)?$")
_SPORTS = {"run": Sport.RUN, "trail": Sport.TRAIL_RUN}
_STRAVA_TYPES = {"run": "Run", "trail": "Trail Run"}


def generate_demo(out_dir: Path, *, seed: int = 7, weeks: int = 16, end: date) -> DemoStory:
    """Write the demo athlete's history ending on ``end`` into ``out_dir``; return the story.

    ``out_dir`` gets ``activities.csv`` (Strava columns; ``Activity Date`` in UTC as Strava
    writes it; distance in km) and ``activities/<id>.fit``, ``.fit.gz``, ``.gpx`` or
    ``.gpx.gz``; earlier demo files there that this run does not write are removed (other
    files are left alone). The same ``seed`` and ``end`` give the same bytes. ``weeks`` must be at
    least 16: the story fills the last 16 weeks and any earlier weeks hold only cycling and
    swimming.
    """
    tables = story_tables()
    athlete = tables.athlete
    story_weeks = int(athlete["weeks"])
    if weeks < story_weeks:
        raise InvalidInputError(
            f"The demo story needs at least {story_weeks} weeks, got {weeks}.",
            hint=f"Use --weeks {story_weeks} or more.",
        )
    rng = np.random.default_rng(seed)
    pre_weeks = weeks - story_weeks
    start = end - timedelta(days=weeks * 7 - 1)
    story_start = start + timedelta(days=pre_weeks * 7)

    def week_day(week: int, weekday: int) -> date:
        return story_start + timedelta(days=(week - 1) * 7 + weekday)

    p = athlete["profile"]
    home = Home(
        lat_deg=float(athlete["home"]["lat_deg"]),
        lon_deg=float(athlete["home"]["lon_deg"]),
        utc_offset_s=int(athlete["utc_offset_s"]),
    )
    body = Physiology(
        rest_hr=float(p["resting_hr_bpm"]),
        max_hr=float(p["max_hr_bpm"]),
        vo2max=float(p["vo2max_ml_kg_min"]),
    )
    shoe_for = {sport: s["name"] for s in athlete["shoe"] for sport in s["used_for"]}
    routes = build_routes(tables.routes, home)
    plans, events = plan_sessions(rng, pre_weeks, tables.sessions)

    act_dir = out_dir / ACTIVITIES_DIR
    act_dir.mkdir(parents=True, exist_ok=True)
    files: list[DemoFile] = []
    csv_rows: list[StravaRow] = []
    runs_by_day: dict[int, str] = {}
    files_by_day: dict[int, list[str]] = {}
    for k, plan in enumerate(plans):
        on = start + timedelta(days=plan.day)
        local = datetime(on.year, on.month, on.day, tzinfo=UTC) + timedelta(hours=plan.hour)
        start_at = local - timedelta(seconds=home.utc_offset_s)
        start_at = start_at.replace(second=int(rng.integers(0, 60)), microsecond=0)
        route = routes.get(plan.route) if plan.route else None
        samples = simulate(rng, plan, route, start_at.timestamp(), body=body, home=home)
        data, distance = encode_session(plan, samples, start_at, utc_offset_s=home.utc_offset_s)
        gz = bool(rng.random() < (0.6 if plan.fmt == "fit" else 0.35))
        activity_id = ID_BASE + plan.day * 100 + k % 100
        rel = f"{ACTIVITIES_DIR}/{activity_id}.{plan.fmt}" + (".gz" if gz else "")
        if gz:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        (out_dir / rel).write_bytes(data)
        is_run = plan.kind in _SPORTS
        sport = _SPORTS.get(plan.kind, Sport.CYCLE)
        shoe = shoe_for.get(sport.value) if is_run else None
        duration = float(samples.epoch_s[-1] - start_at.timestamp())
        files.append(
            DemoFile(
                file=rel,
                activity_id=activity_id,
                on=on,
                start_at=start_at,
                sport=sport.value,
                name=plan.name,
                route=route.name if route else None,
                distance_m=distance,
                duration_s=duration,
                shoe=shoe,
                rpe=plan.rpe,
            )
        )
        if is_run:
            runs_by_day[plan.day] = rel
        files_by_day.setdefault(plan.day, []).append(rel)
        csv_rows.append(
            StravaRow(
                activity_id=activity_id,
                start_at=start_at,
                name=plan.name,
                sport_label=_STRAVA_TYPES.get(plan.kind, "Ride"),
                description=plan.description,
                elapsed_s=duration,
                distance_m=distance or 0.0,
                gear=shoe,
                filename=rel,
            )
        )

    # A rerun with another seed may gzip other files: drop our own stale files, nothing else.
    written = {Path(f.file).name for f in files}
    for stale in act_dir.iterdir():
        if _DEMO_FILE.match(stale.name) and stale.name not in written and stale.is_file():
            stale.unlink()

    (out_dir / STRAVA_CSV_NAME).write_bytes(encode_activities_csv(csv_rows))

    build = tables.sessions["build"]
    diary = build_diary(
        rng,
        start=start,
        pre_weeks=pre_weeks,
        diary=tables.diary,
        athlete=athlete,
        run_weekdays=[
            build["first_week_weekdays"] if w == 1 else build["weekdays"]
            for w in range(1, build["weeks"] + 1)
        ],
        runs_by_day=runs_by_day,
        files_by_day=files_by_day,
    )

    shoes: list[DemoShoe] = []
    passes_on = end
    for s in athlete["shoe"]:
        start_km = 0.0
        if "passes_km" in s:
            # The old pair from before the break: its start is set so that it passes
            # ``passes_km`` on the first road run of week ``passes_in_week``.
            target = float(s["passes_km"])
            week_start = week_day(int(s["passes_in_week"]), 0)
            mine = [f for f in files if f.shoe == s["name"]]
            km_before = sum((f.distance_m or 0.0) for f in mine if f.on < week_start)
            start_km = 5.0 * math.floor((target - km_before / 1000.0) / 5.0)
            total = start_km
            for f in mine:
                total += (f.distance_m or 0.0) / 1000.0
                if total >= target:
                    passes_on = f.on
                    break
        if "bought" in s:
            bought_on = week_day(s["bought"]["week"], s["bought"]["weekday"])
        else:
            bought_on = start - timedelta(days=s["bought_days_before_week_1"])
        shoes.append(
            DemoShoe(
                name=s["name"],
                model=s["model"],
                start_km=start_km,
                bought_on=bought_on,
                default_for_run=bool(s["default_for_run"]),
                used_for=tuple(s["used_for"]),
            )
        )
    profile = DemoProfile(
        display_name=p["display_name"],
        birth_year=int(p["birth_year"]),
        sex=p["sex"],
        resting_hr_bpm=int(p["resting_hr_bpm"]),
        max_hr_bpm=int(p["max_hr_bpm"]),
        conditions=tuple(p["conditions"]),
        experience=p["experience"],
        past_injuries=tuple(p["past_injuries"]),
        running_history=p["running_history"],
        utc_offset_s=home.utc_offset_s,
    )
    measures = tuple(
        DemoMeasure(
            week_day(m["week"], m["weekday"]),
            m["instrument"],
            tuple(float(a) for a in m["answers"]),
            m.get("notes", ""),
        )
        for m in athlete["measure"]
    )
    return DemoStory(
        measures=measures,
        profile=profile,
        clearance=diary.clearance,
        shoes=tuple(shoes),
        files=tuple(files),
        shoe_by_file={f.file: f.shoe for f in files if f.shoe},
        rpe_by_file={f.file: f.rpe for f in files},
        pain_entries=tuple(diary.pain),
        self_tests=tuple(diary.self_tests),
        manual_entries=tuple(diary.manual),
        routes=tuple(describe_route(r) for r in routes.values()),
        start=story_start,
        end=end,
        spike_week_start=start + timedelta(days=events["spike_week_start"]),
        spike_run_date=start + timedelta(days=events["spike_run"]),
        downhill_run_date=start + timedelta(days=events["downhill_run"]),
        shoe_a_passes_700_on=passes_on,
        quiet_day=end,
        seed=seed,
        weeks=weeks,
        notes=(
            f"Weeks count from `start`; week {story_weeks} ends on `end`.",
            f"All times are UTC; the athlete's wall clock is UTC{home.utc_offset_s // 3600:+d}.",
            "Manual entries (strength, mobility, swimming) are not in activities.csv.",
        ),
    )
