"""Scenario tests of the run/walk plan through the real command line: a runner answers the
screen, starts a plan, logs runs with ``backstride log``, checks in pain with ``backstride pain
add``, and asks ``backstride plan today|show`` as the simulated weeks go by.

All dates lie in the past (entries cannot be dated in the future), so each command is given
the simulated day with ``--on``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

TODAY = date.today()
START = (TODAY - timedelta(days=200)) - timedelta(days=(TODAY - timedelta(days=200)).weekday())
RUN_OFFSETS = (0, 2, 5)  # mon, wed, sat


def ok(result: CliResult) -> CliResult:
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def answers_file(tmp_path: Path, **yes: bool) -> Path:
    from backstride.services.body import screening_questions

    data: dict[str, bool] = {q.question.key: False for q in screening_questions()}
    data["regularly-active"] = True
    data.update({k.replace("_", "-"): v for k, v in yes.items()})
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class Runner:
    """A simulated runner driving the CLI."""

    def __init__(self, cli: Cli, tmp_path: Path) -> None:
        self.cli = cli
        self.tmp_path = tmp_path

    def screen(self, on: date, **yes: bool) -> None:
        path = answers_file(self.tmp_path, **yes)
        ok(self.cli("screen", "--answers", str(path), "--on", on.isoformat()))

    def start(self, *extra: str, start: date = START) -> CliResult:
        return self.cli(
            "plan", "start", "--goal", "5k", "--days", "mon,wed,sat",
            "--start", start.isoformat(), *extra,
        )  # fmt: skip

    def run(self, day: date, *, during: int = 1, morning: int | None = 0, minutes: int = 25) -> int:
        result = ok(
            self.cli(
                "log",
                "--on",
                day.isoformat(),
                "--sport",
                "run",
                "--duration",
                f"{minutes}m",
                "--distance",
                "3km",
            )  # fmt: skip
        )
        match = re.search(r"activity (\d+)", result.stdout)
        assert match
        ok(self.pain(day, "during", during))
        if morning is not None:
            ok(self.pain(day + timedelta(days=1), "next-morning", morning))
        return int(match.group(1))

    def pain(self, day: date, when: str, score: int, *extra: str) -> CliResult:
        return self.cli(
            "pain", "add", "--on", day.isoformat(), "--when", when, "--score", str(score), *extra
        )

    def week(self, monday: date, **kw: Any) -> None:
        for offset in RUN_OFFSETS:
            self.run(monday + timedelta(days=offset), **kw)

    def today(self, day: date) -> dict[str, Any]:
        data: dict[str, Any] = ok(
            self.cli("plan", "today", "--on", day.isoformat(), "--no-guidance", "--json")
        ).json()
        return data

    def show(self, day: date) -> dict[str, Any]:
        data: dict[str, Any] = ok(
            self.cli("plan", "show", "--on", day.isoformat(), "--json")
        ).json()
        return data


@pytest.fixture
def runner(cli: Cli, tmp_path: Path) -> Runner:
    r = Runner(cli, tmp_path)
    r.screen(START - timedelta(days=30))
    return r


def lived(show: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in show["weeks"] if not w["projected"]]


# --- the scenarios -------------------------------------------------------------------------------


@pytest.mark.slow  # nine weeks of runs and check-ins, each a command
def test_smooth_progression_finishes_in_nine_weeks(runner: Runner) -> None:
    ok(runner.start())
    for n in range(9):
        monday = START + timedelta(weeks=n)
        today = runner.today(monday)
        assert today["kind"] == "run"
        assert today["template_week"] == n + 1, f"week {n + 1} starts on {monday}"
        runner.week(monday)
    end = START + timedelta(weeks=9, days=1)
    show = runner.show(end)
    weeks = lived(show)
    assert [w["template_week"] for w in weeks] == list(range(1, 10))
    assert [w["outcome"] for w in weeks] == ["advance"] * 8 + ["finished"]
    assert show["plan"]["status"] == "finished"
    assert show["plan"]["ended_on"] == (START + timedelta(weeks=9)).isoformat()
    kinds = [e["kind"] for e in show["events"]]
    assert kinds[0] == "started" and kinds[-1] == "finished"
    # The last week is 30 minutes of continuous running.
    last_run = next(d for d in weeks[-1]["days"] if d["kind"] == "run")
    assert last_run["summary"] == "run 30 min"
    # Now the 10K plan may start.
    result = runner.cli(
        "plan", "start", "--goal", "10k", "--days", "tue,thu,sun",
        "--start", end.isoformat(), "--json",
    )  # fmt: skip
    assert ok(result).json()["plan"]["goal"] == "10k"


def test_amber_week_repeats_with_its_reason(runner: Runner) -> None:
    ok(runner.start())
    monday = START
    runner.run(monday)
    runner.run(monday + timedelta(days=2))
    runner.run(monday + timedelta(days=5), morning=None)  # no next-morning check-in
    next_monday = monday + timedelta(weeks=1)
    today = runner.today(next_monday)
    assert today["template_week"] == 1 and today["week_seq"] == 2
    show = runner.show(next_monday)
    first = lived(show)[0]
    assert first["outcome"] == "repeat"
    assert any("No next-morning check-in" in r for r in first["reasons"])
    assert any("Repeating week 1" in r for r in first["reasons"])
    text = ok(runner.cli("plan", "show", "--on", next_monday.isoformat())).stdout
    assert "Why weeks were repeated or stepped back" in text
    assert "No next-morning check-in" in text


def test_skipped_session_repeats_the_week(runner: Runner) -> None:
    ok(runner.start())
    runner.run(START)
    skip = ok(
        runner.cli(
            "plan", "skip", "--on", (START + timedelta(days=2)).isoformat(), "--reason", "work"
        )
    )
    assert "skipped" in skip.stdout
    runner.run(START + timedelta(days=5))
    show = runner.show(START + timedelta(weeks=1))
    first = lived(show)[0]
    assert first["outcome"] == "repeat"
    assert any("skipped (work)" in r for r in first["reasons"])


def test_red_session_steps_back_and_inserts_a_rest_day(runner: Runner) -> None:
    ok(runner.start())
    runner.week(START)  # week 1 within the rules
    week2 = START + timedelta(weeks=1)
    assert runner.today(week2)["template_week"] == 2
    runner.run(week2, during=7)  # pain during above 5: red at once
    wednesday = week2 + timedelta(days=2)
    rest = runner.today(wednesday)
    assert rest["kind"] == "inserted_rest"
    show = runner.show(wednesday)
    weeks = lived(show)
    assert weeks[1]["outcome"] == "step_back"
    assert any("7/10" in r for r in weeks[1]["reasons"])
    assert any("extra rest day" in r for r in weeks[1]["reasons"])
    # The stepped-back week starts the day after the rest day: Saturday is its first run.
    saturday = week2 + timedelta(days=5)
    session = runner.today(saturday)
    assert session["kind"] == "run"
    assert session["template_week"] == 1 and session["session_index"] == 1
    text = ok(runner.cli("plan", "show", "--on", saturday.isoformat())).stdout
    assert "stepped back" in text and "7/10" in text


def test_pain_not_settled_next_morning_steps_back(runner: Runner) -> None:
    ok(runner.start())
    runner.week(START)
    week2 = START + timedelta(weeks=1)
    runner.run(week2, during=3, morning=6)
    show = runner.show(week2 + timedelta(days=1))
    weeks = lived(show)
    assert weeks[1]["outcome"] == "step_back"
    assert any("not settled" in r for r in weeks[1]["reasons"])
    assert weeks[2]["template_week"] == 1


def test_red_flag_pauses_the_plan_until_seen(runner: Runner) -> None:
    ok(runner.start())
    runner.week(START)
    day = START + timedelta(weeks=1, days=1)
    flagged = runner.pain(day, "rest-day", 3, "--red-flag", "fever")
    assert flagged.exit_code == 0
    today = runner.today(day + timedelta(days=1))
    assert today["kind"] == "paused"
    assert today["paused"]["by_gate"] is True
    assert "fever" in today["paused"]["reason"]
    text = ok(runner.cli("plan", "today", "--on", (day + timedelta(days=1)).isoformat(),
                         "--no-guidance")).stdout  # fmt: skip
    assert "paused" in text.lower() and "pain seen" in text
    show = runner.show(day + timedelta(days=1))
    assert show["plan"]["paused"]["by_gate"] is True
    assert not show["gate"]["allowed"]
    # Seen by a doctor who has not said yet whether she may train: still paused.
    seen_on = day + timedelta(days=4)
    ok(runner.cli("pain", "seen", "--flag", "fever", "--on", seen_on.isoformat(), "--by", "GP"))
    waiting = runner.today(seen_on)
    assert waiting["kind"] == "paused"
    assert "may train" in waiting["paused"]["reason"]
    assert not runner.show(seen_on)["gate"]["allowed"]
    # "You may train": the plan resumes, one step back (week 2 becomes week 1 again).
    cleared_on = seen_on + timedelta(days=2)
    ok(runner.cli("pain", "seen", "--flag", "fever", "--on", cleared_on.isoformat(), "--by",
                  "GP", "--outcome", "may-train"))  # fmt: skip
    resumed = runner.today(cleared_on)
    assert resumed["kind"] != "paused"
    show = runner.show(cleared_on)
    weeks = lived(show)
    assert weeks[1]["outcome"] == "step_back"
    assert any("Paused from" in r for r in weeks[1]["reasons"])
    assert weeks[2]["template_week"] == 1
    assert weeks[2]["starts_on"] == cleared_on.isoformat()


def test_stenosis_runner_without_clearance_cannot_start(cli: Cli, tmp_path: Path) -> None:
    runner = Runner(cli, tmp_path)
    ok(cli("profile", "set", "--condition", "lumbar-spinal-stenosis", "--birth-year", "1958"))
    runner.screen(START - timedelta(days=30))
    refused = runner.start()
    assert refused.exit_code == 1
    assert "cannot start" in refused.stderr
    assert "clearance" in refused.stderr.lower()
    shown = cli("plan", "show", "--on", START.isoformat())
    assert shown.exit_code == 1 and "no running plan" in shown.stderr
    # With a recorded clearance the stenosis variant starts by default, walking and cycling.
    ok(cli("clearance", "add", "--on", (START - timedelta(days=10)).isoformat(), "--by", "Dr A"))
    started = ok(runner.start("--json")).json()
    assert started["plan"]["variant"] == "stenosis"
    assert any("flat" in n for n in started["notes"])
    first = runner.today(START)
    assert first["session"]["cycle_s"] > 0 and first["session"]["run_s"] == 0
    assert "downhill" in first["session"]["note"]
    # Its routines are flexion-biased: nothing rated "avoid".
    assert all(s["stenosis"] != "avoid" for s in first["cooldown"]["steps"])


def test_days_must_not_be_consecutive(runner: Runner) -> None:
    result = runner.cli("plan", "start", "--goal", "5k", "--days", "sat,sun,wed")
    assert result.exit_code == 1
    assert "Saturday and Sunday are consecutive days" in result.stderr
    result = runner.cli("plan", "start", "--goal", "5k", "--days", "sun,mon,wed")
    assert "Sunday and Monday are consecutive days" in result.stderr
    result = runner.cli("plan", "start", "--goal", "5k", "--days", "mon,wed")
    assert "3 run days" in result.stderr


def test_ten_k_needs_a_finished_five_k(runner: Runner) -> None:
    result = runner.cli("plan", "start", "--goal", "10k", "--days", "mon,wed,sat")
    assert result.exit_code == 1
    assert "builds on a finished 5K plan" in result.stderr


def test_second_plan_is_refused_while_one_runs(runner: Runner) -> None:
    ok(runner.start())
    again = runner.start()
    assert again.exit_code == 1 and "already have a 5K plan" in again.stderr
    ok(runner.cli("plan", "stop", "--on", (START + timedelta(days=3)).isoformat()))
    ok(runner.start(start=START + timedelta(weeks=2)))


def test_done_logs_the_warm_up_and_no_warmup_is_recorded(runner: Runner) -> None:
    ok(runner.start())
    done = ok(runner.cli("plan", "done", "--on", START.isoformat(), "--json")).json()
    assert done["mark"]["status"] == "done" and done["warmup_logged"] is True
    wed = START + timedelta(days=2)
    skipped = ok(runner.cli("plan", "done", "--on", wed.isoformat(), "--no-warmup", "--json"))
    assert skipped.json()["warmup_logged"] is False
    log = ok(runner.cli("routine", "log", "--on", wed.isoformat(), "--days", "7", "--json")).json()
    assert log["by_routine"]["warmup"] == {"done": 1, "skipped": 1, "days_done": 1}
    rest = runner.cli("plan", "done", "--on", (START + timedelta(days=4)).isoformat())
    assert rest.exit_code == 1 and "rest day" in rest.stderr


def test_pause_and_resume_repeat_the_week(runner: Runner) -> None:
    ok(runner.start())
    runner.run(START)
    ok(runner.cli("plan", "pause", "--on", (START + timedelta(days=1)).isoformat(),
                  "--reason", "a cold"))  # fmt: skip
    paused = runner.today(START + timedelta(days=2))
    assert paused["kind"] == "paused" and "a cold" in paused["paused"]["reason"]
    resume_on = START + timedelta(days=20)
    text = ok(runner.cli("plan", "resume", "--on", resume_on.isoformat())).stdout
    assert "two weeks or more" in text
    show = runner.show(resume_on)
    weeks = lived(show)
    assert weeks[0]["outcome"] in ("repeat", "step_back")
    assert weeks[1]["starts_on"] == resume_on.isoformat()


def test_export_writes_a_calendar_that_parses(runner: Runner, tmp_path: Path) -> None:
    from icalendar import Calendar

    ok(runner.start())
    target = tmp_path / "plan.ics"
    result = ok(runner.cli("plan", "export", "--ics", str(target), "--on", START.isoformat()))
    assert "Wrote" in result.stdout
    cal = Calendar.from_ical(target.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 9 * 5  # three runs, one strength and one cross-training day a week
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == len(events)
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART") == START
    assert "Brisk walk" in str(first["DESCRIPTION"])


def test_plan_today_with_guidance_names_the_decision(runner: Runner) -> None:
    ok(runner.start())
    data = ok(runner.cli("plan", "today", "--on", START.isoformat(), "--json")).json()
    assert data["guidance"] is not None
    assert data["guidance"]["decision"] in (
        "run", "run_easy", "cross_train", "rest", "see_professional", "urgent_care",
    )  # fmt: skip


def test_routine_commands_print_steps_and_json(cli: Cli) -> None:
    for name in ("warmup", "cooldown", "core", "mobility"):
        text = ok(cli("routine", name, "--on", "2026-03-02")).stdout
        assert "1." in text and "Source:" in text
        data = ok(cli("routine", name, "--on", "2026-03-02", "--json")).json()
        assert data["routine"] == name and data["steps"]
    warm = ok(cli("routine", "warmup", "--json")).json()
    assert warm["steps"][0]["exercise_id"] == "brisk-walk"
    assert warm["steps"][0]["minutes"] == 5
    bad = cli("routine", "core", "--minutes", "2")
    assert bad.exit_code == 1 and "--minutes" in bad.stderr
    listing = ok(cli("routine", "list", "--type", "cross_training", "--json")).json()
    assert {e["id"] for e in listing["exercises"]} >= {
        "cycling", "swimming", "walking", "elliptical", "rowing",
    }  # fmt: skip
    logged = ok(cli("routine", "done", "warmup", "--on", "2026-03-02", "--json")).json()
    assert logged["routine"] == "warmup" and logged["done"] is True
