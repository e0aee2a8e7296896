"""The Today page and the emergency notice on every page (TestClient and a real browser)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.web.app import create_app
from tests.databases import DbBackend
from tests.web.conftest import HISTORY_END, LiveServer, PageProbe, seed, start_server

PAGES = ("/", "/activities", "/load", "/import", "/today")


def _flag(settings: Settings, flag: str = "saddle-numbness", day: date = HISTORY_END) -> None:
    app = App(settings)
    try:
        add_pain(
            app,
            PainInput(day=day, when="rest-day", score=4, red_flags=[flag]),
            today=date.today(),
        )
    finally:
        app.close()


@pytest.fixture
def flagged_client(web_settings: Settings) -> Iterator[TestClient]:
    seed(web_settings)
    _flag(web_settings)
    application = create_app(web_settings, allowed_hosts=["testserver", "127.0.0.1"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


def test_today_shows_the_decision_large_and_the_why_one_click_away(
    seeded_client: TestClient,
) -> None:
    page = seeded_client.get(f"/today?on={HISTORY_END.isoformat()}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Today</h1>" in html
    assert 'class="decision-words"' in html
    assert "Today's decision" in html
    assert "<details>" in html and "Source:" in html
    assert 'aria-current="page"' in html and 'href="/today"' in html
    assert 'role="alert"' not in html


def test_an_emergency_comes_first_and_alone_on_every_page(flagged_client: TestClient) -> None:
    for path in PAGES:
        html = flagged_client.get(path).text
        assert html.count('class="emergency"') == 1, path
        assert html.index('class="emergency"') < html.index('class="site-header"'), path
        assert "EMERGENCY" in html, path
    today = flagged_client.get("/today").text
    assert "Get medical help now" in today or "EMERGENCY" in today


def test_recording_that_care_was_sought_lifts_the_notice(
    flagged_client: TestClient, csrf_token: Callable[[TestClient, str], str]
) -> None:
    token = csrf_token(flagged_client, "/import")
    response = flagged_client.post(
        "/today/seen",
        data={
            "csrf_token": token,
            "flag": "saddle-numbness",
            "on": date.today().isoformat(),
            "by": "A&E, City Hospital",
            "next": "/activities",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/activities"
    for path in PAGES:
        assert 'class="emergency"' not in flagged_client.get(path).text, path


def test_a_forged_seen_post_is_refused(flagged_client: TestClient) -> None:
    response = flagged_client.post(
        "/today/seen", data={"flag": "saddle-numbness"}, follow_redirects=False
    )
    assert response.status_code in (400, 403)
    assert 'class="emergency"' in flagged_client.get("/").text


# --- a real browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flagged_server(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[LiveServer]:
    from tests.web.conftest import make_settings

    root = tmp_path_factory.mktemp("today-live")
    settings = make_settings(root, db=db_backend.new_url(root))
    seed(settings)
    server = start_server(settings)
    yield server
    server.stop()


@pytest.fixture
def page(browser: Any, flagged_server: LiveServer) -> Iterator[PageProbe]:
    from tests.web.conftest import _probe

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield _probe(context, flagged_server.url)
    context.close()


@pytest.mark.browser
def test_today_in_a_browser_then_an_emergency_everywhere(
    page: PageProbe, flagged_server: LiveServer
) -> None:
    response = page.goto(f"/today?on={HISTORY_END.isoformat()}")
    assert response.status == 200
    p = page.page
    assert p.locator("h1").first.inner_text() == "Today"
    assert p.locator(".decision-words").is_visible()
    first = p.locator("main details").first
    if first.count():
        first.locator("summary").click()
        assert first.locator(".finding-source").is_visible()
    page.screenshot("today")

    _flag(flagged_server.settings)
    page.goto("/load")
    notice = p.locator(".emergency")
    assert notice.count() == 1 and notice.is_visible()
    box = notice.bounding_box()
    header = p.locator(".site-header").bounding_box()
    assert box is not None and header is not None and box["y"] < header["y"]
    assert re.search("EMERGENCY", notice.inner_text())
    page.screenshot("emergency-notice")
    p.fill(".emergency-seen input[name=on]", date.today().isoformat())
    with p.expect_navigation():
        p.click(".emergency-seen button")
    p.wait_for_load_state("networkidle")
    assert p.locator(".emergency").count() == 0, p.locator("main").inner_text()
    assert p.url.endswith("/load")
    page.assert_clean()


@pytest.mark.browser
def test_today_fits_a_phone_screen(phone: PageProbe) -> None:
    phone.goto(f"/today?on={HISTORY_END.isoformat()}")
    overflow = phone.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    phone.screenshot("phone-today")
    phone.assert_clean()
