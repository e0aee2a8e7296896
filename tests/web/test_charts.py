"""Chart geometry (web/charts.py): scales, ticks, gaps, bars and the route projection."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backstride.web.charts import (
    BarSpec,
    SeriesSpec,
    bar_chart,
    bin_means,
    line_chart,
    nice_range,
    path_d,
    route_map,
    tick_format,
)


def test_nice_range_widens_to_round_ticks() -> None:
    assert nice_range(3.2, 97.0) == (0.0, 100.0, 25.0)
    lo, hi, step = nice_range(301.0, 299.0 + 62.0, steps=(15.0, 30.0, 60.0))
    assert step == 15.0 and lo <= 301.0 and hi >= 361.0


def test_nice_range_survives_a_flat_series() -> None:
    lo, hi, step = nice_range(5.0, 5.0)
    assert lo < 5.0 < hi and step > 0


def test_tick_format_has_enough_decimals() -> None:
    assert tick_format(0.25)(0.5) == "0.50"
    assert tick_format(0.1)(0.3) == "0.3"
    assert tick_format(25.0)(50.0) == "50"


def test_path_breaks_at_missing_values() -> None:
    d = path_d(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, math.nan, 2.0, 3.0]))
    assert d == "M0.0 1.0M2.0 2.0L3.0 3.0"


def test_bin_means_ignores_missing_values() -> None:
    x = np.arange(10, dtype=float)
    y = np.where(x < 5, 1.0, np.nan)
    centres, means = bin_means(x, y, 2)
    assert centres.size == 2
    assert means[0] == 1.0 and math.isnan(means[1])


def test_line_chart_has_tooltips_and_inverted_pace_axis() -> None:
    x = np.linspace(0, 5, 500)
    pace = np.linspace(300, 360, 500)
    chart = line_chart(
        key="pace",
        title="Pace",
        desc="d",
        x=x,
        series=[SeriesSpec(pace, "line-pace", "Pace")],
        invert_y=True,
    )
    assert chart.lines and chart.lines[0].d.startswith("M")
    assert chart.hovers and "Pace:" in chart.hovers[0].title
    faster, slower = (t for t in (chart.y_ticks[0], chart.y_ticks[-1]))
    assert faster.pos < slower.pos  # the smallest pace (fastest) is drawn highest


def test_line_chart_without_data_says_so() -> None:
    chart = line_chart(
        key="k",
        title="t",
        desc="d",
        x=np.arange(3.0),
        series=[SeriesSpec(np.full(3, np.nan), "c", "l")],
        empty="Nothing here.",
    )
    assert chart.empty == "Nothing here." and not chart.lines


def test_bar_chart_bars_stand_on_zero() -> None:
    chart = bar_chart(
        key="b",
        title="t",
        desc="d",
        bars=[BarSpec(10.0, "a", "ten"), BarSpec(None, "b", "none"), BarSpec(5.0, "c", "five")],
    )
    assert len(chart.bars) == 2 and len(chart.hovers) == 3
    first, second = chart.bars
    assert math.isclose(first.y + first.h, second.y + second.h)
    assert first.h == 2 * second.h


def test_route_map_keeps_north_up_and_aspect() -> None:
    lat = np.array([46.0, 46.01, 46.01, 46.0])
    lon = np.array([14.0, 14.0, 14.02, 14.02])
    route = route_map(lat, lon)
    assert route is not None
    # north up: both ends lie on the southern edge, at the bottom of the drawing
    assert route.start[1] == route.end[1] == pytest.approx(route.height - 16, abs=1.0)
    assert route.width > route.height  # 0.02 deg lon x cos(46) > 0.01 deg lat
    assert route.scale_px > 0 and route.scale_label.endswith("m")


def test_route_map_needs_two_positions() -> None:
    assert route_map(np.array([46.0, np.nan]), np.array([14.0, np.nan])) is None
