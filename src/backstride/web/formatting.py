"""How numbers look on the pages: Jinja filters (distances, paces, h:mm:ss, dates, sports).

SI units inside; kilometres or miles (the ``units`` setting), paces and clock times only here,
through the same formatters as the command line (:mod:`backstride.domain.units`). The filter
names say what they take (``km`` takes metres and shows them in the runner's units).
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from backstride.domain.activity import Sport
from backstride.domain.evidence import find_citations
from backstride.domain.units import (
    FOOT_SPORTS as FOOT_SPORT_NAMES,
)
from backstride.domain.units import (
    distance_unit_m,
    format_activity_speed,
    format_distance,
    format_duration,
    format_elevation,
    format_pace_in,
)
from backstride.web.cache import MISSING, OTHER
from backstride.web.commands import page_for

DASH = "–"
FOOT_SPORTS = frozenset(Sport(name) for name in FOOT_SPORT_NAMES)
UNITS_KEY = ("units_in_force",)
UNITS_READ = frozenset({OTHER})
"""What the units in force read: the profile (and the settings, fixed for the process)."""
DISPLAY_UNITS: ContextVar[str] = ContextVar("display_units", default="km")
"""km or mi for the page being rendered (set per request: :func:`use_display_units`)."""


def units() -> str:
    """km or mi: the units of the page (or chart) being built."""
    return DISPLAY_UNITS.get()


async def use_display_units(request: Request) -> None:
    """App-wide dependency, after the login check: the pages of this request show distances
    in the units in force for the runner whose data they show (her profile counts; the rule
    is :func:`backstride.domain.units.choose_units`). The JSON API stays SI; pages without a
    runner (login, a professional's own pages on a server) keep the settings' units."""
    from backstride.domain.units import UnitsChoice
    from backstride.services.body import units_in_force
    from backstride.web.deps import get_web

    if request.url.path.startswith("/api/"):
        return
    settings = request.app.state.web.settings
    if settings.server_mode and getattr(request.state, "web", None) is None:
        return
    found: Any = getattr(request.state, "units", None)  # read with the access checks (server)
    if not isinstance(found, UnitsChoice):
        web = get_web(request)
        # Kept with the other answers (the dashboard's own profile edits and any change to
        # the database file drop it): most pages then need no trip to a request thread and
        # no read of the profile for their units.
        found = web.cache.peek(UNITS_KEY, reads_diary=False, reads=UNITS_READ, figures=False)
        if found is MISSING:
            found = await run_in_threadpool(
                web.cache.get,
                UNITS_KEY,
                lambda: units_in_force(web.app, shared_server=settings.server_mode),
                reads_diary=False,
                reads=UNITS_READ,
                figures=False,
            )
    DISPLAY_UNITS.set(found.units)  # seen by the endpoint: it runs in this context


class DisplayUnits:
    """ASGI middleware: everything a request builds (views, charts, pages) shows distances in
    the settings' units, until :func:`use_display_units` knows the runner's."""

    def __init__(self, app: Any, *, units: str) -> None:
        self.app = app
        self.units = units

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        token = DISPLAY_UNITS.set(self.units)
        try:
            await self.app(scope, receive, send)
        finally:
            DISPLAY_UNITS.reset(token)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def km(metres: float | None, digits: int = 2) -> str:
    """Metres as ``4.83 km`` or ``3.00 mi``."""
    return format_distance(metres, units(), digits) if _finite(metres) else DASH


def km_number(metres: float | None, digits: int = 1) -> str:
    """Metres in the runner's units, without the unit."""
    if metres is None or not _finite(metres):
        return DASH
    return f"{metres / distance_unit_m(units()):.{digits}f}"


def elevation(metres: float | None) -> str:
    """``120 m`` or ``394 ft``."""
    return format_elevation(metres, units()) if _finite(metres) else DASH


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
    """``5:12 /km`` or ``8:22 /mi``."""
    return format_pace_in(seconds_per_km, units()) if _finite(seconds_per_km) else DASH


def pace_short(seconds_per_km: float) -> str:
    """``5:12`` without the unit (axis ticks), per km or per mile."""
    if not _finite(seconds_per_km) or seconds_per_km <= 0:
        return DASH
    m, s = divmod(int(round(seconds_per_km * distance_unit_m(units()) / 1000.0)), 60)
    return f"{m}:{s:02d}"


def row_pace(row: Any) -> str:
    """Average pace (foot sports), time per 100 m or yd (swims) or speed (the others) of a
    summary row, on moving time if known: the command line's formatter."""
    distance_m = getattr(row, "distance_m", None)
    seconds = getattr(row, "moving_time_s", None) or getattr(row, "duration_s", None)
    sport = getattr(row, "sport", "")
    sport = getattr(sport, "value", sport)
    return format_activity_speed(str(sport), distance_m, seconds, units())


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


_MARKED = re.compile(r"`([^`]*)`")


def command_page(command: str) -> tuple[str, str]:
    """The page (href, words) that does what ``backstride COMMAND ...`` does: the one list in
    :data:`backstride.web.commands.PAGES`."""
    link = page_for(command.removeprefix("backstride ").strip())
    return link.href, link.words


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
        if inner.startswith("backstride "):
            href, words = command_page(inner)
            parts.append(f'<a href="{escape(href)}">{escape(words)}</a>')
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
    "elevation": elevation,
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
