"""How numbers look on the pages: Jinja filters (km, min/km, h:mm:ss, dates, sports).

SI units inside; kilometres, minutes per kilometre and clock times only here.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from backstride.domain.activity import Sport
from backstride.domain.evidence import find_citations
from backstride.domain.units import format_duration, format_km, format_pace

DASH = "–"
FOOT_SPORTS = frozenset({Sport.RUN, Sport.TRAIL_RUN, Sport.TREADMILL_RUN, Sport.WALK, Sport.HIKE})


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def km(metres: float | None, digits: int = 2) -> str:
    return format_km(metres, digits) if _finite(metres) else DASH


def km_number(metres: float | None, digits: int = 1) -> str:
    return f"{metres / 1000:.{digits}f}" if metres is not None and _finite(metres) else DASH


def duration(seconds: float | None) -> str:
    return format_duration(seconds) if _finite(seconds) else DASH


def hours(seconds: float | None) -> str:
    """``3 h 05 min`` style, for weekly totals."""
    if seconds is None or not _finite(seconds):
        return DASH
    minutes = int(round(seconds / 60))
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


def pace(seconds_per_km: float | None) -> str:
    return format_pace(seconds_per_km) if _finite(seconds_per_km) else DASH


def pace_short(seconds_per_km: float) -> str:
    """``5:12`` without the unit (axis ticks)."""
    if not _finite(seconds_per_km) or seconds_per_km <= 0:
        return DASH
    m, s = divmod(int(round(seconds_per_km)), 60)
    return f"{m}:{s:02d}"


def row_pace(row: Any) -> str:
    """Average pace (foot sports) or speed (others) of a summary row; moving time if known."""
    distance_m = getattr(row, "distance_m", None)
    seconds = getattr(row, "moving_time_s", None) or getattr(row, "duration_s", None)
    if not distance_m or not seconds or not _finite(distance_m) or distance_m < 50:
        return DASH
    if str(getattr(row, "sport", "")) in {s.value for s in FOOT_SPORTS}:
        return pace(seconds / (distance_m / 1000))
    return f"{distance_m / seconds * 3.6:.1f} km/h"


def number(value: float | None, digits: int = 0, unit: str = "") -> str:
    if value is None or not _finite(value):
        return DASH
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".rstrip() if unit else text


def percent(value: float | None, digits: int = 0) -> str:
    if value is None or not _finite(value):
        return DASH
    return f"{value * 100:.{digits}f} %"


def signed_percent(value: float | None) -> str:
    if value is None or not _finite(value):
        return DASH
    return f"{value * 100:+.0f} %"


def sport_label(sport: str | Sport | None) -> str:
    if not sport:
        return DASH
    return str(sport).replace("_", " ").capitalize()


def day(value: date | datetime | None) -> str:
    """``Mon 14 Mar 2026``."""
    if value is None:
        return DASH
    return f"{value:%a} {value.day} {value:%b %Y}"


def short_day(value: date | datetime | None) -> str:
    """``14 Mar``."""
    if value is None:
        return DASH
    return f"{value.day} {value:%b}"


def week_label(start: date) -> str:
    end = start + timedelta(days=6)
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b} – {end.day} {end:%b}"


def clock(value: datetime | None, offset_s: int | None = None) -> str:
    """Local wall-clock time ``07:42`` of a UTC instant, given the activity's UTC offset."""
    if value is None:
        return DASH
    local = value + timedelta(seconds=offset_s or 0)
    return f"{local:%H:%M}"


#: Where the dashboard does what a command does: (command prefix, page, link words).
COMMAND_PAGES: tuple[tuple[str, str, str], ...] = (
    ("checkin", "/checkin", "the check-in page"),
    ("pain add", "/checkin", "the check-in page"),
    ("pain", "/diary", "the Diary page"),
    ("shoes", "/shoes", "the Shoes page"),
    ("selftest", "/self-tests", "the Self-tests page"),
    ("screen", "/profile", "the health questions on the Profile page"),
    ("profile", "/profile", "the Profile page"),
    ("clearance", "/profile", "the Profile page"),
    ("routine", "/exercises", "the Exercises page"),
    ("plan", "/plan", "the Plan page"),
    ("route", "/activities", "the Activities page"),
    ("activity", "/activities", "the Activities page"),
    ("log", "/activities", "the Activities page"),
    ("import", "/import", "the Import page"),
    ("today", "/today", "the Today page"),
    ("measure", "/measures", "the Measures page"),
    ("report", "/report", "the Report page"),
    ("export", "/data", "the Data page"),
    ("backup", "/data", "the Data page"),
    ("delete", "/data", "the Data page"),
    ("load", "/load", "the Load page"),
)
_MARKED = re.compile(r"`([^`]*)`")
_ACTIVITY_ID = re.compile(r"^activity (?:show|edit) (\d+)\b")


def command_page(command: str) -> tuple[str, str] | None:
    """The page (href, words) that does what ``backstride COMMAND ...`` does."""
    rest = command.removeprefix("backstride ").strip()
    activity = _ACTIVITY_ID.match(rest)
    if activity:
        return f"/activities/{activity.group(1)}", "the run's page"
    for prefix, href, words in COMMAND_PAGES:
        if rest == prefix or rest.startswith(prefix + " "):
            return href, words
    return None


def runner_text(text: str | None) -> Markup:
    """A shared text for a page: a command marked with backticks becomes a link to the page
    that does the same (a page never shows a command); other marks are dropped."""
    if not text:
        return Markup("")
    parts: list[str] = []
    pos = 0
    for m in _MARKED.finditer(text):
        parts.append(str(escape(text[pos : m.start()])))
        inner = m.group(1)
        page = command_page(inner) if inner.startswith("backstride ") else None
        if page is not None:
            parts.append(f'<a href="{escape(page[0])}">{escape(page[1])}</a>')
        elif inner.startswith("backstride "):
            parts.append("the dashboard")
        else:
            parts.append(str(escape(inner)))
        pos = m.end()
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))


def cited(text: str | None) -> Markup:
    """A citation text with each source it names linked to its evidence page."""
    if not text:
        return Markup("")
    parts: list[str] = []
    for piece in find_citations(text):
        if piece.key is None:
            parts.append(str(escape(piece.text)))
        else:
            parts.append(
                f'<a class="cite" href="/evidence/{escape(piece.key)}">{escape(piece.text)}</a>'
            )
    return Markup("".join(parts))


FILTERS = {
    "cited": cited,
    "runner_text": runner_text,
    "km": km,
    "km_number": km_number,
    "duration": duration,
    "hours": hours,
    "pace": pace,
    "number": number,
    "percent": percent,
    "signed_percent": signed_percent,
    "sport_label": sport_label,
    "day": day,
    "short_day": short_day,
    "week_label": week_label,
    "clock": clock,
    "row_pace": row_pace,
}
