"""Strava's bulk export: its ``activities.csv``, read (the metadata it attaches to each file)
and written (the demo, the benchmarks), with the columns listed once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from backstride.adapters.files.archive.guard import (
    SourceProblem,
    _normalise_name,
    _Refused,
)
from backstride.errors import CorruptFileError

STRAVA_CSV_NAME = "activities.csv"
_MISSING_FROM_EXPORT = "listed in activities.csv but missing from the export"


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityMeta:
    """One row of a Strava export's ``activities.csv``; empty cells are ``None``.

    Values are the raw text of the columns ``Activity Name``, ``Activity Type``,
    ``Activity Gear``, ``Activity Description``, ``Activity ID`` and ``Activity Date``
    (``start_local``, not parsed here).
    """

    name: str | None
    sport_label: str | None
    gear: str | None
    description: str | None
    activity_id: str | None
    start_local: str | None


# The columns backstride reads and writes, by key, in the order Strava writes them. A real
# export has more (and repeats ``Distance`` and ``Elapsed Time``); the reader takes the first.
STRAVA_COLUMNS: Final = {
    "activity_id": "Activity ID",
    "start_local": "Activity Date",
    "name": "Activity Name",
    "sport_label": "Activity Type",
    "description": "Activity Description",
    "elapsed_s": "Elapsed Time",
    "distance_km": "Distance",
    "gear": "Activity Gear",
    "filename": "Filename",
}
_READ = ("activity_id", "start_local", "name", "sport_label", "description", "gear", "filename")
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


# --- reading ----------------------------------------------------------------------------


def _parse_activities_csv(data: bytes) -> dict[str, ActivityMeta] | None:
    """Strava metadata by normalised ``Filename``; ``None`` if not a Strava activity list.

    Column headers repeat (two ``Distance`` columns), so each is found by first occurrence.
    Raises :class:`csv.Error` on malformed CSV.
    """
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return None
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        index.setdefault(title.strip(), i)
    if STRAVA_COLUMNS["filename"] not in index or STRAVA_COLUMNS["activity_id"] not in index:
        return None
    columns = {key: index.get(STRAVA_COLUMNS[key]) for key in _READ}

    def cell(row: list[str], key: str) -> str | None:
        i = columns[key]
        if i is None or i >= len(row):
            return None
        return row[i].strip() or None

    metas: dict[str, ActivityMeta] = {}
    for row in reader:
        filename = cell(row, "filename")
        key = _normalise_name(filename) if filename else ""
        if not key:  # a manual entry on Strava: no recording to import
            continue
        metas[key] = ActivityMeta(
            name=cell(row, "name"),
            sport_label=cell(row, "sport_label"),
            gear=cell(row, "gear"),
            description=cell(row, "description"),
            activity_id=cell(row, "activity_id"),
            start_local=cell(row, "start_local"),
        )
    return metas


@dataclass(slots=True)
class _StravaScope:
    """The files an ``activities.csv`` lists, relative to its folder, and which were found."""

    metas: dict[str, ActivityMeta]
    display_root: str
    seen: set[str] = field(default_factory=set)

    def lookup(self, rel: str) -> ActivityMeta | None:
        """The row listing ``rel`` (marked as found), or ``None`` if it is not listed."""
        meta = self.metas.get(rel)
        if meta is not None:
            self.seen.add(rel)
        return meta

    def missing(self) -> Iterator[SourceProblem]:
        for rel in sorted(self.metas.keys() - self.seen):
            yield SourceProblem(
                display_path=f"{self.display_root}{rel}",
                reason=_MISSING_FROM_EXPORT,
                status="failed",
            )


def _strava_scope(data: bytes, *, display_root: str) -> _StravaScope | None:
    """The export an ``activities.csv`` describes; ``None`` if it is some other CSV."""
    try:
        metas = _parse_activities_csv(data)
    except csv.Error as exc:
        raise _Refused(
            f"could not read the Strava activity list ({exc}); "
            "its activities are imported without their Strava names",
            error=CorruptFileError,
            hint="Export your Strava data again.",
        ) from exc
    return None if metas is None else _StravaScope(metas=metas, display_root=display_root)


# --- writing ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StravaRow:
    """One activity as Strava lists it in ``activities.csv`` (``start_at`` aware UTC)."""

    activity_id: int
    start_at: datetime
    name: str
    sport_label: str
    description: str
    elapsed_s: float
    distance_m: float | None
    gear: str | None
    filename: str


def format_strava_date(at: datetime) -> str:
    """Strava's ``Activity Date`` format (UTC), e.g. ``Mar 5, 2024, 6:41:28 AM``."""
    h12 = at.hour % 12 or 12
    ampm = "AM" if at.hour < 12 else "PM"
    return (
        f"{_MONTHS[at.month - 1]} {at.day}, {at.year}, {h12}:{at.minute:02d}:{at.second:02d} {ampm}"
    )


def encode_activities_csv(rows: Iterable[StravaRow]) -> bytes:
    """An ``activities.csv`` with :data:`STRAVA_COLUMNS` (distance in km, blank when unknown)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(STRAVA_COLUMNS.values())
    for row in rows:
        writer.writerow(
            (
                str(row.activity_id),
                format_strava_date(row.start_at),
                row.name,
                row.sport_label,
                row.description,
                str(round(row.elapsed_s)),
                "" if row.distance_m is None else f"{row.distance_m / 1000.0:.2f}",
                row.gear or "",
                row.filename,
            )
        )
    return buf.getvalue().encode("utf-8")
