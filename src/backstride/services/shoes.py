"""Use cases for shoes: add, edit, list, default per sport, retire, and assignment to runs.

A pair is linked to activities by name through ``activities.gear`` (Strava exports put the
gear name there). Names match without regard to case. Every result has ``to_json()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from backstride.adapters.db.body_repos import GearActivity, PainRepo, ShoeRepo
from backstride.domain.activity import RUN_SPORTS, Sport
from backstride.domain.pain import PainEntry, RunRef, next_morning_score
from backstride.domain.shoes import (
    DEFAULT_INSPECT_KM,
    DEFAULT_RETIRE_KM,
    ROTATION_SOURCE,
    WEAR_SOURCE,
    GearUse,
    Shoe,
    ShoeStatus,
    clean_shoe_name,
    default_shoe_for,
    name_key,
    parse_sport,
    rotation_nudge,
    shoe_status,
    validate_shoe,
)
from backstride.errors import ConflictError, InvalidInputError, NotFoundError
from backstride.services.body import iso
from backstride.services.context import App

RUN_SPORT_VALUES = frozenset(s.value for s in RUN_SPORTS)
CLEAR_WORDS = frozenset({"", "none", "-"})


@dataclass(frozen=True, slots=True)
class ShoeView:
    status: ShoeStatus

    def to_json(self) -> dict[str, Any]:
        s = self.status
        shoe = s.shoe
        return {
            "id": shoe.id,
            "name": shoe.name,
            "start_km": shoe.start_km,
            "inspect_km": shoe.inspect_km,
            "retire_km": shoe.retire_km,
            "bought_on": iso(shoe.bought_on),
            "retired_on": iso(shoe.retired_on),
            "default_for": list(shoe.default_for),
            "distance_km": round(s.total_km, 2),
            "assigned_km": round(s.assigned_km, 2),
            "activities": s.activities,
            "runs": s.runs,
            "without_distance": s.without_distance,
            "age_days": s.age_days,
            "first_used_on": iso(s.first_used_on),
            "last_used_on": iso(s.last_used_on),
            "state": s.state,
            "warnings": list(s.warnings),
            "avg_next_morning_pain": s.avg_next_morning_pain,
            "pain_mornings": s.pain_mornings,
        }


@dataclass(frozen=True, slots=True)
class UnknownGear:
    """A gear name on activities that matches no stored pair."""

    name: str
    activities: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "activities": self.activities}


@dataclass(frozen=True, slots=True)
class ShoeList:
    shoes: tuple[ShoeView, ...]
    rotation: str | None
    unknown_gear: tuple[UnknownGear, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        out = [w for v in self.shoes for w in v.status.warnings]
        if self.rotation:
            out.append(self.rotation)
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "shoes": [v.to_json() for v in self.shoes],
            "warnings": list(self.warnings),
            "rotation": self.rotation,
            "unknown_gear": [u.to_json() for u in self.unknown_gear],
            "sources": {"wear": WEAR_SOURCE, "rotation": ROTATION_SOURCE},
        }


@dataclass(frozen=True, slots=True)
class ShoeAssignment:
    """What :func:`assign_default_shoes` did."""

    assigned: tuple[tuple[int, str], ...]  # (activity id, shoe name) given a default pair
    created: tuple[str, ...]  # pairs created from gear names found on imported runs

    def to_json(self) -> dict[str, Any]:
        return {
            "assigned": [{"activity_id": a, "shoe": s} for a, s in self.assigned],
            "created": list(self.created),
        }


def _uses(
    gear: Sequence[GearActivity], entries_by_run: dict[int, int | None]
) -> dict[str, list[GearUse]]:
    out: dict[str, list[GearUse]] = {}
    for g in gear:
        assert g.gear is not None
        out.setdefault(name_key(g.gear), []).append(
            GearUse(
                activity_id=g.activity_id,
                day=g.day,
                sport=g.sport,
                distance_m=g.distance_m,
                next_morning_pain=entries_by_run.get(g.activity_id),
            )
        )
    return out


def _load(app: App, *, today: date, units: str = "km") -> ShoeList:
    with app.store.read_session() as session:  # reads only: never the write lock
        repo = ShoeRepo(session)
        shoes = repo.list(app.athlete_id)
        gear = repo.gear_activities(app.athlete_id)
        entries = PainRepo(session).list(app.athlete_id)
    # next_morning_score reads the entries of the day after the run only: each run gets that
    # day's, not the whole diary (runs x entries was about 0.1 s for ten years of both).
    by_day: dict[date, list[PainEntry]] = {}
    for e in entries:
        by_day.setdefault(e.day, []).append(e)
    pain = {
        g.activity_id: next_morning_score(
            RunRef(g.activity_id, g.day), by_day.get(g.day + timedelta(days=1), ())
        )
        for g in gear
        if g.sport in RUN_SPORT_VALUES
    }
    uses = _uses(gear, pain)
    views = [
        ShoeView(shoe_status(s, uses.get(name_key(s.name), []), today=today, units=units))
        for s in shoes
    ]
    views.sort(key=lambda v: (v.status.shoe.retired_on is not None, v.status.shoe.id or 0))
    known = {name_key(s.name) for s in shoes}
    unknown: dict[str, UnknownGear] = {}
    for g in gear:
        assert g.gear is not None
        key = name_key(g.gear)
        if key not in known:
            prev = unknown.get(key)
            unknown[key] = UnknownGear(g.gear, (prev.activities if prev else 0) + 1)
    rotation = rotation_nudge(shoes, uses, today=today)
    return ShoeList(tuple(views), rotation, tuple(unknown.values()))


def list_shoes(app: App, *, today: date, units: str | None = None) -> ShoeList:
    """Every pair (active first) with distance, age, runs, wear warnings (their distances in
    ``units``, km or mi; default: the units in force, as the day's words), the rotation nudge,
    the average next-morning pain after runs in it, and gear names no pair matches."""
    return _load(app, today=today, units=units or _units_in_force(app))


def shoe_names_on(app: App, day: date) -> list[str]:
    """The names of the pairs in use on ``day`` (not retired before it), in the order of
    :func:`list_shoes` (one statement: none of its distances or pain)."""
    with app.store.read_session() as session:
        return list(ShoeRepo(session).names_in_use(app.athlete_id, day))


def _units_in_force(app: App) -> str:
    from backstride.services.body import units_in_force

    return units_in_force(app).units


def get_shoe(app: App, name: str, *, today: date) -> ShoeView:
    key = name_key(name)
    for view in _load(app, today=today).shoes:
        if name_key(view.status.shoe.name) == key:
            return view
    with app.store.session() as session:
        ShoeRepo(session).get(app.athlete_id, name)  # raises NotFoundError with known names
    raise NotFoundError(f"There are no shoes called '{name}'.")


def add_shoe(
    app: App,
    name: str,
    *,
    today: date,
    start_km: float = 0.0,
    inspect_km: float = DEFAULT_INSPECT_KM,
    retire_km: float = DEFAULT_RETIRE_KM,
    bought_on: date | None = None,
) -> ShoeView:
    """Add a pair. ``start_km`` is the distance already on them before backstride knew them."""
    shoe = validate_shoe(
        Shoe(
            name=clean_shoe_name(name),
            start_km=float(start_km),
            inspect_km=float(inspect_km),
            retire_km=float(retire_km),
            bought_on=bought_on,
        ),
        today=today,
    )
    with app.store.session() as session:
        repo = ShoeRepo(session)
        existing = repo.find(app.athlete_id, shoe.name)
        if existing is not None:
            raise ConflictError(
                f"There are already shoes called '{existing.name}'.",
                hint="Give the new pair another name, e.g. with a colour or a number.",
            )
        repo.add(app.athlete_id, shoe)
    return get_shoe(app, shoe.name, today=today)


def edit_shoe(
    app: App,
    name: str,
    *,
    today: date,
    start_km: float | None = None,
    inspect_km: float | None = None,
    retire_km: float | None = None,
    bought_on: date | None = None,
) -> ShoeView:
    """Change a pair's start distance, thresholds or purchase date."""
    changes: dict[str, Any] = {}
    if start_km is not None:
        changes["start_km"] = float(start_km)
    if inspect_km is not None:
        changes["inspect_km"] = float(inspect_km)
    if retire_km is not None:
        changes["retire_km"] = float(retire_km)
    if bought_on is not None:
        changes["bought_on"] = bought_on
    if not changes:
        raise InvalidInputError(
            "Nothing to change.", hint="Give --start-km, --inspect-km, --retire-km or --bought."
        )
    with app.store.session() as session:
        repo = ShoeRepo(session)
        shoe = validate_shoe(replace(repo.get(app.athlete_id, name), **changes), today=today)
        repo.update(app.athlete_id, shoe)
    return get_shoe(app, shoe.name, today=today)


def set_default_shoe(app: App, name: str, *, sport: str, today: date) -> ShoeView:
    """Make ``name`` the default pair for ``sport`` (replacing any other default for it).

    The default for ``run`` also covers trail and treadmill runs without their own default.
    """
    chosen = parse_sport(sport)
    with app.store.session() as session:
        repo = ShoeRepo(session)
        shoe = repo.get(app.athlete_id, name)
        if shoe.retired_on is not None:
            raise InvalidInputError(
                f"'{shoe.name}' are retired, so they cannot be the default pair.",
            )
        assert shoe.id is not None
        repo.set_default(app.athlete_id, chosen.value, shoe.id)
    return get_shoe(app, shoe.name, today=today)


def retire_shoe(app: App, name: str, *, today: date, on: date | None = None) -> ShoeView:
    """Retire a pair on ``on`` (default today); it stops being a default for any sport."""
    with app.store.session() as session:
        repo = ShoeRepo(session)
        shoe = repo.get(app.athlete_id, name)
        if shoe.retired_on is not None:
            raise ConflictError(
                f"'{shoe.name}' were already retired on {shoe.retired_on.isoformat()}."
            )
        retired = validate_shoe(replace(shoe, retired_on=on or today), today=today)
        repo.update(app.athlete_id, retired)
        assert shoe.id is not None
        repo.clear_defaults(app.athlete_id, shoe.id)
    return get_shoe(app, shoe.name, today=today)


def resolve_shoe_name(app: App, text: str) -> str | None:
    """The stored name for ``text`` (any case), or None for "none"/empty (clears the shoes of
    an activity). Unknown names are refused, listing the known ones."""
    if text.strip().lower() in CLEAR_WORDS:
        return None
    with app.store.session() as session:
        repo = ShoeRepo(session)
        shoe = repo.find(app.athlete_id, text)
        if shoe is None:
            known = [s.name for s in repo.list(app.athlete_id)]
            raise InvalidInputError(
                f"There are no shoes called '{text.strip()}'.",
                hint=(
                    f"Known shoes: {', '.join(known)}. Add a new pair with "
                    f'`backstride shoes add "{text.strip()}"`.'
                    if known
                    else f'Add them first with `backstride shoes add "{text.strip()}"`.'
                ),
            )
        return shoe.name


def assign_default_shoes(app: App, activity_ids: Sequence[int]) -> ShoeAssignment:
    """Give the default pair for their sport to the activities in ``activity_ids`` that name
    no shoes; the importer calls it with the ids it just stored.

    Runs that already name shoes (a Strava export's gear) keep them; when no stored pair has
    that name, one is created (start 0 km, default thresholds) so that its distance counts.
    """
    with app.store.session() as session:
        return assign_default_shoes_in(session, app.athlete_id, activity_ids)


def assign_default_shoes_in(
    session: Session, athlete_id: int, activity_ids: Sequence[int]
) -> ShoeAssignment:
    """:func:`assign_default_shoes` inside the caller's transaction (the importer's batch, so
    a file's activities and their shoes land together)."""
    assigned: list[tuple[int, str]] = []
    created: list[str] = []
    repo = ShoeRepo(session)
    defaults = repo.defaults(athlete_id)
    known = {name_key(s.name) for s in repo.list(athlete_id)}
    for act in repo.activities_by_id(athlete_id, list(activity_ids)):
        try:
            sport = Sport(act.sport)
        except ValueError:
            continue
        if act.gear:
            key = name_key(act.gear)
            if sport in RUN_SPORTS and key not in known:
                try:
                    name = clean_shoe_name(act.gear)
                except InvalidInputError:
                    continue
                repo.add(athlete_id, Shoe(name=name))
                known.add(key)
                created.append(name)
            continue
        default = default_shoe_for(sport, defaults)
        if default is not None:
            repo.set_gear(athlete_id, act.activity_id, default)
            assigned.append((act.activity_id, default))
    return ShoeAssignment(tuple(assigned), tuple(created))
