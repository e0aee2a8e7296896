"""``backstride demo``: generate the demo athlete and import it through the real importer."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.activity import list_command
from backstride.cli.common import console, parse_day, state
from backstride.cli.importing import render_report
from backstride.cli.load import print_weekly_totals
from backstride.cli.today import render_today


def demo_command(
    folder: Annotated[
        Path, typer.Option("--dir", help="Where the demo's activity files are written.")
    ] = Path(".demo/files"),
    end: Annotated[
        str | None, typer.Option("--end", help="Last day of the demo history (default: today).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the generator.")] = 7,
) -> None:
    """Write the demo athlete's 16 weeks of files, import them, and show the results.

    Use it with its own database, e.g. `backstride --db .demo/demo.sqlite3 demo`.
    """
    from backstride.services.demo_load import load_demo
    from backstride.services.guidance import today as today_advice

    end_day = parse_day(end, what="date for --end") or date.today()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    console.print(f"Writing the demo athlete's files to {folder} and importing them ...")
    app = state().app()
    loaded = load_demo(app, folder, seed=seed, end_day=end_day)
    render_report(loaded.report, verbose=False)
    list_command(since=None, until=None, sport=None, json_out=False)
    print_weekly_totals(app, on=end_day, weeks=16)
    console.print(f"\n[bold]What should she do today ({end_day.isoformat()})?[/]")
    render_today(today_advice(app, on=end_day))
