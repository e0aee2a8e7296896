"""The Overview page's view models: the weekly chart."""

from __future__ import annotations

import math
from collections.abc import Sequence

from backstride.domain.units import distance_unit_m
from backstride.services.dashboard import WeekTotals
from backstride.web.charts import BarSpec, Chart, bar_chart
from backstride.web.formatting import hours, km, units, week_label

# --- Overview -------------------------------------------------------------------------------


def week_chart(weeks: Sequence[WeekTotals]) -> Chart:
    """Running distance per week, this week highlighted, each bar with its totals."""
    bars = []
    for i, w in enumerate(weeks):
        current = i == len(weeks) - 1
        runs = "run" if w.runs == 1 else "runs"
        title = (
            f"Week {week_label(w.week_start)}{' (this week)' if current else ''}: "
            f"{km(w.run_distance_m, 1)} running in {w.runs} {runs}, {hours(w.run_duration_s)}; "
            f"{w.activities} activities in all, {hours(w.duration_s)}"
        )
        bars.append(
            BarSpec(
                value=w.run_distance_m / distance_unit_m(units()),
                label=f"{w.week_start.day}/{w.week_start.month}",
                title=title,
                css="bar bar-current" if current else "bar",
            )
        )
    return bar_chart(
        key="weeks",
        title=f"Running distance per week ({units()})",
        desc="One bar per Monday-to-Sunday week; the last bar is this week so far.",
        bars=bars,
        y_label=units(),
        label_every=max(1, math.ceil(len(bars) / 6)),
        empty="No runs in these weeks yet.",
    )
