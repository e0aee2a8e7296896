"""The Plan and Exercises pages through TestClient, and in a real browser (phone size):
the calendar, today's session with its timer, done/skipped forms, reasons, hold timers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.activities import ManualEntry, log_manual
from backstride.services.body import record_screening, screening_questions
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.plan import show_plan, start_plan
from backstride.web.app import create_app
from tests.databases import DbBackend
from tests.web.conftest import PageProbe, make_settings, start_server

TODAY = date.today()
START = TODAY - timedelta(days=60) - timedelta(days=(TODAY - timedelta(days=60)).weekday())
TokenFn = Callable[[TestClient, str], str]


def screened(settings: Settings) -> App:
    app = App(settings)
    answers: dict[str, object] = {q.question.key: False for q in screening_questions()}
    answers["regularly-active"] = True
    record_screening(app, answers, on=START - timedelta(days=10), today=TODAY)
    return app


def with_plan(settings: Settings, *, red_in_week_two: bool = False) -> None:
    app = screened(settings)
    try:
        start_plan(app, goal="5k", days="mon,wed,sat", start=START, today=TODAY)
        for offset in (0, 2, 5):
            day = START + timedelta(days=offset)
            log_manual(app, ManualEntry(day=day, sport="run", duration_s=1500), today=TODAY)
            add_pain(app, PainInput(day=day, when="during", score=1), today=TODAY)
            add_pain(
                app, PainInput(day=day + timedelta(1), when="next-morning", score=0), today=TODAY
            )
        if red_in_week_two:
            day = START + timedelta(weeks=1)
            log_manual(app, ManualEntry(day=day, sport="run", duration_s=1500), today=TODAY)
            add_pain(app, PainInput(day=day, when="during", score=8), today=TODAY)
        show_plan(app, on=START + timedelta(weeks=1, days=2), today=TODAY)
    finally:
        app.close()


@pytest.fixture
def plan_client(tmp_path: Path, db_url: str) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, db=db_url)
    with_plan(settings, red_in_week_two=True)
    application = create_app(settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


def test_no_plan_shows_a_start_form(client: TestClient) -> None:
    page = client.get("/plan")
    assert page.status_code == 200
    assert "Start a plan" in page.text and 'action="/plan/start"' in page.text
    assert '<a href="/plan" aria-current="page">Plan</a>' in page.text


def test_start_form_refuses_without_screening_then_starts(
    client: TestClient, csrf_token: TokenFn, web_settings: Settings
) -> None:
    token = csrf_token(client, "/plan")
    form = {
        "csrf_token": token,
        "goal": "5k",
        "days": ["mon", "wed", "sat"],
        "start": START.isoformat(),
    }
    refused = client.post("/plan/start", data=form)  # type: ignore[arg-type]
    assert refused.status_code == 409
    assert "cannot start yet" in refused.text and 'href="/profile#screening"' in refused.text
    screened(web_settings).close()
    bad_days = client.post("/plan/start", data={**form, "days": ["mon", "tue", "sat"]})  # type: ignore[arg-type]
    assert bad_days.status_code == 422 and "consecutive days" in bad_days.text
    started = client.post("/plan/start", data=form, follow_redirects=False)  # type: ignore[arg-type]
    assert started.status_code == 303
    assert started.headers["location"] == f"/plan?on={START.isoformat()}#today"
    page = client.get(started.headers["location"])
    assert "Run/walk session 1 of 3" in page.text


def test_plan_page_shows_today_timer_calendar_and_reasons(plan_client: TestClient) -> None:
    on = START + timedelta(weeks=1, days=5)  # Saturday: first run of the stepped-back week
    page = plan_client.get(f"/plan?on={on.isoformat()}")
    assert page.status_code == 200
    text = page.text
    assert "Run/walk session 1 of 3" in text
    seconds = [int(s) for s in re.findall(r'data-seconds="(\d+)"', text)]
    assert seconds[:2] == [300, 300] and seconds[-1] == 600
    total = int(re.search(r'data-timer-progress max="(\d+)"', text).group(1))  # type: ignore[union-attr]
    assert sum(seconds) == total
    assert 'src="/static/plan.js' in text
    assert "Stepped back" in text and "8/10" in text and "extra rest day" in text
    assert text.count('class="plan-week') >= 9
    assert 'action="/plan/done"' in text and 'action="/plan/skip"' in text
    assert re.search(r'name="csrf_token" value="[0-9a-f]+"', text)


def test_done_and_skip_need_the_form_token(plan_client: TestClient, csrf_token: TokenFn) -> None:
    on = START + timedelta(weeks=1, days=5)
    forged = plan_client.post("/plan/done", data={"on": on.isoformat()})
    assert forged.status_code == 403
    token = csrf_token(plan_client, f"/plan?on={on.isoformat()}")
    done = plan_client.post(
        "/plan/done", data={"csrf_token": token, "on": on.isoformat()}, follow_redirects=False
    )
    assert done.status_code == 303
    page = plan_client.get(done.headers["location"])
    assert "Marked done" in page.text
    skip_day = on + timedelta(days=2)
    skipped = plan_client.post(
        "/plan/skip",
        data={"csrf_token": token, "on": skip_day.isoformat(), "reason": "sore calf"},
        follow_redirects=True,
    )
    assert "Marked skipped (sore calf)" in skipped.text
    rest_day = on + timedelta(days=1)
    refused = plan_client.post("/plan/done", data={"csrf_token": token, "on": rest_day.isoformat()})
    assert refused.status_code == 422 and "holds no session" in refused.text


def test_exercises_page_lists_routines_with_hold_timers(plan_client: TestClient) -> None:
    page = plan_client.get(f"/exercises?on={START.isoformat()}")
    assert page.status_code == 200
    text = page.text
    for title in (
        "Pre-run warm-up",
        "After-run stretch",
        "Core and hip strength",
        "Daily mobility",
    ):
        assert title in text
    assert 'class="hold-timer' in text and 'data-hold="30"' in text
    assert "The library (" in text and "stenosis: avoid" in text
    assert '<a href="/exercises" aria-current="page">Exercises</a>' in text


@pytest.mark.parametrize("path", ["/plan", "/exercises"])
def test_pages_have_no_inline_script_or_style(plan_client: TestClient, path: str) -> None:
    html = plan_client.get(f"{path}?on={START.isoformat()}").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/plan.js").status_code == 200
    css = client.get("/static/plan.css")
    assert css.status_code == 200 and "timer-clock" in css.text


# --- in a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_server(tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("plan-live")
    settings = make_settings(root, db=db_backend.new_url(root))
    with_plan(settings, red_in_week_two=True)
    server = start_server(settings)
    yield server
    server.stop()


def _phone(browser: Any, url: str) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    from tests.web.conftest import _probe

    yield _probe(context, url)
    context.close()


@pytest.fixture
def plan_phone(browser: Any, plan_server: Any) -> Iterator[PageProbe]:
    yield from _phone(browser, plan_server.url)


@pytest.mark.browser
def test_interval_timer_runs_offline_on_a_phone(plan_phone: PageProbe) -> None:
    page = plan_phone.page
    page.clock.install()
    on = START + timedelta(weeks=1, days=5)
    plan_phone.goto(f"/plan?on={on.isoformat()}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the plan page scrolls sideways by {overflow}px on a phone"
    page.context.set_offline(True)
    start = page.locator("[data-timer-start]")
    assert start.is_visible()
    assert page.locator("[data-timer-label]").inner_text().startswith("Ready: Brisk walk")
    start.click()
    page.clock.run_for(10_000)
    assert page.locator("[data-timer-clock]").inner_text() == "4:50"
    page.clock.run_for(300_000)  # the brisk walk is over: the drills are next
    assert page.locator("[data-timer-label]").inner_text().startswith("Warm-up drills")
    page.locator("[data-timer-next-step]").click()
    assert page.locator("[data-timer-label]").inner_text().startswith("Run 1 min")
    assert page.locator(".timer-step.is-done").count() == 2
    start.click()  # pause
    assert start.inner_text() == "Resume"
    plan_phone.screenshot("phone-plan")
    page.context.set_offline(False)
    plan_phone.assert_clean()


@pytest.mark.browser
def test_hold_timer_counts_down_on_the_exercises_page(plan_phone: PageProbe) -> None:
    page = plan_phone.page
    page.clock.install()
    plan_phone.goto(f"/exercises?on={START.isoformat()}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the exercises page scrolls sideways by {overflow}px on a phone"
    button = page.locator("#routine-cooldown .hold-timer").first
    button.scroll_into_view_if_needed()
    button.click()
    page.clock.run_for(5_000)
    display = page.locator("#routine-cooldown .hold-display").first
    assert display.inner_text().startswith("Hold")
    assert "0:25" in display.inner_text()
    plan_phone.screenshot("phone-exercises")
    plan_phone.assert_clean()
