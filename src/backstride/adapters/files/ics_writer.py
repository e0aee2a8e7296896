"""Writing an iCalendar file (RFC 5545) of plan sessions with the ``icalendar`` package."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One all-day event."""

    uid: str
    day: date
    summary: str
    description: str
    categories: tuple[str, ...] = ()


def write_calendar(entries: Sequence[CalendarEntry], *, name: str, stamp: datetime) -> bytes:
    """A VCALENDAR with one all-day VEVENT per entry (UID, DTSTAMP, DTSTART/DTEND as dates).

    ``stamp`` is an aware UTC datetime (the moment of export), used as every DTSTAMP.
    """
    cal = Calendar()
    cal.add("prodid", "-//backstride//run-walk plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        if entry.categories:
            event.add("categories", list(entry.categories))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
