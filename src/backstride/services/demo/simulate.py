"""The demo's physics: routes as loops with altitude, one session sampled every second (speed,
position with GPS noise, barometric altitude, heart rate from the ACSM equations, cadence),
and the session encoded as a watch (FIT) or phone (GPX) would write it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np

from backstride.adapters.files.fit.writer import encode_fit_activity
from backstride.adapters.files.gpx.writer import encode_gpx_activity
from backstride.domain.activity import FloatArray, Lap
from backstride.domain.geo import compute_cumulative_distance_m
from backstride.services.demo.story import DemoRoute

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
class Route:
    key: str
    name: str
    length_m: int
    lat: FloatArray  # one value per metre along the loop; index length_m == index 0
    lon: FloatArray
    alt: FloatArray
    grade: FloatArray


_M_PER_DEG_LAT = 111_195.0


@dataclass(frozen=True, slots=True)
class Home:
    """Where every loop starts and ends, and the athlete's wall clock."""

    lat_deg: float
    lon_deg: float
    utc_offset_s: int


@dataclass(frozen=True, slots=True)
class Physiology:
    """What her heart rate follows: resting and maximum rate, aerobic capacity (ml/kg/min)."""

    rest_hr: float
    max_hr: float
    vo2max: float


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
    home: Home,
) -> Route:
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
    lat = home.lat_deg + ym / _M_PER_DEG_LAT
    lon = home.lon_deg + xm / (_M_PER_DEG_LAT * math.cos(math.radians(home.lat_deg)))

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
    return Route(key=key, name=name, length_m=length_m, lat=lat, lon=lon, alt=alt, grade=grade)


def build_routes(table: Sequence[Mapping[str, Any]], home: Home) -> dict[str, Route]:
    """The loops of ``routes.toml``, by key."""
    routes = [
        _make_route(
            key=str(row["key"]),
            name=str(row["name"]),
            length_m=int(row["length_m"]),
            heading_deg=float(row["heading_deg"]),
            shape=(
                float(row["shape"][0]),
                float(row["shape"][1]),
                float(row["shape"][2]),
                float(row["shape"][3]),
            ),
            knots_km_alt=[(float(km), float(alt)) for km, alt in row["knots"]],
            smooth_m=int(row["smooth_m"]),
            ripple_m=float(row["ripple_m"]),
            home=home,
        )
        for row in table
    ]
    return {r.key: r for r in routes}


def describe_route(route: Route) -> DemoRoute:
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
class Session:
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
class Samples:
    epoch_s: FloatArray
    lat: FloatArray | None
    lon: FloatArray | None
    alt: FloatArray | None
    dist: FloatArray | None
    speed: FloatArray | None
    hr: FloatArray
    cad: FloatArray


def simulate(
    rng: np.random.Generator,
    plan: Session,
    route: Route | None,
    start_unix: float,
    *,
    body: Physiology,
    home: Home,
) -> Samples:
    """Samples every second for one session (see the module docstring for the models)."""
    dt = 1.0
    if plan.kind == "indoor_ride":
        n = int(plan.duration_s) + 1
        t = np.arange(n, dtype=np.float64)
        effort = 0.42 + 0.08 * np.sin(2 * math.pi * t / 600.0) + _ar1(rng, n, phi=0.995, sd=0.03)
        target = body.rest_hr + (body.max_hr - body.rest_hr) * np.clip(
            effort * (1 + 0.001 * t / 60), 0.1, 0.95
        )
        hr = _lag(target, tau_s=35.0, dt_s=dt, y0=body.rest_hr + 20) + _ar1(rng, n, phi=0.9, sd=1.5)
        cad = 88.0 + _ar1(rng, n, phi=0.98, sd=2.5)
        return Samples(
            epoch_s=start_unix + t,
            lat=None,
            lon=None,
            alt=None,
            dist=None,
            speed=None,
            hr=np.clip(np.round(hr), 50, body.max_hr),
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
        _M_PER_DEG_LAT * math.cos(math.radians(home.lat_deg))
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
        frac = (vo2 - 3.5) / (body.vo2max - 3.5)
    minutes = t / 60.0
    target = body.rest_hr + (body.max_hr - body.rest_hr) * np.clip(
        frac * (1.0 + 0.0015 * minutes), 0.1, 0.97
    )
    target = target + plan.fatigue_bpm
    hr = _lag(target, tau_s=30.0, dt_s=dt, y0=body.rest_hr + 25.0) + _ar1(rng, n, phi=0.9, sd=1.5)
    hr = np.clip(np.round(hr), 50.0, body.max_hr)

    if ride:
        cad = np.where(g < -0.035, 0.0, 86.0 + _ar1(rng, n, phi=0.98, sd=3.0))
    else:
        run_cad = 82.5 + 4.0 * (v - 2.4) + _ar1(rng, n, phi=0.9, sd=0.7)
        walk_cad = 56.0 + 4.0 * (v - 1.5) + _ar1(rng, n, phi=0.9, sd=0.8)
        cad = np.where(run_w > 0.5, np.clip(run_cad, 79.0, 88.0), np.clip(walk_cad, 48.0, 64.0))
    cad = np.round(cad * 4.0) / 4.0
    return Samples(
        epoch_s=start_unix + t, lat=lat, lon=lon, alt=alt, dist=d, speed=v, hr=hr, cad=cad
    )


# --- writing --------------------------------------------------------------------------------


def _km_laps(t_rel: FloatArray, dist: FloatArray) -> list[Lap]:
    """Auto laps every 1 km, as a watch sets them."""
    marks = np.arange(1000.0, float(dist[-1]), 1000.0)
    idx = np.searchsorted(dist, marks)
    starts = [0.0] + [float(t_rel[i]) for i in idx if 0 < i < len(t_rel) - 1]
    return [Lap(start_s=s) for s in starts]


def encode_session(
    plan: Session, samples: Samples, start_at: datetime, *, utc_offset_s: int
) -> tuple[bytes, float | None]:
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
        utc_offset_s=utc_offset_s,
        manufacturer=255,
        product=1 if run else 2,
        serial_number=3_917_204_551 if run else 3_917_300_112,
        product_name="backstride demo watch" if run else "backstride demo bike computer",
        software_version=12.3,
    )
    distance = None if samples.dist is None else float(np.round(samples.dist[-1] * 100) / 100)
    return data, distance
