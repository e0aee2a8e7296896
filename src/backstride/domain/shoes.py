"""Shoes: distance, age, wear warnings, rotation, and next-morning pain per pair.

Pure: no I/O, no clock. Sources (``domain/evidence``: cook-1985, escamilla-2020, malisoux-2015):
- Inspect and retire distances by default from ``GearParams`` (configurable per pair). The
  300-500 mile (480-800 km) rule comes from machine tests of cushioning (Cook, Kester & Brunet 1985,
  AJSM 13:248-53) and was never tested against injuries; typical lifespans run 300-1000 km
  (Escamilla-Martinez 2020).
- Rotation: runners who used more than one pair in parallel had a lower injury risk
  (Malisoux 2015, SJMSS 25:110-5: HR 0.614, 95% CI 0.389-0.969).
A pair's distance is its start distance plus the sum of the activities assigned to it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from backstride.domain.activity import RUN_SPORTS, Sport
from backstride.domain.evidence import cite
from backstride.domain.params import DEFAULT_GEAR_PARAMS
from backstride.domain.units import format_distance
from backstride.errors import InvalidInputError

DEFAULT_INSPECT_KM = DEFAULT_GEAR_PARAMS.shoe_inspect_km
DEFAULT_RETIRE_KM = DEFAULT_GEAR_PARAMS.shoe_retire_km
MAX_KM = 10_000.0
MAX_NAME_CHARS = 100
# Rotation nudge: only one pair used for runs in the last 8 weeks (window: backstride's choice;
# the advice itself: Malisoux 2015).
ROTATION_WINDOW_DAYS = 56
WEAR_SOURCE = cite(
    "cook-1985",
    note=f"the {DEFAULT_INSPECT_KM:g}-{DEFAULT_RETIRE_KM:g} km band is a rule of thumb",
)
ROTATION_SOURCE = cite("malisoux-2015")

ShoeState = Literal["ok", "inspect", "retire", "retired"]


def clean_shoe_name(name: str) -> str:
    """Trim and collapse inner spaces; refuse empty or overlong names."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError("A pair of shoes needs a name, e.g. 'Blue trainers'.")
    if len(cleaned) > MAX_NAME_CHARS:
        raise InvalidInputError(f"Shoe names are limited to {MAX_NAME_CHARS} characters.")
    return cleaned


def name_key(name: str) -> str:
    """Names match without regard to case or extra spaces ("Pegasus 38" == "pegasus  38")."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Shoe:
    name: str
    start_km: float = 0.0
    inspect_km: float = DEFAULT_INSPECT_KM
    retire_km: float = DEFAULT_RETIRE_KM
    bought_on: date | None = None
    retired_on: date | None = None
    default_for: tuple[str, ...] = ()
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.retired_on is None


def validate_shoe(shoe: Shoe, *, today: date) -> Shoe:
    """Refuse negative or absurd distances, inspect >= retire, and dates in the future."""
    clean_shoe_name(shoe.name)
    for label, km in (
        ("start distance", shoe.start_km),
        ("inspect distance", shoe.inspect_km),
        ("retire distance", shoe.retire_km),
    ):
        if not math.isfinite(km) or not 0 <= km <= MAX_KM:
            raise InvalidInputError(
                f"The {label} must be between 0 and {MAX_KM:,.0f} km, got {km:g}."
            )
    if shoe.inspect_km <= 0 or shoe.retire_km <= 0:
        raise InvalidInputError("The inspect and retire distances must be more than 0 km.")
    if shoe.inspect_km >= shoe.retire_km:
        raise InvalidInputError(
            f"The inspect distance ({shoe.inspect_km:g} km) must be below the retire distance "
            f"({shoe.retire_km:g} km).",
            hint=(
                f"The defaults are {DEFAULT_INSPECT_KM:g} km to inspect and "
                f"{DEFAULT_RETIRE_KM:g} km to retire."
            ),
        )
    for label, day in (("bought", shoe.bought_on), ("retired", shoe.retired_on)):
        if day is not None and day > today:
            raise InvalidInputError(
                f"The {label} date {day.isoformat()} is in the future.",
                hint=f"Today is {today.isoformat()}.",
            )
    if shoe.bought_on and shoe.retired_on and shoe.retired_on < shoe.bought_on:
        raise InvalidInputError("A pair cannot be retired before it was bought.")
    return shoe


def parse_sport(text: str) -> Sport:
    key = text.strip().lower().replace("-", "_")
    try:
        return Sport(key)
    except ValueError:
        raise InvalidInputError(
            f"'{text}' is not a known sport.", hint=f"Choose one of: {', '.join(Sport)}."
        ) from None


def default_shoe_for(sport: Sport, defaults: Mapping[str, str]) -> str | None:
    """The default pair for ``sport``: its own default, else for any running sport the
    default for ``run``."""
    if sport.value in defaults:
        return defaults[sport.value]
    if sport in RUN_SPORTS:
        return defaults.get(Sport.RUN.value)
    return None


@dataclass(frozen=True, slots=True)
class GearUse:
    """One activity done in a pair of shoes."""

    activity_id: int
    day: date
    sport: str
    distance_m: float | None
    next_morning_pain: int | None = None


@dataclass(frozen=True, slots=True)
class ShoeStatus:
    shoe: Shoe
    activities: int
    runs: int
    without_distance: int
    assigned_km: float
    total_km: float
    age_days: int | None
    first_used_on: date | None
    last_used_on: date | None
    state: ShoeState
    warnings: tuple[str, ...]
    avg_next_morning_pain: float | None
    pain_mornings: int


def shoe_status(
    shoe: Shoe, uses: Sequence[GearUse], *, today: date, units: str = "km"
) -> ShoeStatus:
    """Distance = start km + the sum of the assigned activities' distances (unknown = 0).

    Inspect at ``inspect_km``, retire at ``retire_km`` (Cook 1985 heuristic). The average
    next-morning pain is over the assigned runs that have a next-morning check-in. The
    warnings give distances in ``units`` (km or mi).
    """

    def dist(km: float) -> str:
        return format_distance(km * 1000.0, units, 0)

    assigned_km = sum(u.distance_m or 0.0 for u in uses) / 1000.0
    total_km = shoe.start_km + assigned_km
    runs = sum(1 for u in uses if u.sport in {s.value for s in RUN_SPORTS})
    days = [u.day for u in uses]
    pains = [u.next_morning_pain for u in uses if u.next_morning_pain is not None]
    warnings: list[str] = []
    state: ShoeState
    if shoe.retired_on is not None:
        state = "retired"
    elif total_km >= shoe.retire_km:
        state = "retire"
        warnings.append(
            f"'{shoe.name}' has {dist(total_km)}, past the {dist(shoe.retire_km)} mark to "
            "replace them. Plan a new pair, and watch whether your legs or back ache more "
            "after runs in these. (This distance rule of thumb comes from tests of cushioning, "
            "not from injury studies.)"
        )
    elif total_km >= shoe.inspect_km:
        state = "inspect"
        warnings.append(
            f"'{shoe.name}' has {dist(total_km)}, past the {dist(shoe.inspect_km)} mark to "
            "inspect them. Look for deep creases in the midsole, a worn-through outsole, or a "
            "heel that tilts; if they feel flat or runs in them leave you sorer, replace them "
            f"(replace by {dist(shoe.retire_km)} at the latest)."
        )
    else:
        state = "ok"
    age = (today - shoe.bought_on).days if shoe.bought_on else None
    return ShoeStatus(
        shoe=shoe,
        activities=len(uses),
        runs=runs,
        without_distance=sum(1 for u in uses if u.distance_m is None),
        assigned_km=round(assigned_km, 3),
        total_km=round(total_km, 3),
        age_days=age,
        first_used_on=min(days) if days else None,
        last_used_on=max(days) if days else None,
        state=state,
        warnings=tuple(warnings),
        avg_next_morning_pain=round(sum(pains) / len(pains), 2) if pains else None,
        pain_mornings=len(pains),
    )


def rotation_nudge(
    shoes: Iterable[Shoe], uses: Mapping[str, Sequence[GearUse]], *, today: date
) -> str | None:
    """A nudge to rotate pairs (Malisoux 2015: runners who used more than one pair in parallel
    had about 39% lower injury risk, HR 0.614).

    ``shoes`` are all pairs, retired ones included; ``uses`` maps a gear name's
    :func:`name_key` to its activities (names without a stored pair count as pairs too).
    Nudges when every run with shoes in the last 8 weeks was in one pair, or when only one
    active pair is left and it was run in during that time.
    """
    since = today - timedelta(days=ROTATION_WINDOW_DAYS)
    run_values = {s.value for s in RUN_SPORTS}
    all_shoes = list(shoes)

    def ran_in(shoe: Shoe) -> bool:
        return any(
            u.sport in run_values and since <= u.day <= today
            for u in uses.get(name_key(shoe.name), ())
        )

    used_keys = {
        key
        for key, found in uses.items()
        if any(u.sport in run_values and since <= u.day <= today for u in found)
    }
    active = [s for s in all_shoes if s.active]
    advice = (
        "Runners who switched between two or more pairs had about 39% fewer injuries in one "
        f"study ({cite('malisoux-2015')}), so consider a second pair and alternating."
    )
    if len(used_keys) == 1:
        key = next(iter(used_keys))
        name = next((s.name for s in all_shoes if name_key(s.name) == key), key)
        return f"All your runs of the last 8 weeks were in '{name}'. {advice}"
    if len(active) == 1 and used_keys and ran_in(active[0]):
        return f"'{active[0].name}' are the only pair you have in use now. {advice}"
    return None
