"""Listing, showing, editing, deleting and logging activities."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Unpack

from backstride.adapters.db.data_repos import OriginalFileRepo
from backstride.adapters.db.repos import ActivityRepo, row_to_activity
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.activity import Activity, ActivityFilters, Sport, Surface
from backstride.domain.text import runner_text
from backstride.errors import DuplicateActivityError, InvalidInputError
from backstride.services.context import App
from backstride.services.shoes import resolve_shoe_name
from backstride.services.training import analysis_profile, store_analysis


@dataclass(frozen=True, slots=True)
class ActivitySummary:
    """A stored activity as the CLI and the web read it: its summary columns, no samples."""

    id: int
    sport: str
    source_sport: str
    source_format: str
    source_label: str
    start_at: datetime
    utc_offset_s: int | None
    local_date: date
    time_zone: str | None
    time_zone_source: str | None
    duration_s: float
    moving_time_s: float | None
    distance_m: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_rpm: float | None
    name: str | None
    device: str | None
    notes: str | None
    surface: str | None
    rpe: float | None
    gear: str | None
    content_hash: str | None
    warnings: str
    device_totals: str | None
    device_timer_s: float | None
    created_at: datetime


_SUMMARY_FIELDS = tuple(f.name for f in dataclasses.fields(ActivitySummary))


_TYPED_FIELDS = ("name", "notes")
"""What the runner typed (shown as typed: :class:`~backstride.domain.text.RunnerText`)."""


def summary_of(row: ActivityRow) -> ActivitySummary:
    """The stored row as a frozen summary (read inside the row's session)."""
    values = {name: getattr(row, name) for name in _SUMMARY_FIELDS}
    for name in _TYPED_FIELDS:
        values[name] = runner_text(values[name])
    return ActivitySummary(**values)


def _num(value: float | None, digits: int = 1) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def row_to_json(row: ActivitySummary) -> dict[str, Any]:
    """The public JSON shape of an activity summary (``activity list --json``)."""
    return {
        "id": row.id,
        "sport": row.sport,
        "start": row.start_at.isoformat().replace("+00:00", "Z"),
        "local_date": row.local_date.isoformat(),
        "utc_offset_s": row.utc_offset_s,
        "time_zone": row.time_zone,
        "duration_s": _num(row.duration_s),
        "moving_time_s": _num(row.moving_time_s),
        "distance_m": _num(row.distance_m),
        "elevation_gain_m": _num(row.elevation_gain_m),
        "elevation_loss_m": _num(row.elevation_loss_m),
        "avg_hr_bpm": _num(row.avg_hr_bpm),
        "max_hr_bpm": _num(row.max_hr_bpm),
        "source": row.source_label,
        "source_format": row.source_format,
        "source_sport": row.source_sport,
        "name": runner_text(row.name),
        "device": row.device,
        "surface": row.surface,
        "rpe": row.rpe,
        "gear": row.gear,
        "notes": runner_text(row.notes),
    }


def list_activities(
    app: App,
    *,
    sort: str = "start",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
    **filters: Unpack[ActivityFilters],
) -> list[ActivitySummary]:
    with app.store.read_session() as session:
        rows = ActivityRepo(session).list_rows(
            app.athlete_id, sort=sort, descending=descending, limit=limit, offset=offset, **filters
        )
        return [summary_of(row) for row in rows]


def count_activities(app: App, **filters: Unpack[ActivityFilters]) -> int:
    with app.store.read_session() as session:
        return ActivityRepo(session).count(app.athlete_id, **filters)


def get_activity_summary(app: App, activity_id: int) -> ActivitySummary:
    with app.store.read_session() as session:
        return summary_of(ActivityRepo(session).get_row(app.athlete_id, activity_id))


def get_activity(app: App, activity_id: int, *, with_streams: bool = True) -> Activity:
    with app.store.read_session() as session:
        return ActivityRepo(session).get(app.athlete_id, activity_id, with_streams=with_streams)


def get_activity_with_summary(app: App, activity_id: int) -> tuple[ActivitySummary, Activity]:
    """The stored summary and its activity with samples, read once (one transaction)."""
    with app.store.read_session() as session:
        repo = ActivityRepo(session)
        row = repo.get_row(app.athlete_id, activity_id)
        return summary_of(row), row_to_activity(row, repo.get_streams(activity_id))


def detail_json(row: ActivitySummary, activity: Activity) -> dict[str, Any]:
    """:func:`activity_detail_json` of an already loaded row and activity (with samples)."""
    streams = activity.streams
    out = row_to_json(row)
    out["samples"] = len(streams)
    out["streams"] = sorted(streams.present())
    out["device_totals"] = json.loads(row.device_totals) if row.device_totals else None
    out["warnings"] = json.loads(row.warnings or "[]")
    return out


def activity_detail_json(app: App, activity_id: int) -> dict[str, Any]:
    """Summary plus sample count, device totals and import warnings (``activity show``)."""
    row, activity = get_activity_with_summary(app, activity_id)
    return detail_json(row, activity)


@dataclass(frozen=True, slots=True)
class ActivityEdit:
    sport: str | None = None
    surface: str | None = None
    rpe: float | None = None
    notes: str | None = None
    name: str | None = None
    gear: str | None = None


def validate_rpe(rpe: float) -> float:
    if not math.isfinite(rpe) or not 0 <= rpe <= 10:
        raise InvalidInputError(
            f"RPE must be between 0 and 10, got {rpe:g}.",
            hint="0 is rest, 10 the hardest effort you can imagine.",
        )
    return float(rpe)


def _validate_choice(value: str, choices: list[str], what: str) -> str:
    v = value.strip().lower().replace("-", "_")
    if v not in choices:
        raise InvalidInputError(
            f"'{value}' is not a known {what}.", hint=f"Choose one of: {', '.join(choices)}."
        )
    return v


def edit_activity(app: App, activity_id: int, edit: ActivityEdit) -> ActivitySummary:
    fields: dict[str, Any] = {}
    if edit.sport is not None:
        fields["sport"] = _validate_choice(edit.sport, [s.value for s in Sport], "sport")
    if edit.surface is not None:
        fields["surface"] = _validate_choice(edit.surface, [s.value for s in Surface], "surface")
    if edit.rpe is not None:
        fields["rpe"] = validate_rpe(edit.rpe)
    if edit.notes is not None:
        if len(edit.notes) > 10_000:
            raise InvalidInputError("Notes are limited to 10,000 characters.")
        fields["notes"] = edit.notes
    if edit.name is not None:
        if len(edit.name) > 500:
            raise InvalidInputError("Names are limited to 500 characters.")
        fields["name"] = edit.name
    if edit.gear is not None:
        fields["gear"] = resolve_shoe_name(app, edit.gear)
    if not fields:
        raise InvalidInputError(
            "Nothing to change.", hint="Give --sport, --surface, --rpe or --notes."
        )
    profile = analysis_profile(app)
    with app.store.session() as session:
        repo = ActivityRepo(session)
        row = summary_of(repo.update(app.athlete_id, activity_id, **fields))
        # The cached analysis depends on the sport, surface and RPE: renew it in the same
        # transaction, so the edit is never stored without it.
        activity = repo.get(app.athlete_id, activity_id, with_streams=True)
        store_analysis(session, app.athlete_id, activity_id, activity, profile)
    return row


def delete_activity(app: App, activity_id: int) -> None:
    """Delete an activity, and its original file when no other activity came from it."""
    with app.store.session() as session:
        repo = ActivityRepo(session)
        content_hash = repo.get_row(app.athlete_id, activity_id).content_hash
        repo.delete(app.athlete_id, activity_id)
        OriginalFileRepo(session).delete_unused(app.athlete_id, [content_hash])


@dataclass(frozen=True, slots=True)
class ManualEntry:
    day: date
    sport: str
    duration_s: float
    distance_m: float | None = None
    rpe: float | None = None
    surface: str | None = None
    notes: str | None = None
    start_time: time | None = None
    name: str | None = None


def log_manual(app: App, entry: ManualEntry, *, today: date) -> int:
    """Store a run or cross-training session entered by hand; returns its id."""
    if entry.day > today:
        raise InvalidInputError(
            f"{entry.day.isoformat()} is in the future.", hint="Log sessions once they are done."
        )
    if entry.day.year < 1990:
        raise InvalidInputError(f"{entry.day.isoformat()} is too long ago to log.")
    sport = Sport(_validate_choice(entry.sport, [s.value for s in Sport], "sport"))
    surface = (
        Surface(_validate_choice(entry.surface, [s.value for s in Surface], "surface"))
        if entry.surface
        else (Surface.TREADMILL if sport is Sport.TREADMILL_RUN else None)
    )
    rpe = validate_rpe(entry.rpe) if entry.rpe is not None else None
    if entry.distance_m is not None and entry.duration_s > 0:
        speed = entry.distance_m / entry.duration_s
        if speed > 12.5:  # 45 km/h: faster than any runner; cyclists may log it as cycle
            if sport.is_run or sport in (Sport.WALK, Sport.HIKE, Sport.SWIM):
                raise InvalidInputError(
                    f"{entry.distance_m / 1000:.1f} km in {entry.duration_s / 60:.0f} min is "
                    "faster than anyone runs, walks or swims.",
                    hint="Check the distance and duration units (e.g. 5.2km, 35m).",
                )
    start_local = datetime.combine(entry.day, entry.start_time or time(12, 0))
    start_at = start_local.replace(tzinfo=UTC)
    activity = Activity(
        sport=sport,
        source_sport="manual",
        source_format="manual",
        start_at=start_at,
        utc_offset_s=0,
        duration_s=entry.duration_s,
        moving_time_s=entry.duration_s,
        distance_m=entry.distance_m,
        rpe=rpe,
        surface=surface,
        notes=entry.notes,
        name=entry.name or f"{sport.value.replace('_', ' ').capitalize()} (logged by hand)",
    )
    profile = analysis_profile(app)
    with app.store.session() as session:
        repo = ActivityRepo(session)
        same = repo.find_same_activity(
            app.athlete_id,
            sport=sport,
            start_at=start_at,
            distance_m=entry.distance_m,
            start_tolerance_s=60.0,
        )
        if same is not None:
            raise DuplicateActivityError(
                f"The same {sport.value} on {entry.day.isoformat()} is already stored (id {same}).",
                hint="Edit it with `backstride activity edit`, or give another --at time.",
            )
        new_id = repo.add(app.athlete_id, activity, source_label="manual", content_hash=None)
        store_analysis(session, app.athlete_id, new_id, activity, profile)
        return new_id


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
