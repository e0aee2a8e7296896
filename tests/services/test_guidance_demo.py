"""The demo athlete's story through the daily guidance: the spike after week 9, the downhill
after week 12, the worn shoes, and a calm ``run`` on the quiet last day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from backstride.config import Settings
from backstride.services.context import App
from backstride.services.demo_load import DemoLoaded
from backstride.services.guidance import TodayAdvice, today

END = date(2026, 3, 15)


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> Iterator[tuple[App, DemoLoaded]]:
    settings, loaded = demo_settings
    app = App(settings)
    yield app, loaded
    app.close()


def _ids(advice: TodayAdvice) -> list[str]:
    return [f.id for f in advice.findings]


def test_the_day_after_the_week_9_spike(demo: tuple[App, DemoLoaded]) -> None:
    app, loaded = demo
    advice = today(app, on=loaded.story.spike_run_date + timedelta(days=1))
    spike = next(f for f in advice.findings if f.id == "load.single_run_spike")
    assert spike.evidence["spike_pct"] >= 50
    assert spike.level == "reduce"
    assert advice.decision in ("run_easy", "cross_train", "rest")


def test_the_day_after_the_week_12_downhill(demo: tuple[App, DemoLoaded]) -> None:
    app, loaded = demo
    advice = today(app, on=loaded.story.downhill_run_date + timedelta(days=1))
    downhill = next(f for f in advice.findings if f.id == "terrain.downhill")
    assert downhill.evidence["steep_descent_m"] >= 1000
    assert downhill.level == "reduce"  # she has stenosis
    assert "pain.leg_symptom_pattern" in _ids(advice)


def test_the_worn_shoes_and_a_quiet_rest_day_in_her_plan(demo: tuple[App, DemoLoaded]) -> None:
    app, loaded = demo
    advice = today(app, on=loaded.story.end)
    assert advice.advice.decision == "run"  # the guidance alone: nothing argues against a run
    assert advice.decision == "rest"  # ... but her plan has a rest day, and it stands
    assert advice.planned is not None and advice.planned.kind == "rest"
    worn = next(f for f in advice.findings if f.id == "gear.shoes_worn")
    assert worn.evidence["shoe"] == "Daily trainer"
    assert worn.evidence["km"] >= 700
    assert all(f.level in ("info", "caution") for f in advice.findings)
