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
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np

from backstride.adapters.files.archive import STRAVA_CSV_NAME, StravaRow, encode_activities_csv
from backstride.adapters.files.fit.writer import encode_fit_activity
from backstride.adapters.files.gpx.writer import encode_gpx_activity
from backstride.domain.activity import FloatArray, Lap, Sport
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.errors import InvalidInputError

STORY_WEEKS = 16
UTC_OFFSET_S = 3600  # the athlete's wall clock is UTC+1 all year (no daylight saving)
HOME_LAT_DEG = 47.0402
HOME_LON_DEG = 8.3121
SHOE_A = "Daily trainer"
SHOE_B = "Trail shoe"
SHOE_A_TARGET_KM = 700.0
ACTIVITIES_DIR = "activities"
ID_BASE = 12_400_000_000
_DEMO_FILE = re.compile(r"^124\d{8}\.(fit|gpx)(\.gz)?$")

PainWhen = Literal["before", "during", "after", "next-morning", "rest-day"]


# --- the story ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoProfile:
    display_name: str
    birth_year: int
    sex: str
    resting_hr_bpm: int
    max_hr_bpm: int
    conditions: tuple[str, ...]
    experience: str
    past_injuries: tuple[str, ...]
    running_history: str
    utc_offset_s: int


@dataclass(frozen=True, slots=True)
class DemoClearance:
    on: date
    by: str
    notes: str


@dataclass(frozen=True, slots=True)
class DemoPainEntry:
    """One diary check-in (score 0-10).

    ``activity_file`` links 'during' and 'after' entries to that day's session file, and
    'next-morning' entries to the previous day's session file when there was one.
    """

    on: date
    when: PainWhen
    score: int
    where: tuple[str, ...]
    feels: tuple[str, ...]
    activity_file: str | None
    walking_leg_symptoms: bool
    eases_sitting: bool
    notes: str


@dataclass(frozen=True, slots=True)
class DemoSelfTest:
    """A self-test result: ``value`` in ``unit`` (s, cm, deg), or ``passed`` for pass/fail."""

    on: date
    name: str
    value: float | None
    unit: str
    passed: bool | None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DemoMeasure:
    """An outcome-measure score (docs/measures.md): ``peg`` with its three answers, or
    ``walk`` with the minutes to the first symptom."""

    on: date
    instrument: str
    answers: tuple[float, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DemoShoe:
    name: str
    model: str
    start_km: float
    bought_on: date
    default_for_run: bool
    used_for: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoManualEntry:
    on: date
    sport: str
    name: str
    duration_s: float
    distance_m: float | None
    rpe: float
    notes: str


@dataclass(frozen=True, slots=True)
class DemoFile:
    """One written activity file. ``file`` is the path under ``out_dir`` (POSIX), exactly as in
    the ``Filename`` column of ``activities.csv``; ``distance_m`` is what a reader finds
    (the FIT distance field, or the haversine length of the GPX track)."""

    file: str
    activity_id: int
    on: date
    start_at: datetime
    sport: str
    name: str
    route: str | None
    distance_m: float | None
    duration_s: float
    shoe: str | None
    rpe: float


@dataclass(frozen=True, slots=True)
class DemoRoute:
    key: str
    name: str
    length_m: float
    ascent_m: float
    descent_m: float
    descent_steeper_than_8pct_m: float


@dataclass(frozen=True, slots=True)
class DemoStory:
    """Everything the demo athlete's files cannot carry, plus the key dates of the story."""

    profile: DemoProfile
    clearance: DemoClearance
    shoes: tuple[DemoShoe, ...]
    files: tuple[DemoFile, ...]
    shoe_by_file: Mapping[str, str]
    rpe_by_file: Mapping[str, float]
    pain_entries: tuple[DemoPainEntry, ...]
    self_tests: tuple[DemoSelfTest, ...]
    manual_entries: tuple[DemoManualEntry, ...]
    routes: tuple[DemoRoute, ...]
    start: date
    end: date
    spike_week_start: date
    spike_run_date: date
    downhill_run_date: date
    shoe_a_passes_700_on: date
    quiet_day: date
    seed: int
    weeks: int
    notes: tuple[str, ...] = field(default=())
    measures: tuple[DemoMeasure, ...] = field(default=())

    def to_json(self, *, indent: int | None = 2) -> str:
        """The whole story as JSON (dates ISO 8601, mappings as objects)."""

        def convert(value: Any) -> Any:
            if isinstance(value, datetime | date):
                return value.isoformat()
            if isinstance(value, Mapping):
                return {str(k): convert(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [convert(v) for v in value]
            return value

        data = {k: convert(v) for k, v in asdict(self).items()}
        return json.dumps(data, indent=indent, ensure_ascii=False)


# --- numerics -------------------------------------------------------------------------------


def _iir1(x: FloatArray, a: float, y0: float) -> FloatArray:
    """``y[i] = a*y[i-1] + x[i]`` with ``y[-1] = y0``, vectorised in blocks.

    Within a block ``y[j] = a**j * (a*y0 + cumsum(x[k] / a**k))``; blocks are short enough
    that ``a**-j`` stays finite.
    """
    n = len(x)
    out = np.empty(n, dtype=np.float64)
    if n == 0:
        return out
    if a <= 0.0:
        out[:] = x
        return out
    block = max(1, min(n, int(600.0 / max(-math.log(a), 1e-12))))
    prev = y0
    for s in range(0, n, block):
        xs = x[s : s + block]
        p = a ** np.arange(len(xs), dtype=np.float64)
        y = p * (a * prev + np.cumsum(xs / p))
        out[s : s + len(xs)] = y
        prev = float(y[-1])
    return out


def _ar1(rng: np.random.Generator, n: int, *, phi: float, sd: float) -> FloatArray:
    """A stationary AR(1) series with lag-1 correlation ``phi`` and standard deviation ``sd``."""
    e = rng.normal(0.0, sd * math.sqrt(1.0 - phi * phi), n)
    return _iir1(e, phi, float(rng.normal(0.0, sd)))


def _lag(x: FloatArray, *, tau_s: float, dt_s: float, y0: float) -> FloatArray:
    """First-order response (time constant ``tau_s``) of a signal sampled every ``dt_s``."""
    a = math.exp(-dt_s / tau_s)
    return _iir1((1.0 - a) * x, a, y0)


def _circular_smooth(values: FloatArray, window: int) -> FloatArray:
    """Moving average over ``window`` samples of a periodic series."""
    if window <= 1:
        return values.copy()
    half = window // 2
    padded = np.concatenate((values[-half:], values, values[:half]))
    c = np.concatenate(([0.0], np.cumsum(padded)))
    return (c[window:] - c[:-window])[: len(values)] / window


# --- routes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Route:
    key: str
    name: str
    length_m: int
    lat: FloatArray  # one value per metre along the loop; index length_m == index 0
    lon: FloatArray
    alt: FloatArray
    grade: FloatArray


_M_PER_DEG_LAT = 111_195.0


def _make_route(
    *,
    key: str,
    name: str,
    length_m: int,
    heading_deg: float,
    shape: tuple[float, float, float, float],
    knots_km_alt: Sequence[tuple[float, float]],
    smooth_m: int,
    ripple_m: float,
) -> _Route:
    """A closed loop through home: a wobbly circle scaled to ``length_m``, altitude by knots."""
    a2, a3, a7, phase = shape
    theta0 = math.radians(heading_deg) + math.pi
    theta = theta0 + np.linspace(0.0, 2.0 * math.pi, 8001)
    r = (
        1.0
        + a2 * np.sin(2 * theta + phase)
        + a3 * np.cos(3 * theta - phase)
        + a7 * np.sin(7 * theta)
    )
    x = r * np.cos(theta) - r[0] * math.cos(theta0)
    y = r * np.sin(theta) - r[0] * math.sin(theta0)
    arc = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
    scale = length_m / arc[-1]
    s = np.arange(length_m + 1, dtype=np.float64)
    xm = np.interp(s, arc * scale, x * scale)
    ym = np.interp(s, arc * scale, y * scale)
    lat = HOME_LAT_DEG + ym / _M_PER_DEG_LAT
    lon = HOME_LON_DEG + xm / (_M_PER_DEG_LAT * math.cos(math.radians(HOME_LAT_DEG)))

    kx = np.array([k[0] * 1000.0 for k in knots_km_alt])
    ky = np.array([k[1] for k in knots_km_alt])
    alt = np.interp(s[:-1], kx, ky)
    k = np.arange(len(alt))
    ripple = ripple_m * (
        np.sin(2 * math.pi * k * max(1, length_m // 400) / length_m)
        + 0.5 * np.sin(2 * math.pi * k * max(1, length_m // 170) / length_m + 1.0)
    )
    alt = _circular_smooth(alt, smooth_m) + ripple
    alt = np.concatenate((alt, alt[:1]))
    grade = np.gradient(alt)
    return _Route(key=key, name=name, length_m=length_m, lat=lat, lon=lon, alt=alt, grade=grade)


def _build_routes() -> dict[str, _Route]:
    routes = [
        _make_route(
            key="river",
            name="River loop (flat)",
            length_m=4200,
            heading_deg=20.0,
            shape=(0.25, 0.08, 0.02, 0.4),
            knots_km_alt=[(0.0, 436.0), (1.0, 437.5), (2.1, 435.0), (3.2, 438.0), (4.2, 436.0)],
            smooth_m=101,
            ripple_m=0.4,
        ),
        _make_route(
            key="hill",
            name="Hill loop",
            length_m=5000,
            heading_deg=140.0,
            shape=(0.15, 0.12, 0.03, 1.3),
            knots_km_alt=[
                (0.0, 436.0),
                (0.4, 438.0),
                (1.5, 496.0),
                (1.8, 500.0),
                (2.9, 452.0),
                (3.3, 450.0),
                (3.8, 478.0),
                (4.3, 470.0),
                (5.0, 436.0),
            ],
            smooth_m=61,
            ripple_m=0.6,
        ),
        _make_route(
            key="trail",
            name="Forest trail",
            length_m=6000,
            heading_deg=260.0,
            shape=(0.3, 0.1, 0.05, 2.2),
            knots_km_alt=[
                (0.0, 440.0),
                (0.2, 441.0),
                (3.6, 641.0),
                (3.8, 643.0),
                (5.8, 443.0),
                (6.0, 440.0),
            ],
            smooth_m=61,
            ripple_m=0.3,
        ),
        _make_route(
            key="lake",
            name="Lake ride",
            length_m=18000,
            heading_deg=320.0,
            shape=(0.2, 0.1, 0.02, 0.7),
            knots_km_alt=[
                (0.0, 436.0),
                (3.0, 452.0),
                (6.0, 440.0),
                (9.0, 470.0),
                (12.0, 445.0),
                (15.0, 455.0),
                (18.0, 436.0),
            ],
            smooth_m=201,
            ripple_m=1.0,
        ),
    ]
    return {r.key: r for r in routes}


def _describe_route(route: _Route) -> DemoRoute:
    d = np.diff(route.alt)
    # Grade over 100 m windows, the way a reader would judge a descent.
    step = 10
    alt10 = route.alt[::step]
    g = (alt10[10:] - alt10[:-10]) / 100.0
    steep = float(np.count_nonzero(g < -0.08) * step)
    return DemoRoute(
        key=route.key,
        name=route.name,
        length_m=float(route.length_m),
        ascent_m=round(float(d[d > 0].sum()), 1),
        descent_m=round(float(-d[d < 0].sum()), 1),
        descent_steeper_than_8pct_m=steep,
    )


# --- sessions -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """A planned recorded session. ``day`` counts from the first day of the history."""

    day: int
    kind: Literal["run", "trail", "ride", "indoor_ride"]
    name: str
    route: str | None = None
    reverse: bool = False
    distance_m: float = 0.0
    duration_s: float = 0.0  # indoor rides only
    run_s: float = 0.0
    walk_s: float = 0.0
    warmup_s: float = 300.0
    v_run: float = 2.35
    v_walk: float = 1.55
    fatigue_bpm: float = 0.0
    hour: float = 7.5
    fmt: Literal["fit", "gpx"] = "fit"
    rpe: float = 3.0
    description: str = ""


@dataclass(frozen=True, slots=True)
class _Samples:
    epoch_s: FloatArray
    lat: FloatArray | None
    lon: FloatArray | None
    alt: FloatArray | None
    dist: FloatArray | None
    speed: FloatArray | None
    hr: FloatArray
    cad: FloatArray


_REST_HR = 60.0
_MAX_HR = 175.0
_VO2MAX = 40.0  # ml/kg/min: a fit 56-year-old returning runner


def _simulate(
    rng: np.random.Generator, plan: _Plan, route: _Route | None, start_unix: float
) -> _Samples:
    """Samples every second for one session (see the module docstring for the models)."""
    dt = 1.0
    if plan.kind == "indoor_ride":
        n = int(plan.duration_s) + 1
        t = np.arange(n, dtype=np.float64)
        effort = 0.42 + 0.08 * np.sin(2 * math.pi * t / 600.0) + _ar1(rng, n, phi=0.995, sd=0.03)
        target = _REST_HR + (_MAX_HR - _REST_HR) * np.clip(effort * (1 + 0.001 * t / 60), 0.1, 0.95)
        hr = _lag(target, tau_s=35.0, dt_s=dt, y0=_REST_HR + 20) + _ar1(rng, n, phi=0.9, sd=1.5)
        cad = 88.0 + _ar1(rng, n, phi=0.98, sd=2.5)
        return _Samples(
            epoch_s=start_unix + t,
            lat=None,
            lon=None,
            alt=None,
            dist=None,
            speed=None,
            hr=np.clip(np.round(hr), 50, _MAX_HR),
            cad=np.clip(np.round(cad), 60.0, 110.0),
        )
    assert route is not None
    ride = plan.kind == "ride"
    mean_v = (
        plan.v_run
        if plan.walk_s == 0
        else ((plan.v_run * plan.run_s + plan.v_walk * plan.walk_s) / (plan.run_s + plan.walk_s))
    )
    n = int(1.5 * (plan.warmup_s + plan.distance_m / mean_v)) + 120
    t = np.arange(n, dtype=np.float64)
    if ride:
        running = np.ones(n, dtype=bool)
        v0 = np.full(n, plan.v_run)
    else:
        after = t - plan.warmup_s
        cycle = plan.run_s + plan.walk_s
        running = (after >= 0) & (
            (plan.walk_s == 0) | (np.mod(after, max(cycle, 1.0)) < plan.run_s)
        )
        v0 = np.where(running, plan.v_run, plan.v_walk)
    v0 = _lag(v0, tau_s=4.0, dt_s=dt, y0=0.8) * (1.0 + _ar1(rng, n, phi=0.97, sd=0.03))
    run_w = _lag(running.astype(np.float64), tau_s=4.0, dt_s=dt, y0=0.0)

    length = route.length_m
    s_grid = np.arange(length + 1, dtype=np.float64)

    def where_on_route(d: FloatArray) -> FloatArray:
        s = np.mod(d, length)
        return (length - s) if plan.reverse else s

    def grade_at(d: FloatArray) -> FloatArray:
        g = np.interp(where_on_route(d), s_grid, route.grade)
        return -g if plan.reverse else g

    v = v0
    for _ in range(3):
        d = np.concatenate(([0.0], np.cumsum(v[:-1] * dt)))
        g = grade_at(d)
        if ride:
            factor = np.where(g >= 0, 1.0 / (1.0 + 9.0 * g), 1.0 + 4.0 * np.minimum(-g, 0.05))
        else:
            up = 1.0 / (1.0 + 3.5 * np.maximum(g, 0.0))
            down = 1.0 + 1.2 * np.minimum(-g, 0.06) - 2.0 * np.maximum(-g - 0.06, 0.0)
            factor = np.where(g >= 0, up, down)
        v = v0 * factor
    d = np.concatenate(([0.0], np.cumsum(v[:-1] * dt)))
    end = int(np.searchsorted(d, plan.distance_m))
    if end >= n:
        raise AssertionError("demo session ran out of samples")  # a bug in the model, not input
    sl = slice(0, end + 1)
    t, d, v, g, run_w = t[sl], d[sl] * (plan.distance_m / d[end]), v[sl], grade_at(d[sl]), run_w[sl]
    n = len(t)

    # Position with correlated GPS noise (~2 m); barometric altitude.
    s = where_on_route(d)
    east = _ar1(rng, n, phi=0.99, sd=1.8)
    north = _ar1(rng, n, phi=0.99, sd=1.8)
    lat = np.interp(s, s_grid, route.lat) + north / _M_PER_DEG_LAT
    lon = np.interp(s, s_grid, route.lon) + east / (
        _M_PER_DEG_LAT * math.cos(math.radians(HOME_LAT_DEG))
    )
    alt_true = np.interp(s, s_grid, route.alt)
    baro = (
        float(rng.normal(0.0, 2.5))
        + np.cumsum(rng.normal(0.0, 0.02, n))
        + _ar1(rng, n, phi=0.95, sd=0.15)
    )
    alt = np.round((alt_true + baro) * 5.0) / 5.0

    # Heart rate: ACSM running/walking VO2 → %HR reserve, 30 s response, cardiac drift.
    v_mpm = v * 60.0
    g_eff = np.where(g >= 0, g, 0.5 * np.maximum(g, -0.15))
    if ride:
        frac = np.clip(0.45 + 5.0 * g_eff, 0.15, 0.9)
    else:
        vo2_run = 3.5 + 0.2 * v_mpm + 0.9 * v_mpm * g_eff
        vo2_walk = 3.5 + 0.1 * v_mpm + 1.8 * v_mpm * g_eff
        vo2 = run_w * vo2_run + (1.0 - run_w) * vo2_walk
        frac = (vo2 - 3.5) / (_VO2MAX - 3.5)
    minutes = t / 60.0
    target = _REST_HR + (_MAX_HR - _REST_HR) * np.clip(frac * (1.0 + 0.0015 * minutes), 0.1, 0.97)
    target = target + plan.fatigue_bpm
    hr = _lag(target, tau_s=30.0, dt_s=dt, y0=_REST_HR + 25.0) + _ar1(rng, n, phi=0.9, sd=1.5)
    hr = np.clip(np.round(hr), 50.0, _MAX_HR)

    if ride:
        cad = np.where(g < -0.035, 0.0, 86.0 + _ar1(rng, n, phi=0.98, sd=3.0))
    else:
        run_cad = 82.5 + 4.0 * (v - 2.4) + _ar1(rng, n, phi=0.9, sd=0.7)
        walk_cad = 56.0 + 4.0 * (v - 1.5) + _ar1(rng, n, phi=0.9, sd=0.8)
        cad = np.where(run_w > 0.5, np.clip(run_cad, 79.0, 88.0), np.clip(walk_cad, 48.0, 64.0))
    cad = np.round(cad * 4.0) / 4.0
    return _Samples(
        epoch_s=start_unix + t, lat=lat, lon=lon, alt=alt, dist=d, speed=v, hr=hr, cad=cad
    )


# --- the plan -------------------------------------------------------------------------------

_RUN_WALK = {  # story week → (run s, walk s)
    1: (60, 90),
    2: (90, 90),
    3: (120, 90),
    4: (180, 90),
    5: (240, 60),
    6: (300, 60),
    7: (420, 60),
    8: (480, 60),
    10: (240, 60),
    11: (240, 60),
    12: (420, 60),
    13: (180, 60),
    14: (300, 60),
    15: (480, 60),
    16: (300, 150),  # her plan's week: 3 x (run 5 min, walk 2 min 30 s)
}


def _rw_label(week: int) -> str:
    run_s, walk_s = _RUN_WALK[week]
    return f"{run_s // 60}:{run_s % 60:02d} run / {walk_s // 60}:{walk_s % 60:02d} walk"


def _plan_sessions(rng: np.random.Generator, pre_weeks: int) -> tuple[list[_Plan], dict[str, int]]:
    """All recorded sessions, plus the days of the story's key events (from day 0)."""
    plans: list[_Plan] = []

    def day(week: int, weekday: int) -> int:
        return (pre_weeks + week - 1) * 7 + weekday

    def hour() -> float:
        return float(np.round(rng.uniform(6.75, 8.25) * 12.0) / 12.0)

    for w in range(pre_weeks):  # before the return: cycling only
        plans.append(
            _Plan(
                day=w * 7 + 2,
                kind="ride",
                name="Lake ride",
                route="lake",
                distance_m=18000.0,
                v_run=float(rng.uniform(5.8, 6.4)),
                hour=9.5,
                rpe=3.0,
                description="Easy spin before the return to running.",
            )
        )

    # Weeks 1-8: run/walk, 3 a week, never on consecutive days.
    longest = 3000.0
    weekly_longest: dict[int, float] = {}
    for w in range(1, 9):
        if w > 1:
            longest *= float(rng.uniform(1.05, 1.09))
        weekly_longest[w] = longest
        run_s, walk_s = _RUN_WALK[w]
        days = (1, 3, 5) if w == 1 else (0, 2, 5)
        shares = (0.85, 0.9, 1.0)
        for wd, share in zip(days, shares, strict=True):
            jitter = float(rng.uniform(0.97, 1.0))
            hilly = wd == 2 and w in (6, 8)
            long_run = share == 1.0
            plans.append(
                _Plan(
                    day=day(w, wd),
                    kind="run",
                    name=("Long run/walk" if long_run else "Run/walk") + f" — week {w}",
                    route="hill" if hilly else "river",
                    distance_m=round(longest * share * (1.0 if long_run else jitter), -1),
                    run_s=run_s,
                    walk_s=walk_s,
                    v_run=2.30 + 0.02 * (w - 1),
                    hour=hour(),
                    fmt="gpx" if w <= 3 else "fit",
                    rpe=4.0 if long_run or hilly else 3.0,
                    description=f"{_rw_label(w)} after a 5-minute brisk walk.",
                )
            )
        # Cross-training: one ride or swim a week (swims are manual entries), two in some.
        if w % 2 == 0 or w == 3:
            plans.append(
                _Plan(
                    day=day(w, 3),
                    kind="ride",
                    name="Lake ride",
                    route="lake",
                    distance_m=round(float(rng.uniform(15000, 18000)), -2),
                    v_run=float(rng.uniform(5.8, 6.4)),
                    hour=17.5,
                    rpe=3.0,
                    description="Easy ride; leaning forward on the bike feels fine.",
                )
            )

    # Week 9: too much, too soon.
    l8 = weekly_longest[8]
    spike_day = day(9, 5)
    window = [
        p.distance_m for p in plans if p.kind == "run" and spike_day - 30 <= p.day < spike_day
    ]
    shares9 = (0.85, 0.75, 0.9, 0.8, 0.9)
    for wd, share in enumerate(shares9):
        hilly = wd in (2, 4)
        plans.append(
            _Plan(
                day=day(9, wd),
                kind="run",
                name="Hill loop, no walking" if hilly else "Easy run",
                route="hill" if hilly else "river",
                distance_m=round(l8 * share, -1),
                walk_s=0.0,
                warmup_s=0.0,
                v_run=2.5,
                fatigue_bpm=1.0 + wd,
                hour=hour(),
                rpe=5.0 + (wd >= 2),
                description="Felt good, ran it all without walk breaks. Skipped the warm-up walk.",
            )
        )
        window.append(round(l8 * share, -1))
    spike = round(1.6 * max(window), -1)
    plans.append(
        _Plan(
            day=spike_day,
            kind="run",
            name="Long run — felt great",
            route="river",
            distance_m=spike,
            walk_s=0.0,
            warmup_s=0.0,
            v_run=2.45,
            fatigue_bpm=6.0,
            hour=8.0,
            rpe=8.0,
            description="Sixth day in a row. Went much further than planned; back tight for the "
            "last 2 km.",
        )
    )

    def easy(
        w: int,
        wd: int,
        km: float,
        *,
        fmt: Literal["fit", "gpx"] = "fit",
        name: str = "",
        rpe: float = 3.0,
        note: str = "",
    ) -> None:
        run_s, walk_s = _RUN_WALK[w]
        plans.append(
            _Plan(
                day=day(w, wd),
                kind="run",
                name=name or f"Run/walk — week {w}",
                route="river",
                distance_m=round(km * 1000.0 * float(rng.uniform(0.98, 1.02)), -1),
                run_s=run_s,
                walk_s=walk_s,
                v_run=2.35,
                hour=hour(),
                fmt=fmt,
                rpe=rpe,
                description=note or f"{_rw_label(w)}, flat river loop.",
            )
        )

    def ride(w: int, wd: int, *, indoor: bool = False) -> None:
        if indoor:
            plans.append(
                _Plan(
                    day=day(w, wd),
                    kind="indoor_ride",
                    name="Indoor ride",
                    duration_s=round(float(rng.uniform(1800, 2700)), -1),
                    hour=18.0,
                    rpe=3.0,
                    description="Trainer in the garage; sitting leaning forward eases the back.",
                )
            )
        else:
            plans.append(
                _Plan(
                    day=day(w, wd),
                    kind="ride",
                    name="Lake ride",
                    route="lake",
                    distance_m=round(float(rng.uniform(15000, 18000)), -2),
                    v_run=float(rng.uniform(5.8, 6.4)),
                    hour=10.0,
                    rpe=3.0,
                    description="Easy ride around the lake.",
                )
            )

    # Weeks 10-11: sore; fewer, shorter runs; more cycling.
    easy(10, 1, 3.0, note="Back still sore from last week; kept it short.", rpe=4.0)
    ride(10, 2, indoor=True)
    easy(10, 3, 3.0, rpe=4.0)
    easy(10, 5, 3.2, rpe=4.0)
    easy(11, 0, 3.2)
    easy(11, 2, 3.4)
    ride(11, 3)
    easy(11, 5, 3.6)
    # Week 12: new trail shoes, the forest trail with its long steep descent.
    easy(12, 0, 3.0)
    easy(12, 2, 3.4)
    downhill_day = day(12, 5)
    plans.append(
        _Plan(
            day=downhill_day,
            kind="trail",
            name="Forest trail — first outing in the new shoes",
            route="trail",
            distance_m=6000.0,
            run_s=600.0,
            walk_s=60.0,
            v_run=2.3,
            hour=9.0,
            rpe=6.0,
            description="Up the fire road, then the long steep path straight down. Braking all "
            "the way; back and left buttock complaining at the bottom.",
        )
    )
    # Weeks 13-16: recovery and variety; calm at the end.
    ride(13, 1, indoor=True)
    easy(13, 2, 3.0, fmt="gpx", rpe=4.0, note="Phone only (watch charging). Short and flat.")
    easy(13, 4, 3.2)
    ride(13, 5)
    easy(13, 6, 3.4)
    easy(14, 1, 3.4)
    ride(14, 2)
    easy(14, 3, 3.6)
    easy(14, 5, 4.0)
    easy(15, 0, 3.8)
    plans.append(
        _Plan(
            day=day(15, 3),
            kind="trail",
            name="Forest trail, the gentle way round",
            route="trail",
            reverse=True,
            distance_m=6000.0,
            run_s=480.0,
            walk_s=60.0,
            v_run=2.3,
            hour=9.0,
            rpe=5.0,
            description="Walked up the steep path, jogged down the fire road. No pain after.",
        )
    )
    easy(15, 5, 3.6)
    # Week 16 is week 1 of her plan (services/demo_load.py starts it at the week her runs of
    # weeks 12-15 match): three run/walk sessions as the plan sets them.
    easy(16, 0, 3.4, name="Plan session 1 — run/walk")
    easy(16, 2, 3.4, name="Plan session 2 — run/walk")
    ride(16, 3)  # the plan's cross-training day
    easy(
        16,
        4,
        3.5,
        name="Plan session 3 — run/walk",
        note="Relaxed, flat, warm-up walk first. Felt fine.",
    )
    plans.sort(key=lambda p: (p.day, p.hour))
    keys = {
        "spike_week_start": day(9, 0),
        "spike_run": spike_day,
        "downhill_run": downhill_day,
        "shoe_b_bought": day(11, 4),
        "first_run_week": day(1, 0),
    }
    return plans, keys


# --- writing --------------------------------------------------------------------------------


def _km_laps(t_rel: FloatArray, dist: FloatArray) -> list[Lap]:
    """Auto laps every 1 km, as a watch sets them."""
    marks = np.arange(1000.0, float(dist[-1]), 1000.0)
    idx = np.searchsorted(dist, marks)
    starts = [0.0] + [float(t_rel[i]) for i in idx if 0 < i < len(t_rel) - 1]
    return [Lap(start_s=s) for s in starts]


def _encode(plan: _Plan, samples: _Samples, start_at: datetime) -> tuple[bytes, float | None]:
    """File bytes and the distance a reader will find in them."""
    run = plan.kind in ("run", "trail")
    sport = "running" if run else "cycling"
    sub = {"run": "street", "trail": "trail", "ride": "road", "indoor_ride": "indoor_cycling"}[
        plan.kind
    ]
    if plan.fmt == "gpx":
        assert samples.lat is not None and samples.lon is not None
        pick = np.arange(0, len(samples.epoch_s), 2)
        if pick[-1] != len(samples.epoch_s) - 1:
            pick = np.append(pick, len(samples.epoch_s) - 1)
        lat = np.round(samples.lat[pick], 7)
        lon = np.round(samples.lon[pick], 7)
        data = encode_gpx_activity(
            start_at=start_at,
            name=plan.name,
            activity_type={"run": "running", "trail": "trail_running"}.get(plan.kind, "cycling"),
            epoch_s=samples.epoch_s[pick],
            lat_deg=lat,
            lon_deg=lon,
            altitude_m=None if samples.alt is None else samples.alt[pick],
            hr_bpm=samples.hr[pick],
            cadence_rpm=samples.cad[pick],
            description=plan.description or None,
            creator="backstride demo phone app",
        )
        return data, float(compute_cumulative_distance_m(lat, lon)[-1])
    laps = (
        _km_laps(samples.epoch_s - samples.epoch_s[0], samples.dist)
        if run and samples.dist is not None
        else None
    )
    data = encode_fit_activity(
        start_at=start_at,
        sport=sport,
        sub_sport=sub,
        epoch_s=samples.epoch_s,
        lat_deg=samples.lat,
        lon_deg=samples.lon,
        altitude_m=samples.alt,
        distance_m=samples.dist,
        speed_m_s=samples.speed,
        hr_bpm=samples.hr,
        cadence_rpm=samples.cad,
        laps=laps,
        lap_trigger="distance" if laps else "manual",
        utc_offset_s=UTC_OFFSET_S,
        manufacturer=255,
        product=1 if run else 2,
        serial_number=3_917_204_551 if run else 3_917_300_112,
        product_name="backstride demo watch" if run else "backstride demo bike computer",
        software_version=12.3,
    )
    distance = None if samples.dist is None else float(np.round(samples.dist[-1] * 100) / 100)
    return data, distance


# --- the diary ------------------------------------------------------------------------------

_LOW_BACK = ("low-back",)


def _build_diary(
    rng: np.random.Generator,
    *,
    start: date,
    pre_weeks: int,
    runs_by_day: Mapping[int, str],
    files_by_day: Mapping[int, list[str]],
) -> tuple[list[DemoPainEntry], list[DemoManualEntry], list[DemoSelfTest], DemoClearance]:
    pain: list[DemoPainEntry] = []
    manual: list[DemoManualEntry] = []

    def on(week: int, wd: int) -> date:
        return start + timedelta(days=(pre_weeks + week - 1) * 7 + wd)

    def d_index(week: int, wd: int) -> int:
        return (pre_weeks + week - 1) * 7 + wd

    def add(
        week: int,
        wd: int,
        when: PainWhen,
        score: int,
        notes: str = "",
        *,
        where: tuple[str, ...] = _LOW_BACK,
        feels: tuple[str, ...] | None = None,
        leg: bool = False,
        sitting: bool = False,
    ) -> None:
        # 'during'/'after' link to that day's session (the run, if any); 'next-morning' to
        # the previous day's, so delayed pain can be traced to its session.
        link: str | None = None
        if when in ("during", "after", "next-morning"):
            i = d_index(week, wd) - (1 if when == "next-morning" else 0)
            same_day = files_by_day.get(i, [])
            link = runs_by_day.get(i) or (same_day[-1] if same_day else None)
        pain.append(
            DemoPainEntry(
                on=on(week, wd),
                when=when,
                score=score,
                where=where if score else (),
                feels=(feels if feels is not None else (("stiffness",) if score else ())),
                activity_file=link,
                walking_leg_symptoms=leg,
                eases_sitting=sitting,
                notes=notes,
            )
        )

    def gym(
        week: int,
        wd: int,
        sport: Sport,
        minutes: float,
        name: str,
        notes: str,
        rpe: float = 3.0,
        distance_m: float | None = None,
    ) -> None:
        manual.append(
            DemoManualEntry(
                on=on(week, wd),
                sport=sport.value,
                name=name,
                duration_s=minutes * 60.0,
                distance_m=distance_m,
                rpe=rpe,
                notes=notes,
            )
        )

    core = "Core and hip routine"
    core_notes = "Curl-up, side bridge, bird-dog (McGill big 3), glute bridge, clamshells."
    mob = "Flexion-bias mobility"
    mob_notes = "Knee-to-chest, pelvic tilts, child's pose, hip-flexor stretch."

    def swim(week: int, wd: int) -> None:
        metres = float(round(rng.uniform(1000, 1500), -2))
        gym(
            week,
            wd,
            Sport.SWIM,
            round(metres / 40.0),
            "Pool swim",
            "Easy freestyle and backstroke, rests at the wall.",
            rpe=3.0,
            distance_m=metres,
        )

    for w in range(pre_weeks):
        manual.append(
            DemoManualEntry(
                on=start + timedelta(days=w * 7 + 5),
                sport=Sport.SWIM.value,
                name="Pool swim",
                duration_s=1800.0,
                distance_m=1000.0,
                rpe=3.0,
                notes="Before the return to running.",
            )
        )

    # Weeks 1-8: low pain (0-2) after runs, mild morning stiffness after the long run.
    for w in range(1, 9):
        days = (1, 3, 5) if w == 1 else (0, 2, 5)
        for wd in days:
            score = int(rng.choice([0, 1, 1, 2]))
            add(
                w, wd, "after", score, "Fine." if score < 2 else "A little stiff, eased on walking."
            )
        add(w, 6, "next-morning", int(rng.choice([0, 1, 1, 2])), "Usual morning stiffness.")
        gym(w, 2 if w == 1 else 1, Sport.STRENGTH, 20 + (w > 4) * 5, core, core_notes)
        if w % 2 == 1 and w != 3:
            swim(w, 4 if w == 1 else 3)
        if w in (2, 4, 6, 8):
            gym(w, 4, Sport.MOBILITY, 15, mob, mob_notes, rpe=2.0)
        if w in (3, 6):
            swim(w, 6)

    # Week 9: six days in a row, then the long run. Pain climbs and does not settle.
    add(9, 0, "after", 2, "Felt strong, no walk breaks.")
    add(9, 1, "next-morning", 2, "Bit stiff.")
    add(9, 1, "after", 3)
    add(9, 2, "next-morning", 3)
    add(9, 2, "after", 3, "Hills felt hard on the back coming down.")
    add(9, 3, "next-morning", 3)
    add(9, 3, "after", 4, feels=("ache", "stiffness"))
    add(9, 4, "next-morning", 4, feels=("ache", "stiffness"))
    add(9, 4, "after", 4, feels=("ache",))
    add(9, 5, "next-morning", 4, feels=("ache",))
    add(9, 5, "during", 4, "Tight for the last 2 km.", feels=("ache",))
    add(
        9,
        5,
        "after",
        5,
        "Much further than planned; aching low back.",
        where=("low-back", "buttock-right"),
        feels=("ache",),
    )
    add(
        9,
        6,
        "next-morning",
        6,
        "Stiff getting out of bed; not settled overnight.",
        where=("low-back", "buttock-right"),
        feels=("ache", "stiffness"),
    )
    add(
        9,
        6,
        "rest-day",
        5,
        "Still aching in the evening; sitting helps.",
        feels=("ache",),
        sitting=True,
    )

    # Weeks 10-11: back pain after runs and next morning; running reduced.
    add(10, 0, "rest-day", 5, "Not settled. Skipped running.", feels=("ache", "stiffness"))
    gym(10, 0, Sport.MOBILITY, 15, mob, mob_notes, rpe=2.0)
    add(10, 1, "before", 4, feels=("ache",))
    add(10, 1, "after", 4, "Short run/walk; back no worse, no better.", feels=("ache",))
    add(10, 2, "next-morning", 4, feels=("ache", "stiffness"))
    add(10, 2, "after", 2, "Cycling felt fine — leaning forward eases it.", feels=("ache",))
    add(10, 3, "after", 4, feels=("ache",))
    add(10, 4, "next-morning", 4, "Still not settled in the morning.", feels=("ache", "stiffness"))
    gym(10, 4, Sport.MOBILITY, 15, mob, mob_notes, rpe=2.0)
    add(10, 5, "after", 3)
    add(10, 6, "next-morning", 3)
    swim(10, 6)
    add(11, 0, "after", 3)
    gym(11, 1, Sport.STRENGTH, 20, core, core_notes)
    add(11, 1, "next-morning", 3)
    add(11, 2, "after", 2)
    add(11, 3, "next-morning", 2)
    add(11, 3, "after", 1, "Ride was comfortable.")
    add(11, 5, "after", 2)
    swim(11, 6)
    add(11, 6, "next-morning", 2)

    # Week 12: the long steep descent → next-morning pain with left-leg tingling on walking.
    add(12, 0, "after", 2)
    gym(12, 1, Sport.STRENGTH, 20, core, core_notes)
    add(12, 1, "next-morning", 1)
    add(12, 2, "after", 2)
    add(12, 3, "next-morning", 1)
    swim(12, 3)
    gym(12, 4, Sport.MOBILITY, 15, mob, mob_notes, rpe=2.0)
    add(
        12,
        5,
        "during",
        4,
        "On the long steep descent; braking hard.",
        where=("low-back", "buttock-left"),
        feels=("ache",),
    )
    add(12, 5, "after", 4, where=("low-back", "buttock-left"), feels=("ache",))
    add(
        12,
        6,
        "next-morning",
        6,
        "Woke sore. Tingling down the left leg when walking to the shop; gone after sitting a "
        "few minutes.",
        where=("low-back", "buttock-left", "leg-left"),
        feels=("ache", "tingling"),
        leg=True,
        sitting=True,
    )

    # Weeks 13-16: recovery, variety, calm at the end.
    add(
        13,
        0,
        "rest-day",
        5,
        "Leg tingles again after ten minutes of walking; sitting eases it.",
        where=("low-back", "buttock-left", "leg-left"),
        feels=("ache", "tingling"),
        leg=True,
        sitting=True,
    )
    gym(13, 0, Sport.MOBILITY, 15, mob, mob_notes, rpe=2.0)
    add(13, 1, "after", 3, "Indoor ride: comfortable.", feels=("ache",))
    add(13, 2, "before", 3)
    add(13, 2, "after", 3)
    add(13, 3, "next-morning", 3)
    swim(13, 3)
    add(13, 4, "after", 2)
    add(13, 5, "next-morning", 2)
    add(13, 6, "after", 2)
    gym(14, 0, Sport.STRENGTH, 25, core, core_notes)
    add(14, 0, "next-morning", 2)
    for wd, score in ((1, 2), (3, 1), (5, 2)):
        add(14, wd, "after", score)
    swim(14, 4)
    add(14, 6, "next-morning", 1)
    add(15, 0, "after", 1)
    gym(15, 1, Sport.STRENGTH, 25, core, core_notes)
    swim(15, 2)
    add(15, 3, "after", 1, "Gentle way round: no pain on the fire-road descent.")
    add(15, 4, "next-morning", 1)
    gym(15, 4, Sport.MOBILITY, 15, mob, mob_notes, rpe=2.0)
    add(15, 5, "after", 1)
    add(16, 0, "after", 1)
    add(16, 1, "next-morning", 0)
    gym(16, 1, Sport.STRENGTH, 20, core, core_notes)  # the plan's strength day
    add(16, 2, "after", 1)
    add(16, 3, "next-morning", 0)
    add(16, 4, "after", 0, "Felt fine.")
    add(16, 5, "rest-day", 0, "Rest day.")
    add(16, 6, "rest-day", 0, "Calm; a rest day in the plan.")
    gym(16, 6, Sport.MOBILITY, 10, mob, mob_notes, rpe=1.0)

    tests: list[DemoSelfTest] = []
    for week, wd, values in (
        (1, 2, (95, 88, 41, 55, 38, 62, 70, False, True)),
        (14, 6, (112, 101, 47, 58, 42, 67, 72, True, True)),
    ):
        when = on(week, wd)
        flexor, extensor, sb_left, sb_right, reach, slr_l, slr_r, hip_l, hip_r = values
        tests += [
            DemoSelfTest(when, "trunk-flexor-hold", float(flexor), "s", None),
            DemoSelfTest(when, "trunk-extensor-hold", float(extensor), "s", None),
            DemoSelfTest(
                when,
                "side-bridge-left",
                float(sb_left),
                "s",
                None,
                "Left side weaker; hips sag first.",
            ),
            DemoSelfTest(when, "side-bridge-right", float(sb_right), "s", None),
            DemoSelfTest(
                when,
                "sit-and-reach",
                float(reach),
                "cm",
                None,
                "YMCA method: heels at the 38 cm (15 in) mark.",
            ),
            DemoSelfTest(when, "straight-leg-raise-left", float(slr_l), "deg", None),
            DemoSelfTest(when, "straight-leg-raise-right", float(slr_r), "deg", None),
            DemoSelfTest(
                when, "hip-flexor-length-left", None, "pass/fail", hip_l, "Modified Thomas test."
            ),
            DemoSelfTest(
                when, "hip-flexor-length-right", None, "pass/fail", hip_r, "Modified Thomas test."
            ),
        ]
    clearance = DemoClearance(
        on=on(1, 0),
        by="Dr. Helen Marti (general practitioner)",
        notes="Lumbar spinal stenosis, stable. Cleared for a gradual run/walk return: flat "
        "routes first, stop if leg symptoms come on while walking or running.",
    )
    return (
        sorted(pain, key=lambda p: p.on),
        sorted(manual, key=lambda m: m.on),
        tests,
        clearance,
    )


# --- the use case ---------------------------------------------------------------------------


def generate_demo(out_dir: Path, *, seed: int = 7, weeks: int = 16, end: date) -> DemoStory:
    """Write the demo athlete's history ending on ``end`` into ``out_dir``; return the story.

    ``out_dir`` gets ``activities.csv`` (Strava columns; ``Activity Date`` in UTC as Strava
    writes it; distance in km) and ``activities/<id>.fit``, ``.fit.gz``, ``.gpx`` or
    ``.gpx.gz``; earlier demo files there that this run does not write are removed (other
    files are left alone). The same ``seed`` and ``end`` give the same bytes. ``weeks`` must be at
    least 16: the story fills the last 16 weeks and any earlier weeks hold only cycling and
    swimming.
    """
    if weeks < STORY_WEEKS:
        raise InvalidInputError(
            f"The demo story needs at least {STORY_WEEKS} weeks, got {weeks}.",
            hint="Use --weeks 16 or more.",
        )
    rng = np.random.default_rng(seed)
    pre_weeks = weeks - STORY_WEEKS
    start = end - timedelta(days=weeks * 7 - 1)
    routes = _build_routes()
    plans, keys = _plan_sessions(rng, pre_weeks)

    act_dir = out_dir / ACTIVITIES_DIR
    act_dir.mkdir(parents=True, exist_ok=True)
    files: list[DemoFile] = []
    csv_rows: list[StravaRow] = []
    runs_by_day: dict[int, str] = {}
    files_by_day: dict[int, list[str]] = {}
    for k, plan in enumerate(plans):
        on = start + timedelta(days=plan.day)
        local = datetime(on.year, on.month, on.day, tzinfo=UTC) + timedelta(hours=plan.hour)
        start_at = local - timedelta(seconds=UTC_OFFSET_S)
        start_at = start_at.replace(second=int(rng.integers(0, 60)), microsecond=0)
        route = routes.get(plan.route) if plan.route else None
        samples = _simulate(rng, plan, route, start_at.timestamp())
        data, distance = _encode(plan, samples, start_at)
        gz = bool(rng.random() < (0.6 if plan.fmt == "fit" else 0.35))
        activity_id = ID_BASE + plan.day * 100 + k % 100
        rel = f"{ACTIVITIES_DIR}/{activity_id}.{plan.fmt}" + (".gz" if gz else "")
        if gz:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        (out_dir / rel).write_bytes(data)
        is_run = plan.kind in ("run", "trail")
        shoe = (SHOE_B if plan.kind == "trail" else SHOE_A) if is_run else None
        sport = {"run": Sport.RUN, "trail": Sport.TRAIL_RUN}.get(plan.kind, Sport.CYCLE)
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
        strava_type = {"run": "Run", "trail": "Trail Run"}.get(plan.kind, "Ride")
        csv_rows.append(
            StravaRow(
                activity_id=activity_id,
                start_at=start_at,
                name=plan.name,
                sport_label=strava_type,
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

    pain, manual, tests, clearance = _build_diary(
        rng, start=start, pre_weeks=pre_weeks, runs_by_day=runs_by_day, files_by_day=files_by_day
    )

    # Shoe A: the old pair from before the break; its start is set so that it passes 700 km
    # on the first road run of week 12.
    week12 = start + timedelta(days=(pre_weeks + 11) * 7)
    km_before = sum((f.distance_m or 0.0) for f in files if f.shoe == SHOE_A and f.on < week12)
    start_km = 5.0 * math.floor((SHOE_A_TARGET_KM - km_before / 1000.0) / 5.0)
    total = start_km
    passes_on = end
    for f in files:
        if f.shoe == SHOE_A:
            total += (f.distance_m or 0.0) / 1000.0
            if total >= SHOE_A_TARGET_KM:
                passes_on = f.on
                break
    shoes = (
        DemoShoe(
            name=SHOE_A,
            model="Road neutral trainer (2023)",
            start_km=start_km,
            bought_on=start - timedelta(days=425),
            default_for_run=True,
            used_for=(Sport.RUN.value,),
        ),
        DemoShoe(
            name=SHOE_B,
            model="Trail shoe, lugged sole",
            start_km=0.0,
            bought_on=start + timedelta(days=keys["shoe_b_bought"]),
            default_for_run=False,
            used_for=(Sport.TRAIL_RUN.value,),
        ),
    )
    profile = DemoProfile(
        display_name="Demo runner",
        birth_year=1968,
        sex="female",
        resting_hr_bpm=int(_REST_HR),
        max_hr_bpm=int(_MAX_HR),
        conditions=("lumbar-spinal-stenosis",),
        experience="returning",
        past_injuries=("right calf strain (2016)", "plantar fasciitis, left foot (2017)"),
        running_history="Ran 10K races 2005-2017; stopped when back and leg pain on walking "
        "began; lumbar spinal stenosis (L4-L5) diagnosed 2023.",
        utc_offset_s=UTC_OFFSET_S,
    )
    story_start = start + timedelta(days=pre_weeks * 7)

    def week_day(week: int, wd: int) -> date:
        return story_start + timedelta(days=(week - 1) * 7 + wd)

    measures = (
        DemoMeasure(week_day(1, 0), "peg", (2.0, 2.0, 3.0), "Before the first run/walk."),
        DemoMeasure(
            week_day(13, 2),
            "walk",
            (12.0,),
            "Tingling down the left leg after 12 minutes on the flat; eased when sitting.",
        ),
        DemoMeasure(week_day(16, 2), "peg", (1.0, 1.0, 1.0), "Four weeks after the flare."),
    )
    return DemoStory(
        measures=measures,
        profile=profile,
        clearance=clearance,
        shoes=shoes,
        files=tuple(files),
        shoe_by_file={f.file: f.shoe for f in files if f.shoe},
        rpe_by_file={f.file: f.rpe for f in files},
        pain_entries=tuple(pain),
        self_tests=tuple(tests),
        manual_entries=tuple(manual),
        routes=tuple(_describe_route(r) for r in routes.values()),
        start=start + timedelta(days=pre_weeks * 7),
        end=end,
        spike_week_start=start + timedelta(days=keys["spike_week_start"]),
        spike_run_date=start + timedelta(days=keys["spike_run"]),
        downhill_run_date=start + timedelta(days=keys["downhill_run"]),
        shoe_a_passes_700_on=passes_on,
        quiet_day=end,
        seed=seed,
        weeks=weeks,
        notes=(
            "Weeks count from `start`; week 16 ends on `end`.",
            f"All times are UTC; the athlete's wall clock is UTC{UTC_OFFSET_S // 3600:+d}.",
            "Manual entries (strength, mobility, swimming) are not in activities.csv.",
        ),
    )
