"""The Load page's view models: the weekly and daily charts, the run spikes, and each figure
against its threshold.

No queries and no computation of training figures here: the services and the domain compute;
this module only arranges and formats for the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from backstride.domain.evidence import cite
from backstride.domain.load import LOAD_RATIO_CAVEAT, DayLoad, LoadReport, RunSpike
from backstride.domain.params import GuidanceParams
from backstride.web.charts import (
    BarSpec,
    Chart,
    FloatArray,
    Formatter,
    LegendItem,
    SeriesSpec,
    bar_chart,
    line_chart,
)
from backstride.web.formatting import hours, km, number, signed_percent, units, week_label

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
