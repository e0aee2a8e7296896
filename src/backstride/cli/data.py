"""``backstride export FILE.zip``, ``backup FILE``, ``delete --everything`` and restoring an
export through ``backstride import FILE.zip`` (docs/data.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import print_json, say, state
from backstride.cli.options import JsonResult
from backstride.cli.usage import OptionUsageError
from backstride.errors import InvalidInputError

JsonOpt = JsonResult


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def restore_if_export(paths: list[Path], *, json_out: bool) -> bool:
    """Restore ``paths[0]`` when it is the only path and an export archive; else False."""
    from backstride.services.data import import_archive, is_export_archive

    if len(paths) != 1 or not is_export_archive(paths[0]):
        return False
    summary = import_archive(state().app(), paths[0])
    if json_out:
        print_json(summary.to_json())
    else:
        data = summary.to_json()
        say(
            f"Restored {data['rows']} rows in {len(data['tables'])} tables and "
            f"{data['originals']} original files from {paths[0].name}."
        )
    return True


def export_command(
    target: Annotated[Path, typer.Argument(help="The zip file to write, e.g. my-data.zip.")],
    json_out: JsonOpt = False,
) -> None:
    """Export everything: every table as JSON, plus the original activity files as imported.

    `backstride import FILE.zip` restores such an archive into an empty database.
    """
    from backstride.services.data import export_archive

    summary = export_archive(state().app(), target, now=datetime.now(UTC))
    if json_out:
        print_json(summary.to_json())
        return
    data = summary.to_json()
    say(
        f"Wrote {target} ({_mb(summary.size_bytes)}): {data['rows']} rows in "
        f"{len(data['tables'])} tables and {data['originals']} original files."
    )


def backup_command(
    target: Annotated[Path, typer.Argument(help="The copy to write, e.g. backup.sqlite3.")],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the file if it exists.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Copy the database safely, even while the dashboard runs (SQLite online backup)."""
    from backstride.services.data import backup_database

    summary = backup_database(state().app(), target, overwrite=overwrite)
    if json_out:
        print_json(summary.to_json())
        return
    say(f"Backed up the database to {target} ({_mb(summary.size_bytes)}); it passed its check.")


def delete_command(
    everything: Annotated[
        bool, typer.Option("--everything", help="Delete all your data (required).")
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes-i-am-sure", help="Do not ask for the typed confirmation (for scripts)."
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Delete everything: every activity, diary entry, plan and stored file. Cannot be undone.

    Asks you to type "delete everything" unless --yes-i-am-sure is given. Export or back up
    first if you may want the data again.
    """
    from backstride.services.data import CONFIRM_WORD, delete_everything

    if not everything:
        raise OptionUsageError(
            "Say what to delete.", hint="backstride delete --everything deletes all your data."
        )
    if yes:
        confirmation = CONFIRM_WORD
    else:
        say("This deletes all your data in this database and cannot be undone.", style="bold red")
        confirmation = typer.prompt(f'Type "{CONFIRM_WORD}" to confirm', default="")
    try:
        summary = delete_everything(state().app(), confirmation=confirmation)
    except InvalidInputError:
        say("Nothing was deleted.")
        raise
    if json_out:
        print_json(summary.to_json())
        return
    say(f"Deleted everything: {summary.rows} rows and {summary.files} stored files.")
