"""``backstride load``: weekly totals, each run's spike, and the daily load series."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import console, print_json, state, today_or
from backstride.cli.options import json_option
from backstride.cli.tables import listing
from backstride.domain.units import format_distance, format_duration

if TYPE_CHECKING:
    from rich.table import Table

    from backstride.domain.load import LoadReport
    from backstride.services.context import App

SPIKE_WORDS = {
    "no_prior": "first run in 30 days",
    "le_10": "within +10 %",
    "10_30": "+10–30 %: a bigger step",
    "30_100": "+30–100 %: a big jump",
    "gt_100": "more than double",
}


def _week_table(report: LoadReport, units: str) -> Table:
    table = listing(
        "week",
        "starts",
        f"run {units}",
        "run time",
        "runs",
        "cross-training",
        "load",
        whole=("week", "starts", f"run {units}", "run time"),
    )
    for w in report.weeks:
        table.add_row(
            w.week,
            w.start.isoformat(),
            format_distance(w.run_distance_m, units, 1),
            format_duration(w.run_time_s),
            str(w.runs),
            str(w.cross_training_sessions),
            f"{w.load:.0f}",
        )
    return table


def print_weekly_totals(app: App, *, on: date, weeks: int) -> None:
    from backstride.services.training import load_report

    console.print("[bold]Weekly totals[/]")
    console.print(_week_table(load_report(app, on=on, weeks=weeks), app.settings.units))


def load_command(
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=520, help="ISO weeks to show.")] = 8,
    on: Annotated[
        str | None, typer.Option("--on", help="Judge the history as of this date (YYYY-MM-DD).")
    ] = None,
    json_out: Annotated[bool, json_option("every series")] = False,
) -> None:
    """Weekly distance, time and load, and each run's spike against the last 30 days."""

    from backstride.domain.load import LOAD_RATIO_CAVEAT
    from backstride.services.training import load_report

    day = today_or(on)
    report = load_report(state().app(), on=day, weeks=weeks)
    if json_out:
        print_json(report.to_json())
        return
    console.print(_week_table(report, state().units))
    if report.runs:
        runs = listing(
            "date",
            "run",
            "longest in previous 30 days",
            "spike",
            "",
            whole=("date", "run", "spike"),
        )
        for r in report.runs:
            pct = f"{(r.spike_ratio - 1) * 100:+.0f} %" if r.spike_ratio is not None else "–"
            runs.add_row(
                r.day.isoformat(),
                format_distance(r.distance_m, state().units),
                format_distance(r.longest_prev_30d_m, state().units),
                pct,
                SPIKE_WORDS.get(r.spike_band or "", ""),
            )
        console.print(runs)
    if report.days:
        last = report.days[-1]
        ratio = f"{last.load_ratio:.2f}" if last.load_ratio is not None else "not enough history"
        console.print(f"Acute:chronic load ratio on {last.day}: {ratio}. {LOAD_RATIO_CAVEAT}")
