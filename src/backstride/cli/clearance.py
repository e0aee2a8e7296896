"""``backstride clearance add|list``: a physician's clearance, and what it allows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, or_dash, parse_day, print_json, say, state, today_or
from backstride.cli.options import JsonOut
from backstride.cli.tables import listing

if TYPE_CHECKING:
    from backstride.services.body import ClearanceView

app = typer.Typer(no_args_is_help=True)


def print_clearance(view: ClearanceView, *, brief: bool = False) -> None:
    data = view.to_json()
    style = "bold green" if view.plans_allowed else "bold yellow"
    say(f"Clearance: {data['status']}. {data['message']}", style=style)
    for reason in data["reasons"]:
        mark = "covered" if reason["covered"] else "needs clearance"
        say(f"  - {reason['text']} ({mark}; {reason['source']})")
    if not brief:
        for note in data["notes"]:
            say(f"  Note: {note}")


@app.command("add")
def clearance_add(
    on: Annotated[str, typer.Option("--on", help="Date of the clearance, YYYY-MM-DD.")],
    by: Annotated[str, typer.Option("--by", help="Who gave it, e.g. 'Dr Jones, GP'.")],
    restrictions: Annotated[
        str | None, typer.Option("--restrictions", help="Any limits they set.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anything else to keep.")] = None,
) -> None:
    """Record a physician's clearance to start a running plan."""
    from backstride.services.body import add_clearance

    day = parse_day(on, what="date for --on")
    assert day is not None
    result = add_clearance(
        state().app(),
        on=day,
        by=by,
        restrictions=restrictions,
        notes=notes,
        today=today_or(None),
    )
    say(f"Recorded the clearance by {' '.join(by.split())} on {day.isoformat()}.")
    print_clearance(result.state)


@app.command("list")
def clearance_list(
    json_out: JsonOut = False,
) -> None:
    """List recorded clearances and show whether plans may start."""

    from backstride.services.body import list_clearances

    result = list_clearances(state().app(), on=today_or(None))
    if json_out:
        print_json(result.to_json())
        return
    if result.clearances:
        table = listing("id", "date", "by", "restrictions", "notes", whole=("id", "date"))
        for c in result.clearances:
            table.add_row(
                str(c.id), c.on.isoformat(), c.by, or_dash(c.restrictions), or_dash(c.notes)
            )
        console.print(table)
    else:
        say("No clearance recorded yet.")
    print_clearance(result.state)


# --- self-tests -------------------------------------------------------------------------------
