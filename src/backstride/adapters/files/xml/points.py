"""The points of a track being read: their times, their numbers, their columns, and what a GPX
or TCX reader says about the points it dropped or read in part."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from backstride.domain.activity import FloatArray

NAN = math.nan


def to_float(text: str | None) -> float:
    """A finite float from element text, or NaN when missing or unreadable."""
    if text is None:
        return NAN
    try:
        value = float(text)
    except ValueError:
        return NAN
    return value if math.isfinite(value) else NAN


def finite_array(values: Iterable[float]) -> FloatArray:
    """A float64 column with inf replaced by NaN."""
    arr = np.asarray(values if isinstance(values, list) else list(values), dtype=np.float64)
    if arr.size and not np.isfinite(arr).all():
        arr[~np.isfinite(arr)] = np.nan
    return arr


@dataclass(frozen=True, slots=True)
class ParsedTimes:
    """Epoch seconds per input string (NaN where missing or unreadable)."""

    epoch_s: FloatArray
    utc_offset_s: int | None
    unreadable: int
    naive: int


def parse_time(text: str | None) -> float | None:
    """One ISO 8601 time as UNIX seconds (naive times are taken as UTC), or None."""
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.timestamp()
    except (OverflowError, ValueError, OSError):
        return None


def parse_times(texts: Sequence[str | None]) -> ParsedTimes:
    """Parse ISO 8601 times (``Z``, ``±hh:mm`` offsets, fractional seconds) to UNIX seconds.

    GPX and TCX times are UTC by specification; a time without a zone is taken as UTC and
    counted in ``naive``. The first non-zero offset seen becomes ``utc_offset_s`` (local
    time of the athlete), otherwise it is None (unknown).
    """
    out = np.full(len(texts), np.nan, dtype=np.float64)
    fromiso = datetime.fromisoformat
    offset: int | None = None
    unreadable = 0
    naive = 0
    for i, text in enumerate(texts):
        if text is None:
            continue
        try:
            dt = fromiso(text)
        except ValueError:
            try:
                dt = fromiso(text.strip())
            except ValueError:
                unreadable += 1
                continue
        if dt.tzinfo is None:
            naive += 1
            dt = dt.replace(tzinfo=UTC)
        elif offset is None and dt.tzinfo is not UTC:
            delta = dt.utcoffset()
            if delta:
                offset = int(delta.total_seconds())
        try:
            out[i] = dt.timestamp()
        except (OverflowError, ValueError, OSError):
            unreadable += 1
    return ParsedTimes(epoch_s=out, utc_offset_s=offset, unreadable=unreadable, naive=naive)


@dataclass(slots=True)
class PointColumns:
    """Columns of the track being read, one entry per point (NaN where absent), and how many
    values could not be read as numbers."""

    times: list[str | None] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    alt: list[float] = field(default_factory=list)
    dist: list[float] = field(default_factory=list)
    speed: list[float] = field(default_factory=list)
    hr: list[float] = field(default_factory=list)
    cad: list[float] = field(default_factory=list)
    power: list[float] = field(default_factory=list)
    unreadable_values: int = 0

    def __len__(self) -> int:
        return len(self.times)

    def add(
        self,
        time: str | None,
        lat: float,
        lon: float,
        alt: float,
        dist: float,
        speed: float,
        hr: float,
        cad: float,
        power: float,
    ) -> None:
        """One point's values."""
        self.times.append(time)
        self.lat.append(lat)
        self.lon.append(lon)
        self.alt.append(alt)
        self.dist.append(dist)
        self.speed.append(speed)
        self.hr.append(hr)
        self.cad.append(cad)
        self.power.append(power)

    def arrays(self, *, with_distance: bool) -> dict[str, FloatArray]:
        """The columns as arrays by stream name (inf read as NaN); the distance column only
        ``with_distance`` (a GPX track's distance comes from its positions)."""
        out = {
            "lat_deg": finite_array(self.lat),
            "lon_deg": finite_array(self.lon),
            "altitude_m": finite_array(self.alt),
            "distance_m": finite_array(self.dist),
            "speed_m_s": finite_array(self.speed),
            "hr_bpm": finite_array(self.hr),
            "cadence_rpm": finite_array(self.cad),
            "power_w": finite_array(self.power),
        }
        if not with_distance:
            del out["distance_m"]
        return out

    def number(self, text: str | None) -> float:
        """``text`` as a float; NaN when absent, NaN and counted when unreadable."""
        if text is None:
            return math.nan
        try:
            return float(text)
        except ValueError:
            self.unreadable_values += 1
            return math.nan


def dropped_point_warnings(
    parsed: ParsedTimes, *, n_timed: int, unreadable_values: int, point: str, spec: str
) -> list[str]:
    """Warnings for one track: its ``point`` elements ("track points", "trackpoints") without a
    time or with an unreadable one (both dropped), times without a zone (taken as UTC, as the
    format ``spec`` says) and numbers that could not be read (ignored)."""
    warnings: list[str] = []
    untimed = len(parsed.epoch_s) - n_timed - parsed.unreadable
    if untimed:
        warnings.append(f"{untimed} {point} without a time dropped")
    if parsed.unreadable:
        warnings.append(f"{parsed.unreadable} {point} with an unreadable time dropped")
    if parsed.naive:
        warnings.append(f"times have no time zone; taken as UTC as {spec} specifies")
    if unreadable_values:
        warnings.append(f"{unreadable_values} unreadable numbers ignored")
    return warnings
