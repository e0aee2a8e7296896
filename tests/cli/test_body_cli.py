"""The body commands end to end: profile, screen, clearance, pain (every red flag), checkin,
self-tests and shoes. Runs are logged with the real ``backstride log`` command."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.domain.pain import EMERGENCY_FLAGS, PROMPT_FLAGS, RED_FLAGS, RedFlag
from tests.databases import dump

Cli = Callable[..., Any]
TODAY = date.today()
DAY = TODAY - timedelta(days=10)
EMERGENCY_HEADLINE = "EMERGENCY: this needs emergency care today."
PROMPT_HEADLINE = "See a doctor within the next few days about this."


def log_run(cli: Cli, day: date = DAY, *, distance: str = "5km") -> int:
    result = cli(
        "log",
        "--on",
        day.isoformat(),
        "--sport",
        "run",
        "--duration",
        "30m",
        "--distance",
        distance,
    )
    assert result.exit_code == 0, result.stderr
    match = re.search(r"activity (\d+)", result.stdout)
    assert match
    return int(match.group(1))


def snapshot(db_url: str) -> list[str]:
    return dump(db_url)


def first_line(text: str) -> str:
    return text.lstrip("\n").splitlines()[0]


def feed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(a + "\n" for a in answers)))


def all_no() -> dict[str, bool]:
    from backstride.services.body import screening_questions

    out = {q.question.key: False for q in screening_questions()}
    out["regularly-active"] = True
    return out


# --- red flags, one by one --------------------------------------------------------------------


@pytest.mark.parametrize("flag", list(EMERGENCY_FLAGS), ids=lambda f: f.value)
def test_each_emergency_flag_answers_first_with_emergency_care(cli: Cli, flag: RedFlag) -> None:
    result = cli(
        "pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "3",
        "--red-flag", flag.value,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert first_line(result.stdout).startswith(EMERGENCY_HEADLINE)
    out = " ".join(result.stdout.split())
    assert "emergency department now" in out
    assert "112 in Europe, 999 in the UK, 911 in the US and Canada" in out
    assert "cauda equina syndrome" in out
    assert " ".join(RED_FLAGS[flag].plain.split()) in out
    assert f"backstride pain seen --flag {flag.value}" in out
    assert out.index("EMERGENCY") < out.index("Saved pain entry")
    listed = cli("pain", "list", "--json").json()
    assert listed["entries"][0]["red_flags"] == [flag.value]
    assert listed["entries"][0]["urgency"] == "emergency"
    assert [o["flag"] for o in listed["open_red_flags"]] == [flag.value]


@pytest.mark.parametrize("flag", list(PROMPT_FLAGS), ids=lambda f: f.value)
def test_each_prompt_flag_answers_first_with_see_a_doctor(cli: Cli, flag: RedFlag) -> None:
    result = cli(
        "pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "2",
        "--red-flag", flag.value,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert first_line(result.stdout) == PROMPT_HEADLINE
    out = " ".join(result.stdout.split())
    assert "GP or family doctor" in out and "this week" in out
    assert " ".join(RED_FLAGS[flag].plain.split()) in out
    assert "emergency department at once" in out  # what to do if it gets worse
    assert "EMERGENCY" not in out
    listed = cli("pain", "list", "--json").json()
    assert listed["entries"][0]["urgency"] == "prompt"


def test_red_flag_also_comes_first_after_a_run_entry(cli: Cli) -> None:
    log_run(cli)
    result = cli(
        "pain", "add", "--on", DAY.isoformat(), "--when", "after", "--score", "7",
        "--red-flag", "fever", "--red-flag", "both-legs-weak", "--where", "leg-left,leg-right",
    )  # fmt: skip
    assert first_line(result.stdout).startswith(EMERGENCY_HEADLINE)
    assert "mention it there too" in result.stdout


def test_an_unknown_red_flag_is_refused_and_nothing_is_stored(cli: Cli, db_url: str) -> None:
    cli("pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "1")
    before = snapshot(db_url)
    result = cli(
        "pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "3",
        "--red-flag", "bladder",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "'bladder' is not a known red flag" in result.stderr
    assert "bladder-change" in result.stderr  # the hint lists the real names
    assert result.stdout == ""
    assert snapshot(db_url) == before


def test_an_emergency_flag_is_shown_even_when_another_flag_is_misspelt(
    cli: Cli, db_url: str
) -> None:
    before = snapshot(db_url)
    result = cli(
        "pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "3",
        "--red-flag", "saddle-numbness", "--red-flag", "feverr",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing is announced before the input is checked
    err = " ".join(result.stderr.split())
    assert err.startswith("Error: " + EMERGENCY_HEADLINE)  # how to get help comes first
    assert "emergency department now" in err
    assert "Nothing was saved, because: 'feverr' is not a known red flag" in err
    assert "--red-flag saddle-numbness" in err  # and how to record it once corrected
    assert snapshot(db_url) == before


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers().filter(lambda n: not 0 <= n <= 10))
def test_a_score_outside_0_to_10_is_refused_and_nothing_is_stored(
    cli: Cli, db_url: str, score: int
) -> None:
    cli("pain", "list")  # creates and migrates the database
    before = snapshot(db_url)
    result = cli("pain", "add", "--when", "rest-day", "--score", str(score))
    assert result.exit_code == 1
    assert "Pain score must be between 0 and 10" in result.stderr
    assert snapshot(db_url) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--score", "4.5"], "is not a pain score"),
        (["--score", "3", "--on", (TODAY + timedelta(days=1)).isoformat()], "in the future"),
        (["--score", "3", "--when", "lunch"], "not a time for a pain check-in"),
        (["--score", "3", "--where", "knee"], "not a known place"),
        (["--score", "3", "--activity", "99"], "no activity with id 99"),
    ],
)
def test_bad_pain_input_is_refused_and_nothing_is_stored(
    cli: Cli, db_url: str, args: list[str], message: str
) -> None:
    cli("pain", "list")
    before = snapshot(db_url)
    base = ["pain", "add", "--when", "rest-day"]
    if "--when" in args:
        base = ["pain", "add"]
    if "--activity" in args:
        base = ["pain", "add", "--when", "after"]
    result = cli(*base, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(db_url) == before


# --- pain list, edit, delete, seen, report ----------------------------------------------------


def test_after_entry_links_to_the_days_run_and_list_shows_it(cli: Cli) -> None:
    run = log_run(cli)
    result = cli("pain", "add", "--on", DAY.isoformat(), "--when", "after", "--score", "4")
    assert f"linked to that day's run, activity {run}" in result.stdout
    assert "acceptable (3-5)" in result.stdout
    data = cli("pain", "list", "--since", DAY.isoformat(), "--json").json()
    assert data["entries"][0]["activity_id"] == run
    assert data["entries"][0]["zone"] == "acceptable"
    text = cli("pain", "list").stdout
    assert "4/10" in text and "after" in text


def test_edit_delete_and_errors(cli: Cli) -> None:
    cli("pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "2")
    edited = cli("pain", "edit", "1", "--score", "3", "--feels", "stiffness", "--notes", "cold")
    assert edited.exit_code == 0 and "Updated pain entry 1: 3/10" in edited.stdout
    flagged = cli("pain", "edit", "1", "--red-flag", "night-pain")
    assert first_line(flagged.stdout) == PROMPT_HEADLINE
    cleared = cli("pain", "edit", "1", "--red-flag", "none")
    assert PROMPT_HEADLINE not in cleared.stdout
    assert cli("pain", "list", "--json").json()["entries"][0]["red_flags"] == []
    assert cli("pain", "edit", "1").exit_code == 1
    assert cli("pain", "delete", "1", "--yes").stdout.startswith("Deleted pain entry 1")
    missing = cli("pain", "delete", "1", "--yes")
    assert missing.exit_code == 1 and "no pain entry with id 1" in missing.stderr


def test_seen_unpauses_and_report_json(cli: Cli) -> None:
    cli(
        "pain", "add", "--on", DAY.isoformat(), "--when", "rest-day", "--score", "3",
        "--red-flag", "fever",
    )  # fmt: skip
    seen = cli("pain", "seen", "--flag", "fever", "--on", DAY.isoformat(), "--by", "Dr Lee")
    assert seen.exit_code == 0
    assert "seen by Dr Lee about fever" in seen.stdout
    # Without --outcome off a terminal: not yet known, walking and gentle mobility only.
    out = " ".join(seen.stdout.split())
    assert "not yet known whether you may train" in out
    assert "walking and gentle mobility only" in out
    listed = cli("pain", "list", "--json").json()
    assert listed["open_red_flags"] == []
    assert [a["flag"] for a in listed["awaiting_clearance"]] == ["fever"]
    assert listed["awaiting_clearance"][0]["outcome"] == "not-known"
    ok = cli(
        "pain", "seen", "--flag", "fever", "--on", DAY.isoformat(), "--by", "Dr Lee",
        "--outcome", "may-train",
    )  # fmt: skip
    assert "Recorded as a clearance" in ok.stdout
    assert cli("pain", "list", "--json").json()["awaiting_clearance"] == []
    clearance = cli("clearance", "list", "--json").json()["clearances"][-1]
    assert clearance["by"] == "Dr Lee" and clearance["on"] == DAY.isoformat()
    assert "fever" in clearance["notes"] and "may train" in clearance["notes"]
    unknown = cli("pain", "seen", "--flag", "headache", "--on", DAY.isoformat())
    assert unknown.exit_code == 1 and "not a known red flag" in unknown.stderr


def test_pain_report_shows_not_known_yet_without_a_morning_check_in(cli: Cli) -> None:
    run = log_run(cli)
    cli("pain", "add", "--on", DAY.isoformat(), "--when", "after", "--score", "3")
    data = cli("pain", "report", "--json").json()
    row = next(r for r in data["runs"] if r["activity_id"] == run)
    assert row["verdict"] == "not-known-yet" and row["settled"] == "not-known-yet"
    text = cli("pain", "report").stdout
    assert "not known yet" in text
    assert "within the rules" not in text
    nxt = (DAY + timedelta(days=1)).isoformat()
    cli("pain", "add", "--on", nxt, "--when", "next-morning", "--score", "1")
    data = cli("pain", "report", "--json").json()
    row = next(r for r in data["runs"] if r["activity_id"] == run)
    assert row["verdict"] == "within"


# --- checkin ----------------------------------------------------------------------------------


def test_checkin_next_morning_asks_pain_then_where_then_red_flags(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = log_run(cli)
    morning = (DAY + timedelta(days=1)).isoformat()
    feed(monkeypatch, "11", "2", "low-back", "n", "n", "n", "stiffness")
    result = cli("checkin", "--on", morning)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "the morning after yesterday's run" in out
    pain_q = out.index("Pain right now")
    where_q = out.index("Where?")
    emergency_q = out.index("bladder or bowel control")
    same_day_q = out.index("a leg or foot getting weaker")
    prompt_q = out.index("a fever")
    assert pain_q < where_q < emergency_q < same_day_q < prompt_q
    # Past cancer and long-term steroids are asked about, not only new ones.
    assert "cancer now or at any time in the past" in out
    assert "steroid tablets now or for months in the past" in out
    assert "between 0 and 10, got 11" in out  # a wrong answer is explained and asked again
    entry = cli("pain", "list", "--json").json()["entries"][0]
    assert entry == {
        **entry,
        "day": morning,
        "when": "next-morning",
        "score": 2,
        "activity_id": run,
        "where": ["low-back"],
        "feels": ["stiffness"],
        "red_flags": [],
    }


def test_checkin_emergency_answer_shows_the_message_at_once(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed(monkeypatch, "4", "leg-left,leg-right", "y", "1,4")
    result = cli("checkin", "--on", DAY.isoformat(), "--when", "rest-day")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    after_questions = out[out.index("Which ones?") :]
    assert first_line(after_questions.split("\n", 1)[1]).startswith(EMERGENCY_HEADLINE)
    assert out.index(EMERGENCY_HEADLINE) < out.index("Saved pain entry")
    assert "a fever" not in out  # no more questions after an emergency answer
    entry = cli("pain", "list", "--json").json()["entries"][0]
    assert entry["red_flags"] == ["bladder-change", "both-legs-weak"]


def test_checkin_prompt_flag_and_walking_leg_pattern(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed(monkeypatch, "3", "leg-right", "n", "n", "y", "10", "5", "y", "y", "")
    result = cli("checkin", "--on", DAY.isoformat(), "--when", "rest-day")
    assert result.exit_code == 0, result.stderr
    assert PROMPT_HEADLINE in result.stdout
    assert "not one of the numbers 1-9" in result.stdout
    assert "worth a doctor's assessment" in result.stdout
    entry = cli("pain", "list", "--json").json()["entries"][0]
    assert entry["red_flags"] == ["night-pain"]
    assert entry["walking_leg_symptoms"] and entry["eases_sitting"]
    state = cli("clearance", "list", "--json").json()["state"]
    assert any(r["code"] == "pattern:walking-leg-symptoms" for r in state["reasons"])


# --- profile, screening, clearance ------------------------------------------------------------


def test_profile_set_and_show(cli: Cli) -> None:
    result = cli(
        "profile", "set", "--birth-year", "1962", "--sex", "female", "--resting-hr", "58",
        "--max-hr", "172", "--condition", "lumbar-spinal-stenosis", "--condition", "hip-problem",
        "--past-injury", "calf strain 2021", "--experience", "returning",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Clearance: needed" in result.stdout
    data = cli("profile", "show", "--json").json()
    assert data["conditions"] == ["lumbar-spinal-stenosis", "hip-problem"]
    assert (data["resting_hr_bpm"], data["max_hr_bpm"], data["birth_year"]) == (58, 172, 1962)
    assert data["past_injuries"] == ["calf strain 2021"]
    cli("profile", "set", "--condition", "none")
    assert cli("profile", "show", "--json").json()["conditions"] == []
    bad = cli("profile", "set", "--condition", "sciatica")
    assert bad.exit_code == 1 and "not a known condition" in bad.stderr
    assert cli("profile", "set").exit_code == 1


def test_screen_from_a_file_then_clearance(cli: Cli, tmp_path: Path) -> None:
    answers = {**all_no(), "regular-medication": True}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = cli("screen", "--answers", str(path), "--on", DAY.isoformat(), "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["yes_to"] == ["regular-medication"]
    assert data["clearance"]["status"] == "needed"
    added = cli(
        "clearance", "add", "--on", DAY.isoformat(), "--by", "Dr Jones, GP",
        "--restrictions", "No downhill running",
    )  # fmt: skip
    assert added.exit_code == 0
    assert "Clearance: cleared" in added.stdout
    listed = cli("clearance", "list", "--json").json()
    assert listed["clearances"][0]["by"] == "Dr Jones, GP"
    assert listed["state"]["plans_allowed"] is True
    future = cli("clearance", "add", "--on", (TODAY + timedelta(days=1)).isoformat(), "--by", "X")
    assert future.exit_code == 1 and "in the future" in future.stderr


def test_screen_asks_with_the_last_answers_as_defaults(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**all_no(), "chest-discomfort": True}), encoding="utf-8")
    assert cli("screen", "--answers", str(path), "--on", DAY.isoformat()).exit_code == 0
    n = len(all_no())
    feed(monkeypatch, *[""] * (n - 1), "y")  # Enter keeps each answer; the last becomes yes
    result = cli("screen", "--json")
    assert result.exit_code == 0, result.stderr
    prompts, brace, doc = result.stdout.partition('{\n  "answered_on"')  # questions, then JSON
    assert brace, result.stdout
    assert f"keep your answer of {DAY.isoformat()}" in prompts
    saved = json.loads(brace + doc)
    last_key = list(all_no())[-1]
    assert saved["answers"] == {**all_no(), "chest-discomfort": True, last_key: True}
    assert saved["answered_on"] == TODAY.isoformat()


def test_screen_bad_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"chest-discomfort": true}', encoding="utf-8")
    result = cli("screen", "--answers", str(path))
    assert result.exit_code == 1 and "missing" in result.stderr
    path.write_text("not json", encoding="utf-8")
    assert "Could not read the answers file" in cli("screen", "--answers", str(path)).stderr


def test_screen_interactively(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = cli("screen", "--questions", "--json").json()
    assert len(questions) == 12
    answers = ["n"] * 12
    answers[1] = "y"  # chest discomfort
    answers[10] = "y"  # regularly active
    feed(monkeypatch, *answers)
    result = cli("screen")
    assert result.exit_code == 0, result.stderr
    assert "Clearance: needed" in result.stdout
    assert "signs of heart disease" in result.stdout


# --- self-tests -------------------------------------------------------------------------------


def test_selftest_add_and_report(cli: Cli) -> None:
    on = DAY.isoformat()
    for name, value in [
        ("trunk-flexor-hold", "120"),
        ("trunk-extensor-hold", "1:40"),
        ("side-bridge-left", "60"),
        ("side-bridge-right", "70"),
        ("hip-flexor-length-left", "pass"),
    ]:
        result = cli("selftest", "add", "--on", on, name, value)
        assert result.exit_code == 0, result.stderr
    data = cli("selftest", "report", "--json").json()
    ratios = {r["name"]: r for r in data["ratios"]}
    assert ratios["flexion/extension"]["value"] == 1.2
    assert ratios["left/right side bridge"]["ok"] is False
    text = cli("selftest", "report").stdout
    assert "Endurance ratios" in text and "Sit on the floor" in text
    bad = cli("selftest", "add", "plank", "60")
    assert bad.exit_code == 1 and "not a known self-test" in bad.stderr
    bad_value = cli("selftest", "add", "hip-flexor-length-right", "maybe")
    assert bad_value.exit_code == 1 and "pass or fail" in bad_value.stderr


# --- shoes ------------------------------------------------------------------------------------


def test_shoes_add_default_list_and_retire(cli: Cli) -> None:
    added = cli("shoes", "add", "Blue Pegasus", "--start-km", "495", "--bought", "2025-01-10")
    assert added.exit_code == 0, added.stderr
    assert cli("shoes", "add", "blue pegasus").exit_code == 1
    assert cli("shoes", "default", "Blue Pegasus", "--sport", "run").exit_code == 0
    run = log_run(cli, distance="7km")
    assert cli("activity", "edit", str(run), "--shoes", "Blue Pegasus").exit_code == 0
    data = cli("shoes", "list", "--json").json()
    shoe = data["shoes"][0]
    assert shoe["distance_km"] == 502.0  # 495 + 7
    assert shoe["state"] == "inspect" and shoe["default_for"] == ["run"]
    assert any("past the 500 km mark" in w for w in data["warnings"])
    assert data["rotation"] is not None
    text = cli("shoes", "list").stdout
    assert "502.0 km" in text and "Malisoux 2015" in " ".join(text.split())
    retired = cli("shoes", "retire", "blue pegasus")
    assert "Retired 'Blue Pegasus' at 502.0 km" in retired.stdout
    assert cli("shoes", "list", "--json").json()["shoes"][0]["state"] == "retired"
    missing = cli("shoes", "default", "Red", "--sport", "run")
    assert missing.exit_code == 1 and "no shoes called 'Red'" in missing.stderr


def test_shoes_edit_thresholds(cli: Cli) -> None:
    cli("shoes", "add", "Racer", "--inspect-km", "300", "--retire-km", "450")
    edited = cli("shoes", "edit", "Racer", "--start-km", "460")
    assert edited.exit_code == 0 and "past the 450 km mark to replace" in edited.stdout
    bad = cli("shoes", "add", "Odd", "--inspect-km", "900")
    assert bad.exit_code == 1 and "below the retire distance" in bad.stderr
