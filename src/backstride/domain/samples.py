"""Turning raw decoded samples into a clean :class:`Activity`.

Every parser hands its columns to :func:`assemble_activity`, so all formats share the same
sanity rules: absurd samples are dropped (or blanked) with a warning, and a file with no sane
sample left is rejected with a clear reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import (
    Activity,
    DeviceTotals,
    FloatArray,
    Lap,
    Sport,
    Streams,
    Surface,
)
from backstride.domain.elevation import compute_elevation_change
from backstride.domain.geo import compute_cumulative_distance_m, compute_step_distances_m
from backstride.domain.metrics import total_distance_m
from backstride.errors import CorruptFileError

# Sane ranges for samples. Anything outside is a recording fault, not physiology.
EARLIEST_EPOCH_S = datetime(1990, 1, 1, tzinfo=UTC).timestamp()  # FIT epoch is 1989-12-31
LATEST_EPOCH_S = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
MAX_SPEED_M_S = 100.0  # 360 km/h: beyond any human-powered sport (or a car on a motorway)
MAX_ACTIVITY_S = 40 * 24 * 3600.0  # ultra events exist (27 days in the corpus); 40 days is absurd
RANGES: Mapping[str, tuple[float, float]] = {
    "lat_deg": (-90.0, 90.0),
    "lon_deg": (-180.0, 180.0),
    "altitude_m": (-500.0, 9000.0),
    "hr_bpm": (20.0, 250.0),
    "cadence_rpm": (0.0, 300.0),
    "power_w": (0.0, 3000.0),
    "speed_m_s": (0.0, MAX_SPEED_M_S),
    "distance_m": (0.0, 1.0e8),
}


@dataclass(frozen=True, slots=True)
class CleanSamples:
    start_epoch_s: float
    streams: Streams
    warnings: tuple[str, ...]


def _blank_out_of_range(cols: dict[str, FloatArray], warnings: list[str]) -> None:
    for name, (lo, hi) in RANGES.items():
        col = cols.get(name)
        if col is None:
            continue
        bad = np.isfinite(col) & ((col < lo) | (col > hi))
        if bad.any():
            col[bad] = np.nan
            warnings.append(f"{int(bad.sum())} {name.split('_')[0]} values out of range ignored")
    lat, lon = cols.get("lat_deg"), cols.get("lon_deg")
    if lat is not None and lon is not None:
        # (0, 0) is the classic "no fix" position; one missing coordinate voids both.
        void = ~np.isfinite(lat) | ~np.isfinite(lon) | ((lat == 0.0) & (lon == 0.0))
        lat[void] = np.nan
        lon[void] = np.nan


def _blank_teleports(time_s: FloatArray, cols: dict[str, FloatArray], warnings: list[str]) -> None:
    lat, lon = cols.get("lat_deg"), cols.get("lon_deg")
    if lat is None or lon is None:
        return
    idx = np.flatnonzero(np.isfinite(lat))
    if idx.size < 2:
        return
    dropped = 0
    # Iterate: removing one wild point can reveal its neighbour as fine.
    for _ in range(5):
        step = compute_step_distances_m(lat[idx], lon[idx])
        dt = np.diff(time_s[idx])
        fast = step > MAX_SPEED_M_S * np.maximum(dt, 1.0)
        if not fast.any():
            break
        # Blame the later point of each impossible step.
        bad = idx[1:][fast]
        lat[bad] = np.nan
        lon[bad] = np.nan
        dropped += bad.size
        idx = np.flatnonzero(np.isfinite(lat))
        if idx.size < 2:
            break
    if dropped:
        warnings.append(f"{dropped} GPS points implying more than 360 km/h ignored")


def clean_samples(epoch_s: npt.ArrayLike, columns: Mapping[str, npt.ArrayLike]) -> CleanSamples:
    """Drop samples with impossible times and blank impossible values.

    ``epoch_s`` are absolute UNIX seconds per sample. Samples dated before 1990 or after 2100,
    or whose time runs backwards, are dropped; values outside physical ranges become NaN; GPS
    points implying > 360 km/h are blanked. Raises :class:`CorruptFileError` when nothing sane
    remains.
    """
    t = np.asarray(epoch_s, dtype=np.float64)
    cols = {k: np.array(v, dtype=np.float64) for k, v in columns.items() if v is not None}
    warnings: list[str] = []
    if t.size == 0:
        raise CorruptFileError("The activity has no samples.")
    keep = np.isfinite(t) & (t >= EARLIEST_EPOCH_S) & (t < LATEST_EPOCH_S)
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} samples with impossible dates dropped")
    # Time must not run backwards: keep samples not earlier than the running maximum.
    if keep.any():
        tk = np.where(keep, t, -np.inf)
        running_max = np.maximum.accumulate(tk)
        backwards = keep & (t < running_max)
        if backwards.any():
            warnings.append(f"{int(backwards.sum())} samples with time running backwards dropped")
            keep &= ~backwards
    if not keep.any():
        raise CorruptFileError(
            "No sample has a sane date and time (all before 1990, after 2100 or out of order)."
        )
    t = t[keep]
    cols = {k: v[keep] for k, v in cols.items()}
    start = float(t[0])
    if t[-1] - start > MAX_ACTIVITY_S:
        raise CorruptFileError(
            f"The samples span {int((t[-1] - start) // 86400)} days, far longer than any activity."
        )
    time_s = t - start
    _blank_out_of_range(cols, warnings)
    _blank_teleports(time_s, cols, warnings)
    dist = cols.get("distance_m")
    if dist is not None:
        finite = np.isfinite(dist)
        if finite.any():
            run_max = np.maximum.accumulate(np.where(finite, dist, -np.inf))
            back = finite & (dist < run_max - 1.0)
            if back.any():
                dist[back] = np.nan
                warnings.append(f"{int(back.sum())} distance values running backwards ignored")
    cols["time_s"] = time_s
    return CleanSamples(
        start_epoch_s=start, streams=Streams.from_columns(cols), warnings=tuple(warnings)
    )


def stream_distance_m(streams: Streams) -> float | None:
    """Total distance from the streams: the device's distance column, else positions."""
    if streams.distance_m is not None:
        finite = np.isfinite(streams.distance_m)
        if finite.any():
            d = np.maximum.accumulate(streams.distance_m[finite])
            return total_distance_m(d, streams.time_s[finite])
    if streams.has_positions and streams.lat_deg is not None and streams.lon_deg is not None:
        ok = np.isfinite(streams.lat_deg) & np.isfinite(streams.lon_deg)
        if ok.sum() >= 2:
            return float(
                compute_cumulative_distance_m(streams.lat_deg[ok], streams.lon_deg[ok])[-1]
            )
    return None


def _nanmean(col: FloatArray | None) -> float | None:
    if col is None:
        return None
    c = col[np.isfinite(col)]
    return float(c.mean()) if c.size else None


def _nanmax(col: FloatArray | None) -> float | None:
    if col is None:
        return None
    c = col[np.isfinite(col)]
    return float(c.max()) if c.size else None


def assemble_activity(
    *,
    sport: Sport,
    source_sport: str,
    source_format: str,
    epoch_s: npt.ArrayLike,
    columns: Mapping[str, npt.ArrayLike],
    totals: DeviceTotals | None = None,
    start_epoch_s: float | None = None,
    utc_offset_s: int | None = None,
    name: str | None = None,
    device: str | None = None,
    notes: str | None = None,
    surface: Surface | None = None,
    laps: tuple[Lap, ...] = (),
    warnings: tuple[str, ...] = (),
) -> Activity:
    """Clean the samples and build the activity, preferring the device's totals.

    ``start_epoch_s`` (e.g. a FIT session start) overrides the first sample time when sane.
    """
    clean = clean_samples(epoch_s, columns)
    streams = clean.streams
    start = clean.start_epoch_s
    if start_epoch_s is not None and EARLIEST_EPOCH_S <= start_epoch_s < LATEST_EPOCH_S:
        shift = clean.start_epoch_s - start_epoch_s
        if 0.0 <= shift < 6 * 3600:
            start = start_epoch_s
            streams = Streams.from_columns({**streams.present(), "time_s": streams.time_s + shift})
    elapsed = float(streams.time_s[-1]) if len(streams) else 0.0
    t = totals or DeviceTotals()
    duration = t.elapsed_s if t.elapsed_s is not None and t.elapsed_s >= 0 else elapsed
    if duration > MAX_ACTIVITY_S or duration < 0.5 * elapsed:
        duration = elapsed
    distance = t.distance_m if t.distance_m is not None else stream_distance_m(streams)
    elev = compute_elevation_change(streams.altitude_m)
    gain = t.ascent_m if t.ascent_m is not None else (elev.gain_m if elev else None)
    loss = t.descent_m if t.descent_m is not None else (elev.loss_m if elev else None)
    if sport is Sport.TREADMILL_RUN and t.ascent_m is None:
        gain = loss = None
    return Activity(
        sport=sport,
        source_sport=source_sport,
        source_format=source_format,
        start_at=datetime.fromtimestamp(start, tz=UTC),
        utc_offset_s=utc_offset_s,
        duration_s=float(duration),
        moving_time_s=t.timer_s,
        distance_m=distance,
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        avg_hr_bpm=t.avg_hr_bpm if t.avg_hr_bpm is not None else _nanmean(streams.hr_bpm),
        max_hr_bpm=t.max_hr_bpm if t.max_hr_bpm is not None else _nanmax(streams.hr_bpm),
        avg_cadence_rpm=(
            t.avg_cadence_rpm if t.avg_cadence_rpm is not None else _nanmean(streams.cadence_rpm)
        ),
        name=name,
        device=device,
        notes=notes,
        surface=surface,
        streams=streams,
        laps=laps,
        device_totals=totals,
        warnings=tuple(warnings) + clean.warnings,
    )
