"""The local clock of an activity: which time zone it was recorded in, and its local day.

GPX and TCX files carry UTC times, FIT files the local time at their end; none names a time
zone. :func:`place_in_time` decides, for one activity, in this order:

1. **The place.** The time zone at the first GPS fix (``timezonefinder``, offline, imported
   only when a file has positions), its offset taken at the start. A runner who travels gets
   each run's day where she ran it.
2. **The file's own offset.** GPX/TCX times written with an offset (``...T07:00:00+09:00``)
   give it at the start. A FIT file states its local time at the end of the activity (the
   ``activity`` message); when the time-zone setting agrees with that offset at that moment,
   the setting's zone gives the offset at the start (so a run across a daylight-saving change
   stays on the day it started); otherwise the file's offset is used as it is.
3. **Strava's activity list** gives no local time: its ``Activity Date`` is in UTC (it matches
   the files' own UTC start), so it is never read as a local date.
4. **The time-zone setting** (``timezone``: an IANA name such as ``Europe/Zurich``, a fixed
   offset such as ``UTC+02:00``, or empty for the computer's own zone).

The zone is stored with the activity: an IANA name, or a fixed offset written ``UTC+09:00``.
"""

from __future__ import annotations

import atexit
import functools
import math
import os
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # the settings check imports this module: keep it to the standard library
    from backstride.domain.activity import Activity

__all__ = [
    "Placement",
    "ZoneSetting",
    "fixed_zone_label",
    "place_in_time",
    "resolve_zone",
    "system_zone",
    "zone_at",
]

Source = Literal["place", "file", "setting"]

_FIXED = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_MAX_OFFSET_S: Final = 14 * 3600
SYSTEM_LABELS: Final = frozenset({"", "system", "local"})


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an activity's local clock comes from, and its offset from UTC at the start."""

    utc_offset_s: int
    time_zone: str
    source: Source


@dataclass(frozen=True, slots=True)
class ZoneSetting:
    """A resolved time zone: its ``tzinfo`` and the label stored with activities."""

    tz: tzinfo
    label: str

    def offset_s(self, at: datetime) -> int:
        """Local time minus UTC, in seconds, at the instant ``at`` (an aware datetime)."""
        if isinstance(self.tz, _SystemClock):
            return time.localtime(at.timestamp()).tm_gmtoff
        delta = self.tz.utcoffset(at.astimezone(self.tz))
        return int(delta.total_seconds()) if delta is not None else 0


def fixed_zone_label(offset_s: int) -> str:
    """``UTC+09:00`` for 32400 s, ``UTC-03:30`` for -12600 s, ``UTC+00:00`` for 0."""
    sign = "-" if offset_s < 0 else "+"
    minutes = abs(int(offset_s)) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


class _FixedZone(tzinfo):
    """A fixed offset whose name is its label (``UTC+09:00``)."""

    def __init__(self, offset_s: int) -> None:
        self._offset = timedelta(seconds=offset_s)
        self._name = fixed_zone_label(offset_s)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._name

    def fromutc(self, dt: datetime) -> datetime:
        return (dt + self._offset).replace(tzinfo=self)


class _SystemClock(tzinfo):
    """The computer's own zone through the C library, when it has no IANA name we can read."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        # ``dt`` is a local wall time; its offset is the one at the nearest UTC instant (exact
        # except within the hour of a clock change). ``ZoneSetting.offset_s`` asks exactly.
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        return timedelta(seconds=time.localtime(time.mktime(dt.timetuple())).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "local"

    def fromutc(self, dt: datetime) -> datetime:
        stamp = dt.replace(tzinfo=UTC).timestamp()
        return (dt + timedelta(seconds=time.localtime(stamp).tm_gmtoff)).replace(tzinfo=self)


def parse_fixed_offset(text: str) -> int | None:
    """Seconds east of UTC for ``UTC+02:00``, ``+0530``, ``GMT-3``; None if not such a text."""
    match = _FIXED.match(text.strip())
    if match is None:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if minutes >= 60:
        return None
    offset = (hours * 3600 + minutes * 60) * (-1 if sign == "-" else 1)
    return offset if abs(offset) <= _MAX_OFFSET_S else None


def _iana(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def system_zone() -> ZoneSetting:
    """The computer's time zone: ``TZ`` or ``/etc/localtime`` when they name an IANA zone,
    else the C library's own clock (labelled ``local``)."""
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":").strip()
    if env:
        candidates.append(env)
    try:
        target = str(Path("/etc/localtime").resolve())
        _, marker, name = target.partition("zoneinfo/")
        if marker:
            candidates.append(name)
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        pass
    for name in candidates:
        zone = _iana(name) if name else None
        if zone is not None:
            return ZoneSetting(zone, name)
        if name == env:
            break  # a POSIX rule ("EST+5", west positive): only the C library reads it right
    return ZoneSetting(_SystemClock(), "local")


def resolve_zone(name: str | None) -> ZoneSetting:
    """The zone a ``timezone`` setting names; empty, ``system`` or ``local``: the computer's.

    Raises ``ValueError`` for a name that is neither an IANA zone nor a fixed offset.
    """
    text = (name or "").strip()
    if text.lower() in SYSTEM_LABELS:
        return system_zone()
    fixed = parse_fixed_offset(text)
    if fixed is not None:
        return ZoneSetting(_FixedZone(fixed), fixed_zone_label(fixed))
    zone = _iana(text)
    if zone is None:
        raise ValueError(
            f"unknown time zone '{text}' (use a name such as Europe/Zurich or an offset such as "
            "UTC+02:00)"
        )
    return ZoneSetting(zone, text)


# --- the place --------------------------------------------------------------------------

_FINDER_LOCK = threading.Lock()


@functools.cache
def _finder() -> Any:
    from timezonefinder import TimezoneFinder  # ~0.15 s and 30 MB of data: only when needed

    finder = TimezoneFinder()
    atexit.register(finder.cleanup)  # unmap its data files before the interpreter ends
    return finder


def zone_at(lat_deg: float, lon_deg: float) -> str | None:
    """The IANA zone at a position (over the sea: the nautical ``Etc/GMT±N`` zone)."""
    if not (math.isfinite(lat_deg) and math.isfinite(lon_deg)):
        return None
    if not (-90.0 <= lat_deg <= 90.0 and -180.0 <= lon_deg <= 180.0):
        return None
    with _FINDER_LOCK:
        name = _finder().timezone_at(lng=float(lon_deg), lat=float(lat_deg))
    return str(name) if name else None


def first_fix(activity: Activity) -> tuple[float, float] | None:
    """The first sample with both a latitude and a longitude (not the null island 0, 0)."""
    import numpy as np

    lat, lon = activity.streams.lat_deg, activity.streams.lon_deg
    if lat is None or lon is None:
        return None
    ok = np.isfinite(lat) & np.isfinite(lon) & ((lat != 0.0) | (lon != 0.0))
    ok &= (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return None
    return float(lat[idx[0]]), float(lon[idx[0]])


# --- the decision -----------------------------------------------------------------------


def place_in_time(
    activity: Activity,
    *,
    setting: ZoneSetting,
    fix: tuple[float, float] | None = None,
) -> Placement:
    """Decide the local clock of ``activity`` (see the module docstring for the order).

    ``fix`` is the first GPS fix when the caller has it (else it is read from the streams).
    """
    start = activity.start_at
    position = fix if fix is not None else first_fix(activity)
    if position is not None:
        name = zone_at(*position)
        zone = _iana(name) if name else None
        if zone is not None and name is not None:
            return Placement(ZoneSetting(zone, name).offset_s(start), name, "place")
    stated = activity.utc_offset_s
    if stated is not None and abs(stated) <= _MAX_OFFSET_S:
        at = activity.utc_offset_at
        if at is None or at == start:
            return Placement(stated, fixed_zone_label(stated), "file")
        if setting.offset_s(at) == stated:
            return Placement(setting.offset_s(start), setting.label, "file")
        return Placement(stated, fixed_zone_label(stated), "file")
    return Placement(setting.offset_s(start), setting.label, "setting")


def placed(activity: Activity, *, setting: ZoneSetting) -> Activity:
    """``activity`` with its start offset, zone and source decided by :func:`place_in_time`."""
    where = place_in_time(activity, setting=setting)
    return activity.with_changes(
        utc_offset_s=where.utc_offset_s,
        utc_offset_at=None,
        time_zone=where.time_zone,
        time_zone_source=where.source,
    )
