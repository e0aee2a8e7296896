"""The Diary (the pain diary) page's view models: the month shown, each run against the
pain-monitoring rules, the entries, and the chart of pain over the daily load (server-rendered
SVG like ``charts.py``).

No queries and no computation of pain rules here: the services and the domain compute; this
module arranges and formats what they return."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backstride.domain.load import DayLoad
from backstride.domain.pain import (
    OUTCOME_WORDS,
    RED_FLAGS,
    PainEntry,
    PainWhen,
    RunPainCheck,
    Urgency,
    pain_zone,
)
from backstride.errors import InvalidInputError
from backstride.services.context import App
from backstride.services.diary import PainReport, list_pain, pain_report
from backstride.web.charts import (
    BarSpec,
    Box,
    Chart,
    Dot,
    Frame,
    LegendItem,
    Path,
    Rule,
    Scale,
    Tick,
    bar_chart,
)
from backstride.web.context import runner_today
from backstride.web.deps import WebState
from backstride.web.reads import cached_load_report
from backstride.web.views import words
from backstride.web.views.words import WHEN_SHORT

DIARY_WEEKS = 8
WEEK_CHOICES = (4, 8, 12, 26)


def run_checks(app: App, entry: PainEntry) -> list[dict[str, Any]]:
    """The pain rules for the run(s) this entry is about (same day, or the day before for a
    next-morning check-in); empty for a rest day or a day without runs."""
    if entry.when is PainWhen.REST_DAY:
        return []
    run_day = entry.day - timedelta(days=1) if entry.when is PainWhen.NEXT_MORNING else entry.day
    report = pain_report(app, today=max(entry.day, run_day), since=run_day)
    runs = [
        c for c in report.runs if c.day == run_day and (entry.activity_id in (None, c.activity_id))
    ]
    return [run_row(c) for c in runs]


def run_row(check: RunPainCheck) -> dict[str, Any]:
    return {
        "activity_id": check.activity_id,
        "day": check.day,
        "before": check.before,
        "during": check.during,
        "during_zone": check.during_zone,
        "after": check.after,
        "after_zone": check.after_zone,
        "next_morning": check.next_morning,
        "usual_level": check.usual_level,
        "settled": check.settled,
        "verdict": check.verdict,
        "reasons": list(check.reasons),
    }


@dataclass(frozen=True, slots=True)
class DiaryMonth:
    """The calendar month a Diary page shows (``?month=YYYY-MM``), and its neighbours."""

    first: date
    last: date  # the month's last day, or today in the current month
    previous: date
    following: date | None  # None when the next month has not begun

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


def diary_month(month: str | None, *, on: date, today: date) -> DiaryMonth:
    """The month named ``YYYY-MM`` (else the month of ``on``), up to today at the latest."""
    if month:
        try:
            first = date.fromisoformat(f"{month.strip()[:7]}-01")
        except ValueError:
            raise InvalidInputError(
                f"'{month[:20]}' is not a month.", hint="Write it like 2026-11."
            ) from None
    else:
        first = on.replace(day=1)
    first = min(first, today.replace(day=1))
    following = (first + timedelta(days=32)).replace(day=1)
    last = min(following - timedelta(days=1), today)
    return DiaryMonth(
        first=first,
        last=last,
        previous=(first - timedelta(days=1)).replace(day=1),
        following=following if following <= today else None,
    )


def diary_data(web: WebState, *, on: date, weeks: int, since: date | None = None) -> dict[str, Any]:
    """The diary from ``since`` (default: ``weeks`` weeks back) to ``on``."""
    app = web.app
    since = since or window_start(on, weeks)
    weeks = max(weeks, (on - since).days // 7 + 2)  # the load report covers the window
    report: PainReport = pain_report(app, today=on, since=since)
    load = cached_load_report(web, on=on, weeks=weeks)
    days = [d for d in load.days if since <= d.day <= on]
    entries = list_pain(app, since=since, until=on).entries
    return {
        "on": on,
        "weeks": weeks,
        "week_choices": WEEK_CHOICES,
        "since": since,
        "report": report,
        "runs": [run_row(c) for c in sorted(report.runs, key=lambda c: c.day, reverse=True)],
        "prompt_flags": [o for o in report.open_red_flags if o.urgency is Urgency.PROMPT],
        "same_day_flags": [o for o in report.open_red_flags if o.urgency is Urgency.SAME_DAY],
        "awaiting": report.awaiting,
        "today": runner_today(),
        "pain_chart": pain_load_chart(PainChartInput(days=days, entries=entries)),
        "load_chart": daily_load_chart(days),
        "month": None,
        "entries": sorted(entries, key=lambda e: (e.day, e.id or 0), reverse=True),
        "rules": report.rules,
        "outcome_words": {k.value: v for k, v in OUTCOME_WORDS.items()},
        "red_flag_words": {f.value: info.plain for f, info in RED_FLAGS.items()},
        "w": words,
    }


def diary_context(
    web: WebState, on: date, weeks: int, *, month: DiaryMonth | None = None, **extra: Any
) -> dict[str, Any]:
    if month is not None:
        data = diary_data(web, on=month.last, weeks=weeks, since=month.first)
        data["month"] = month
    else:
        data = diary_data(web, on=on, weeks=weeks)
    return {**data, "saved": None, **extra}


# --- the Diary chart: pain over the daily load ---


PAIN_FRAME = Frame(width=400, height=200, left=40, right=10, top=12, bottom=26)


@dataclass(frozen=True, slots=True)
class PainChartInput:
    """The days of the window with their load, and the diary entries in it."""

    days: Sequence[DayLoad]
    entries: Sequence[PainEntry]


def _day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _entry_text(e: PainEntry) -> str:
    words = f"{WHEN_SHORT[e.when.value]}: {e.score}/10"
    if e.red_flags:
        words += " (red flag)"
    return words


def pain_load_chart(data: PainChartInput) -> Chart:
    """Pain scores on their own 0–10 axis: every entry is a dot coloured by its zone, the
    next-morning scores are joined by a line, and each day's column has a tooltip with the
    day's load and entries. The load itself is :func:`daily_load_chart`, on its own axis,
    drawn just below with the same days."""
    days = list(data.days)
    title = "Pain (0 to 10)"
    desc = (
        "Dots: pain scores from 0 to 10, coloured by zone (0–2 safe, 3–5 acceptable, above 5 "
        "too much); the line joins next-morning scores."
    )
    fr = PAIN_FRAME
    if not days:
        return Chart(key="pain-load", title=title, desc=desc, frame=fr, empty="No days to show.")
    first = days[0].day
    count = len(days)
    by_day: dict[date, list[PainEntry]] = {}
    for e in data.entries:
        if first <= e.day <= days[-1].day:
            by_day.setdefault(e.day, []).append(e)
    peak = max((d.load for d in days if math.isfinite(d.load)), default=0.0)
    if not by_day and peak <= 0:
        return Chart(
            key="pain-load",
            title=title,
            desc=desc,
            frame=fr,
            empty="No pain check-ins and no training in this window yet.",
        )
    slot = (fr.x1 - fr.x0) / count
    sy = Scale(0.0, 10.0, fr.y1, fr.y0)
    hovers: list[Box] = []
    dots: list[Dot] = []
    morning: list[tuple[float, float]] = []
    for i, d in enumerate(days):
        x = fr.x0 + i * slot
        centre = x + slot / 2
        lines = [f"{d.day:%a} {_day_label(d.day)}"]
        if peak > 0 and d.load > 0:
            lines.append(
                f"Training load {d.load:.0f}"
                + (f" ({d.run_distance_m / 1000:.1f} km run)" if d.run_distance_m > 0 else "")
            )
        found = sorted(by_day.get(d.day, []), key=lambda e: list(PainWhen).index(e.when))
        for j, e in enumerate(found):
            offset = (j - (len(found) - 1) / 2) * min(3.0, slot / 2)
            y = sy(float(e.score))
            zone = pain_zone(e.score)
            dots.append(
                Dot(
                    round(centre + offset, 1),
                    round(y, 1),
                    f"pain-dot pain-{zone}",
                    f"{_day_label(d.day)}, {_entry_text(e)}",
                    r=3.5,
                )
            )
            lines.append(f"Pain {_entry_text(e)}")
            if e.when is PainWhen.NEXT_MORNING:
                morning.append((centre + offset, y))
        if len(lines) > 1:
            hovers.append(Box(x, fr.y0, slot, fr.y1 - fr.y0, "hover", "\n".join(lines)))
    line_paths: tuple[Path, ...] = ()
    if len(morning) >= 2:
        d_attr = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in morning)
        line_paths = (Path(d_attr, "line-morning", "Next-morning pain"),)
    every = max(1, math.ceil(count / 6))
    x_ticks = tuple(
        Tick(fr.x0 + i * slot + slot / 2, _day_label(d.day))
        for i, d in enumerate(days)
        if i % every == 0
    )
    y_ticks = tuple(Tick(sy(v), f"{v:.0f}") for v in (0.0, 2.0, 4.0, 6.0, 8.0, 10.0))
    legend = [
        LegendItem("line-morning", "Next-morning pain"),
        LegendItem("pain-safe", "Pain 0–2"),
        LegendItem("pain-acceptable", "Pain 3–5"),
        LegendItem("pain-too-much", "Pain above 5"),
    ]
    return Chart(
        key="pain-load",
        title=title,
        desc=desc,
        frame=fr,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        y_label="pain (0–10)",
        lines=line_paths,
        rules=(
            Rule(sy(2.0), "rule rule-ok", "2: safe"),
            Rule(sy(5.0), "rule rule-caution", "5: acceptable"),
        ),
        dots=tuple(dots),
        hovers=tuple(hovers),
        legend=tuple(legend),
    )


def daily_load_chart(days: Sequence[DayLoad]) -> Chart:
    """Each day's training load in load points, on its own axis, with the same days (and the
    same frame) as the pain chart above it."""
    every = max(1, math.ceil(len(days) / 6))
    bars = [
        BarSpec(
            value=d.load if math.isfinite(d.load) else None,
            label=_day_label(d.day) if i % every == 0 else "",
            title=(
                f"{d.day:%a} {_day_label(d.day)}: training load {d.load:.0f} points"
                + (f" ({d.run_distance_m / 1000:.1f} km run)" if d.run_distance_m > 0 else "")
            ),
            css="bar bar-load",
        )
        for i, d in enumerate(days)
    ]
    return bar_chart(
        key="daily-load",
        title="Training load a day (load points)",
        desc=(
            "Each day's training load in load points (about 1 a minute of easy running, from "
            "heart rate or effort × minutes)."
        ),
        bars=bars,
        y_label="points",
        frame=PAIN_FRAME,
        legend=[LegendItem("bar-load", "Training load of the day, in load points")],
        empty="No training on these days.",
    )


def window_start(on: date, weeks: int) -> date:
    """The Monday ``weeks - 1`` weeks before the week holding ``on`` (ISO weeks, as the load)."""
    return on - timedelta(days=on.weekday()) - timedelta(weeks=weeks - 1)
