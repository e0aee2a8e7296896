"""View models of the body pages (profile, check-in, diary, self-tests, shoes).

Words for the vocabularies, badges for states and verdicts, the Diary chart (pain over the
daily load, server-rendered SVG like ``charts.py``) and the shoes' wear bars. No queries and
no computation of pain rules, norms or distances here: the services and the domain compute;
this module arranges and formats what they return.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backstride.domain.body import SPINE_CONDITIONS, Condition, Experience, Sex
from backstride.domain.load import DayLoad
from backstride.domain.pain import (
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    SeenOutcome,
    Urgency,
    pain_zone,
)
from backstride.domain.selftest import TESTS, SelfTestName
from backstride.domain.units import to_distance
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
from backstride.web.formatting import units as display_units

# --- words ----------------------------------------------------------------------------------------

WHEN_WORDS: Mapping[str, str] = {
    PainWhen.BEFORE.value: "Before a run",
    PainWhen.DURING.value: "During a run",
    PainWhen.AFTER.value: "After a run",
    PainWhen.NEXT_MORNING.value: "The morning after a run",
    PainWhen.REST_DAY.value: "A rest day",
}
WHEN_SHORT: Mapping[str, str] = {
    PainWhen.BEFORE.value: "before",
    PainWhen.DURING.value: "during",
    PainWhen.AFTER.value: "after",
    PainWhen.NEXT_MORNING.value: "next morning",
    PainWhen.REST_DAY.value: "rest day",
}
SITE_WORDS: Mapping[str, str] = {
    PainSite.LOW_BACK.value: "Low back",
    PainSite.UPPER_BACK.value: "Middle or upper back",
    PainSite.BUTTOCK_LEFT.value: "Left buttock",
    PainSite.BUTTOCK_RIGHT.value: "Right buttock",
    PainSite.LEG_LEFT.value: "Left leg",
    PainSite.LEG_RIGHT.value: "Right leg",
    PainSite.LOWER_LEG_LEFT.value: "Left leg below the knee",
    PainSite.LOWER_LEG_RIGHT.value: "Right leg below the knee",
}
FEEL_WORDS: Mapping[str, str] = {
    PainFeel.ACHE.value: "Ache",
    PainFeel.SHARP.value: "Sharp",
    PainFeel.BURNING.value: "Burning",
    PainFeel.NUMBNESS.value: "Numbness",
    PainFeel.TINGLING.value: "Tingling (pins and needles)",
    PainFeel.STIFFNESS.value: "Stiffness",
}
ZONE_LABELS: Mapping[str, tuple[str, str]] = {
    "safe": ("safe (0–2)", "badge-ok"),
    "acceptable": ("acceptable (3–5)", "badge-caution"),
    "too-much": ("too much (above 5)", "badge-alert"),
}
VERDICT_LABELS: Mapping[str, tuple[str, str]] = {
    "within": ("within the rules", "badge-ok"),
    "outside": ("outside the rules", "badge-alert"),
    # Never "fine": without the next morning nobody knows yet.
    "not-known-yet": ("not known yet", "badge-info"),
}
SETTLED_LABELS: Mapping[str, str] = {
    "yes": "settled",
    "no": "not settled",
    "not-known-yet": "not known yet",
}
TREND_LABELS: Mapping[str, str] = {
    "rising": "rising",
    "steady": "steady",
    "falling": "falling",
    "no-week-before": "no week before to compare",
}
CLEARANCE_LABELS: Mapping[str, tuple[str, str]] = {
    "needed": ("Clearance needed", "alert"),
    "not-screened": ("Screening not done yet", "caution"),
    "cleared": ("Cleared by a physician", "ok"),
    "not-needed": ("No clearance needed", "ok"),
}
SHOE_STATE_LABELS: Mapping[str, tuple[str, str]] = {
    "ok": ("in good shape", "badge-ok"),
    "inspect": ("inspect them", "badge-caution"),
    "retire": ("replace them", "badge-alert"),
    "retired": ("retired", "badge-info"),
}
RATING_LABELS: Mapping[str, tuple[str, str]] = {
    "poor": ("poor", "badge-alert"),
    "below-average": ("below average", "badge-caution"),
    "average-or-better": ("average or better", "badge-ok"),
    "below-usual-range": ("below the usual range", "badge-caution"),
    "usual-range": ("usual range", "badge-ok"),
    "above-usual-range": ("above the usual range", "badge-ok"),
    "pass": ("pass", "badge-ok"),
    "fail": ("fail", "badge-caution"),
}
SEX_WORDS: Mapping[str, str] = {
    Sex.UNSPECIFIED.value: "Not given",
    Sex.FEMALE.value: "Female",
    Sex.MALE.value: "Male",
}
EXPERIENCE_WORDS: Mapping[str, str] = {
    Experience.NEW.value: "New to running",
    Experience.RETURNING.value: "Returning after a break",
    Experience.REGULAR.value: "Running regularly",
}
CONDITION_LABELS: Mapping[str, str] = {
    Condition.LUMBAR_SPINAL_STENOSIS.value: "Lumbar spinal stenosis",
    Condition.DISC_HERNIATION.value: "Disc herniation",
    Condition.SPONDYLOLISTHESIS.value: "Spondylolisthesis",
    Condition.OTHER_SPINE.value: "Another spine condition",
    Condition.HIP_PROBLEM.value: "Hip problem",
    Condition.OSTEOPOROSIS.value: "Osteoporosis (thin bones)",
    Condition.RECENT_ILLNESS.value: "Recent illness",
    Condition.HEART_CONDITION.value: "Heart condition",
    Condition.IMMUNOSUPPRESSION.value: "Weakened immune system (medicines or an illness)",
    Condition.LONG_TERM_STEROIDS.value: "Steroid tablets, now or for months in the past",
    Condition.PAST_CANCER.value: "Cancer, now or in the past",
}
OUTCOME_CHOICES: tuple[tuple[str, str], ...] = (
    (SeenOutcome.MAY_TRAIN.value, "I may train"),
    (SeenOutcome.MAY_NOT.value, "I may not train yet"),
    (SeenOutcome.NOT_KNOWN.value, "Not yet known"),
)
URGENCY_HEADINGS: Mapping[str, str] = {
    Urgency.EMERGENCY.value: "Emergency: get help now",
    Urgency.SAME_DAY.value: "See a doctor today",
    Urgency.PROMPT.value: "See a doctor within days",
}
SPINE_CONDITION_VALUES = frozenset(c.value for c in SPINE_CONDITIONS)
UNIT_WORDS: Mapping[str, str] = {
    "s": "seconds",
    "cm": "centimetres",
    "deg": "degrees",
    "pass/fail": "pass or fail",
}


def zone_label(score: int) -> tuple[str, str]:
    """(words, badge class) of a pain score's zone (Silbernagel 2007, via the domain)."""
    return ZONE_LABELS[pain_zone(score)]


def test_title(name: str) -> str:
    """A self-test's title for a name such as ``side-bridge-left``."""
    return TESTS[SelfTestName(name)].title


# --- the Diary chart: pain over the daily load ----------------------------------------------------

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


# --- shoes: the wear bar --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WearBar:
    """A pair's distance against its inspect and retire marks, in SVG units."""

    width: int
    height: int
    track_x: float
    track_w: float
    fill_w: float
    css: str
    inspect_x: float
    retire_x: float
    inspect_label: str
    retire_label: str
    inspect_anchor: str
    retire_anchor: str
    title: str


def wear_bar(
    *, distance_km: float, inspect_km: float, retire_km: float, state: str, name: str
) -> WearBar:
    """The bar spans 0 to a little past the larger of the retire mark and the distance."""
    width, height, pad = 320, 56, 6.0
    top = max(retire_km * 1.1, distance_km * 1.05, 1.0)
    scale = Scale(0.0, top, pad, width - pad)
    fill = max(0.0, min(distance_km, top))
    inspect_x = round(scale(inspect_km), 1)
    retire_x = round(scale(retire_km), 1)

    def anchor(x: float) -> str:
        return "end" if x > 100 else "start"

    return WearBar(
        width=width,
        height=height,
        track_x=pad,
        track_w=width - 2 * pad,
        fill_w=round(scale(fill) - pad, 1),
        css=f"wear-fill wear-{state}",
        inspect_x=inspect_x,
        retire_x=retire_x,
        inspect_label=f"inspect {_limit(inspect_km)}",
        retire_label=f"replace {_limit(retire_km)}",
        inspect_anchor=anchor(inspect_x),
        retire_anchor=anchor(retire_x),
        title=(
            f"{name}: {_limit(distance_km)}; inspect at {_limit(inspect_km)}, replace by "
            f"{_limit(retire_km)}"
        ),
    )


def _limit(km: float) -> str:
    """A shoe distance (given in km) in the runner's units, whole: ``500 km``, ``311 mi``."""
    units = display_units()
    return f"{to_distance(km * 1000.0, units):.0f} {units}"
