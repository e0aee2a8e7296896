"""One coach, one answer (issue 13): every surface shows the same decision and session.

Each scenario is built the way a runner would (real FIT files through ``backstride import``,
``pain add``, ``plan start`` ... on the command line), then the day is read on every surface:
``backstride today --json`` (and its text), ``backstride plan today --json``, ``GET
/api/today``, ``GET /api/overview``, and the Today, Plan and Overview pages in chromium (the
decision block's ``data-decision`` and ``data-session``). All must agree, and give the
decision the scenario calls for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings, get_settings
from backstride.web.app import create_app
from tests.cli.scenario_kit import Runner, every
from tests.databases import DbBackend
from tests.web.conftest import start_server

pytestmark = pytest.mark.browser

D = date(2026, 6, 15)  # a Monday, in the past: plans are settled up to it
Cli = Callable[..., Any]
_BASE: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
"""(engine, history) -> a kept copy of the database built once, and the runner's ids."""


@dataclass(frozen=True)
class Seen:
    decision: str
    session: str | None


def _settings(db: str, root: Path) -> Settings:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BACKSTRIDE_CONFIG_FILE", str(root / "no-config.toml"))
        return get_settings(db=db, data_dir=str(root / "web-data"))


def _kind(session: dict[str, Any] | None) -> str | None:
    return session["kind"] if session else None


def surfaces(cli: Cli, db: str, root: Path, browser: Any, day: date) -> dict[str, Seen]:
    """The day's decision and session kind on every surface."""
    iso = day.isoformat()
    out: dict[str, Seen] = {}
    answer = cli("today", "--on", iso, "--json")
    assert answer.exit_code == 0, answer.stderr
    data = answer.json()
    out["cli today --json"] = Seen(data["decision"], _kind(data["session"]))
    assert "not medical advice" in data["disclaimer"]
    text = cli("today", "--on", iso).stdout
    assert data["headline"] in " ".join(text.split()), text[:300]
    assert "not medical advice" in " ".join(text.split())
    plan = cli("plan", "today", "--on", iso, "--json")
    if plan.exit_code == 0:
        p = plan.json()
        out["cli plan today --json"] = Seen(p["decision"], _kind(p["today"]["session"]))
        assert p["today"]["headline"] == data["headline"]
    settings = _settings(db, root)
    application = create_app(settings, allowed_hosts=["testserver"])
    try:
        client = TestClient(application, raise_server_exceptions=False)
        api = client.get(f"/api/today?on={iso}").json()
        out["GET /api/today"] = Seen(api["decision"], _kind(api["session"]))
        overview = client.get(f"/api/overview?on={iso}").json()["today"]
        out["GET /api/overview"] = Seen(overview["decision"], _kind(overview["session"]))
    finally:
        application.state.web.app.close()
    server = start_server(settings)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for name, path in (("Today page", "/today"), ("Plan page", "/plan"), ("Overview", "/")):
            response = page.goto(f"{server.url}{path}?on={iso}", wait_until="networkidle")
            assert response is not None and response.status == 200, path
            block = page.locator("#decision")
            session = block.locator("[data-session]")
            out[name] = Seen(
                str(block.get_attribute("data-decision")),
                session.get_attribute("data-session") if session.count() else None,
            )
            assert "not medical advice" in block.inner_text()
        assert errors == []
    finally:
        context.close()
        server.stop()
    return out


def assert_one_answer(seen: dict[str, Seen], decision: str, session: str | None) -> None:
    expected = Seen(decision, session)
    wrong = {name: s for name, s in seen.items() if s != expected}
    assert not wrong, f"expected {expected} everywhere; differs: {wrong}"
    assert len(seen) >= 6


# --- histories ------------------------------------------------------------------------------------


def _build_regular(r: Runner, *, weeks: int, km: float) -> None:
    """A regular runner: ``km`` on Tuesday, Thursday and Saturday for ``weeks`` weeks up to
    D - 2, each checked in after and the next morning; an all-"no" health screen."""
    start = D - timedelta(days=7 * weeks)
    r.profile("--experience", "regular", "--sex", "female", "--birth-year", "1980")
    r.screen(start - timedelta(days=7))
    days = every(start, D - timedelta(days=1), (1, 3, 5))
    for day in days:
        r.run(day, km)
    r.load()
    for day in days[-6:]:
        r.pain(day, "after", 1)
        r.pain(day + timedelta(days=1), "next-morning", 0)


@pytest.fixture
def runner(cli: Cli, tmp_path: Path) -> Runner:
    folder = tmp_path / "files"
    folder.mkdir()
    return Runner(cli, folder)


def _from_base(
    key: str,
    r: Runner,
    db_url: str,
    db_backend: DbBackend,
    factory: pytest.TempPathFactory,
    **build: Any,
) -> Runner:
    found = _BASE.get((db_backend.name, key))
    if found is None:
        _build_regular(r, **build)
        kept = db_backend.keep_copy(db_url, factory.mktemp(f"base-{key}"))
        _BASE[(db_backend.name, key)] = (kept, json.loads(json.dumps(r.ids)))
        return r
    db_backend.restore(found[0], db_url)
    r.ids = json.loads(json.dumps(found[1]))
    return r


@pytest.fixture
def regular(
    runner: Runner,
    db_url: str,
    db_backend: DbBackend,
    tmp_path_factory: pytest.TempPathFactory,
) -> Runner:
    """Five weeks of 3 km (18 minutes of running) three times a week."""
    return _from_base("5x3", runner, db_url, db_backend, tmp_path_factory, weeks=5, km=3.0)


def start_plan(r: Runner, days: str, start: date) -> dict[str, Any]:
    result: dict[str, Any] = r.ok(
        "plan", "start", "--goal", "5k", "--days", days, "--start", start.isoformat(), "--json"
    ).json()
    return result


@pytest.fixture
def db(db_url: str) -> str:
    return db_url


# --- the scenarios of issue 13 --------------------------------------------------------------


def test_a_plan_rest_day_with_calm_guidance_is_rest_everywhere(
    regular: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    start_plan(regular, "tue,thu,sat", D - timedelta(days=3))
    seen = surfaces(cli, db, tmp_path, browser, D)
    # Monday: a rest day of that plan
    assert_one_answer(seen, "rest", "rest")


def test_a_plan_run_day_after_a_60_percent_spike_is_a_shorter_session_everywhere(
    regular: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    start_plan(regular, "mon,wed,sat", D - timedelta(days=3))
    regular.run(D - timedelta(days=1), 4.8)  # Sunday: 4.8 km after 3 km runs (+60 %)
    regular.load()
    regular.pain(D - timedelta(days=1), "after", 1)
    regular.pain(D, "next-morning", 0)
    seen = surfaces(cli, db, tmp_path, browser, D)
    assert_one_answer(seen, "run_easy", "shorter")
    assert cli("today", "--on", D.isoformat(), "--json").json()["caps"]["cap_km"] == 3.0


def test_without_a_plan_an_easy_run_from_her_own_runs_and_never_as_planned(
    regular: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    seen = surfaces(cli, db, tmp_path, browser, D)
    assert_one_answer(seen, "run", "run")
    data = cli("today", "--on", D.isoformat(), "--json").json()
    assert "planned" not in (data["headline"] + data["summary"]).lower()
    assert "About 3 km" in data["session"]["what"]
    assert [s["key"] for s in data["steps"] if not s["done"]] == ["plan"]


def test_an_empty_database_says_start_here_everywhere(
    cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    seen = surfaces(cli, db, tmp_path, browser, D)
    assert_one_answer(seen, "start_here", None)
    data = cli("today", "--on", D.isoformat(), "--json").json()
    assert [s["key"] for s in data["steps"] if not s["done"]] == [
        "screening",
        "profile",
        "import",
        "plan",
    ]
    assert data["headline"] == "Answer the health questions first"


def test_an_open_emergency_flag_wins_everywhere(
    regular: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    start_plan(regular, "mon,wed,sat", D - timedelta(days=3))
    regular.pain(D - timedelta(days=1), "rest-day", 3, "--red-flag", "saddle-numbness")
    seen = surfaces(cli, db, tmp_path, browser, D)
    assert_one_answer(seen, "urgent_care", None)
    data = cli("today", "--on", D.isoformat(), "--json").json()
    assert data["attention"][0]["id"] == "redflag.saddle-numbness"


def _seen_after_emergency(r: Runner, outcome: str) -> None:
    """A plan since two weeks; an emergency sign four days ago; seen by A&E two days ago."""
    start_plan(r, "mon,wed,sat", D - timedelta(days=14))
    r.pain(D - timedelta(days=4), "rest-day", 3, "--red-flag", "saddle-numbness")
    seen_on = str(D - timedelta(days=2))
    r.ok("pain", "seen", "--flag", "saddle-numbness", "--on", seen_on, "--by", "A&E",
         "--outcome", outcome)  # fmt: skip


def test_after_pain_seen_without_a_clinician_s_ok_rest_everywhere(
    regular: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    _seen_after_emergency(regular, "not-known")
    seen = surfaces(cli, db, tmp_path, browser, D)
    # The emergency is closed, but until a clinician says she may train: walking and gentle
    # mobility only, on every surface, whatever the plan held.
    assert_one_answer(seen, "rest", "rest")
    data = cli("today", "--on", D.isoformat(), "--json").json()
    assert data["findings"][0]["id"] == "redflag.awaiting_clearance"
    assert data["attention"][0]["id"] == "redflag.awaiting_clearance"


def test_after_pain_seen_with_a_clinician_s_ok_the_plan_resumes_everywhere(
    regular: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    _seen_after_emergency(regular, "may-train")
    seen = surfaces(cli, db, tmp_path, browser, D)  # Monday: a run day of the plan again
    assert len(set(seen.values())) == 1, seen
    decision = next(iter(seen.values())).decision
    assert decision in ("run", "run_easy"), seen
    plan = cli("plan", "today", "--on", D.isoformat(), "--json").json()
    assert plan["kind"] == "run" and plan["paused"] is None


def test_eight_weeks_of_3_x_4_km_start_a_5k_plan_past_the_walk_breaks(
    runner: Runner, cli: Cli, db: str, tmp_path: Path, browser: Any
) -> None:
    _build_regular(runner, weeks=8, km=4.0)  # 4 km at 6:00/km: 24 minutes of running
    started = runner.ok(
        "plan", "start", "--goal", "5k", "--days", "mon,wed,fri", "--start", D.isoformat(), "--json"
    ).json()
    placement = started["placement"]
    assert placement["week"] == 7 and placement["matched_week"] == 7
    assert "24 minutes without a walking break" in placement["reasons"][0]
    first = started["first_week"]
    assert first["template_week"] == 7
    assert [d["label"] for d in first["days"] if d["kind"] == "run"] == ["Run", "Run", "Run"]
    seen = surfaces(cli, db, tmp_path, browser, D)
    # Monday: session 1 of week 7
    assert_one_answer(seen, "run", "run")
    plan = cli("plan", "today", "--on", D.isoformat(), "--json").json()
    assert plan["session"]["main"] == "run 24 min"
