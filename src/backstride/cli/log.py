"""``backstride log``: a session entered by hand."""

from __future__ import annotations

from datetime import time
from typing import Annotated

import typer

from backstride.cli.common import console, parse_day, state, today_or
from backstride.domain.units import format_distance, parse_distance_in, parse_duration_s
from backstride.errors import InvalidInputError


def log_command(
    on: Annotated[str, typer.Option("--on", help="Date of the session, YYYY-MM-DD.")],
    sport: Annotated[
        str,
        typer.Option(
            "--sport",
            help=(
                "run, trail_run, treadmill_run, walk, hike, cycle, swim, strength, mobility "
                "or other."
            ),
        ),
    ],
    duration: Annotated[
        str, typer.Option("--duration", help="How long, e.g. 35m, 1h05m or 1:05:00.")
    ],
    distance: Annotated[
        str | None,
        typer.Option(
            "--distance", help="How far, e.g. 5.2km, 800m or 3mi (a plain number is in your units)."
        ),
    ] = None,
    rpe: Annotated[
        float | None, typer.Option("--rpe", help="How hard it felt, 0 (rest) to 10 (maximal).")
    ] = None,
    surface: Annotated[
        str | None, typer.Option("--surface", help="road, track, trail, treadmill or mixed.")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Anything worth keeping.")] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Start time HH:MM (default 12:00).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="A short title.")] = None,
) -> None:
    """Log a run without a file, or a cross-training session (cycling, swimming, strength...)."""
    from backstride.services.activities import ManualEntry, log_manual
    from backstride.services.shoes import assign_default_shoes

    day = parse_day(on)
    assert day is not None
    start_time: time | None = None
    if at is not None:
        try:
            start_time = time.fromisoformat(at)
        except ValueError as exc:
            raise InvalidInputError(f"'{at}' is not a time.", hint="Write it like 07:30.") from exc
    entry = ManualEntry(
        day=day,
        sport=sport,
        duration_s=parse_duration_s(duration),
        distance_m=parse_distance_in(distance, state().units) if distance else None,
        rpe=rpe,
        surface=surface,
        notes=notes,
        start_time=start_time,
        name=name,
    )
    activity_id = log_manual(state().app(), entry, today=today_or(None))
    assign_default_shoes(state().app(), [activity_id])
    shown = f", {format_distance(entry.distance_m, state().units)}" if entry.distance_m else ""
    console.print(f"Logged {entry.sport}{shown} on {day.isoformat()} as activity {activity_id}.")
