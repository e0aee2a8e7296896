"""The Load page: each figure with its unit and a verdict against the threshold in force,
legends that say what they mean, and runs shorter than the longest called shorter."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from fastapi.testclient import TestClient

from backstride.domain.load import DayLoad
from backstride.domain.params import DEFAULT_GUIDANCE_PARAMS
from backstride.web.views.load import load_verdicts, spike_label
from tests.web.conftest import HISTORY_END


def _day(**overrides: object) -> DayLoad:
    values: dict[str, object] = {}
    for f in dataclasses.fields(DayLoad):
        values[f.name] = 0 if f.type in ("int", "float") else None
    values.update(
        day=date(2026, 3, 1),
        run_distance_m=0.0,
        run_time_s=0.0,
        load=0.0,
        runs=0,
        sessions=0,
        hard_sessions=0,
        run_distance_14d_m=20_000.0,
        run_distance_prev_14d_m=18_000.0,
        progression=0.11,
        acute_load=50.0,
        chronic_load=45.0,
        load_ratio=1.1,
        monotony=1.4,
        strain=500.0,
        fitness=45.0,
        fatigue=50.0,
        form=-5.0,
        days_since_rest=2,
        consecutive_run_days=1,
    )
    values.update(overrides)
    return DayLoad(**values)  # type: ignore[arg-type]


def _by_key(day: DayLoad) -> dict[str, tuple[str, str]]:
    return {v.key: (v.verdict, v.tone) for v in load_verdicts(day, DEFAULT_GUIDANCE_PARAMS)}


def test_every_figure_within_its_threshold_is_green() -> None:
    verdicts = _by_key(_day())
    for key in ("ratio", "progression", "monotony", "recovery"):
        assert verdicts[key][1] == "ok" and verdicts[key][0].startswith("Within"), key
    assert verdicts["form"] == ("More tired than usual", "info")


@pytest.mark.parametrize(
    ("key", "overrides"),
    [
        ("ratio", {"load_ratio": 1.51}),
        ("progression", {"progression": 0.31}),
        ("monotony", {"monotony": 2.01}),
        ("recovery", {"days_since_rest": 7}),
    ],
)
def test_a_figure_above_its_threshold_says_so(key: str, overrides: dict[str, object]) -> None:
    verdict, tone = _by_key(_day(**overrides))[key]
    assert verdict.startswith("Above") and tone == "caution"


def test_thresholds_come_from_the_params_in_force() -> None:
    stricter = dataclasses.replace(DEFAULT_GUIDANCE_PARAMS, monotony_reduce=1.3)
    verdicts = {v.key: v for v in load_verdicts(_day(), stricter)}
    assert verdicts["monotony"].verdict == "Above 1.3"


def test_no_verdict_without_data_or_a_base() -> None:
    verdicts = _by_key(_day(load_ratio=None, run_distance_prev_14d_m=1000.0))
    assert verdicts["ratio"] == ("Not enough data yet", "info")
    assert verdicts["progression"] == ("Too little running before to compare", "info")


def test_shorter_runs_are_called_shorter() -> None:
    assert spike_label("le_10", 0.4) == "60 % shorter than the longest"
    assert spike_label("le_10", 1.05) == "5 % longer than the longest"
    assert spike_label("30_100", 1.6) == "60 % longer than the longest"
    assert "reference" not in spike_label("le_10")


def test_load_page_shows_units_and_verdicts(seeded_client: TestClient) -> None:
    text = seeded_client.get(f"/load?on={HISTORY_END.isoformat()}&weeks=12").text
    assert "load points a day" in text and "running distance" in text
    assert "(reference)" not in text
    assert 'id="figure-ratio"' in text and 'id="figure-monotony"' in text
    assert "Within" in text or "Above" in text
    assert "Acute: the last 7 days&#39; load a day" in text or "Acute: the last 7 days" in text
