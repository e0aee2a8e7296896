"""``backstride route add|from-activity|list|compare|delete``: saved routes and how taxing
they are for the back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import console, print_json, say, state
from backstride.cli.options import json_option
from backstride.cli.tables import listing
from backstride.domain.units import (
    METRES_PER_FOOT,
    METRES_PER_MILE,
    format_elevation,
    to_distance,
)

if TYPE_CHECKING:
    from rich.table import Table

    from backstride.services.routes import RouteView

app = typer.Typer(no_args_is_help=True)

SURFACE_HELP = "road, track, trail, treadmill or mixed (default: guessed from the file or run)."


def _num(value: Any, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}{unit}"


def _describe(view: RouteView) -> None:
    d = view.to_json()
    say(
        f"'{d['name']}': {d['distance_km']:.1f} km, climb {_num(d['climb_m'], ' m')}, descent "
        f"{_num(d['descent_m'], ' m')}, surface {d['surface'] or 'not known'}; taxing score "
        f"{d['taxing_score']:g} ({d['band']})."
    )
    for line in d["explanation"]:
        say(f"  - {line}")


@app.command("add")
def route_add(
    file: Annotated[
        Path, typer.Argument(help="A GPX route or track, or any FIT/GPX/TCX activity file.")
    ],
    name: Annotated[str, typer.Option("--name", help="A name for the route, e.g. 'River loop'.")],
    surface: Annotated[str | None, typer.Option("--surface", help=SURFACE_HELP)] = None,
    json_out: Annotated[bool, json_option("the route")] = False,
) -> None:
    """Save a route from a file (a planned GPX route, or a recorded run)."""
    from backstride.services.routes import add_route_file

    view = add_route_file(state().app(), file, name=name, surface=surface)
    if json_out:
        print_json(view.to_json())
        return
    say("Saved.")
    _describe(view)


@app.command("from-activity")
def route_from_activity(
    activity_id: Annotated[int, typer.Argument(help="The run's id (`backstride activity list`).")],
    name: Annotated[str, typer.Option("--name", help="A name for the route.")],
    surface: Annotated[str | None, typer.Option("--surface", help=SURFACE_HELP)] = None,
    json_out: Annotated[bool, json_option("the route")] = False,
) -> None:
    """Save the course of a past run as a route."""
    from backstride.services.routes import add_route_from_activity

    view = add_route_from_activity(state().app(), activity_id, name=name, surface=surface)
    if json_out:
        print_json(view.to_json())
        return
    say("Saved.")
    _describe(view)


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _table(views: tuple[RouteView, ...]) -> Table:
    units = state().units
    rise, run = ("ft", "mi") if units == "mi" else ("m", "km")
    per = (METRES_PER_MILE / METRES_PER_FOOT / 1000.0) if units == "mi" else 1.0  # m/km -> ft/mi
    table = listing(
        "route",
        units,
        f"climb {rise}/{run}",
        f"descent {rise}/{run}",
        "steep descent",
        "longest descent",
        "surface",
        "taxing score",
        whole=(units,),
    )
    for v in views:
        d = v.to_json()
        steep = (
            f"{format_elevation(d['steep_descent_m'], units)} ({d['steep_descent_pct']:.0f} %)"
            if d["steep_descent_m"] is not None
            else "–"
        )
        table.add_row(
            d["name"],
            f"{to_distance(d['distance_km'] * 1000.0, units):.1f}",
            _num(_times(d["climb_m_per_km"], per), digits=1),
            _num(_times(d["descent_m_per_km"], per), digits=1),
            steep,
            f"{format_elevation(d['longest_descent_drop_m'], units)} drop"
            if d["longest_descent_drop_m"] is not None
            else "–",
            d["surface"] or "–",
            f"{d['taxing_score']:g} ({d['band']})",
        )
    return table


@app.command("list")
def route_list(
    json_out: Annotated[bool, json_option("the routes")] = False,
) -> None:
    """Your saved routes, gentlest first, with their taxing score."""
    from backstride.services.routes import list_routes

    result = list_routes(state().app())
    if json_out:
        print_json(result.to_json())
        return
    if not result.routes:
        say("No saved routes yet. Add one: `backstride route add FILE --name NAME`.")
        return
    console.print(_table(result.routes))
    say(
        "Taxing score: how hard a route is on the back (descent, steep descent, long descents, "
        "climbing and uneven ground). Under 10 is gentle; see docs/guidance.md.",
        style="dim",
    )


@app.command("compare")
def route_compare(
    names: Annotated[list[str], typer.Argument(help="Two or more route names.")],
    json_out: Annotated[bool, json_option("the comparison")] = False,
) -> None:
    """Compare routes side by side, gentlest first, with what makes each one taxing."""
    from backstride.services.routes import compare_routes

    result = compare_routes(state().app(), names)
    if json_out:
        print_json(result.to_json())
        return
    console.print(_table(result.routes))
    for v in result.routes:
        say(f"{v.route.name} ({v.route.taxing.score:g}, {v.route.taxing.band}):", style="bold")
        for line in v.route.taxing.explanation:
            say(f"  - {line}")
    say(f"Gentlest: '{result.gentlest.route.name}'.", style="bold green")


@app.command("delete")
def route_delete(
    name: Annotated[str, typer.Argument(help="The route's name.")],
) -> None:
    """Delete a saved route (your runs are not touched)."""
    from backstride.services.routes import delete_route

    removed = delete_route(state().app(), name)
    say(f"Deleted the route '{removed}'.")
