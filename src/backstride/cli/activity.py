"""``backstride activity list|show|edit|delete|fix-days``"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from backstride.cli.common import STATE, console, parse_day, print_json
from backstride.domain.units import format_duration, format_km, format_pace
from backstride.services.activities import (
    ActivityEdit,
    activity_detail_json,
    delete_activity,
    edit_activity,
    list_activities,
    row_to_json,
)
from backstride.services.local_days import fix_local_days

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
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List activities, oldest first."""
    rows = list_activities(
        STATE.app(), since=parse_day(since), until=parse_day(until), sports=sport or None
    )
    if json_out:
        print_json([row_to_json(r) for r in rows])
        return
    if not rows:
        console.print("No activities yet. Import some with `backstride import PATH`.")
        return
    table = Table("id", "date", "sport", "distance", "time", "pace", "climb", "HR")
    table.columns[1].no_wrap = True
    table.columns[3].no_wrap = True
    table.columns[5].no_wrap = True
    table.add_column("name", overflow="ellipsis", no_wrap=True, max_width=32)
    for r in rows:
        pace = r.duration_s / (r.distance_m / 1000) if r.distance_m else None
        moving = r.moving_time_s or r.duration_s
        pace = moving / (r.distance_m / 1000) if r.distance_m and moving else pace
        table.add_row(
            str(r.id),
            r.local_date.isoformat(),
            r.sport.replace("_", " "),
            format_km(r.distance_m),
            format_duration(r.duration_s),
            format_pace(pace) if r.sport in ("run", "trail_run", "treadmill_run", "walk") else "",
            f"{r.elevation_gain_m:.0f} m" if r.elevation_gain_m is not None else "–",
            f"{r.avg_hr_bpm:.0f}" if r.avg_hr_bpm is not None else "–",
            (r.name or "")[:40],
        )
    console.print(table)


@app.command("show")
def show_command(
    activity_id: Annotated[int, typer.Argument(help="The activity id (see `activity list`).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show one activity's summary, samples and import warnings."""
    data = activity_detail_json(STATE.app(), activity_id)
    if json_out:
        print_json(data)
        return
    table = Table(show_header=False)
    for key, value in data.items():
        label = _SHOW_WORDS.get(key, key.replace("_", " "))
        if value is None or value == [] or label is None:
            continue
        table.add_row(label, _show_value(key, value))
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


def _show_value(key: str, value: object) -> str:
    if isinstance(value, list):
        if key == "streams":
            words = [_STREAM_WORDS.get(str(v), str(v).replace("_", " ")) for v in value]
            return ", ".join(w for w in words if w)
        return ", ".join(map(str, value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if key in ("duration_s", "moving_time_s"):
            return format_duration(float(value))
        if key == "distance_m":
            return format_km(float(value))
        if key.endswith("_m"):
            return f"{value:.0f} m"
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
    row = edit_activity(
        STATE.app(),
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
    if not yes and sys.stdin.isatty():
        if not typer.confirm(f"Delete activity {activity_id}?", default=False):
            raise typer.Abort()
    delete_activity(STATE.app(), activity_id)
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
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """``backstride activity fix-days``: see the help text above."""
    report = fix_local_days(STATE.app(), dry_run=dry_run)
    if json_out:
        print_json(report.to_json())
        return
    moved = report.moved
    if moved:
        table = Table("id", "was", "now", "time zone")
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
