"""Repositories for the body tables: the only home of their queries.

Each works inside a caller-owned Session and speaks domain objects.
"""

from __future__ import annotations

import builtins
import functools
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
)

from backstride.adapters.db import records
from backstride.adapters.db.body_tables import (
    ClearanceRow,
    PainEntryRow,
    ProfileRow,
    RedFlagSeenRow,
    ScreeningRow,
    SelfTestRow,
    ShoeDefaultRow,
    ShoeRow,
)
from backstride.adapters.db.repo import Repo, by_athlete, one_of_ids
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.body import (
    Clearance,
    Profile,
    Screening,
)
from backstride.domain.pain import (
    PainEntry,
    SeenRecord,
)
from backstride.domain.selftest import SelfTestResult
from backstride.domain.shoes import Shoe, name_key
from backstride.domain.text import RunnerText
from backstride.errors import NotFoundError


def _dump(values: Sequence[Any]) -> str:
    return json.dumps([str(v) for v in values])


# --- statements built once (``repo`` module) --------------------------------------------------

# Plain statements of the tables' columns, in the select and in its clauses (one ORM
# attribute would make it an ORM query): their rows carry the columns' names and Python
# values, as the ORM's objects did, without the ORM's handling of the query and of each row
# (identity map, instance state), which cost about as much again as running it. Reads only.
_PROFILE_C = ProfileRow.__table__.c
_SCREENING_C = ScreeningRow.__table__.c
_CLEARANCE_C = ClearanceRow.__table__.c
_PAIN_C = PainEntryRow.__table__.c
_SEEN_C = RedFlagSeenRow.__table__.c
_SELFTEST_C = SelfTestRow.__table__.c
_ATHLETE: BindParameter[int] = bindparam("athlete")
_PROFILE = select(*_PROFILE_C).where(_PROFILE_C.athlete_id == _ATHLETE)
_PROFILES = {
    pg: select(*_PROFILE_C).where(cond) for pg, cond in one_of_ids(_PROFILE_C.athlete_id).items()
}
_LATEST_SCREENING = (
    select(*_SCREENING_C)
    .where(_SCREENING_C.athlete_id == _ATHLETE)
    .order_by(_SCREENING_C.answered_on.desc(), _SCREENING_C.id.desc())
    .limit(1)
)
_CLEARANCES = (
    select(*_CLEARANCE_C)
    .where(_CLEARANCE_C.athlete_id == _ATHLETE)
    .order_by(_CLEARANCE_C.cleared_on, _CLEARANCE_C.id)
)
_REPORTS_A_FLAG = _PAIN_C.red_flags.not_in(["[]", ""])
"""An entry that reports a red flag (``red_flags`` is stored as a JSON list, ``_dump``)."""
_FIRST_DAY_ABOVE = select(func.min(_PAIN_C.day)).where(
    _PAIN_C.athlete_id == _ATHLETE, _PAIN_C.score > bindparam("score")
)
_FIRST_DAY_ABOVE_UNTIL = _FIRST_DAY_ABOVE.where(_PAIN_C.day <= bindparam("until"))
_SEEN_MANY = {
    pg: select(*_SEEN_C).where(cond).order_by(_SEEN_C.seen_on, _SEEN_C.id)
    for pg, cond in one_of_ids(_SEEN_C.athlete_id).items()
}
_SELFTESTS = (
    select(*_SELFTEST_C)
    .where(_SELFTEST_C.athlete_id == _ATHLETE)
    .order_by(_SELFTEST_C.day, _SELFTEST_C.id)
)


@functools.cache
def _pain_list(*, red_flags_only: bool, since: bool, until: bool) -> Select[Any]:
    """:meth:`PainRepo.list`'s statement (parameters ``athlete``, ``since``, ``until``)."""
    stmt = select(*_PAIN_C).where(_PAIN_C.athlete_id == _ATHLETE)
    if red_flags_only:
        stmt = stmt.where(_REPORTS_A_FLAG)
    if since:
        stmt = stmt.where(_PAIN_C.day >= bindparam("since"))
    if until:
        stmt = stmt.where(_PAIN_C.day <= bindparam("until"))
    return stmt.order_by(_PAIN_C.day, _PAIN_C.id)


@functools.cache
def _pain_list_many(*, red_flags_only: bool, postgresql: bool) -> Select[Any]:
    """:meth:`PainRepo.list_many`'s statement (parameter ``ids``)."""
    stmt = select(*_PAIN_C).where(one_of_ids(_PAIN_C.athlete_id)[postgresql])
    if red_flags_only:
        stmt = stmt.where(_REPORTS_A_FLAG)
    return stmt.order_by(_PAIN_C.day, _PAIN_C.id)


# --- profile ----------------------------------------------------------------------------------


class ProfileRepo(Repo):
    def get(self, athlete_id: int) -> Profile:
        """The stored profile, or an empty one (read as plain columns: most requests of a
        server read it)."""
        return self._profile(self.session.execute(_PROFILE, {"athlete": athlete_id}).first())

    def get_many(self, athlete_ids: Collection[int]) -> dict[int, Profile]:
        """:meth:`get` for each of ``athlete_ids``, in one query."""
        rows = {
            r.athlete_id: r
            for r in self.session.execute(_PROFILES[self.on_postgresql], {"ids": list(athlete_ids)})
        }
        return {a: self._profile(rows.get(a)) for a in athlete_ids}

    @staticmethod
    def _profile(row: Any | None) -> Profile:
        return records.profile(row)

    def exists(self, athlete_id: int) -> bool:
        return self.session.get(ProfileRow, athlete_id) is not None

    def units(self, athlete_id: int) -> str | None:
        """The runner's own choice of km or mi; None when not chosen (or no profile)."""
        stmt = select(ProfileRow.units).where(ProfileRow.athlete_id == athlete_id)
        return self.session.scalars(stmt).first()

    def save(self, athlete_id: int, profile: Profile) -> None:
        row = self.session.get(ProfileRow, athlete_id)
        if row is None:
            row = ProfileRow(athlete_id=athlete_id)
            self.session.add(row)
        row.birth_year = profile.birth_year
        row.sex = profile.sex.value
        row.resting_hr_bpm = profile.resting_hr_bpm
        row.max_hr_bpm = profile.max_hr_bpm
        row.conditions = _dump([c.value for c in profile.conditions])
        row.past_injuries = json.dumps(list(profile.past_injuries))
        row.experience = profile.experience.value if profile.experience else None
        row.spine_surgery_on = profile.spine_surgery_on
        row.spine_injection_on = profile.spine_injection_on
        row.pregnant_since = profile.pregnant_since
        row.units = profile.units
        self.session.flush()


# --- screening and clearances -----------------------------------------------------------------


class ScreeningRepo(Repo):
    def add(self, athlete_id: int, screening: Screening) -> int:
        row = ScreeningRow(
            athlete_id=athlete_id,
            answered_on=screening.answered_on,
            answers=json.dumps(dict(screening.answers), sort_keys=True),
        )
        return self._insert(row).id

    def latest(self, athlete_id: int) -> Screening | None:
        row = self.session.execute(_LATEST_SCREENING, {"athlete": athlete_id}).first()
        return records.screening(row) if row is not None else None


class ClearanceRepo(Repo):
    def add(self, athlete_id: int, clearance: Clearance) -> int:
        row = ClearanceRow(
            athlete_id=athlete_id,
            cleared_on=clearance.on,
            cleared_by=clearance.by,
            restrictions=clearance.restrictions,
            notes=clearance.notes,
        )
        return self._insert(row).id

    def list(self, athlete_id: int) -> list[Clearance]:
        rows = self.session.execute(_CLEARANCES, {"athlete": athlete_id})
        return [records.clearance(r) for r in rows]


# --- pain diary -------------------------------------------------------------------------------


_row_to_entry = records.pain_entry


def _pain_values(entry: PainEntry) -> dict[str, Any]:
    """The stored columns of ``entry`` (all but the athlete, the id and the creation time)."""
    return {
        "day": entry.day,
        "moment": entry.when.value,
        "score": entry.score,
        "activity_id": entry.activity_id,
        "sites": _dump([s.value for s in entry.where]),
        "feels": _dump([f.value for f in entry.feels]),
        "walking_leg_symptoms": entry.walking_leg_symptoms,
        "eases_sitting": entry.eases_sitting,
        "red_flags": _dump([f.value for f in entry.red_flags]),
        "notes": entry.notes,
        "worse_coughing": entry.worse_coughing,
        "ruled_out_flags": _dump([f.value for f in entry.ruled_out]),
    }


_PAIN_TABLE = cast(Table, PainEntryRow.__table__)
_ADD_PAIN = insert(_PAIN_TABLE).returning(_PAIN_TABLE.c.id)


class PainRepo(Repo):
    def add(self, athlete_id: int, entry: PainEntry) -> int:
        # One INSERT ... RETURNING, without the ORM's unit of work (an object made, flushed
        # and tracked for nothing): a check-in is the dashboard's most frequent write.
        values = {"athlete_id": athlete_id, **_pain_values(entry)}
        return int(self.session.connection().execute(_ADD_PAIN, values).scalar_one())

    def _row(self, athlete_id: int, entry_id: int) -> PainEntryRow:
        row = self.session.get(PainEntryRow, entry_id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFoundError(
                f"There is no pain entry with id {entry_id}.",
                hint="`backstride pain list` shows the ids.",
            )
        return row

    def get(self, athlete_id: int, entry_id: int) -> PainEntry:
        return _row_to_entry(self._row(athlete_id, entry_id))

    def update(self, athlete_id: int, entry_id: int, entry: PainEntry) -> None:
        row = self._row(athlete_id, entry_id)
        for name, value in _pain_values(entry).items():
            setattr(row, name, value)
        self.session.flush()

    def delete(self, athlete_id: int, entry_id: int) -> None:
        self.session.delete(self._row(athlete_id, entry_id))
        self.session.flush()

    def list(
        self,
        athlete_id: int,
        *,
        since: date | None = None,
        until: date | None = None,
        red_flags_only: bool = False,
    ) -> list[PainEntry]:
        """The entries from ``since`` to ``until`` by day; ``red_flags_only``: those that
        report a red flag (all that :func:`~backstride.domain.pain.open_red_flags` reads)."""
        stmt = _pain_list(
            red_flags_only=red_flags_only, since=since is not None, until=until is not None
        )
        values = {"athlete": athlete_id, "since": since, "until": until}
        return [_row_to_entry(r) for r in self.session.execute(stmt, values)]

    def list_many(
        self, athlete_ids: Collection[int], *, red_flags_only: bool = False
    ) -> dict[int, builtins.list[PainEntry]]:
        """:meth:`list` (every entry) for each of ``athlete_ids``, in one query."""
        stmt = _pain_list_many(red_flags_only=red_flags_only, postgresql=self.on_postgresql)
        rows = self.session.execute(stmt, {"ids": list(athlete_ids)})
        return by_athlete(athlete_ids, rows, _row_to_entry)

    def count(self, athlete_id: int) -> int:
        stmt = select(func.count()).where(PainEntryRow.athlete_id == athlete_id)
        return int(self.session.scalar(stmt) or 0)

    def first_day_above(
        self, athlete_id: int, *, score: int, until: date | None = None
    ) -> date | None:
        """The first day with a score above ``score`` (up to ``until``), or None."""
        stmt = _FIRST_DAY_ABOVE if until is None else _FIRST_DAY_ABOVE_UNTIL
        value = self.session.scalar(stmt, {"athlete": athlete_id, "score": score, "until": until})
        return value if isinstance(value, date) else None


_row_to_seen = records.seen


class RedFlagSeenRepo(Repo):
    def add(self, athlete_id: int, record: SeenRecord) -> int:
        row = RedFlagSeenRow(
            athlete_id=athlete_id,
            flag=record.flag.value,
            seen_on=record.on,
            seen_by=record.by,
            notes=record.notes,
            outcome=record.outcome.value,
        )
        return self._insert(row).id

    def list(self, athlete_id: int) -> list[SeenRecord]:
        return self.list_many([athlete_id])[athlete_id]

    def list_many(self, athlete_ids: Collection[int]) -> dict[int, builtins.list[SeenRecord]]:
        """:meth:`list` for each of ``athlete_ids``, in one query."""
        rows = self.session.execute(_SEEN_MANY[self.on_postgresql], {"ids": list(athlete_ids)})
        return by_athlete(athlete_ids, rows, _row_to_seen)


# --- self-tests -------------------------------------------------------------------------------


class SelfTestRepo(Repo):
    def add(self, athlete_id: int, result: SelfTestResult) -> int:
        row = SelfTestRow(
            athlete_id=athlete_id, day=result.day, test=result.name.value, value=result.value
        )
        return self._insert(row).id

    def list(self, athlete_id: int) -> list[SelfTestResult]:
        return records.selftests(list(self.session.execute(_SELFTESTS, {"athlete": athlete_id})))


# --- shoes ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GearActivity:
    """An activity's shoe-relevant columns."""

    activity_id: int
    day: date
    sport: str
    distance_m: float | None
    gear: str | None


def _gear_columns() -> tuple[Any, ...]:
    """The columns of :class:`GearActivity`, in its order."""
    a = ActivityRow
    return (a.id, a.local_date, a.sport, a.distance_m, a.gear)


class ShoeRepo(Repo):
    def _defaults_by_shoe(self, athlete_id: int) -> dict[int, list[str]]:
        stmt = select(ShoeDefaultRow).where(ShoeDefaultRow.athlete_id == athlete_id)
        out: dict[int, list[str]] = {}
        for row in self.session.scalars(stmt):
            out.setdefault(row.shoe_id, []).append(row.sport)
        return out

    def _to_shoe(self, row: ShoeRow, defaults: dict[int, list[str]]) -> Shoe:
        return records.shoe(row, defaults)

    def add(self, athlete_id: int, shoe: Shoe) -> int:
        row = ShoeRow(
            athlete_id=athlete_id,
            name=shoe.name,
            name_key=name_key(shoe.name),
            start_km=shoe.start_km,
            inspect_km=shoe.inspect_km,
            retire_km=shoe.retire_km,
            bought_on=shoe.bought_on,
            retired_on=shoe.retired_on,
        )
        return self._insert(row).id

    def find(self, athlete_id: int, name: str) -> Shoe | None:
        stmt = select(ShoeRow).where(
            ShoeRow.athlete_id == athlete_id, ShoeRow.name_key == name_key(name)
        )
        row = self.session.scalars(stmt).first()
        return self._to_shoe(row, self._defaults_by_shoe(athlete_id)) if row else None

    def get(self, athlete_id: int, name: str) -> Shoe:
        shoe = self.find(athlete_id, name)
        if shoe is None:
            known = [s.name for s in self.list(athlete_id)]
            raise NotFoundError(
                f"There are no shoes called '{name}'.",
                hint=(
                    f"Known shoes: {', '.join(known)}."
                    if known
                    else f'Add them first with `backstride shoes add "{name}"`.'
                ),
            )
        return shoe

    def list(self, athlete_id: int) -> list[Shoe]:
        defaults = self._defaults_by_shoe(athlete_id)
        stmt = select(ShoeRow).where(ShoeRow.athlete_id == athlete_id).order_by(ShoeRow.id)
        return [self._to_shoe(r, defaults) for r in self.session.scalars(stmt)]

    def names_in_use(self, athlete_id: int, on: date) -> builtins.list[RunnerText]:
        """The names of the pairs not retired before ``on``, in the order the shoe list
        shows them (those never retired first; then by when they were added)."""
        stmt = select(ShoeRow.id, ShoeRow.name, ShoeRow.retired_on).where(
            ShoeRow.athlete_id == athlete_id,
            or_(ShoeRow.retired_on.is_(None), ShoeRow.retired_on >= on),
        )
        rows = sorted(self.session.execute(stmt), key=lambda r: (r[2] is not None, r[0]))
        return [RunnerText(name) for _, name, _ in rows]

    def update(self, athlete_id: int, shoe: Shoe) -> None:
        assert shoe.id is not None
        row = self.session.get(ShoeRow, shoe.id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFoundError(f"There are no shoes called '{shoe.name}'.")
        row.start_km = shoe.start_km
        row.inspect_km = shoe.inspect_km
        row.retire_km = shoe.retire_km
        row.bought_on = shoe.bought_on
        row.retired_on = shoe.retired_on
        self.session.flush()

    def defaults(self, athlete_id: int) -> dict[str, str]:
        """Sport -> default shoe name."""
        stmt = (
            select(ShoeDefaultRow.sport, ShoeRow.name)
            .join(ShoeRow, ShoeRow.id == ShoeDefaultRow.shoe_id)
            .where(ShoeDefaultRow.athlete_id == athlete_id)
        )
        return {str(row[0]): str(row[1]) for row in self.session.execute(stmt)}

    def set_default(self, athlete_id: int, sport: str, shoe_id: int) -> None:
        row = self.session.get(ShoeDefaultRow, (athlete_id, sport))
        if row is None:
            self.session.add(ShoeDefaultRow(athlete_id=athlete_id, sport=sport, shoe_id=shoe_id))
        else:
            row.shoe_id = shoe_id
        self.session.flush()

    def clear_defaults(self, athlete_id: int, shoe_id: int) -> None:
        self.session.execute(
            delete(ShoeDefaultRow).where(
                ShoeDefaultRow.athlete_id == athlete_id, ShoeDefaultRow.shoe_id == shoe_id
            )
        )
        self.session.flush()

    def gear_activities(self, athlete_id: int) -> builtins.list[GearActivity]:
        """Every activity that names a pair of shoes (its ``gear``)."""
        stmt = (
            select(*_gear_columns())
            .where(ActivityRow.athlete_id == athlete_id, ActivityRow.gear.is_not(None))
            .order_by(ActivityRow.local_date, ActivityRow.id)
        )
        return [GearActivity(*r) for r in self.session.execute(stmt)]

    def activities_by_id(self, athlete_id: int, ids: Sequence[int]) -> builtins.list[GearActivity]:
        if not ids:
            return []
        stmt = (
            select(*_gear_columns())
            .where(ActivityRow.athlete_id == athlete_id, ActivityRow.id.in_(list(ids)))
            .order_by(ActivityRow.id)
        )
        return [GearActivity(*r) for r in self.session.execute(stmt)]

    def set_gear(self, athlete_id: int, activity_id: int, name: str | None) -> None:
        row = self.session.get(ActivityRow, activity_id)
        if row is None or row.athlete_id != athlete_id:
            raise NotFoundError(f"There is no activity with id {activity_id}.")
        row.gear = name
        self.session.flush()
