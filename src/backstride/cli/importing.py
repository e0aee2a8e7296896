"""``backstride import PATH...``"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, err_console, print_json, state
from backstride.cli.options import JsonResult
from backstride.cli.tables import listing

if TYPE_CHECKING:
    from backstride.services.importing import ImportReport

PROGRESS_MIN_FILES = 5

_STYLE = {"imported": "green", "duplicate": "cyan", "skipped": "yellow", "failed": "bold red"}


def render_report(report: ImportReport, *, verbose: bool = True) -> None:

    if verbose and report.files:
        table = listing("file", "result", "details", whole=("result",))
        for f in report.files:
            details = f.reason or ""
            if f.activity_ids:
                ids = ", ".join(str(i) for i in f.activity_ids)
                details = f"id {ids}" + (f"; {details}" if details else "")
            if f.warnings:
                details += ("; " if details else "") + "; ".join(f.warnings[:3])
            table.add_row(f.path, f"[{_STYLE[f.status]}]{f.status}[/]", details)
        console.print(table)
    console.print(
        f"{report.count('imported')} imported, {report.count('duplicate')} duplicate, "
        f"{report.count('skipped')} skipped, {report.count('failed')} failed."
    )


def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files (.fit/.gpx/.tcx, optionally .gz), folders or .zip archives."),
    ],
    json_out: JsonResult = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar; only the summary line.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Parser processes (default: one per core)."),
    ] = None,
) -> None:
    """Import activities. Each file imports fully or not at all; bad files never stop the rest.

    Exit status is 0 only when no file failed; 143 when stopped by a termination signal
    (what was stored before it stays, and is reported). A zip written by `backstride export`
    is restored whole instead, into an empty database.
    """
    from backstride.services.announce import announcing_import

    # a dashboard serving the same file keeps to its share of the CPU meanwhile (web.cpu_share),
    # from now: before the second it takes to load what parses and stores
    try:
        with announcing_import(state().app().settings.database_url):
            _import_command(paths, json_out=json_out, quiet=quiet, workers=workers)
    except _Terminated:
        # Everything is said and the open batch was rolled back: end now. A normal exit would
        # run the process pool's exit hook, which can wait for ever on a queue that a
        # terminated worker left locked (seen under the test runner), holding the caller's pipe.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(143)


class _Terminated(Exception):
    """The import was stopped by a termination signal and said so: end the process."""


def _import_command(paths: list[Path], *, json_out: bool, quiet: bool, workers: int | None) -> None:
    from backstride.cli.data import restore_if_export
    from backstride.services.importing import ImportTerminated

    if restore_if_export(paths, json_out=json_out):
        return
    try:
        report = _run_import(paths, json_out=json_out, quiet=quiet, workers=workers)
    except ImportTerminated as stop:
        report = stop.report
        _show(report, json_out=json_out, quiet=quiet)
        err_console.print(
            f"Stopped by a termination signal: {report.count('imported')} files were stored "
            "before it and nothing was half-written. Import again to finish (stored files "
            "are recognised)."
        )
        raise _Terminated from stop
    _show(report, json_out=json_out, quiet=quiet)
    if report.stopped is not None:
        raise report.stopped  # after the report: what was stored, and why the rest was not
    if not report.ok:
        raise typer.Exit(1)


def _show(report: ImportReport, *, json_out: bool, quiet: bool) -> None:
    if json_out:
        print_json(report.to_json())
    else:
        render_report(report, verbose=not quiet)


def _run_import(
    paths: list[Path], *, json_out: bool, quiet: bool, workers: int | None
) -> ImportReport:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from backstride.services.importing import import_paths

    app = state().app()
    show_bar = not quiet and not json_out and err_console.is_terminal
    if show_bar:
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}", style="dim"),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int, name: str) -> None:
                if total >= PROGRESS_MIN_FILES:
                    bar.update(task, completed=done, total=total, description=name[-40:])

            return import_paths(app, paths, progress=progress, workers=workers)
    return import_paths(app, paths, workers=workers)
