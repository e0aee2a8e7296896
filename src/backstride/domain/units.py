"""Parsing and formatting of durations, distances and paces typed or read by people."""

from __future__ import annotations

import math
import re

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
