"""The demo athlete shows no contradiction (issue 13): for each of her last 14 days, every
command and page gives the same decision and session; her plan starts where her runs are and
her last week follows it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.demo_load import DemoLoaded
from backstride.web.app import create_app
from tests.web.conftest import LiveServer, start_server

pytestmark = pytest.mark.browser

END = date(2026, 3, 15)
Cli = Callable[..., Any]


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> tuple[Settings, DemoLoaded]:
    return demo_settings


@pytest.fixture(scope="module")
def server(demo: tuple[Settings, DemoLoaded]) -> Iterator[LiveServer]:
    live = start_server(demo[0])
    yield live
    live.stop()


def _kind(session: dict[str, Any] | None) -> str | None:
    return session["kind"] if session else None


@pytest.mark.slow  # 14 days x 2 commands, 2 API calls and 3 pages in chromium
def test_every_page_and_command_agree_on_each_of_the_demo_s_last_14_days(
    demo: tuple[Settings, DemoLoaded], server: LiveServer, cli: Cli, browser: Any
) -> None:
    settings, _ = demo
    db = settings.db
    application = create_app(settings, allowed_hosts=["testserver"])
    client = TestClient(application, raise_server_exceptions=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    decisions: dict[date, str] = {}
    try:
        for back in range(13, -1, -1):
            day = END - timedelta(days=back)
            iso = day.isoformat()
            seen: dict[str, tuple[str, str | None]] = {}
            today = cli("today", "--on", iso, "--json", db=db).json()
            seen["cli today"] = (today["decision"], _kind(today["session"]))
            plan = cli("plan", "today", "--on", iso, "--json", db=db)
            assert plan.exit_code == 0, plan.stderr
            p = plan.json()
            seen["cli plan today"] = (p["decision"], _kind(p["today"]["session"]))
            api = client.get(f"/api/today?on={iso}").json()
            seen["/api/today"] = (api["decision"], _kind(api["session"]))
            ov = client.get(f"/api/overview?on={iso}").json()["today"]
            seen["/api/overview"] = (ov["decision"], _kind(ov["session"]))
            for name, path in (("Today", "/today"), ("Plan", "/plan"), ("Overview", "/")):
                # "load", not "networkidle": the decision block is in the page as served, and
                # the pages' scripts (app.js, plan.js) set up on DOMContentLoaded, before load;
                # these pages ask for nothing after it, so networkidle only added its quiet
                # 500 ms to each of the 42 pages (21 s of the test's 45).
                page.goto(f"{server.url}{path}?on={iso}", wait_until="load")
                block = page.locator("#decision")
                session = block.locator("[data-session]")
                seen[name] = (
                    str(block.get_attribute("data-decision")),
                    session.get_attribute("data-session") if session.count() else None,
                )
            assert len(set(seen.values())) == 1, f"{iso}: {seen}"
            decisions[day] = today["decision"]
            if p["kind"] in ("rest", "inserted_rest"):
                assert today["decision"] in ("rest", "see_professional", "urgent_care"), iso
            if p["kind"] in ("strength", "cross_train"):
                assert today["decision"] not in ("run", "run_easy"), iso
        assert errors == []
    finally:
        context.close()
        application.state.web.app.close()
    assert len(decisions) == 14
    assert decisions[END] == "rest"  # her plan's rest day, calm guidance


def test_the_demo_plan_starts_where_her_runs_are_and_her_last_week_follows_it(
    demo: tuple[Settings, DemoLoaded], cli: Cli
) -> None:
    settings, loaded = demo
    data = cli("plan", "show", "--on", END.isoformat(), "--json", db=settings.db).json()
    started = data["events"][0]["message"]
    week = data["weeks"][0]
    assert data["plan"]["variant"] == "stenosis"
    assert data["plan"]["start_on"] == (END - timedelta(days=6)).isoformat()
    assert week["template_week"] > 4  # past the walk/cycle weeks: she runs already
    assert "One week back because your run on" in started  # the week-12 flare
    runs = {f.on for f in loaded.story.files if f.sport in ("run", "trail_run")}
    plan_runs = {date.fromisoformat(d["day"]) for d in week["days"] if d["kind"] == "run"}
    assert plan_runs == {d for d in runs if d >= END - timedelta(days=6)}
    assert all(d["light"] == "green" for d in week["days"] if d["kind"] == "run")
    assert {d["label"] for d in week["days"] if d["kind"] == "run"} == {"Run/walk"}


def test_the_demo_s_overview_lists_what_needs_attention(
    demo: tuple[Settings, DemoLoaded],
) -> None:
    settings, _ = demo
    application = create_app(settings, allowed_hosts=["testserver"])
    try:
        client = TestClient(application, raise_server_exceptions=False)
        data = client.get(f"/api/overview?on={END.isoformat()}").json()
        kinds = [a["kind"] for a in data["attention"]]
        assert "gear.shoes_worn" in kinds  # the daily trainer past the inspect mark
        worn = next(a for a in data["attention"] if a["kind"] == "gear.shoes_worn")
        assert worn["href"] == "/shoes" and worn["level"] == "caution"
        page = client.get(f"/?on={END.isoformat()}").text
        assert "Nothing needs your attention" not in page
        assert 'data-decision="rest"' in page
    finally:
        application.state.web.app.close()
