"""The Activities pages' view models: the list's query and paging, one activity's charts,
grade rows and descents against the thresholds in force.

No queries and no computation of training figures here: the services and the domain compute;
this module only arranges and formats for the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import urlencode

import numpy as np

from backstride.domain.activity import Activity, Sport
from backstride.domain.dates import parse_day
from backstride.domain.metrics import ActivityAnalysis, GradeDistribution, compute_sample_distance_m
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS
from backstride.domain.units import METRES_PER_FOOT, distance_unit_m
from backstride.web.charts import Chart, FloatArray, RouteMap, SeriesSpec, line_chart, route_map
from backstride.web.formatting import FOOT_SPORTS, number, pace, pace_short, units

SortKey = Literal["start", "distance", "duration", "sport", "elevation", "hr"]
SORT_KEYS: tuple[SortKey, ...] = ("start", "distance", "duration", "sport", "elevation", "hr")
SORT_LABELS = {
    "start": "Date",
    "distance": "Distance",
    "duration": "Time",
    "sport": "Sport",
    "elevation": "Climb",
    "hr": "Avg HR",
}
PAGE_SIZE = 50
SPORT_CHOICES = tuple(s.value for s in Sport)


def parse_optional_day(text: str | None, *, what: str) -> date | None:
    """A form's date field: empty means none; anything else must be YYYY-MM-DD."""
    if text is None or not text.strip():
        return None
    return parse_day(text, what=f"date for '{what}'")


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The Activities list's filter, sort and page, as in the address bar."""

    sport: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None
    sort: SortKey = "start"
    order: Literal["asc", "desc"] = "desc"
    page: int = 1

    def filters(self) -> dict[str, object]:
        return {
            "since": self.since,
            "until": self.until,
            "sports": [self.sport] if self.sport else None,
            "text": self.q or None,
        }

    def params(self, **changes: object) -> str:
        """The query string for this list with ``changes`` applied (empty values dropped)."""
        values: dict[str, object] = {
            "sport": self.sport,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "q": self.q,
            "sort": self.sort,
            "order": self.order,
            "page": self.page,
        }
        values.update(changes)
        clean = {k: v for k, v in values.items() if v not in (None, "")}
        if clean.get("sort") == "start" and clean.get("order") == "desc":
            clean.pop("sort")
            clean.pop("order")
        if clean.get("page") == 1:
            clean.pop("page")
        return urlencode(clean)

    def sort_link(self, key: str) -> str:
        """Link for a column header: first click sorts descending, second ascending."""
        order = "asc" if self.sort == key and self.order == "desc" else "desc"
        return self.params(sort=key, order=order, page=1)

    def aria_sort(self, key: str) -> str:
        if self.sort != key:
            return "none"
        return "descending" if self.order == "desc" else "ascending"


@dataclass(frozen=True, slots=True)
class Paging:
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def paging(total: int, page: int, per_page: int) -> Paging:
    pages = max(1, math.ceil(total / per_page))
    return Paging(page=min(max(1, page), pages), pages=pages, total=total, per_page=per_page)


# --- Activity detail ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityCharts:
    route: RouteMap | None
    elevation: Chart | None
    pace: Chart | None
    heart_rate: Chart | None
    cadence: Chart | None

    @property
    def any(self) -> bool:
        return any((self.route, self.elevation, self.pace, self.heart_rate, self.cadence))


def _rolling_mean(values: FloatArray, window: int) -> FloatArray:
    """Centred moving mean over ``window`` samples, ignoring NaN."""
    if window <= 1 or values.size < window:
        return values
    ok = np.isfinite(values)
    kernel = np.ones(window)
    sums = np.convolve(np.where(ok, values, 0.0), kernel, mode="same")
    counts = np.convolve(ok.astype(np.float64), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return np.where(ok, out, np.nan)


def _speed(activity: Activity, distance: FloatArray | None) -> FloatArray | None:
    s = activity.streams
    if s.speed_m_s is not None:
        speed = s.speed_m_s.astype(np.float64)
    elif distance is not None and len(s) >= 3:
        dt = np.gradient(s.time_s)
        with np.errstate(invalid="ignore", divide="ignore"):
            speed = np.where(dt > 0, np.gradient(distance) / dt, np.nan)
    else:
        return None
    step = float(np.nanmedian(np.diff(s.time_s))) if len(s) >= 2 else 1.0
    window = int(max(1, min(60, round(20.0 / step)))) if step > 0 else 1
    return _rolling_mean(speed, window)


def activity_charts(activity: Activity, analysis: ActivityAnalysis | None = None) -> ActivityCharts:
    """Route, elevation, pace (or speed), heart-rate and cadence charts from the streams."""
    s = activity.streams
    if len(s) < 2:
        return ActivityCharts(None, None, None, None, None)
    route = (
        route_map(s.lat_deg, s.lon_deg)
        if s.has_positions and s.lat_deg is not None and s.lon_deg is not None
        else None
    )
    distance = compute_sample_distance_m(s)
    by_distance = distance is not None and float(np.nanmax(distance)) >= 200.0
    if by_distance and distance is not None:
        x = distance / distance_unit_m(units())
        x_label = x_unit = units()

        def x_fmt(v: float) -> str:
            return f"{v:.1f}" if v < 10 else f"{v:.0f}"
    else:
        x = s.time_s / 60.0
        x_label, x_unit = "min", "min"

        def x_fmt(v: float) -> str:
            return f"{v:.0f}"

    foot = activity.sport in FOOT_SPORTS
    unit_m = distance_unit_m(units())
    rise = "ft" if units() == "mi" else "m"
    per_hour = "mph" if units() == "mi" else "km/h"
    elevation = None
    if s.altitude_m is not None and np.isfinite(s.altitude_m).sum() >= 2:
        altitude = s.altitude_m / (METRES_PER_FOOT if rise == "ft" else 1.0)
        elevation = line_chart(
            key="elevation",
            title=f"Elevation profile ({rise})",
            desc=f"Altitude above sea level against {x_unit}.",
            x=x,
            series=[SeriesSpec(altitude, "line-elevation", "Elevation", _height, area=True)],
            x_fmt=x_fmt,
            x_label=x_label,
            y_label=rise,
            y_min_span=20.0,
        )
    pace_chart = None
    speed = _speed(activity, distance)
    if speed is not None and np.isfinite(speed).any():
        if foot:
            pause = DEFAULT_ACTIVITY_PARAMS.pause_speed_m_s
            with np.errstate(invalid="ignore", divide="ignore"):
                secs = np.where(speed >= max(pause, 1000 / 1200), 1000.0 / speed, np.nan)
            secs = np.where(secs < 120.0, np.nan, secs)
            pace_chart = line_chart(
                key="pace",
                title=f"Pace (min/{units()}; faster is higher)",
                desc="Pace over the activity, smoothed over about 20 s; pauses are gaps.",
                x=x,
                series=[SeriesSpec(secs, "line-pace", "Pace", pace)],
                x_fmt=x_fmt,
                x_label=x_label,
                y_fmt=pace_short,
                y_label=f"min/{units()}",
                invert_y=True,
                y_min_span=60.0,
                y_steps=(15.0, 30.0, 60.0, 120.0, 300.0),
            )
        else:
            pace_chart = line_chart(
                key="speed",
                title=f"Speed ({per_hour})",
                desc="Speed over the activity, smoothed over about 20 s.",
                x=x,
                series=[SeriesSpec(speed * 3600.0 / unit_m, "line-pace", "Speed", _per_hour)],
                x_fmt=x_fmt,
                x_label=x_label,
                y_label=per_hour,
                y_floor=0.0,
            )
    heart = None
    if s.hr_bpm is not None and np.isfinite(s.hr_bpm).any():
        heart = line_chart(
            key="heart-rate",
            title="Heart rate (beats/min)",
            desc="Heart rate over the activity.",
            x=x,
            series=[SeriesSpec(s.hr_bpm, "line-hr", "Heart rate", _bpm)],
            x_fmt=x_fmt,
            x_label=x_label,
            y_label="bpm",
            y_min_span=20.0,
        )
    cadence = None
    if s.cadence_rpm is not None and np.isfinite(s.cadence_rpm).any():
        raw = np.where(s.cadence_rpm > 0, s.cadence_rpm, np.nan)
        if foot:
            doubled = analysis.cadence_was_doubled if analysis is not None else None
            if doubled is None:
                p90 = float(np.nanpercentile(raw, 90)) if np.isfinite(raw).any() else 0.0
                doubled = p90 < DEFAULT_ACTIVITY_PARAMS.cadence_already_steps_rpm
            values = raw * 2.0 if doubled else raw
            unit, label = "steps/min", "Cadence"
        else:
            values, unit, label = raw, "rpm", "Cadence"
        cadence = line_chart(
            key="cadence",
            title=f"Cadence ({unit})",
            desc=f"Cadence in {unit} over the activity; stops are left out.",
            x=x,
            series=[SeriesSpec(values, "line-cadence", label, lambda v: f"{v:.0f} {unit}")],
            x_fmt=x_fmt,
            x_label=x_label,
            y_label=unit,
            y_min_span=10.0,
        )
    return ActivityCharts(route, elevation, pace_chart, heart, cadence)


def _height(v: float) -> str:
    """A height already in the display unit (m or ft)."""
    return f"{v:.0f} {'ft' if units() == 'mi' else 'm'}"


def _per_hour(v: float) -> str:
    """A speed already in the display unit (km/h or mph)."""
    return f"{v:.1f} {'mph' if units() == 'mi' else 'km/h'}"


def _bpm(v: float) -> str:
    return f"{v:.0f} bpm"


@dataclass(frozen=True, slots=True)
class GradeRow:
    label: str
    distance_m: float
    time_s: float
    share: float
    css: str


def _grade_label(lower: float | None, upper: float | None) -> str:
    if lower is None and upper is not None:
        return f"steeper than {upper:+g} % (down)"
    if upper is None and lower is not None:
        return f"steeper than {lower:+g} % (up)"
    if lower is not None and upper is not None:
        if lower < 0 < upper:
            return f"flat ({lower:+g} to {upper:+g} %)"
        return f"{lower:+g} to {upper:+g} %"
    return "all"


def grade_rows(
    grade: GradeDistribution | None, *, steep: DescentVerdict | None = None
) -> list[GradeRow]:
    """One row per grade band (steepest descent first), with its share of the distance.

    With ``steep``, the bands it counts as steep descent are marked ``grade-steep`` (within
    its threshold) or ``grade-steep-over`` (above it), so their bars are coloured so."""
    if grade is None:
        return []
    total = sum(b.distance_m for b in grade.bands) or 0.0
    rows = []
    for band in grade.bands:
        lower, upper = band.lower_pct, band.upper_pct
        if steep is not None and upper is not None and upper <= steep.grade_pct + 1e-9:
            css = "grade-steep-over" if steep.steep_over else "grade-steep"
        elif upper is not None and upper <= 0:
            css = "grade-down"
        elif lower is not None and lower >= 0:
            css = "grade-up"
        else:
            css = "grade-flat"
        rows.append(
            GradeRow(
                label=_grade_label(lower, upper),
                distance_m=band.distance_m,
                time_s=band.time_s,
                share=band.distance_m / total if total > 0 else 0.0,
                css=css,
            )
        )
    return rows


def bpm(value: float | None) -> str:
    return number(value, 0, "bpm")


# --- One activity: its descents against the thresholds in force -------------------------------


@dataclass(frozen=True, slots=True)
class DescentVerdict:
    """An activity's steep and long descents against the guidance's thresholds
    (``GuidanceParams.downhill_grade_pct``, ``downhill_steep_m``, ``downhill_long_drop_m``)."""

    steep_m: float  # distance on descents steeper than grade_pct
    grade_pct: float
    steep_limit_m: float
    drop_m: float | None  # the longest continuous descent's drop
    drop_limit_m: float

    @property
    def steep_over(self) -> bool:
        return self.steep_m >= self.steep_limit_m

    @property
    def drop_over(self) -> bool:
        return self.drop_m is not None and self.drop_m >= self.drop_limit_m

    @property
    def over(self) -> bool:
        return self.steep_over or self.drop_over


def descent_verdict(
    grade: GradeDistribution | None, *, grade_pct: float, steep_limit_m: float, drop_limit_m: float
) -> DescentVerdict | None:
    """The verdict for one activity's grade distribution (None without altitude)."""
    if grade is None:
        return None
    steep = sum(
        b.distance_m
        for b in grade.bands
        if b.upper_pct is not None and b.upper_pct <= grade_pct + 1e-9
    )
    drop = grade.longest_descent.drop_m if grade.longest_descent else None
    return DescentVerdict(
        steep_m=steep,
        grade_pct=grade_pct,
        steep_limit_m=steep_limit_m,
        drop_m=drop,
        drop_limit_m=drop_limit_m,
    )


#: When a pain entry was felt, in the order of a training day.
WHEN_ORDER = ("before", "during", "after", "next-morning", "rest-day")
