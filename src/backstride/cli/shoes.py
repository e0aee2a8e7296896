"""``backstride shoes add|list|edit|default|retire``"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, parse_day, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing
from backstride.domain.params import DEFAULT_GEAR_PARAMS
from backstride.domain.units import to_distance

if TYPE_CHECKING:
    from backstride.services.shoes import ShoeView

app = typer.Typer(no_args_is_help=True)


def _describe(view: ShoeView) -> None:
    d = view.to_json()
    extra = []
    if d["default_for"]:
        extra.append(f"default for {', '.join(d['default_for'])}")
    if d["retired_on"]:
        extra.append(f"retired {d['retired_on']}")
    more = f" ({'; '.join(extra)})" if extra else ""
    say(
        f"'{d['name']}': {_dist(d['distance_km'], 1)}, {d['runs']} run(s); inspect at "
        f"{_dist(d['inspect_km'])}, retire at {_dist(d['retire_km'])}{more}."
    )
    for warning in d["warnings"]:
        say(warning, style="bold yellow")


def _dist(km: float, digits: int | None = None) -> str:
    """A distance given in km, shown in the chosen units (limits without needless decimals)."""
    units = state().units
    value = to_distance(km * 1000.0, units)
    return f"{value:.{digits}f} {units}" if digits is not None else f"{value:.0f} {units}"


# The options ``shoes add`` and ``shoes edit`` share (``edit`` changes only those given).
_START_KM = typer.Option("--start-km", help="Distance already on them, in km.")
_INSPECT_KM = typer.Option("--inspect-km", help="Distance at which to inspect them, in km.")
_RETIRE_KM = typer.Option("--retire-km", help="Distance at which to replace them, in km.")
Bought = Annotated[str | None, typer.Option("--bought", help="Purchase date, YYYY-MM-DD.")]


@app.command("add")
def shoes_add(
    name: Annotated[str, typer.Argument(help="A name for the pair (as in your Strava gear).")],
    start_km: Annotated[float, _START_KM] = 0.0,
    inspect_km: Annotated[float, _INSPECT_KM] = DEFAULT_GEAR_PARAMS.shoe_inspect_km,
    retire_km: Annotated[float, _RETIRE_KM] = DEFAULT_GEAR_PARAMS.shoe_retire_km,
    bought: Bought = None,
) -> None:
    """Add a pair of shoes."""
    from backstride.services.shoes import add_shoe

    _save(
        add_shoe,
        name,
        start_km=start_km,
        inspect_km=inspect_km,
        retire_km=retire_km,
        bought=bought,
        done="Added.",
    )


@app.command("edit")
def shoes_edit(
    name: Annotated[str, typer.Argument(help="The pair's name.")],
    start_km: Annotated[float | None, _START_KM] = None,
    inspect_km: Annotated[float | None, _INSPECT_KM] = None,
    retire_km: Annotated[float | None, _RETIRE_KM] = None,
    bought: Bought = None,
) -> None:
    """Change a pair's start distance, inspect/retire distances or purchase date."""
    from backstride.services.shoes import edit_shoe

    _save(
        edit_shoe,
        name,
        start_km=start_km,
        inspect_km=inspect_km,
        retire_km=retire_km,
        bought=bought,
        done="Updated.",
    )


def _save(
    save: Callable[..., ShoeView],
    name: str,
    *,
    start_km: float | None,
    inspect_km: float | None,
    retire_km: float | None,
    bought: str | None,
    done: str,
) -> None:
    """Add or edit a pair with the options given, then describe it."""
    view = save(
        state().app(),
        name,
        start_km=start_km,
        inspect_km=inspect_km,
        retire_km=retire_km,
        bought_on=parse_day(bought, what="date for --bought"),
        today=today_or(None),
    )
    say(done)
    _describe(view)


@app.command("list")
def shoes_list(
    json_out: JsonOut = False,
) -> None:
    """Every pair with distance, age, runs, wear warnings and next-morning pain."""

    from backstride.services.shoes import list_shoes

    result = list_shoes(state().app(), today=today_or(None))
    if json_out:
        print_json(result.to_json())
        return
    if not result.shoes:
        say('No shoes yet. Add a pair with `backstride shoes add "Blue trainers"`.')
    else:
        table = listing(
            "name",
            "distance",
            "wear",
            "runs",
            "age",
            "morning pain",
            "default",
            "state",
            whole=("distance",),
        )
        for view in result.shoes:
            d = view.to_json()
            pain = (
                f"{d['avg_next_morning_pain']:.1f}/10 "
                f"({d['pain_mornings']} morning{'' if d['pain_mornings'] == 1 else 's'})"
                if d["avg_next_morning_pain"] is not None
                else "–"
            )
            age = f"{d['age_days'] // 30} months" if d["age_days"] is not None else "–"
            used = min(100.0, 100 * d["distance_km"] / d["retire_km"])
            wear = f"{used:.0f}% of {_dist(d['retire_km'])}"
            table.add_row(
                d["name"],
                _dist(d["distance_km"], 1),
                wear,
                str(d["runs"]),
                age,
                pain,
                ", ".join(d["default_for"]) or "–",
                d["state"],
            )
        console.print(table)
    for warning in result.warnings:
        say(warning, style="bold yellow")
    for gear in result.unknown_gear:
        say(
            f"{gear.activities} activities name shoes '{gear.name}' that are not in your list: "
            f'add them with `backstride shoes add "{gear.name}"`.'
        )


@app.command("default")
def shoes_default(
    name: Annotated[str, typer.Argument(help="The pair's name.")],
    sport: Annotated[
        str, typer.Option("--sport", help="The sport they are the default for, e.g. run.")
    ] = "run",
) -> None:
    """Make a pair the default for a sport: new activities without shoes get it."""
    from backstride.services.shoes import set_default_shoe

    view = set_default_shoe(state().app(), name, sport=sport, today=today_or(None))
    say(f"'{view.status.shoe.name}' are now the default for {sport}.")


@app.command("retire")
def shoes_retire(
    name: Annotated[str, typer.Argument(help="The pair's name.")],
    on: Annotated[
        str | None, typer.Option("--on", help="Retirement date, YYYY-MM-DD (default today).")
    ] = None,
) -> None:
    """Retire a pair; it keeps its history but is no longer a default."""
    from backstride.services.shoes import retire_shoe

    view = retire_shoe(
        state().app(), name, on=parse_day(on, what="date for --on"), today=today_or(None)
    )
    say(f"Retired '{view.status.shoe.name}' at {view.status.total_km:.1f} km.")
