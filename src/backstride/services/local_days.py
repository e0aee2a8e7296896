"""Work the stored activities' local days out again (``backstride activity fix-days``).

For activities stored before backstride knew their time zone (schema revision 0009), or after
the ``timezone`` setting changed: each activity's clock is decided again as on import
(:mod:`backstride.adapters.timezones`): the place of its first GPS fix, else the offset its
file stated (kept as it is once decided), else the setting. Activities entered by hand keep
the day they were given. A changed day also refreshes the activity's cached analysis (the
load model reads its day from there).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from backstride.adapters.db.repos import ActivityRepo, row_to_activity
from backstride.adapters.db.tables import ActivityRow
from backstride.adapters.timezones import ZoneSetting, place_in_time, resolve_zone
from backstride.domain.activity import Activity
from backstride.services.context import App
from backstride.services.training import refresh_metrics

CHUNK = 50


@dataclass(frozen=True, slots=True)
class DayChange:
    """One activity whose local clock changed (its day, or only its zone/offset)."""

    activity_id: int
    old_day: date
    new_day: date
    time_zone: str
    source: str
    utc_offset_s: int

    @property
    def moved(self) -> bool:
        return self.old_day != self.new_day

    def to_json(self) -> dict[str, object]:
        return {
            "activity_id": self.activity_id,
            "old_date": self.old_day.isoformat(),
            "new_date": self.new_day.isoformat(),
            "time_zone": self.time_zone,
            "source": self.source,
            "utc_offset_s": self.utc_offset_s,
        }


@dataclass(frozen=True, slots=True)
class FixDaysReport:
    checked: int
    changes: tuple[DayChange, ...]

    @property
    def moved(self) -> tuple[DayChange, ...]:
        return tuple(c for c in self.changes if c.moved)

    def to_json(self) -> dict[str, object]:
        return {
            "checked": self.checked,
            "changed": len(self.changes),
            "moved": len(self.moved),
            "activities": [c.to_json() for c in self.changes],
        }


def _as_stored(row: ActivityRow, activity: Activity) -> Activity:
    """What the file said, for a row stored before revision 0009: a FIT file states its
    offset at the end of the recording."""
    if row.time_zone_source is None and row.source_format == "fit" and row.utc_offset_s:
        return activity.with_changes(utc_offset_at=activity.end_at)
    return activity


def _decide(row: ActivityRow, repo: ActivityRepo, setting: ZoneSetting) -> DayChange | None:
    source = row.time_zone_source
    if source == "file":
        return None  # decided from the file itself on import; nothing new to learn
    activity = row_to_activity(row)
    if source in (None, "place"):
        activity = activity.with_changes(streams=repo.get_streams(row.id))
    if source == "setting":
        activity = activity.with_changes(utc_offset_s=None)
    where = place_in_time(_as_stored(row, activity), setting=setting)
    new_day = (activity.start_at + timedelta(seconds=where.utc_offset_s)).date()
    same = (
        row.utc_offset_s == where.utc_offset_s
        and row.time_zone == where.time_zone
        and row.time_zone_source == where.source
        and row.local_date == new_day
    )
    if same:
        return None
    return DayChange(
        row.id, row.local_date, new_day, where.time_zone, where.source, where.utc_offset_s
    )


def fix_local_days(app: App, *, dry_run: bool = False) -> FixDaysReport:
    """Decide every imported activity's local clock again; store the changes unless
    ``dry_run``. Works in small transactions, so the dashboard keeps answering."""
    setting = resolve_zone(app.settings.timezone)
    with app.store.read_session() as session:
        ids = list(
            session.scalars(
                select(ActivityRow.id)
                .where(
                    ActivityRow.athlete_id == app.athlete_id,
                    ActivityRow.source_format != "manual",
                )
                .order_by(ActivityRow.id)
            )
        )
    changes: list[DayChange] = []
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        with app.store.read_session() as session:
            repo = ActivityRepo(session)
            rows = session.scalars(select(ActivityRow).where(ActivityRow.id.in_(chunk))).all()
            found = [c for c in (_decide(r, repo, setting) for r in rows) if c is not None]
        changes.extend(found)
        if dry_run or not found:
            continue
        offsets = {c.activity_id: c for c in found}
        with app.store.session() as session:
            for row in session.scalars(select(ActivityRow).where(ActivityRow.id.in_(offsets))):
                change = offsets[row.id]
                row.utc_offset_s = change.utc_offset_s
                row.local_date = change.new_day
                row.time_zone = change.time_zone
                row.time_zone_source = change.source
        moved = [c.activity_id for c in found if c.moved]
        if moved:
            refresh_metrics(app, moved)
    changes.sort(key=lambda c: c.activity_id)
    return FixDaysReport(len(ids), tuple(changes))


@functools.lru_cache(maxsize=8)
def _zone(timezone: str) -> ZoneSetting:
    return resolve_zone(timezone)


def runner_today(timezone: str, *, now: datetime | None = None) -> date:
    """The runner's date at ``now`` (default: the clock), in the ``timezone`` setting, the
    zone the importer gives files that tell none (empty: the computer's)."""
    at = now or datetime.now(UTC)
    return (at + timedelta(seconds=_zone(timezone).offset_s(at))).date()
