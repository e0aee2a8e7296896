"""The ``backstride`` command line: ``backstride <noun> <verb>``; errors rendered in one place."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated

import typer

from backstride import __version__
from backstride.cli import activity as activity_cmds
from backstride.cli import checkin as checkin_cmds
from backstride.cli import clearance as clearance_cmds
from backstride.cli import data as data_cmds
from backstride.cli import measure as measure_cmds
from backstride.cli import pain as pain_cmds
from backstride.cli import plan as plan_cmds
from backstride.cli import profile as profile_cmds
from backstride.cli import route as route_cmds
from backstride.cli import routine as routine_cmds
from backstride.cli import screen as screen_cmds
from backstride.cli import selftest as selftest_cmds
from backstride.cli import shoes as shoes_cmds
from backstride.cli import users as user_cmds
from backstride.cli.common import CliState, err_console
from backstride.cli.config import config_app
from backstride.cli.database import db_app
from backstride.cli.demo import demo_command
from backstride.cli.importing import import_command
from backstride.cli.load import load_command
from backstride.cli.log import log_command
from backstride.cli.report import report_command
from backstride.cli.serve import serve_command
from backstride.cli.today import today_command
from backstride.cli.usage import framework_exit
from backstride.cli.worker import worker_command
from backstride.errors import BackstrideError

app = typer.Typer(
    name="backstride",
    help=(
        "Run without the back pain: a local-first training log and coach for runners with "
        "back pain. Your data stays on this machine. Not medical advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _units(value: str | None) -> str | None:
    if value is None:
        return None
    from backstride.domain.units import check_units
    from backstride.errors import InvalidInputError

    try:
        return check_units(value)
    except InvalidInputError as exc:
        raise typer.BadParameter(f"{exc.message} {exc.hint}") from exc


def _version(value: bool) -> None:
    if value:
        typer.echo(f"backstride {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or SQLAlchemy URL (default: BACKSTRIDE_DB, else the data dir).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    units: Annotated[
        str | None,
        typer.Option(
            "--units",
            help="km or mi: distances, paces, climbs and shoe limits in kilometres or miles "
            "(default: BACKSTRIDE_UNITS, else the config file, else km).",
            callback=_units,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    run = CliState(db=db, debug=debug, units_flag=units)
    ctx.obj = run
    ctx.call_on_close(run.close)  # the database is closed however the command ends


app.command("import", help="Import activity files, folders, or Strava/Garmin export archives.")(
    import_command
)
app.command("log", help="Log a run or cross-training session by hand (no file needed).")(
    log_command
)
app.command("demo", help="Import the bundled demo athlete into a separate demo database.")(
    demo_command
)
app.command("serve", help="Serve the local web dashboard (http://127.0.0.1:8765).")(serve_command)
app.command("worker", help="Server mode: run the background imports and report PDFs.")(
    worker_command
)
app.command("load", help="Weekly totals, each run's spike and the daily load series.")(load_command)
app.add_typer(activity_cmds.app, name="activity", help="List, show, edit and delete activities.")
app.add_typer(config_app, name="config", help="Show the effective settings.")
app.add_typer(db_app, name="db", help="The database: bring its schema up to date.")
app.add_typer(profile_cmds.app, name="profile", help="Your profile and conditions.")
app.command("screen", help="Answer the pre-participation health screen.")(
    screen_cmds.screen_command
)
app.add_typer(clearance_cmds.app, name="clearance", help="Record a physician's clearance.")
app.add_typer(selftest_cmds.app, name="selftest", help="Core and flexibility self-tests.")
app.add_typer(pain_cmds.pain_app, name="pain", help="The pain diary and red-flag checks.")
app.command("checkin", help="A quick pain check-in.")(checkin_cmds.checkin_command)
app.add_typer(shoes_cmds.app, name="shoes", help="Shoes: distance, wear, defaults, rotation.")
app.add_typer(plan_cmds.app, name="plan", help="The gradual run/walk plan that adapts to pain.")
app.add_typer(routine_cmds.app, name="routine", help="Warm-up, stretch, core, mobility routines.")
app.command("today", help="What should I do today? The decision, with reasons and sources.")(
    today_command
)
app.add_typer(route_cmds.app, name="route", help="Saved routes and how taxing they are.")
app.add_typer(measure_cmds.app, name="measure", help="Outcome measures: PEG, PSFS, walking test.")
app.command("report", help="A report to take to your physiotherapist or physician.")(report_command)
app.command("export", help="Export all your data and original files to one zip.")(
    data_cmds.export_command
)
app.command("backup", help="Back up the database safely, even while serve runs.")(
    data_cmds.backup_command
)
app.command("delete", help="Delete all your data (delete --everything).")(data_cmds.delete_command)
app.add_typer(user_cmds.app, name="user", help="Server mode: add, list, disable accounts.")


def main() -> None:
    """Console entry point: runs the app and renders every error the same way."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except BackstrideError as exc:
        usage = getattr(exc, "usage", None)
        if usage:
            err_console.print(usage, highlight=False, markup=False)
        err_console.print(f"[bold red]Error:[/] {exc.message}", highlight=False)
        if exc.hint:
            err_console.print(f"[dim]Hint:[/] {exc.hint}", highlight=False)
        if _debug():
            traceback.print_exc()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_pipe()
        sys.exit(141)  # 128 + SIGPIPE, as a shell reports a reader that stopped early
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - unknown errors: short message, traceback on --debug
        status = framework_exit(exc)
        if status is not None:
            sys.exit(status)
        err_console.print(
            "[bold red]Error:[/] something unexpected went wrong. Run again with --debug for "
            "details, and please report it."
        )
        if _debug():
            traceback.print_exc()
        sys.exit(1)


def _debug() -> bool:
    """--debug given (also when the error came before the options were read)."""
    return "--debug" in sys.argv[1:]


def _quiet_pipe() -> None:
    """The reader of stdout went away (``backstride today | head -1``): end without a word,
    and keep Python from complaining when it flushes stdout on the way out."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
