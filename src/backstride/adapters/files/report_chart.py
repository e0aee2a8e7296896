"""The report's chart as one self-contained SVG: running distance per week as bars, the
highest pain at each moment as lines on a 0-10 scale, spike and long-descent weeks marked.

Plain SVG 1.1 with presentation attributes only (no CSS, no script), so a browser, the PDF
typesetter and an image viewer draw it the same. Colours differ in lightness as well as hue
and every series has its own marker shape, so the chart reads in grey print too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from backstride.domain.units import to_distance

WIDTH = 720.0
HEIGHT = 245.0
LEFT, RIGHT, TOP, BOTTOM = 42.0, 42.0, 14.0, 76.0
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

# (colour, dash, marker) per moment: before, during, after, next morning.
SERIES: tuple[tuple[str, str, str], ...] = (
    ("#7a7a7a", "2,3", "circle"),
    ("#e08a00", "", "square"),
    ("#c0392b", "6,3", "triangle"),
    ("#1f3b73", "", "diamond"),
)
BAR = "#cfdceb"
SPIKE = "#c0392b"
DESCENT = "#6b4aa0"


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _poly(points: Sequence[tuple[float, float]], fill: str) -> str:
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    return f'<polygon points="{pts}" fill="{fill}"/>'


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    s = 3.2
    if kind == "circle":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(s)}" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{_f(x - s)}" y="{_f(y - s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" '
            f'fill="{colour}"/>'
        )
    if kind == "triangle":
        return _poly([(x, y - s - 0.8), (x - s - 0.6, y + s), (x + s + 0.6, y + s)], colour)
    return _poly([(x, y - s - 1), (x + s + 1, y), (x, y + s + 1), (x - s - 1, y)], colour)


def _nice_max(value: float) -> float:
    for step in (5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0):
        if value <= step * 4:
            return max(step * 4, step) if value > 0 else 20.0
    return float(int(value / 100.0 + 1) * 100)


def render_chart_svg(pain_and_load: Mapping[str, Any], *, title: str, units: str = "km") -> str:
    """The SVG for the report's ``pain_and_load`` section (see services.report); the weekly
    distances (km in the data) drawn and labelled in ``units`` (km or mi)."""
    weeks: Sequence[Mapping[str, Any]] = pain_and_load["weeks"]
    week_dist = [to_distance(float(w["run_km"]) * 1000.0, units) for w in weeks]
    moments: Sequence[str] = pain_and_load["moments"]
    n = max(1, len(weeks))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / n
    km_max = _nice_max(max(week_dist, default=0.0))

    def x_of(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    def y_pain(v: float) -> float:
        return TOP + plot_h * (1.0 - v / 10.0)

    def y_km(v: float) -> float:
        return TOP + plot_h * (1.0 - v / km_max)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(WIDTH)} {_f(HEIGHT)}" '
        f'width="{_f(WIDTH)}" height="{_f(HEIGHT)}" font-family="{FONT}" font-size="10" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{_f(WIDTH)}" height="{_f(HEIGHT)}" fill="#ffffff"/>',
    ]
    # grid and axes
    for v in range(0, 11, 2):
        y = y_pain(v)
        out.append(
            f'<line x1="{_f(LEFT)}" y1="{_f(y)}" x2="{_f(WIDTH - RIGHT)}" y2="{_f(y)}" '
            'stroke="#e4e4e4" stroke-width="0.8"/>'
        )
        out.append(
            f'<text x="{_f(LEFT - 6)}" y="{_f(y + 3.5)}" text-anchor="end" fill="#333">{v}</text>'
        )
        km = km_max * v / 10.0
        out.append(
            f'<text x="{_f(WIDTH - RIGHT + 6)}" y="{_f(y + 3.5)}" fill="#4a6a8a">{_f(km)}</text>'
        )
    mid = _f(TOP + plot_h / 2)
    out.append(
        f'<text x="10" y="{mid}" transform="rotate(-90 10 {mid})" text-anchor="middle" '
        'fill="#333">pain, 0-10 (highest of the week)</text>'
    )
    xr = _f(WIDTH - 8)
    out.append(
        f'<text x="{xr}" y="{mid}" transform="rotate(90 {xr} {mid})" text-anchor="middle" '
        f'fill="#4a6a8a">running, {units} per week</text>'
    )
    # bars
    bar_w = max(2.0, slot * 0.62)
    for i, km in enumerate(week_dist):
        if km <= 0:
            continue
        y = y_km(km)
        out.append(
            f'<rect x="{_f(x_of(i) - bar_w / 2)}" y="{_f(y)}" width="{_f(bar_w)}" '
            f'height="{_f(TOP + plot_h - y)}" fill="{BAR}"/>'
        )
    # spike / descent marks above the plot floor
    for i, w in enumerate(weeks):
        x = x_of(i)
        if w["spike_days"]:
            y = TOP + plot_h + 13
            out.append(_poly([(x, y - 6), (x - 5, y + 3), (x + 5, y + 3)], SPIKE))
        if w["descent_days"]:
            y = TOP + plot_h + 25
            out.append(_poly([(x - 5, y - 4), (x + 5, y - 4), (x, y + 5)], DESCENT))
    # pain lines
    for m in range(len(moments)):
        colour, dash, marker = SERIES[m]
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, w in enumerate(weeks):
            v = w["pain_high"][m]
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{_f(x_of(i))},{_f(y_pain(float(v)))}")
        if segment:
            segments.append(segment)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for seg in segments:
            if len(seg) > 1:
                out.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.8"{dash_attr}/>'
                )
        for i, w in enumerate(weeks):
            v = w["pain_high"][m]
            if v is not None:
                out.append(_marker(marker, x_of(i), y_pain(float(v)), colour))
    # x labels: week starts, thinned to about 12 labels
    every = max(1, round(n / 12))
    for i, w in enumerate(weeks):
        if i % every:
            continue
        d = date.fromisoformat(str(w["start"]))
        out.append(
            f'<text x="{_f(x_of(i))}" y="{_f(TOP + plot_h + 42)}" text-anchor="middle" '
            f'fill="#333">{d.strftime("%d %b")}</text>'
        )
    out.append(_legend(moments, units))
    out.append(
        f'<line x1="{_f(LEFT)}" y1="{_f(TOP + plot_h)}" x2="{_f(WIDTH - RIGHT)}" '
        f'y2="{_f(TOP + plot_h)}" stroke="#555" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "".join(out)


def _legend(moments: Sequence[str], units: str) -> str:
    y = HEIGHT - 8
    x = LEFT
    parts: list[str] = []
    for i, label in enumerate(moments):
        colour, dash, marker = SERIES[i]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_f(x)}" y1="{_f(y - 3.5)}" x2="{_f(x + 22)}" y2="{_f(y - 3.5)}" '
            f'stroke="{colour}" stroke-width="1.8"{dash_attr}/>'
        )
        parts.append(_marker(marker, x + 11, y - 3.5, colour))
        parts.append(f'<text x="{_f(x + 26)}" y="{_f(y)}" fill="#333">{escape(label)}</text>')
        x += 34 + 6.2 * len(label)
    parts.append(f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="12" height="9" fill="{BAR}"/>')
    parts.append(f'<text x="{_f(x + 16)}" y="{_f(y)}" fill="#333">{units} run</text>')
    x += 66
    parts.append(_poly([(x + 5, y - 10), (x, y - 1), (x + 10, y - 1)], SPIKE))
    parts.append(f'<text x="{_f(x + 14)}" y="{_f(y)}" fill="#333">spike</text>')
    x += 56
    parts.append(_poly([(x, y - 9), (x + 10, y - 9), (x + 5, y)], DESCENT))
    parts.append(f'<text x="{_f(x + 14)}" y="{_f(y)}" fill="#333">long descent</text>')
    return "".join(parts)
