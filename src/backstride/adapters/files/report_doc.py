"""The report as HTML (a fragment for the dashboard, or a whole document) and as PDF.

Both are drawn from the same JSON (``services.report``) and the same chart SVG. The PDF is
typeset by Typst through its Python package ``typst`` (a self-contained wheel: compiler and
fonts inside, no network, no system libraries); only the fonts Typst ships are used, so the
PDF is the same on every machine. docs/report.md says why Typst and not WeasyPrint.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from backstride.adapters.files.report_chart import render_chart_svg
from backstride.domain.units import format_distance, to_distance
from backstride.errors import BackstrideError

CHART_TITLE = "Highest pain of each week at each moment, against running distance"


def _day(text: str) -> str:
    d = date.fromisoformat(str(text))
    return f"{d.day} {d.strftime('%b %Y')}"


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("backstride.adapters.files", "templates"),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    return env


def report_css() -> str:
    return (resources.files("backstride.adapters.files") / "templates" / "report.css").read_text(
        encoding="utf-8"
    )


def units_of(data: Mapping[str, Any]) -> str:
    """km or mi: the units the report shows its distances in (km for a report made before
    the report said)."""
    return str(data.get("units") or "km")


def shown(data: Mapping[str, Any]) -> dict[str, Any]:
    """The report's distances as the runner reads them, in her units (the figures of the data
    stay in km): the period's running distance, and each pair of shoes' distance and limit."""
    units = units_of(data)
    return {
        "run_distance": format_distance(
            float(data["pain_and_load"]["totals"]["run_km"]) * 1000.0, units, 1
        ),
        "shoes": [
            {
                "distance": format_distance(float(s["distance_km"]) * 1000.0, units, 0),
                "retire": f"{to_distance(float(s['retire_km']) * 1000.0, units):.0f}",
            }
            for s in data["shoes"]
        ],
    }


def chart_svg(data: Mapping[str, Any]) -> str:
    return render_chart_svg(data["pain_and_load"], title=CHART_TITLE, units=units_of(data))


def render_report_fragment(data: Mapping[str, Any]) -> Markup:
    """The report's ``<article>``, for a page that brings its own layout and report.css."""
    html = (
        _env()
        .get_template("report.html")
        .render(d=data, s=shown(data), chart=Markup(chart_svg(data)))
    )
    return Markup(html)


def render_report_html(data: Mapping[str, Any]) -> str:
    """A whole HTML document (inline CSS, inline SVG, nothing fetched)."""
    period = data["period"]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Report {period['from']} to {period['to']}</title>"
        f"<style>body{{margin:1.5rem;}}\n{report_css()}</style></head><body>"
        f"{render_report_fragment(data)}</body></html>\n"
    )


class ReportRenderError(BackstrideError):
    """The PDF could not be typeset (a bug: the data always fits the template)."""


def render_report_pdf(data: Mapping[str, Any]) -> bytes:
    """Typeset the report as PDF with Typst (imported here: only this command pays for it)."""
    import typst

    template = (
        resources.files("backstride.adapters.files") / "templates" / "report.typ"
    ).read_bytes()
    inputs = {
        "data": json.dumps(data, ensure_ascii=False),
        "shown": json.dumps(shown(data), ensure_ascii=False),
        "chart": chart_svg(data),
    }
    try:
        pdf = typst.compile(template, format="pdf", sys_inputs=inputs, ignore_system_fonts=True)
    except typst.TypstError as exc:
        raise ReportRenderError(
            f"Could not typeset the report: {exc.message}.",
            hint="Please report this; `backstride report --html` still works.",
        ) from exc
    assert isinstance(pdf, bytes)
    return pdf
