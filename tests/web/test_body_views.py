"""View models of the record pages: the Diary chart, the shoes' wear bars, the window, the
words, and the record pages' stylesheet (palette colours only, so the contrast test covers them)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from backstride.domain.load import DayLoad
from backstride.domain.pain import PainEntry, PainWhen, RedFlag
from backstride.web.templating import STATIC_DIR
from backstride.web.views.pain import (
    PainChartInput,
    daily_load_chart,
    pain_load_chart,
    window_start,
)
from backstride.web.views.shoes import wear_bar
from backstride.web.views.words import VERDICT_LABELS, zone_label

START = date(2026, 3, 2)  # a Monday


def day_load(day: date, load: float, km: float = 0.0) -> DayLoad:
    zero = dict.fromkeys(DayLoad.__dataclass_fields__, 0)
    fields = {
        **zero,
        "day": day,
        "load": load,
        "run_distance_m": km * 1000,
        "progression": None,
        "progression_band": None,
        "load_ratio": None,
        "uncoupled_load_ratio": None,
        "monotony": None,
        "strain": None,
        "hours_since_previous_hard": None,
    }
    return DayLoad(**fields)


def test_wear_bar_positions_are_hand_computed() -> None:
    bar = wear_bar(distance_km=716, inspect_km=500, retire_km=800, state="inspect", name="Glide")
    # The bar spans 0..880 km (retire + 10 %) over 308 units from x = 6.
    assert bar.inspect_x == pytest.approx(181.0)
    assert bar.retire_x == pytest.approx(286.0)
    assert bar.fill_w == pytest.approx(250.6)
    assert bar.css == "wear-fill wear-inspect"
    assert bar.title == "Glide: 716 km; inspect at 500 km, replace by 800 km"
    worn = wear_bar(distance_km=1000, inspect_km=500, retire_km=800, state="retire", name="Old")
    # Past the retire mark the bar stretches to the distance plus 5 %: 0..1050 km.
    assert worn.fill_w == pytest.approx(293.3)
    assert worn.retire_x == pytest.approx(240.7)
    new = wear_bar(distance_km=0, inspect_km=5, retire_km=80, state="ok", name="New")
    assert new.fill_w == 0 and new.inspect_anchor == "start" and new.retire_anchor == "end"


def test_the_pain_chart_draws_scores_on_their_own_axis() -> None:
    days = [
        day_load(START, 0),
        day_load(START + timedelta(1), 50, 8),
        day_load(START + timedelta(2), 100),
    ]
    entries = [
        PainEntry(day=START + timedelta(1), when=PainWhen.NEXT_MORNING, score=2),
        PainEntry(day=START + timedelta(2), when=PainWhen.NEXT_MORNING, score=6),
        PainEntry(day=START + timedelta(2), when=PainWhen.AFTER, score=4),
        PainEntry(day=START + timedelta(9), when=PainWhen.REST_DAY, score=9),  # outside: left out
    ]
    chart = pain_load_chart(PainChartInput(days=days, entries=entries))
    assert chart.empty == ""
    # Plot: x 40..390 in 3 slots of 116.7; y 174 (0) .. 12 (10): 16.2 units a point.
    assert chart.bars == ()  # the load has its own chart and axis
    assert [(d.x, d.y, d.css) for d in chart.dots] == [
        (215.0, 141.6, "pain-dot pain-safe"),
        (330.2, 109.2, "pain-dot pain-acceptable"),
        (333.2, 76.8, "pain-dot pain-too-much"),
    ]
    assert chart.lines[0].d == "M215.0 141.6L333.2 76.8"
    assert [r.label for r in chart.rules] == ["2: safe", "5: acceptable"]
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    hover = chart.hovers[-1].title
    assert "Training load 100" in hover and "Pain after: 4/10" in hover
    assert "Pain next morning: 6/10" in hover
    assert all("load" not in item.label.lower() for item in chart.legend)


def test_the_load_chart_has_its_own_axis_in_load_points() -> None:
    days = [
        day_load(START, 0),
        day_load(START + timedelta(1), 50, 8),
        day_load(START + timedelta(2), 409),
    ]
    chart = daily_load_chart(days)
    assert chart.frame == pain_load_chart(PainChartInput(days=days, entries=[])).frame
    assert "load points" in chart.title
    labels = [t.label for t in chart.y_ticks]
    assert labels[0] == "0" and float(labels[-1]) >= 409
    assert [b.title for b in chart.bars][-1] == "Wed 4 Mar: training load 409 points"


def test_the_pain_chart_marks_red_flags_and_explains_an_empty_window() -> None:
    days = [day_load(START, 0), day_load(START + timedelta(1), 0)]
    empty = pain_load_chart(PainChartInput(days=days, entries=[]))
    assert empty.empty.startswith("No pain check-ins and no training")
    flagged = PainEntry(day=START, when=PainWhen.REST_DAY, score=3, red_flags=(RedFlag.FEVER,))
    chart = pain_load_chart(PainChartInput(days=days, entries=[flagged]))
    assert chart.bars == () and len(chart.dots) == 1
    assert chart.dots[0].title.endswith("rest day: 3/10 (red flag)")
    assert chart.lines == ()
    assert pain_load_chart(PainChartInput(days=[], entries=[flagged])).empty


def test_window_zone_and_verdict_words() -> None:
    assert window_start(date(2026, 3, 19), 1) == date(2026, 3, 16)
    assert window_start(date(2026, 3, 19), 8) == date(2026, 1, 26)
    assert [zone_label(s)[0] for s in (0, 2, 3, 5, 6, 10)] == [
        "safe (0–2)",
        "safe (0–2)",
        "acceptable (3–5)",
        "acceptable (3–5)",
        "too much (above 5)",
        "too much (above 5)",
    ]
    assert VERDICT_LABELS["not-known-yet"][0] == "not known yet"
    assert all("fine" not in label for label, _ in VERDICT_LABELS.values())


def test_the_body_stylesheet_uses_only_the_checked_palette() -> None:
    css = (STATIC_DIR / "body.css").read_text(encoding="utf-8")
    app_css = (STATIC_DIR / "app.css").read_text(encoding="utf-8")
    palette = set(re.findall(r"--([a-z0-9-]+):", app_css[: app_css.index("}")]))
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b|rgb\(|hsl\(", css) == []
    used = set(re.findall(r"var\(--([a-z0-9-]+)\)", css))
    assert used and used <= palette, used - palette
