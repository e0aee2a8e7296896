"""``backstride report [--from DATE] [--to DATE] [--pdf FILE | --html FILE] [--json]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import parse_day, print_json, say, state, today_or
from backstride.cli.options import json_option
from backstride.cli.usage import OptionUsageError
from backstride.domain.units import format_distance
from backstride.errors import InvalidInputError


def _write(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise InvalidInputError(f"'{path}' is a folder; give a file name.")
    try:
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInputError(f"Could not write '{path}': {exc.strerror or exc}.") from exc


def report_command(
    since: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default: 12 weeks back).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the report as PDF.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the report as HTML.")] = None,
    questions: Annotated[
        str | None,
        typer.Option("--questions", help="Save the questions you want to ask (free text)."),
    ] = None,
    json_out: Annotated[bool, json_option("the report's data")] = False,
) -> None:
    """A one-to-two-page report to take to your physiotherapist or physician.

    Who you are, red flags and when they were seen, pain against running week by week,
    what backstride found (with sources), self-tests, outcome measures, the plan, shoes and
    your questions. Without --pdf, --html or --json it prints a short summary.
    """
    from backstride.services.report import build_report, default_period, set_questions

    if pdf is not None and html is not None:
        raise OptionUsageError("Give either --pdf or --html, not both.")
    app = state().app()
    period = default_period(
        today_on=today_or(None),
        since=parse_day(since, what="date for --from"),
        until=parse_day(until, what="date for --to"),
    )
    if questions is not None:
        set_questions(app, questions)
    data = build_report(app, period=period).to_json()
    if pdf is not None:
        from backstride.services.report_files import render_report_pdf

        _write(pdf, render_report_pdf(data))
    if html is not None:
        from backstride.services.report_files import render_report_html

        _write(html, render_report_html(data).encode("utf-8"))
    if json_out:
        print_json(data)
        return
    p = data["period"]
    target = pdf or html
    if target is not None:
        say(f"Wrote the report for {p['from']} to {p['to']} to {target}.")
        return
    pl = data["pain_and_load"]
    say(f"Report for {p['from']} to {p['to']}:", style="bold")
    say(
        f"{pl['totals']['runs']} runs, "
        f"{format_distance(pl['totals']['run_km'] * 1000.0, data['units'], 1)}, "
        f"{pl['totals']['entries']} pain check-ins; {len(data['red_flags'])} red flag(s); "
        f"{len(data['guidance']['findings'])} finding(s)."
    )
    say("Write it out with --pdf report.pdf or --html report.html.")
