"""Server-rendered SVG charts: geometry only, no markup and no JavaScript.

Functions here turn numbers into frozen chart descriptions (paths, bars, ticks, hover boxes
with their tooltip text); ``templates/partials/_chart.html`` writes the SVG. Colours are CSS
classes (``static/charts.css``), never inline styles, so the Content-Security-Policy can forbid
inline style. Tooltips are SVG ``<title>`` elements: they work offline, without script, and
screen readers announce them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Formatter = Callable[[float], str]

WIDTH = 400
HEIGHT = 210


@dataclass(frozen=True, slots=True)
class Frame:
    """The SVG canvas and the plot area inside its margins (SVG user units)."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = 42
    right: int = 10
    top: int = 12
    bottom: int = 26

    @property
    def x0(self) -> float:
        return float(self.left)

    @property
    def x1(self) -> float:
        return float(self.width - self.right)

    @property
    def y0(self) -> float:
        return float(self.top)

    @property
    def y1(self) -> float:
        return float(self.height - self.bottom)


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True, slots=True)
class Path:
    d: str
    css: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle: a bar, a shaded zone or an invisible hover target (0.1-unit precision)."""

    x: float
    y: float
    w: float
    h: float
    css: str
    title: str = ""

    def __post_init__(self) -> None:
        set_field = object.__setattr__
        set_field(self, "x", round(self.x, 1))
        set_field(self, "y", round(self.y, 1))
        set_field(self, "w", round(self.w, 1))
        set_field(self, "h", round(self.h, 1))


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal reference line across the plot, with a short label."""

    y: float
    css: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    css: str
    title: str = ""
    r: float = 4.0


@dataclass(frozen=True, slots=True)
class LegendItem:
    css: str
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart, ready for the template."""

    key: str
    title: str
    desc: str
    frame: Frame = field(default_factory=Frame)
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    x_label: str = ""
    y_label: str = ""
    zones: tuple[Box, ...] = ()
    areas: tuple[Path, ...] = ()
    lines: tuple[Path, ...] = ()
    bars: tuple[Box, ...] = ()
    rules: tuple[Rule, ...] = ()
    dots: tuple[Dot, ...] = ()
    hovers: tuple[Box, ...] = ()
    legend: tuple[LegendItem, ...] = ()
    empty: str = ""


@dataclass(frozen=True, slots=True)
class Scale:
    """Linear map from data ``[lo, hi]`` to pixels ``[a, b]``."""

    lo: float
    hi: float
    a: float
    b: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        t = (value - self.lo) / span if span else 0.5
        return self.a + t * (self.b - self.a)

    def array(self, values: FloatArray) -> FloatArray:
        span = self.hi - self.lo
        t = (values - self.lo) / span if span else np.full_like(values, 0.5)
        out: FloatArray = self.a + t * (self.b - self.a)
        return out


def nice_step(span: float, count: int) -> float:
    """A round tick step (1, 2, 2.5 or 5 x 10^n) giving about ``count`` ticks over ``span``."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, count)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * mag:
            return m * mag
    return 10.0 * mag


def nice_range(
    lo: float, hi: float, count: int = 4, steps: Sequence[float] = ()
) -> tuple[float, float, float]:
    """Widen ``[lo, hi]`` to round tick values; returns (lo, hi, step).

    ``steps`` offers allowed step sizes (e.g. 15, 30, 60 s for pace); the smallest giving at
    most ``count + 1`` intervals wins. Otherwise steps are 1, 2, 2.5 or 5 x 10^n.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return 0.0, 1.0, 0.25
    if hi - lo < 1e-9:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, count)
    for candidate in sorted(steps):
        if (hi - lo) / candidate <= count + 1:
            step = candidate
            break
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def ticks_between(lo: float, hi: float, step: float) -> list[float]:
    n = int(round((hi - lo) / step))
    return [lo + i * step for i in range(n + 1)] if 0 < n <= 20 else [lo, hi]


def _fmt_num(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"


def tick_format(step: float) -> Formatter:
    """Labels with just enough decimals to tell ticks ``step`` apart."""
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    if step * 10**digits % 1 > 1e-6:  # 2.5, 0.25: one more digit
        digits += 1

    def fmt(value: float) -> str:
        return f"{value:.{digits}f}"

    return fmt


def _finite_runs(xs: FloatArray, ys: FloatArray) -> list[tuple[int, int]]:
    """(start, stop) of every run of points where both coordinates are finite."""
    ok = np.isfinite(xs) & np.isfinite(ys)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], ok, [False])).astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _points(xs: FloatArray, ys: FloatArray, start: int, stop: int, sep: str) -> str:
    """``"x y"`` pairs (0.1 precision) of points ``start:stop`` joined by ``sep``, formatted
    in one ``%`` operation rather than one call per point."""
    n = stop - start
    pairs = np.empty(2 * n)
    pairs[0::2] = xs[start:stop]
    pairs[1::2] = ys[start:stop]
    return (sep.join(["%.1f %.1f"] * n)) % tuple(pairs.tolist())


def path_d(xs: FloatArray, ys: FloatArray) -> str:
    """SVG path data through the points, broken where a value is not finite."""
    return "".join("M" + _points(xs, ys, a, b, "L") for a, b in _finite_runs(xs, ys))


def area_d(xs: FloatArray, ys: FloatArray, base_y: float) -> str:
    """A closed area between the line and ``base_y`` for each finite run of points."""
    parts: list[str] = []
    for a, b in _finite_runs(xs, ys):
        if b - a >= 2:
            first, last = float(xs[a]), float(xs[b - 1])
            pts = _points(xs, ys, a, b, "L")
            parts.append(f"M{first:.1f} {base_y:.1f}L{pts}L{last:.1f} {base_y:.1f}Z")
    return "".join(parts)


def bin_means(x: FloatArray, y: FloatArray, bins: int) -> tuple[FloatArray, FloatArray]:
    """Mean of ``y`` in ``bins`` equal slices of ``x`` (NaN where a slice has no value)."""
    ok = np.isfinite(x)
    x, y = x[ok], y[ok]
    if x.size == 0:
        return np.empty(0), np.empty(0)
    lo, hi = float(x.min()), float(x.max())
    if hi <= lo:
        finite = y[np.isfinite(y)]
        mean = float(finite.mean()) if finite.size else math.nan
        return np.array([lo]), np.array([mean])
    edges = np.linspace(lo, hi, bins + 1)
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
    good = np.isfinite(y)
    sums = np.bincount(idx[good], weights=y[good], minlength=bins)
    counts = np.bincount(idx[good], minlength=bins).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    centres = (edges[:-1] + edges[1:]) / 2
    return centres, means


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """One line of a line chart: values over the shared x, its CSS class and legend label."""

    values: FloatArray
    css: str
    label: str
    fmt: Formatter = _fmt_num
    area: bool = False


def line_chart(
    *,
    key: str,
    title: str,
    desc: str,
    x: FloatArray,
    series: Sequence[SeriesSpec],
    x_fmt: Formatter = _fmt_num,
    x_label: str = "",
    y_label: str = "",
    y_fmt: Formatter | None = None,
    invert_y: bool = False,
    y_floor: float | None = None,
    y_min_span: float = 0.0,
    y_steps: Sequence[float] = (),
    zones: Sequence[tuple[float, float, str, str]] = (),
    rules: Sequence[tuple[float, str, str]] = (),
    bins: int = 200,
    hover_count: int = 32,
    frame: Frame | None = None,
    empty: str = "No data for this chart.",
) -> Chart:
    """A line chart of ``series`` against ``x``, down-sampled to ``bins`` slices.

    ``zones`` are shaded horizontal bands ``(lo, hi, css, label)``; ``rules`` reference lines
    ``(y, css, label)``. ``hover_count`` invisible columns carry ``<title>`` tooltips with
    every series' value there.
    """
    fr = frame or Frame()
    binned: list[tuple[SeriesSpec, FloatArray, FloatArray]] = []
    for spec in series:
        bx, by = bin_means(x, spec.values, bins)
        if bx.size and np.isfinite(by).any():
            binned.append((spec, bx, by))
    if not binned:
        return Chart(key=key, title=title, desc=desc, frame=fr, empty=empty)
    all_y = np.concatenate([by[np.isfinite(by)] for _, _, by in binned])
    lo, hi = float(all_y.min()), float(all_y.max())
    for z_lo, z_hi, _, _ in zones:
        lo, hi = min(lo, z_lo), max(hi, z_hi)
    for r_y, _, _ in rules:
        lo, hi = min(lo, r_y), max(hi, r_y)
    if hi - lo < y_min_span:
        mid = (hi + lo) / 2
        lo, hi = mid - y_min_span / 2, mid + y_min_span / 2
    if y_floor is not None:
        lo = max(lo, y_floor) if lo >= y_floor else y_floor
    lo, hi, step = nice_range(lo, hi, steps=y_steps)
    xs_all = np.concatenate([bx for _, bx, _ in binned])
    x_lo, x_hi = float(xs_all.min()), float(xs_all.max())
    if x_hi <= x_lo:
        x_hi = x_lo + 1.0
    sx = Scale(x_lo, x_hi, fr.x0, fr.x1)
    sy = Scale(lo, hi, fr.y0, fr.y1) if invert_y else Scale(lo, hi, fr.y1, fr.y0)
    fmt = y_fmt or tick_format(step)
    y_ticks = tuple(Tick(sy(v), fmt(v)) for v in ticks_between(lo, hi, step))
    _, _, x_step = nice_range(x_lo, x_hi, 5)
    first = math.ceil(x_lo / x_step) * x_step
    x_vals = [first + i * x_step for i in range(int((x_hi - first) / x_step + 1e-9) + 1)]
    x_ticks = tuple(Tick(sx(v), x_fmt(v)) for v in x_vals[:12])
    lines: list[Path] = []
    areas: list[Path] = []
    for spec, bx, by in binned:
        px, py = sx.array(bx), sy.array(by)
        lines.append(Path(path_d(px, py), spec.css, spec.label))
        if spec.area:
            areas.append(Path(area_d(px, py, fr.y1), f"{spec.css}-area", spec.label))
    zone_boxes = tuple(
        Box(fr.x0, min(sy(z_lo), sy(z_hi)), fr.x1 - fr.x0, abs(sy(z_hi) - sy(z_lo)), css, label)
        for z_lo, z_hi, css, label in zones
    )
    rule_lines = tuple(Rule(sy(r_y), css, label) for r_y, css, label in rules)
    hovers = _hover_columns(binned, fr, x_lo, x_hi, hover_count, x_fmt, x_label)
    legend = tuple(LegendItem(spec.css, spec.label) for spec, _, _ in binned)
    return Chart(
        key=key,
        title=title,
        desc=desc,
        frame=fr,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        x_label=x_label,
        y_label=y_label,
        zones=zone_boxes,
        areas=tuple(areas),
        lines=tuple(lines),
        rules=rule_lines,
        hovers=tuple(hovers),
        legend=legend if len(legend) > 1 else (),
    )


def _hover_columns(
    binned: Sequence[tuple[SeriesSpec, FloatArray, FloatArray]],
    fr: Frame,
    x_lo: float,
    x_hi: float,
    count: int,
    x_fmt: Formatter,
    x_label: str,
) -> list[Box]:
    """``count`` full-height columns, each titled with every series' mean value inside it."""
    # Plain Python floats per column (indexing numpy arrays element by element is slow).
    means: list[tuple[SeriesSpec, list[float], list[float]]] = []
    for spec, bx, by in binned:
        col = np.clip(((bx - x_lo) / (x_hi - x_lo) * count).astype(np.int64), 0, count - 1)
        good = np.isfinite(by)
        sums = np.bincount(col[good], weights=by[good], minlength=count).astype(np.float64)
        counts = np.bincount(col[good], minlength=count).astype(np.float64)
        means.append((spec, sums.tolist(), counts.tolist()))
    x0, y0, height = fr.x0, fr.y0, fr.y1 - fr.y0
    width = (fr.x1 - x0) / count
    step = (x_hi - x_lo) / count
    edges = [x_fmt(x_lo + i * step) for i in range(count + 1)]  # column i: edges i and i+1
    hovers: list[Box] = []
    for i in range(count):
        parts = [
            f"{spec.label}: {spec.fmt(sums[i] / counts[i])}"
            for spec, sums, counts in means
            if counts[i] > 0
        ]
        if parts:
            head = f"{x_label} {edges[i]}–{edges[i + 1]}".strip()
            hovers.append(
                Box(x0 + i * width, y0, width, height, "hover", "\n".join([head, *parts]))
            )
    return hovers


@dataclass(frozen=True, slots=True)
class BarSpec:
    value: float | None
    label: str
    title: str
    css: str = "bar"


def bar_chart(
    *,
    key: str,
    title: str,
    desc: str,
    bars: Sequence[BarSpec],
    y_fmt: Formatter | None = None,
    y_label: str = "",
    rules: Sequence[tuple[float, str, str]] = (),
    label_every: int = 1,
    frame: Frame | None = None,
    legend: Sequence[LegendItem] = (),
    empty: str = "No data for this chart.",
) -> Chart:
    """Vertical bars from zero; each bar carries its tooltip; ``None`` values leave a gap."""
    fr = frame or Frame()
    values = [b.value for b in bars if b.value is not None and math.isfinite(b.value)]
    if not bars or not values:
        return Chart(key=key, title=title, desc=desc, frame=fr, empty=empty)
    hi = max([*values, *(r for r, _, _ in rules), 0.0])
    lo = min([*values, 0.0])
    lo, hi, step = nice_range(lo, hi if hi > lo else lo + 1.0)
    sy = Scale(lo, hi, fr.y1, fr.y0)
    slot = (fr.x1 - fr.x0) / len(bars)
    gap = min(6.0, slot * 0.2)
    boxes: list[Box] = []
    hovers: list[Box] = []
    x_ticks: list[Tick] = []
    zero = sy(0.0)
    for i, spec in enumerate(bars):
        x = fr.x0 + i * slot
        if spec.value is not None and math.isfinite(spec.value):
            top = sy(spec.value)
            y, h = min(top, zero), max(abs(zero - top), 0.5 if spec.value else 0.0)
            boxes.append(Box(x + gap / 2, y, max(slot - gap, 1.0), h, spec.css, spec.title))
        hovers.append(Box(x, fr.y0, slot, fr.y1 - fr.y0, "hover", spec.title))
        if label_every and i % label_every == 0 and spec.label:
            x_ticks.append(Tick(x + slot / 2, spec.label))
    return Chart(
        key=key,
        title=title,
        desc=desc,
        frame=fr,
        x_ticks=tuple(x_ticks),
        y_ticks=tuple(
            Tick(sy(v), (y_fmt or tick_format(step))(v)) for v in ticks_between(lo, hi, step)
        ),
        y_label=y_label,
        bars=tuple(boxes),
        rules=tuple(Rule(sy(r), css, label) for r, css, label in rules),
        hovers=tuple(hovers),
        legend=tuple(legend),
    )


@dataclass(frozen=True, slots=True)
class RouteMap:
    """The route drawn from positions: an equirectangular projection, north up."""

    width: int
    height: int
    d: str
    start: tuple[float, float]
    end: tuple[float, float]
    title: str
    scale_label: str
    scale_px: float


def route_map(
    lat_deg: FloatArray,
    lon_deg: FloatArray,
    *,
    size: int = 360,
    pad: int = 16,
    max_points: int = 600,
) -> RouteMap | None:
    """Project positions onto an SVG square (longitude scaled by cos(mean latitude)).

    Returns ``None`` without at least two finite positions. Points are thinned to at most
    ``max_points`` by stride, enough for a phone screen.
    """
    ok = np.isfinite(lat_deg) & np.isfinite(lon_deg)
    if int(ok.sum()) < 2:
        return None
    lat, lon = lat_deg[ok], lon_deg[ok]
    stride = max(1, math.ceil(lat.size / max_points))
    idx = np.arange(0, lat.size, stride)
    if idx[-1] != lat.size - 1:
        idx = np.append(idx, lat.size - 1)
    lat, lon = lat[idx], lon[idx]
    k = math.cos(math.radians(float(np.mean(lat))))
    metres_per_deg = 111_195.0
    xm = (lon - lon.min()) * k * metres_per_deg
    ym = (lat.max() - lat) * metres_per_deg
    span = max(float(xm.max()), float(ym.max()), 1.0)
    inner = size - 2 * pad
    s = inner / span
    w = float(xm.max()) * s
    h = float(ym.max()) * s
    width = int(math.ceil(w + 2 * pad))
    height = int(math.ceil(h + 2 * pad))
    px = xm * s + pad
    py = ym * s + pad
    bar_m = nice_step(span / 4, 1)
    label = f"{bar_m / 1000:g} km" if bar_m >= 1000 else f"{bar_m:g} m"
    return RouteMap(
        width=max(width, 2 * pad + 1),
        height=max(height, 2 * pad + 1),
        d=path_d(px, py),
        start=(round(float(px[0]), 1), round(float(py[0]), 1)),
        end=(round(float(px[-1]), 1), round(float(py[-1]), 1)),
        title="The route, north up (start: filled circle, finish: square)",
        scale_label=label,
        scale_px=round(bar_m * s, 1),
    )
