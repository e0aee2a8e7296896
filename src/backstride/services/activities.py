"""Listing, showing, editing, deleting and logging activities."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Unpack

from backstride.adapters.db.data_repos import OriginalFileRepo
from backstride.adapters.db.repos import ActivityRepo, row_to_activity
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.activity import Activity, ActivityFilters, Sport, Surface
from backstride.domain.text import runner_text
from backstride.errors import DuplicateActivityError, InvalidInputError
from backstride.services.context import App
from backstride.services.shoes import resolve_shoe_name
from backstride.services.training import (
    AnalysisProfile,
    analyse_stored,
    analysis_profile,
    load_columns,
    store_analysis,
    store_analysis_result,
    stored_load_columns,
)

if TYPE_CHECKING:
    from backstride.domain.metrics import ActivityAnalysis


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
    return detail_json_of(row, samples=len(streams), streams=sorted(streams.present()))


def detail_json_of(row: ActivitySummary, *, samples: int, streams: Sequence[str]) -> dict[str, Any]:
    """:func:`detail_json` of a row whose samples were counted already: how many, and the
    names of the recorded streams (sorted)."""
    out = row_to_json(row)
    out["samples"] = samples
    out["streams"] = list(streams)
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


ANALYSIS_INPUTS = frozenset({"sport", "surface", "rpe", "notes", "name"})
"""The editable fields the stored analysis reads (the surface is guessed from the name and
notes when none was chosen; the session load comes from the RPE)."""


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """What :func:`apply_edit` did: the activity as stored afterwards, and the names of the
    fields whose stored value changed (empty: the edit asked for what was already there,
    and nothing was written)."""

    row: ActivitySummary
    changed: frozenset[str]
    load_changed: bool
    """Whether the activity's part of the training load changed (its day, sport, distance,
    times, load or hardness as the load model reads them): an edit of the name or notes
    alone leaves it (and every figure computed from the load) as it was."""


def _edit_fields(app: App, edit: ActivityEdit) -> dict[str, Any]:
    """The edit's fields, checked, in their stored form."""
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
    return fields


def _as_stored(activity: Activity, fields: dict[str, Any]) -> Activity:
    """``activity`` with the edited ``fields`` (stored form) applied."""
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "sport":
            values[key] = Sport(value)
        elif key == "surface":
            values[key] = Surface(value)
        else:
            values[key] = value
    return dataclasses.replace(activity, **values)


def edit_activity(app: App, activity_id: int, edit: ActivityEdit) -> ActivitySummary:
    """Change an activity's sport, surface, RPE, notes, name or shoes; returns it as stored."""
    return apply_edit(app, activity_id, edit).row


def apply_edit(app: App, activity_id: int, edit: ActivityEdit) -> EditOutcome:
    """:func:`edit_activity`, telling which fields changed. Only the fields whose value
    differs are written; an edit that changes nothing writes nothing. The cached analysis
    depends on the sport, surface, RPE, name and notes: when one of them changes it is
    computed before the write (the write lock is held only to store it) and stored in the
    edit's transaction, so the edit is never stored without it. Should another writer
    change the activity in between, it is computed again inside the transaction.

    In two steps for a caller that waits for its turn to write in between (the dashboard):
    :func:`prepare_edit` reads and analyses, :func:`store_edit` writes."""
    prepared = prepare_edit(app, activity_id, edit)
    if prepared.done is not None:
        return prepared.done
    return store_edit(app, prepared)


@dataclass(frozen=True, slots=True)
class PreparedEdit:
    """:func:`prepare_edit`'s answer: what :func:`store_edit` writes."""

    activity_id: int
    changed: dict[str, Any]
    done: EditOutcome | None
    """The outcome already, when the edit changes nothing (there is nothing to store)."""
    edited: Activity | None = None
    """The activity with the edit applied, when the analysis reads a changed field."""
    analysis: ActivityAnalysis | None = None
    profile: AnalysisProfile | None = None
    load_changed: bool = False


def prepare_edit(app: App, activity_id: int, edit: ActivityEdit) -> PreparedEdit:
    """Check the edit, find the fields it changes and compute the analysis they give, all
    without the write lock (see :func:`apply_edit`)."""
    fields = _edit_fields(app, edit)
    with app.store.read_session() as session:
        repo = ActivityRepo(session)
        row = repo.get_row(app.athlete_id, activity_id)
        changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
        if not changed:
            done = EditOutcome(summary_of(row), frozenset(), load_changed=False)
            return PreparedEdit(activity_id, changed, done)
        if not changed.keys() & ANALYSIS_INPUTS:
            return PreparedEdit(activity_id, changed, None)
        before = row_to_activity(row, repo.get_streams(activity_id))
        old_load = stored_load_columns(session, activity_id)
    profile = analysis_profile(app)
    edited = _as_stored(before, changed)
    analysis = analyse_stored(edited, heart=profile.heart)
    new_load = load_columns(edited, analysis, profile)
    return PreparedEdit(
        activity_id,
        changed,
        None,
        edited=edited,
        analysis=analysis,
        profile=profile,
        load_changed=old_load is None or old_load != new_load,
    )


def store_edit(app: App, prepared: PreparedEdit) -> EditOutcome:
    """Write what :func:`prepare_edit` found, in one short transaction."""
    if prepared.done is not None:
        return prepared.done
    activity_id, changed = prepared.activity_id, prepared.changed
    load_changed = prepared.load_changed
    with app.store.session() as session:
        repo = ActivityRepo(session)
        result = summary_of(repo.update(app.athlete_id, activity_id, **changed))
        edited, analysis, profile = prepared.edited, prepared.analysis, prepared.profile
        if edited is not None and analysis is not None and profile is not None:
            now = repo.get(app.athlete_id, activity_id)
            if _analysis_inputs(now) != _analysis_inputs(edited):
                # Another writer changed the activity since it was read: analyse it as stored.
                now = repo.get(app.athlete_id, activity_id, with_streams=True)
                store_analysis(session, app.athlete_id, activity_id, now, profile)
                load_changed = True
            else:
                store_analysis_result(
                    session, app.athlete_id, activity_id, edited, analysis, profile
                )
    return EditOutcome(result, frozenset(changed), load_changed=load_changed)


def _analysis_inputs(activity: Activity) -> tuple[Any, ...]:
    """Everything of an activity's summary the analysis reads besides its samples (which
    an edit never changes): compared to tell whether the activity changed meanwhile."""
    return (
        activity.sport,
        activity.surface,
        activity.rpe,
        activity.name,
        activity.notes,
        activity.source_sport,
        activity.start_at,
        activity.utc_offset_s,
        activity.duration_s,
        activity.moving_time_s,
        activity.distance_m,
        activity.elevation_gain_m,
        activity.elevation_loss_m,
        activity.avg_hr_bpm,
        activity.avg_cadence_rpm,
        activity.device_timer_s,
    )


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
