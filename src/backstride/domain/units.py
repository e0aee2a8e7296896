"""Parsing and formatting of durations, distances and paces typed or read by people."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from backstride.errors import InvalidInputError

_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(hours?|hrs|hr|h|minutes?|mins|min|m|seconds?|secs|sec|s)"
)
_DISTANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km|k|m|mi|miles?)?\s*$", re.IGNORECASE)


def parse_duration_s(text: str) -> float:
    """``35m``, ``1h05m``, ``1h 5min 30s``, ``1:05:00``, ``35:00`` or plain minutes ``35``."""
    raw = text.strip().lower()
    if not raw:
        raise InvalidInputError("The duration is empty.", hint="Write it like 35m or 1h05m.")
    seconds: float
    if ":" in raw:
        parts = raw.split(":")
        if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
            raise InvalidInputError(
                f"'{text}' is not a duration.", hint="Write it like 35:00 or 1:05:00."
            )
        nums = [int(p) for p in parts]
        if any(n >= 60 for n in nums[1:]):
            raise InvalidInputError(f"'{text}' has minutes or seconds of 60 or more.")
        seconds = float(nums[-1] + 60 * nums[-2] + (3600 * nums[0] if len(nums) == 3 else 0))
    elif re.fullmatch(r"\d+(\.\d+)?", raw):
        seconds = float(raw) * 60.0
    else:
        pos = 0
        seconds = 0.0
        compact = raw.replace(" ", "")
        for m in _DURATION_PART.finditer(compact):
            if m.start() != pos:
                break
            value = float(m.group(1))
            unit = m.group(2)[0]
            seconds += value * {"h": 3600.0, "m": 60.0, "s": 1.0}[unit]
            pos = m.end()
        if pos != len(compact) or pos == 0:
            raise InvalidInputError(
                f"'{text}' is not a duration.", hint="Write it like 35m, 1h05m or 1:05:00."
            )
    if not math.isfinite(seconds) or seconds <= 0:
        raise InvalidInputError(f"The duration '{text}' must be more than zero.")
    if seconds > 48 * 3600:
        raise InvalidInputError(
            f"The duration '{text}' is longer than 48 hours.",
            hint="Log multi-day events as one entry per day.",
        )
    return seconds


def parse_distance_m(text: str) -> float:
    """``5.2km``, ``5.2k``, ``800m``, ``3mi`` or a plain number of kilometres."""
    m = _DISTANCE.match(text)
    if not m:
        raise InvalidInputError(
            f"'{text}' is not a distance.", hint="Write it like 5.2km, 800m or 3mi."
        )
    value = float(m.group(1))
    unit = (m.group(2) or "km").lower()
    factor = {"km": 1000.0, "k": 1000.0, "m": 1.0}.get(unit, 1609.344)
    metres = value * factor
    if metres <= 0:
        raise InvalidInputError(f"The distance '{text}' must be more than zero.")
    if metres > 1_000_000:
        raise InvalidInputError(f"The distance '{text}' is more than 1,000 km.")
    return metres


def format_duration(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "–"
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def format_km(metres: float | None, digits: int = 2) -> str:
    if metres is None or not math.isfinite(metres):
        return "–"
    return f"{metres / 1000:.{digits}f} km"


def format_pace(seconds_per_km: float | None) -> str:
    if seconds_per_km is None or not math.isfinite(seconds_per_km) or seconds_per_km <= 0:
        return "–"
    m, s = divmod(int(round(seconds_per_km)), 60)
    return f"{m}:{s:02d} /km"


# --- units of display: kilometres or miles --------------------------------------------------
# Inside backstride everything is SI (metres, seconds); these turn figures into the runner's
# chosen units, for the command line and the pages alike (one formatter for both).

UNITS = ("km", "mi")
"""The two choices of the ``units`` setting."""

METRES_PER_MILE = 1609.344
METRES_PER_FOOT = 0.3048
METRES_PER_YARD = 0.9144
FOOT_SPORTS = frozenset({"run", "trail_run", "treadmill_run", "walk", "hike"})
"""Sports whose speed reads as a pace (time per kilometre or mile)."""
SWIM_SPORTS = frozenset({"swim"})
"""Sports whose speed reads as time per 100 m (or 100 yd)."""


def check_units(units: str) -> str:
    """``km`` or ``mi`` (case and spaces ignored); anything else is bad input."""
    clean = units.strip().lower()
    if clean in ("mile", "miles"):
        clean = "mi"
    if clean not in UNITS:
        raise InvalidInputError(
            f"'{units}' is not a choice of units.", hint="Choose km (kilometres) or mi (miles)."
        )
    return clean


# Where the units in force come from. The rule lives in :func:`choose_units` and nowhere else
# (docs/units.md explains it to the runner).
UNITS_SOURCES = ("flag", "environment", "profile", "config file", "default")
"""Every place a choice of units can come from, strongest first (on this computer)."""
UNITS_SOURCE_WORDS = {
    "flag": "the --units option",
    "environment": "BACKSTRIDE_UNITS",
    "profile": "your profile",
    "config file": "the config file",
    "default": "the default",
}
"""Each source in a runner's words (``config show``, ``profile show``)."""


@dataclass(frozen=True, slots=True)
class UnitsChoice:
    """The units in force (km or mi) and the source they come from (see UNITS_SOURCES)."""

    units: str
    source: str

    @property
    def source_words(self) -> str:
        return UNITS_SOURCE_WORDS[self.source]


def choose_units(
    *, setting: str, setting_from: str, profile: str | None, shared_server: bool = False
) -> UnitsChoice:
    """The one precedence rule of the ``units`` setting.

    ``setting`` is the settings' value and ``setting_from`` the strongest place it came from
    (flag, environment, config file or default); ``profile`` is the runner's stored choice
    (None: not chosen). On this computer: --units > BACKSTRIDE_UNITS > profile > config file >
    km: what was asked for this run beats what is stored, and the runner's own choice beats
    the machine's. On a shared server (``shared_server``), the flag, environment and config
    file are the person running the server's, a default for runners: each runner's profile
    beats them.
    """
    if setting_from not in UNITS_SOURCES or setting_from == "profile":
        raise ValueError(f"unknown source of units: {setting_from!r}")
    for_this_run = setting_from in ("flag", "environment")
    if profile is not None and (shared_server or not for_this_run):
        return UnitsChoice(check_units(profile), "profile")
    return UnitsChoice(check_units(setting), setting_from)


def distance_unit_m(units: str) -> float:
    """Metres in one display unit of distance (1000 or 1609.344)."""
    return METRES_PER_MILE if units == "mi" else 1000.0


def to_distance(metres: float, units: str) -> float:
    """Metres as kilometres or miles."""
    return metres / distance_unit_m(units)


def from_distance(value: float, units: str) -> float:
    """Kilometres or miles as metres."""
    return value * distance_unit_m(units)


def format_distance(metres: float | None, units: str = "km", digits: int = 2) -> str:
    """``4.83 km`` or ``3.00 mi``."""
    if metres is None or not math.isfinite(metres):
        return "–"
    return f"{to_distance(metres, units):.{digits}f} {units}"


def format_pace_in(seconds_per_km: float | None, units: str = "km") -> str:
    """``5:12 /km`` or ``8:22 /mi``."""
    if seconds_per_km is None or not math.isfinite(seconds_per_km) or seconds_per_km <= 0:
        return "–"
    per_unit = seconds_per_km * distance_unit_m(units) / 1000.0
    m, s = divmod(int(round(per_unit)), 60)
    return f"{m}:{s:02d} /{units}"


def format_speed(metres_per_s: float | None, units: str = "km") -> str:
    """``24.3 km/h`` or ``15.1 mph``."""
    if metres_per_s is None or not math.isfinite(metres_per_s) or metres_per_s <= 0:
        return "–"
    per_hour = metres_per_s * 3600.0 / distance_unit_m(units)
    return f"{per_hour:.1f} {'mph' if units == 'mi' else 'km/h'}"


def format_swim_pace(metres_per_s: float | None, units: str = "km") -> str:
    """``2:30 /100 m`` or ``2:17 /100 yd``."""
    if metres_per_s is None or not math.isfinite(metres_per_s) or metres_per_s <= 0:
        return "–"
    length = 100 * (METRES_PER_YARD if units == "mi" else 1.0)
    m, s = divmod(int(round(length / metres_per_s)), 60)
    return f"{m}:{s:02d} /100 {'yd' if units == 'mi' else 'm'}"


def format_elevation(metres: float | None, units: str = "km") -> str:
    """``120 m`` or ``394 ft``."""
    if metres is None or not math.isfinite(metres):
        return "–"
    if units == "mi":
        return f"{metres / METRES_PER_FOOT:,.0f} ft"
    return f"{metres:,.0f} m"


def format_activity_speed(
    sport: str, distance_m: float | None, seconds: float | None, units: str = "km"
) -> str:
    """How fast a session went, as a runner reads it for its sport: pace for foot sports,
    time per 100 m (or yd) for swims, speed for the rest. The one formatter of the command
    line and the pages."""
    if not distance_m or not seconds or not math.isfinite(distance_m) or distance_m < 50:
        return "–"
    if not math.isfinite(seconds) or seconds <= 0:
        return "–"
    if sport in FOOT_SPORTS:
        return format_pace_in(seconds / (distance_m / 1000.0), units)
    if sport in SWIM_SPORTS:
        return format_swim_pace(distance_m / seconds, units)
    return format_speed(distance_m / seconds, units)


def parse_distance_in(text: str, units: str = "km") -> float:
    """Like :func:`parse_distance_m`, but a plain number is in ``units`` (km or miles)."""
    stripped = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", stripped) and units == "mi":
        return parse_distance_m(f"{stripped}mi")
    return parse_distance_m(text)
