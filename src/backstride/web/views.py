"""View models: service results turned into what the templates show (charts, rows, labels).

No queries and no computation of training figures here: the services and the domain compute;
this module only arranges and formats for the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from urllib.parse import urlencode

import numpy as np

from backstride.domain.activity import Activity, Sport
from backstride.domain.dates import parse_day
from backstride.domain.evidence import cite
from backstride.domain.load import LOAD_RATIO_CAVEAT, DayLoad, LoadReport, RunSpike
from backstride.domain.metrics import ActivityAnalysis, GradeDistribution, compute_sample_distance_m
from backstride.domain.params import DEFAULT_ACTIVITY_PARAMS, GuidanceParams
from backstride.domain.units import METRES_PER_FOOT, distance_unit_m
from backstride.services.dashboard import WeekTotals
from backstride.web.charts import (
    BarSpec,
    Chart,
    FloatArray,
    Formatter,
    LegendItem,
    RouteMap,
    SeriesSpec,
    bar_chart,
    line_chart,
    route_map,
)
from backstride.web.formatting import (
    FOOT_SPORTS,
    hours,
    km,
    number,
    pace,
    pace_short,
    signed_percent,
    units,
    week_label,
)

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


# --- Load -----------------------------------------------------------------------------------

SPIKE_BANDS: dict[str, tuple[str, str]] = {
    "no_prior": ("no run in the 30 days before", "spike-none"),
    "le_10": ("shorter, or at most 10 % longer: the safest group", "spike-ok"),
    "10_30": ("10–30 % longer: more injuries", "spike-caution"),
    "30_100": ("30–100 % longer: more injuries still", "spike-alert"),
    "gt_100": ("more than twice as long: the most injuries", "spike-severe"),
}


def spike_label(band: str | None, ratio: float | None = None) -> str:
    """A run against the longest of the 30 days before, in words (``60 % shorter``)."""
    if ratio is not None and math.isfinite(ratio) and band not in (None, "no_prior"):
        if ratio < 0.995:
            return f"{(1 - ratio) * 100:.0f} % shorter than the longest"
        if ratio <= 1.005:
            return "as long as the longest"
        return f"{(ratio - 1) * 100:.0f} % longer than the longest"
    return SPIKE_BANDS.get(band or "", ("not known", "spike-none"))[0]


def spike_css(band: str | None) -> str:
    return SPIKE_BANDS.get(band or "", ("", "spike-none"))[1]


@dataclass(frozen=True, slots=True)
class LoadView:
    """The Load page: charts over the report window and the latest day's figures."""

    report: LoadReport
    latest: DayLoad | None
    weekly_distance: Chart
    weekly_time: Chart
    spikes: Chart
    acute_chronic: Chart
    load_ratio: Chart
    monotony: Chart
    strain: Chart
    fitness: Chart
    runs: tuple[RunSpike, ...]
    caveat: str


def _day_axis(days: Sequence[DayLoad]) -> tuple[FloatArray, Formatter]:
    first = days[0].day if days else date(2000, 1, 1)
    x = np.array([(d.day - first).days for d in days], dtype=np.float64)

    def fmt(v: float) -> str:
        d = first + timedelta(days=int(round(v)))
        return f"{d.day} {d:%b}"

    return x, fmt


def _series(days: Sequence[DayLoad], name: str) -> FloatArray:
    values = [getattr(d, name) for d in days]
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def _num(digits: int) -> Formatter:
    def fmt(v: float) -> str:
        return f"{v:.{digits}f}"

    return fmt


def load_view(report: LoadReport) -> LoadView:
    days = report.days
    weeks = report.weeks
    latest = days[-1] if days else None
    n_weeks = len(weeks)
    every = max(1, math.ceil(n_weeks / 6))
    distance_bars = [
        BarSpec(
            value=w.run_distance_m / 1000,
            label=f"{w.start.day}/{w.start.month}",
            title=(
                f"Week {week_label(w.start)}: {km(w.run_distance_m, 1)} in {w.runs} "
                f"run{'s' if w.runs != 1 else ''}"
            ),
            css="bar bar-current" if i == n_weeks - 1 else "bar",
        )
        for i, w in enumerate(weeks)
    ]
    time_bars = [
        BarSpec(
            value=w.total_time_s / 3600,
            label=f"{w.start.day}/{w.start.month}",
            title=(
                f"Week {week_label(w.start)}: {hours(w.total_time_s)} in all; running "
                f"{hours(w.run_time_s)}, other cardio {hours(w.other_cardio_time_s)}, "
                f"strength and mobility {hours(w.strength_mobility_time_s)}"
            ),
            css="bar bar-time bar-current" if i == n_weeks - 1 else "bar bar-time",
        )
        for i, w in enumerate(weeks)
    ]
    spike_bars = [
        BarSpec(
            value=r.spike_ratio,
            label=f"{r.day.day}/{r.day.month}",
            title=(
                f"{r.day:%a} {r.day.day} {r.day:%b}: {km(r.distance_m, 1)}; longest in the 30 "
                f"days before: {km(r.longest_prev_30d_m, 1)}"
                + (f"; ratio {r.spike_ratio:.2f}" if r.spike_ratio is not None else "")
                + f" ({spike_label(r.spike_band, r.spike_ratio)})"
            ),
            css=f"bar {spike_css(r.spike_band)}",
        )
        for r in report.runs
    ]
    x, x_fmt = _day_axis(days)
    caveat = LOAD_RATIO_CAVEAT
    return LoadView(
        report=report,
        latest=latest,
        weekly_distance=bar_chart(
            key="weekly-distance",
            title=f"Running distance per week ({units()})",
            desc="Kilometres run in each Monday-to-Sunday week; the last bar is this week.",
            bars=distance_bars,
            y_label="km",
            label_every=every,
            empty="No runs in this window.",
        ),
        weekly_time=bar_chart(
            key="weekly-time",
            title="Training time per week (hours)",
            desc="Hours of all activities each week; hover for the mix.",
            bars=time_bars,
            y_label="h",
            label_every=every,
            empty="No activities in this window.",
        ),
        spikes=bar_chart(
            key="spikes",
            title="Each run against the longest run in the 30 days before it",
            desc=(
                "Each bar is a run's distance divided by the longest run of the 30 days before "
                "it: 1.0 is as long, 0.5 half as long. Above 1.1 (10 % longer) injuries become "
                "more common "
                f"({cite('frandsen-2025')})."
            ),
            bars=spike_bars,
            y_label="ratio",
            rules=((1.1, "rule rule-ok", "+10 %"), (1.3, "rule rule-caution", "+30 %")),
            label_every=max(1, math.ceil(len(spike_bars) / 6)),
            legend=[
                LegendItem(css, label)
                for key, (label, css) in SPIKE_BANDS.items()
                if key != "no_prior"
            ],
            empty="No runs in this window.",
        ),
        acute_chronic=line_chart(
            key="acute-chronic",
            title="Acute (7-day) and chronic (28-day) load",
            desc=(
                "Load points a day (about 1 a minute of easy running), weighted towards the "
                "latest days: acute over 7 days, chronic over 28."
            ),
            x=x,
            series=[
                SeriesSpec(
                    _series(days, "acute_load"),
                    "line-acute",
                    "Acute: the last 7 days' load a day",
                    _num(0),
                ),
                SeriesSpec(
                    _series(days, "chronic_load"),
                    "line-chronic",
                    "Chronic: the last 28 days' load a day",
                    _num(0),
                ),
            ],
            x_fmt=x_fmt,
            y_label="points a day",
            bins=max(2, len(days)),
            hover_count=min(60, max(1, len(days))),
            y_floor=0.0,
        ),
        load_ratio=line_chart(
            key="load-ratio",
            title="Acute:chronic load ratio (contested; context only)",
            desc=(
                "Acute over chronic load. The shaded 0.8–1.3 and the line at 1.5 are "
                f"contested heuristics ({cite('gabbett-2016', 'impellizzeri-2020')}), not "
                "safety limits."
            ),
            x=x,
            series=[
                SeriesSpec(
                    _series(days, "load_ratio"),
                    "line-ratio",
                    "Acute ÷ chronic load (weighted)",
                    _num(2),
                ),
                SeriesSpec(
                    _series(days, "uncoupled_load_ratio"),
                    "line-ratio-uncoupled",
                    "Last 7 days ÷ the 3 weeks before",
                    _num(2),
                ),
            ],
            x_fmt=x_fmt,
            y_label="ratio",
            zones=((0.8, 1.3, "zone-contested", "0.8–1.3: the 'sweet spot' (contested)"),),
            rules=((1.5, "rule rule-contested", "1.5: noted from here (contested)"),),
            bins=max(2, len(days)),
            hover_count=min(60, max(1, len(days))),
            y_floor=0.0,
            empty="Not enough history for a ratio yet.",
        ),
        monotony=line_chart(
            key="monotony",
            title="Monotony (7-day mean load ÷ its standard deviation)",
            desc=f"Higher means every day is alike ({cite('foster-1998')}).",
            x=x,
            series=[
                SeriesSpec(
                    _series(days, "monotony"),
                    "line-monotony",
                    "Monotony: how alike the days are",
                    _num(2),
                )
            ],
            x_fmt=x_fmt,
            y_min_span=1.0,
            bins=max(2, len(days)),
            hover_count=min(60, max(1, len(days))),
            y_floor=0.0,
            empty="Not enough history for monotony yet.",
        ),
        strain=line_chart(
            key="strain",
            title="Strain (7-day load × monotony)",
            desc=f"Weekly load multiplied by monotony ({cite('foster-1998')}).",
            x=x,
            series=[
                SeriesSpec(
                    _series(days, "strain"),
                    "line-strain",
                    "Strain: a week's load points × monotony",
                    _num(0),
                )
            ],
            x_fmt=x_fmt,
            bins=max(2, len(days)),
            hover_count=min(60, max(1, len(days))),
            y_floor=0.0,
            empty="Not enough history for strain yet.",
        ),
        fitness=line_chart(
            key="fitness",
            title="Fitness, fatigue and form",
            desc=(
                "Fitness: 42-day load average; fatigue: 7-day; form: yesterday's fitness "
                f"minus fatigue ({cite('trainingpeaks')})."
            ),
            x=x,
            series=[
                SeriesSpec(
                    _series(days, "fitness"), "line-fitness", "Fitness: 42-day load", _num(0)
                ),
                SeriesSpec(
                    _series(days, "fatigue"), "line-fatigue", "Fatigue: 7-day load", _num(0)
                ),
                SeriesSpec(
                    _series(days, "form"),
                    "line-form",
                    "Form: fitness − fatigue (below 0: tired)",
                    _num(0),
                ),
            ],
            x_fmt=x_fmt,
            bins=max(2, len(days)),
            hover_count=min(60, max(1, len(days))),
            rules=((0.0, "rule rule-zero", ""),),
        ),
        runs=tuple(sorted(report.runs, key=lambda r: r.day, reverse=True)),
        caveat=caveat,
    )


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


# --- Load: each figure against its threshold -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """One figure of the Load page: its value with its unit, and where it stands.

    ``tone`` is ``ok`` (within the threshold), ``caution`` (above it) or ``info`` (no
    threshold applies, or not enough data)."""

    key: str
    title: str
    value: str
    unit: str
    verdict: str
    tone: str
    meaning: str
    contested: bool = False


def _within(value: float | None, limit: float, limit_text: str) -> tuple[str, str]:
    """("Within 1.5", "ok"), ("Above 1.5", "caution") or ("Not enough data yet", "info")."""
    if value is None or not math.isfinite(value):
        return "Not enough data yet", "info"
    return (f"Above {limit_text}", "caution") if value > limit else (f"Within {limit_text}", "ok")


def load_verdicts(d: DayLoad, p: GuidanceParams) -> tuple[Verdict, ...]:
    """The latest day's figures, each with its unit and a verdict against the guidance's
    threshold in force (``GuidanceParams``); the words say what the figure means."""
    ratio_word, ratio_tone = _within(
        d.load_ratio, p.load_ratio_caution, f"{p.load_ratio_caution:g}"
    )
    mono_word, mono_tone = _within(d.monotony, p.monotony_reduce, f"{p.monotony_reduce:g}")
    base_km = d.run_distance_prev_14d_m / 1000.0
    if d.progression is None or base_km < p.progression_min_base_km:
        prog_word, prog_tone = "Too little running before to compare", "info"
    else:
        prog_word, prog_tone = _within(
            d.progression, p.progression_reduce, f"+{p.progression_reduce * 100:.0f} %"
        )
    rest_word, rest_tone = _within(
        float(d.days_since_rest),
        float(p.max_days_without_rest),
        f"{p.max_days_without_rest} days",
    )
    form_word = "Fresher than usual" if d.form >= 0 else "More tired than usual"
    return (
        Verdict(
            "ratio",
            "Acute:chronic load ratio",
            number(d.load_ratio, 2),
            "a ratio, no unit",
            ratio_word,
            ratio_tone,
            f"This week's load against your usual load. backstride notes {p.load_ratio_caution:g} "
            "or more, but the ratio is contested: context only, never a reason on its own.",
            contested=True,
        ),
        Verdict(
            "progression",
            "Two-week progression",
            signed_percent(d.progression),
            "running distance",
            prog_word,
            prog_tone,
            f"{km(d.run_distance_14d_m, 1)} in the last 14 days against "
            f"{km(d.run_distance_prev_14d_m, 1)} in the 14 before. More than "
            f"+{p.progression_reduce * 100:.0f} % came with more injuries "
            f"({cite('nielsen-2014')}).",
        ),
        Verdict(
            "monotony",
            "Monotony",
            number(d.monotony, 2),
            f"a ratio, no unit; strain {number(d.strain, 0)} load points",
            mono_word,
            mono_tone,
            "How alike your last 7 days were: a week's mean daily load divided by its spread. "
            f"Above {p.monotony_reduce:g} every day is alike; vary easy and hard days "
            f"({cite('foster-1998')}). Strain is the week's load points times monotony.",
        ),
        Verdict(
            "recovery",
            "Days since a rest day",
            str(d.days_since_rest),
            "day" if d.days_since_rest == 1 else "days",
            rest_word,
            rest_tone,
            f"After {p.max_days_without_rest} training days in a row the next day is a rest "
            f"day. {d.consecutive_run_days} run day{'' if d.consecutive_run_days == 1 else 's'} "
            "in a row.",
        ),
        Verdict(
            "form",
            "Fitness · fatigue · form",
            f"{number(d.fitness, 0)} · {number(d.fatigue, 0)} · {number(d.form, 0)}",
            "load points a day",
            form_word,
            "info",
            "Fitness is your load a day over 42 days, fatigue over 7 days; form is fitness "
            "minus fatigue. No limit applies: a picture of how much you train. A load point is "
            "about a minute of easy running.",
        ),
    )
