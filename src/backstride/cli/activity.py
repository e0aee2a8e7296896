"""``backstride activity list|show|edit|delete|fix-days``"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from backstride.cli.common import console, parse_day, print_json, state
from backstride.cli.options import JsonOut, JsonResult
from backstride.cli.tables import listing, pairs
from backstride.domain.units import (
    format_activity_speed,
    format_distance,
    format_duration,
    format_elevation,
)

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_command(
    since: Annotated[
        str | None, typer.Option("--since", help="Only activities on or after YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only activities on or before YYYY-MM-DD.")
    ] = None,
    sport: Annotated[
        list[str] | None, typer.Option("--sport", help="Only this sport (repeatable).")
    ] = None,
    json_out: JsonOut = False,
) -> None:
    """List activities, oldest first."""

    from backstride.services.activities import list_activities, row_to_json

    rows = list_activities(
        state().app(), since=parse_day(since), until=parse_day(until), sports=sport or None
    )
    if json_out:
        print_json([row_to_json(r) for r in rows])
        return
    if not rows:
        console.print("No activities yet. Import some with `backstride import PATH`.")
        return
    table = listing(
        "id",
        "date",
        "sport",
        "distance",
        "time",
        "pace/speed",
        "climb",
        "HR",
        "name",
        whole=("id", "date", "distance", "time", "pace/speed"),
    )
    units = state().units
    for r in rows:
        moving = r.moving_time_s or r.duration_s
        table.add_row(
            str(r.id),
            r.local_date.isoformat(),
            r.sport.replace("_", " "),
            format_distance(r.distance_m, units),
            format_duration(r.duration_s),
            format_activity_speed(r.sport, r.distance_m, moving, units),
            format_elevation(r.elevation_gain_m, units),
            f"{r.avg_hr_bpm:.0f}" if r.avg_hr_bpm is not None else "–",
            r.name or "",
        )
    console.print(table)


@app.command("show")
def show_command(
    activity_id: Annotated[int, typer.Argument(help="The activity id (see `activity list`).")],
    json_out: JsonOut = False,
) -> None:
    """Show one activity's summary, samples and import warnings."""

    from backstride.services.activities import activity_detail_json

    data = activity_detail_json(state().app(), activity_id)
    if json_out:
        print_json(data)
        return
    units = state().units
    table = pairs()
    for key, value in data.items():
        label = _SHOW_WORDS.get(key, key.replace("_", " "))
        if value is None or value == [] or label is None:
            continue
        table.add_row(label, _show_value(key, value, units))
        if key == "distance_m":
            moving = data.get("moving_time_s") or data.get("duration_s")
            speed = format_activity_speed(str(data.get("sport")), value, moving, units)
            table.add_row("pace" if "/" in speed and "h" not in speed else "speed", speed)
    console.print(table)


#: ``activity show``: each field in words (None: not shown; the JSON keeps it).
_SHOW_WORDS: dict[str, str | None] = {
    "local_date": "day",
    "utc_offset_s": None,
    "device_totals": None,
    "time_zone": "time zone",
    "duration_s": "duration",
    "moving_time_s": "moving time",
    "distance_m": "distance",
    "elevation_gain_m": "climb",
    "elevation_loss_m": "descent",
    "avg_hr_bpm": "average heart rate",
    "max_hr_bpm": "highest heart rate",
    "source": "file",
    "source_format": "file format",
    "source_sport": "sport in the file",
    "rpe": "effort (RPE, 0-10)",
    "gear": "shoes",
    "streams": "recorded",
}
_STREAM_WORDS = {
    "time_s": "time",
    "lat_deg": "position",
    "lon_deg": None,
    "altitude_m": "altitude",
    "hr_bpm": "heart rate",
    "cadence_rpm": "cadence",
    "distance_m": "distance",
    "speed_m_s": "speed",
    "power_w": "power",
    "temperature_c": "temperature",
}


def _show_value(key: str, value: object, units: str) -> str:
    if isinstance(value, list):
        if key == "streams":
            words = [_STREAM_WORDS.get(str(v), str(v).replace("_", " ")) for v in value]
            return ", ".join(w for w in words if w)
        return ", ".join(map(str, value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if key in ("duration_s", "moving_time_s"):
            return format_duration(float(value))
        if key == "distance_m":
            return format_distance(float(value), units)
        if key.endswith("_m"):
            return format_elevation(float(value), units)
        if key.endswith("_bpm"):
            return f"{value:.0f} bpm"
    if key == "sport":
        return str(value).replace("_", " ")
    return str(value)


@app.command("edit")
def edit_command(
    activity_id: Annotated[int, typer.Argument(help="The activity id.")],
    sport: Annotated[str | None, typer.Option("--sport", help="Correct the sport.")] = None,
    surface: Annotated[
        str | None, typer.Option("--surface", help="road, track, trail, treadmill or mixed.")
    ] = None,
    rpe: Annotated[
        float | None, typer.Option("--rpe", help="How hard it felt, 0 (rest) to 10 (maximal).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Replace the notes.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Rename the activity.")] = None,
    shoes: Annotated[
        str | None, typer.Option("--shoes", help="The shoes worn (a name from `shoes list`).")
    ] = None,
) -> None:
    """Correct an activity's sport, surface, effort (RPE), notes, name or shoes."""
    from backstride.services.activities import ActivityEdit, edit_activity

    row = edit_activity(
        state().app(),
        activity_id,
        ActivityEdit(sport=sport, surface=surface, rpe=rpe, notes=notes, name=name, gear=shoes),
    )
    console.print(f"Updated activity {row.id}.")


@app.command("delete")
def delete_command(
    activity_id: Annotated[int, typer.Argument(help="The activity id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an activity and its samples."""
    from backstride.services.activities import delete_activity

    if not yes and sys.stdin.isatty():
        if not typer.confirm(f"Delete activity {activity_id}?", default=False):
            raise typer.Abort()
    delete_activity(state().app(), activity_id)
    console.print(f"Deleted activity {activity_id}.")


@app.command(
    "fix-days",
    help=(
        "Work out each imported activity's local day again, from where it was recorded: the "
        "place of its first GPS position, else the time its file states, else the timezone "
        "setting. For activities imported by an older backstride, or after changing the "
        "timezone setting. Activities entered by hand keep their day."
    ),
)
def fix_days_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would change; store nothing.")
    ] = False,
    json_out: JsonResult = False,
) -> None:
    """``backstride activity fix-days``: see the help text above."""

    from backstride.services.local_days import fix_local_days

    report = fix_local_days(state().app(), dry_run=dry_run)
    if json_out:
        print_json(report.to_json())
        return
    moved = report.moved
    if moved:
        table = listing("id", "was", "now", "time zone", whole=("id", "was", "now"))
        for c in moved:
            table.add_row(
                str(c.activity_id), c.old_day.isoformat(), c.new_day.isoformat(), c.time_zone
            )
        console.print(table)
    verb = "would move" if dry_run else "moved"
    console.print(
        f"{report.checked} activities checked: {len(moved)} {verb} to another day, "
        f"{len(report.changes) - len(moved)} kept their day with a better-known time zone."
    )
