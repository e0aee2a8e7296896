"""The calendar days backstride works with, and reading a day typed by a person.

Every date a person gives (a CLI option, a query parameter, a form field, an API body) is read
by :func:`parse_day` or checked by :func:`check_day`: YYYY-MM-DD between :data:`EARLIEST_DAY`
and :data:`LATEST_DAY`. Outside that range a date is a typing mistake (``0001-01-01``,
``20024-05-01``), and the day arithmetic of the load and plan rules would overflow Python's
calendar near its ends.
"""

from __future__ import annotations

from datetime import date

from backstride.errors import InvalidInputError

EARLIEST_DAY = date(1990, 1, 1)
"""The first day backstride accepts (running watches with GPS and FIT files came later)."""
LATEST_DAY = date(2100, 12, 31)
"""The last day backstride accepts."""
DATE_HINT = (
    f"Write dates as YYYY-MM-DD, between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
)


def check_day(day: date, *, what: str = "date") -> date:
    """``day`` when it lies between :data:`EARLIEST_DAY` and :data:`LATEST_DAY`, else an
    :class:`InvalidInputError` naming ``what`` (e.g. "date for --on")."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        named = "" if what == "date" else f" ({what})"
        raise InvalidInputError(
            f"{day.isoformat()}{named} is outside the dates backstride works with: "
            f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}.",
            hint=DATE_HINT,
        )
    return day


def parse_day(text: str, *, what: str = "date") -> date:
    """A day written YYYY-MM-DD (spaces around it ignored), checked by :func:`check_day`."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(f"'{text}' is not a {what}.", hint=DATE_HINT) from None
    return check_day(day, what=what)
