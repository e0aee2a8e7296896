"""One synthetic history per row of DESIGN.md's causes table, built through the real importer
and command line, must yield the named finding and decision; a calm history must yield ``run``.

The calm base (built once, then copied per test with SQLite's backup API): a regular runner,
5 km runs on Tuesday, Thursday and Saturday for five weeks (FIT files with heart rate and
cadence), an easy ride on Wednesdays, a core routine logged on Thursdays, two pairs of shoes in
rotation, an all-"no" health screen, and pain check-ins of 0-1 for the last two weeks. Judged
on Monday D.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.scenario_kit import (
    Runner,
    above_info,
    every,
    finding,
    gpx_route,
    ids,
)

D = date(2025, 6, 16)  # a Monday
START = D - timedelta(days=35)  # a Monday five weeks earlier

Cli = Callable[..., Any]
_CACHE: dict[str, Path] = {}


def _build_calm(r: Runner) -> None:
    r.profile("--experience", "regular", "--sex", "female", "--birth-year", "1980")
    r.screen(START)
    for name in ("Road A", "Road B"):
        r.ok("shoes", "add", name, "--start-km", "100", "--bought", "2025-01-01")
    r.ok("shoes", "default", "Road A", "--sport", "run")
    run_days = every(START, D - timedelta(days=1), (1, 3, 5))
    files = [r.run(day, 5.0) for day in run_days]
    for day in every(START, D - timedelta(days=1), (2,)):
        r.ride(day)
    r.load()
    for k, f in enumerate(files):
        if k % 2:
            r.ok("activity", "edit", str(r.ids[f]), "--shoes", "Road B")
    for day in every(START, D - timedelta(days=1), (3,)):
        r.log(day, "strength", 20, "--rpe", "3", "--at", "18:00")
    for day in run_days[-6:]:
        r.pain(day, "after", 1)
        r.pain(day + timedelta(days=1), "next-morning", 0)


@pytest.fixture
def runner(cli: Cli, tmp_path: Path, db_url: str) -> Runner:
    """A fresh runner on an empty database."""
    folder = tmp_path / "files"
    folder.mkdir()
    return Runner(cli, folder)


@pytest.fixture
def calm(cli: Cli, tmp_path: Path, db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Runner:
    """The calm base, copied into this test's database."""
    folder = tmp_path / "files"
    folder.mkdir()
    r = Runner(cli, folder)
    target = Path(db_url.removeprefix("sqlite:///"))
    if "db" not in _CACHE:
        _build_calm(r)
        cache = tmp_path_factory.mktemp("calm-base")
        _backup(target, cache / "calm.sqlite3")
        (cache / "ids.json").write_text(json.dumps(r.ids))
        _CACHE["db"] = cache / "calm.sqlite3"
        _CACHE["ids"] = cache / "ids.json"
        return r
    _backup(_CACHE["db"], target)
    r.ids = json.loads(_CACHE["ids"].read_text())
    return r


def _backup(src: Path, dst: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()


def _saturday_run_id(r: Runner) -> int:
    sat = (D - timedelta(days=2)).isoformat()
    return next(i for name, i in r.ids.items() if name.startswith(sat))


# --- the calm history --------------------------------------------------------------------------


def test_calm_history_runs_with_nothing_above_info(calm: Runner) -> None:
    answer = calm.today(D)
    assert answer["decision"] == "run", ids(answer)
    assert above_info(answer) == []
    assert {"date", "decision", "advice", "findings", "disclaimer"} <= set(answer)
    assert "not medical advice" in answer["disclaimer"]
    assert answer["plan"] is None and "as planned" not in answer["headline"].lower()
    assert "Warm up" in answer["advice"]["summary"]


# --- too hard, too long, too soon --------------------------------------------------------------


def test_a_long_run_spike_gives_an_easy_capped_day(calm: Runner) -> None:
    calm.run(D, 8.0)
    calm.load()
    answer = calm.today(D + timedelta(days=1))
    f = finding(answer, "load.single_run_spike")
    assert f["evidence"]["run_km"] == 8.0
    assert f["evidence"]["longest_prev_30d_km"] == 5.0
    assert f["evidence"]["spike_pct"] == 60
    assert f["level"] == "reduce"
    assert answer["decision"] == "run_easy"
    assert answer["advice"]["cap_km"] == 5.0
    assert "Frandsen 2025" in f["source"] and f["sources"] == ["frandsen-2025"]


# --- too little recovery -----------------------------------------------------------------------


def _thin_one_week(r: Runner) -> None:
    """Delete two runs of the second-last week: her records no longer show 4 weeks of 2+
    runs, so her own answer about her experience counts (issue 13.3)."""
    days = ((D - timedelta(days=13)).isoformat(), (D - timedelta(days=11)).isoformat())
    gone = [i for name, i in r.ids.items() if name.startswith(days)]
    assert len(gone) == 2
    for activity_id in gone:
        r.ok("activity", "delete", str(activity_id), "--yes")


def test_a_returning_runner_running_two_days_in_a_row_cross_trains(calm: Runner) -> None:
    calm.profile("--experience", "returning")
    _thin_one_week(calm)
    calm.run(D - timedelta(days=1), 4.0)
    calm.load()
    answer = calm.today(D)
    f = finding(answer, "recovery.no_rest_day")
    assert f["evidence"]["consecutive_run_days"] == 2
    assert answer["decision"] == "cross_train"
    assert answer["advice"]["activities"][0]["activity"] == "cycling"


# --- the same thing over and over --------------------------------------------------------------


def test_running_the_same_run_six_days_a_week_asks_for_variety(runner: Runner) -> None:
    runner.profile("--experience", "regular")
    runner.screen(START)
    runner.ok("shoes", "add", "Road A", "--start-km", "50")
    runner.ok("shoes", "default", "Road A", "--sport", "run")
    for day in every(D - timedelta(days=28), D - timedelta(days=1), (0, 1, 2, 3, 4, 5)):
        runner.run(day, 5.0)
    runner.load()
    answer = runner.today(D)
    mono = finding(answer, "variety.monotony")
    assert mono["evidence"]["monotony"] > 2.0
    assert finding(answer, "variety.run_only")["evidence"]["running_share_28d_pct"] == 100
    assert answer["decision"] == "cross_train"
    works = " ".join(a["works"] for a in answer["advice"]["activities"])
    assert "thighs" in works and "trunk" in works


# --- delayed pain ------------------------------------------------------------------------------


def test_pain_not_settled_the_morning_after_asks_for_cross_training(calm: Runner) -> None:
    calm.pain(D - timedelta(days=1), "next-morning", 4, "--where", "low-back")
    answer = calm.today(D)
    f = finding(answer, "pain.not_settled")
    assert f["evidence"]["next_morning"] == 4
    assert answer["decision"] == "cross_train"


def test_a_missing_morning_check_in_is_said_not_guessed(calm: Runner) -> None:
    calm.run(D, 5.0)
    calm.load()
    answer = calm.today(D + timedelta(days=2))
    f = finding(answer, "data.no_morning_checkin")
    assert (f["level"], f["asks"]) == ("caution", "run")  # worth attention, not a decision


# --- improper equipment ------------------------------------------------------------------------


def test_worn_shoes_and_a_single_pair(calm: Runner) -> None:
    calm.ok("shoes", "retire", "Road B", "--on", (D - timedelta(days=1)).isoformat())
    calm.ok("shoes", "edit", "Road A", "--start-km", "520")
    answer = calm.today(D)
    worn = finding(answer, "gear.shoes_worn")
    assert worn["evidence"]["shoe"] == "Road A" and worn["evidence"]["state"] == "inspect"
    assert finding(answer, "gear.single_pair")["level"] == "info"
    assert answer["decision"] == "run"


# --- hills and uneven ground -------------------------------------------------------------------


def test_a_steep_descent_with_stenosis_names_the_gentlest_saved_route(calm: Runner) -> None:
    calm.profile("--condition", "lumbar-spinal-stenosis")
    calm.ok("clearance", "add", "--on", START.isoformat(), "--by", "Dr Jones, GP")
    trail = calm.run(D, 5.0, profile="steep", trail=True, fmt="gpx", name="Forest trail run")
    calm.load()
    calm.pain(D + timedelta(days=1), "next-morning", 1)
    river = calm.folder.parent / "river.gpx"
    river.write_bytes(gpx_route("River loop", 5.5))
    calm.ok("route", "add", str(river), "--name", "River loop")
    calm.ok("route", "from-activity", str(calm.ids[trail]), "--name", "Forest trail")
    listed = calm.ok("route", "list", "--json").json()
    assert [r["name"] for r in listed["routes"]] == ["River loop", "Forest trail"]

    answer = calm.today(D + timedelta(days=2))
    f = finding(answer, "terrain.downhill")
    assert f["evidence"]["steep_descent_m"] >= 1500
    assert f["level"] == "reduce"
    assert answer["decision"] == "run_easy"
    assert answer["advice"]["route"]["name"] == "River loop"
    assert "River loop" in answer["advice"]["route_note"]


# --- weak core or hips, poor flexibility -------------------------------------------------------


def test_weak_back_extensors_and_short_hamstrings(calm: Runner) -> None:
    on = (D - timedelta(days=3)).isoformat()
    for name, value in (
        ("trunk-flexor-hold", "120"),
        ("trunk-extensor-hold", "100"),
        ("side-bridge-left", "50"),
        ("side-bridge-right", "50"),
        ("straight-leg-raise-left", "60"),
        ("straight-leg-raise-right", "75"),
    ):
        calm.ok("selftest", "add", name, value, "--on", on)
    answer = calm.today(D)
    core = finding(answer, "body.core_endurance")
    assert core["evidence"]["flexion/extension"]["value"] == 1.2
    assert "straight-leg-raise-left" in finding(answer, "body.flexibility")["evidence"]
    assert answer["decision"] == "run"


# --- past injuries, illness, hip problems ------------------------------------------------------


def test_past_injury_makes_a_20_percent_step_an_easy_day(calm: Runner) -> None:
    calm.profile("--past-injury", "stress fracture, left shin (2019)")
    calm.run(D, 6.0)
    calm.load()
    answer = calm.today(D + timedelta(days=1))
    assert finding(answer, "history.past_injury")["level"] == "caution"
    spike = finding(answer, "load.single_run_spike")
    assert spike["evidence"]["spike_pct"] == 20 and spike["asks"] == "run_easy"
    assert answer["decision"] == "run_easy"


# --- a serious spinal problem ------------------------------------------------------------------


def test_stenosis_without_clearance_sends_to_the_physician(calm: Runner) -> None:
    calm.profile("--condition", "lumbar-spinal-stenosis")
    answer = calm.today(D)
    f = finding(answer, "screening.clearance_needed")
    assert answer["decision"] == "see_professional"
    assert f["level"] == "stop"
    assert any("physician" in p["who"] for p in answer["advice"]["professionals"])


def test_an_emergency_red_flag_comes_first_and_alone_until_seen(calm: Runner) -> None:
    calm.pain(D, "rest-day", 4, "--red-flag", "saddle-numbness")
    answer = calm.today(D)
    assert answer["decision"] == "urgent_care"
    assert answer["findings"][0]["id"] == "redflag.emergency"
    text = calm.text(D)
    first = text.strip().splitlines()[0]
    assert first.startswith("EMERGENCY")
    assert text.count("EMERGENCY: GET MEDICAL HELP TODAY") == 1
    calm.ok("pain", "seen", "--flag", "saddle-numbness", "--on", D.isoformat())
    after = calm.today(D)
    assert "redflag.emergency" not in ids(after)
    assert after["decision"] != "urgent_care"


def test_leg_symptoms_on_walking_without_a_diagnosis_need_a_doctor(calm: Runner) -> None:
    calm.pain(
        D - timedelta(days=1),
        "rest-day",
        3,
        "--where",
        "leg-left",
        "--walking-leg-symptoms",
        "--eases-sitting",
    )
    answer = calm.today(D)
    f = finding(answer, "pain.leg_symptom_pattern")
    assert f["asks"] == "see_professional"
    assert answer["decision"] == "see_professional"


# --- no warm-up --------------------------------------------------------------------------------


def test_a_skipped_warm_up_is_noted_and_the_advice_warms_up(calm: Runner) -> None:
    calm.ok("activity", "edit", str(_saturday_run_id(calm)), "--notes", "Skipped the warm-up walk.")
    answer = calm.today(D)
    f = finding(answer, "warmup.skipped")
    assert f["level"] == "caution"
    assert answer["decision"] == "run"
    assert "brisk walking" in answer["advice"]["summary"]


# --- settings ----------------------------------------------------------------------------------


def test_an_unknown_guidance_override_is_a_clear_config_error(
    calm: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_GUIDANCE_OVERRIDES", json.dumps({"spike_ratio": 1.2}))
    result = calm.cli("today", "--on", D.isoformat())
    assert result.exit_code == 2
    assert "Unknown guidance setting 'spike_ratio'" in result.stderr


def test_an_override_changes_the_answer(calm: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    calm.run(D, 6.0)  # +20 %: a caution by default
    calm.load()
    assert calm.today(D + timedelta(days=1))["decision"] == "run"
    monkeypatch.setenv("BACKSTRIDE_GUIDANCE_OVERRIDES", json.dumps({"spike_reduce_ratio": 1.15}))
    assert calm.today(D + timedelta(days=1))["decision"] == "run_easy"


def test_today_text_puts_the_decision_first_then_reasons_and_sources(calm: Runner) -> None:
    calm.run(D, 8.0)
    calm.load()
    text = calm.text(D + timedelta(days=1))
    lines = text.strip().splitlines()
    assert lines[0].startswith(f"{(D + timedelta(days=1)).isoformat()}: Run easy")
    assert "Why (most serious first):" in text
    assert "Source: Frandsen 2025" in text
