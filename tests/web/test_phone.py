"""The dashboard on a phone (390 × 844) and on a desktop, in chromium: one-row navigation with
a compact menu, no table cut off, chart text of 11 px or more, the check-in's "nothing new"
in at most 3 taps without scrolling, the warning-sign questions as soon as pain is recorded,
and the new pages (log a session, routes). Screenshots go to ``tests/artifacts/``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from backstride.services.activities import list_activities
from backstride.services.context import App
from backstride.services.diary import list_pain
from tests.web.conftest import HISTORY_END, LiveServer, PageProbe, _probe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ON = HISTORY_END.isoformat()


@pytest.fixture
def phone390(browser: Any, live_server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield _probe(context, live_server.url)
    context.close()


def _run_id(server: LiveServer) -> int:
    app = App(server.settings)
    try:
        return list_activities(app, sports=["run"], sort="start", descending=True, limit=1)[0].id
    finally:
        app.close()


PAGES = (
    ("overview", f"/?on={ON}"),
    ("activities", "/activities"),
    ("load", f"/load?on={ON}&weeks=12"),
    ("diary", f"/diary?month={ON[:7]}"),
    ("today", f"/today?on={ON}"),
    ("routes", "/routes"),
    ("log", "/activities/new"),
    ("exercises", f"/exercises?on={ON}"),
    ("shoes", "/shoes"),
)


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_phone_navigation_is_one_row_and_nothing_is_cut_off(
    phone390: PageProbe, name: str, path: str
) -> None:
    page = phone390.page
    phone390.goto(path)
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 60, f"{name}: header {header}"
    tops = page.evaluate(
        "[...document.querySelectorAll('.site-header .brand, .phone-nav > *')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(tops) >= 3 and max(tops) - min(tops) <= 12, f"{name}: {tops}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px"
    cut = page.evaluate(
        """[...document.querySelectorAll('table')].filter(t => {
             const box = (t.closest('.table-wrap') || t.parentElement);
             return t.scrollWidth > box.clientWidth + 1;
           }).map(t => t.closest('section, div')?.id || t.className)"""
    )
    assert cut == [], f"{name}: tables cut off: {cut}"
    phone390.screenshot(f"phone390-{name}")
    phone390.assert_clean()


def test_phone_menu_opens_with_every_page(phone390: PageProbe) -> None:
    page = phone390.page
    phone390.goto("/activities")
    menu = page.locator(".phone-menu summary")
    menu.tap()
    links = page.locator(".phone-menu a")
    assert links.count() >= 15
    assert page.locator(".phone-menu a[aria-current=page]").inner_text() == "Activities"
    assert links.first.is_visible()
    phone390.screenshot("phone390-menu-open", full_page=False)
    page.locator(".phone-menu a", has_text="Load").tap()
    page.wait_for_url(re.compile(r"/load"))
    phone390.assert_clean()


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart-svg text, svg.route-svg text')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  })"""


@pytest.mark.parametrize(
    "path", [f"/load?on={ON}&weeks=12", f"/diary?month={ON[:7]}", f"/?on={ON}", "ACTIVITY"]
)
def test_phone_chart_text_is_at_least_11px(
    phone390: PageProbe, live_server: LiveServer, path: str
) -> None:
    if path == "ACTIVITY":
        path = f"/activities/{_run_id(live_server)}"
    phone390.goto(path)
    sizes = phone390.page.evaluate(CHART_TEXT)
    assert sizes, f"no chart text on {path}"
    assert min(sizes) >= 11.0, f"{path}: smallest chart text {min(sizes):.1f}px"


def _pain_count(server: LiveServer) -> int:
    app = App(server.settings)
    try:
        return len(list_pain(app).entries)
    finally:
        app.close()


def test_phone_checkin_nothing_new_in_one_tap_without_scrolling(
    phone390: PageProbe, live_server: LiveServer
) -> None:
    page = phone390.page
    before = _pain_count(live_server)
    phone390.goto("/checkin")
    button = page.locator("#checkin-quick button")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    assert page.evaluate("window.scrollY") == 0
    phone390.screenshot("phone390-checkin", full_page=False)
    button.tap()  # one tap
    page.wait_for_url(re.compile(r"/checkin/\d+\?saved=1"))
    assert _pain_count(live_server) == before + 1
    phone390.assert_clean()


def test_phone_checkin_shows_the_warning_signs_as_soon_as_pain_is_recorded(
    phone390: PageProbe, live_server: LiveServer
) -> None:
    page = phone390.page
    phone390.goto("/checkin")
    questions = page.locator("#red-flag-questions")
    assert not questions.is_visible()  # nothing recorded yet
    page.locator("label[for=score-0]").tap()
    assert not questions.is_visible()
    page.locator("label[for=score-3]").tap()
    assert questions.is_visible()
    save = page.locator("#checkin button[type=submit]").bounding_box()
    first = page.locator("#red-flag-questions .choice").first.bounding_box()
    assert save is not None and first is not None and first["y"] < save["y"]
    phone390.screenshot("phone390-checkin-pain")
    page.locator("label[for=score-0]").tap()
    assert not questions.is_visible()
    page.locator("label[for=where-low-back]").tap()  # a place is pain too
    assert questions.is_visible()
    phone390.assert_clean()


def test_desktop_new_pages_and_forms(desktop: PageProbe, live_server: LiveServer) -> None:
    page = desktop.page
    desktop.goto("/activities/new")
    page.fill("#log-duration", "forever")
    page.click("#log button[type=submit]")
    assert "is not a duration" in page.locator("#log [role=alert]").inner_text()
    desktop.screenshot("desktop-log-refused")
    # The refusal's status (422) is the only thing the browser logs.
    assert all("status of 422" in e for e in desktop.errors), desktop.errors
    desktop.errors.clear()
    page.fill("#log-duration", "40m")
    page.fill("#log-distance", "6km")
    page.fill("#log-on", ON)
    page.click("#log button[type=submit]")
    page.wait_for_url(re.compile(r"/activities/\d+\?saved=logged"))
    assert "Logged." in page.locator("#activity-summary").inner_text()
    desktop.screenshot("desktop-logged")
    run = _run_id(live_server)
    desktop.goto(f"/activities/{run}")
    page.fill("#route-name", "Browser loop")
    page.click("#activity-route button[type=submit]")
    page.wait_for_selector("#activity-route [role=status]")
    desktop.screenshot("desktop-activity")
    desktop.goto("/routes")
    assert "Browser loop" in page.locator("#routes-list").inner_text()
    desktop.screenshot("desktop-routes")
    desktop.goto(f"/load?on={ON}&weeks=12")
    assert page.locator("#figure-ratio .badge").count() >= 1
    # On a desktop a table stays a table (its headings shown, in one row).
    heads = page.locator("table thead").first
    assert heads.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('table')).display") == "table"
    desktop.screenshot("desktop-load")
    desktop.goto(f"/diary?month={ON[:7]}")
    desktop.screenshot("desktop-diary")
    desktop.goto(f"/exercises?on={ON}")
    page.locator("#routine-core-mark button", has_text="Mark done").click()
    page.wait_for_url(re.compile(r"saved=core"))
    assert "Done" in page.locator("#routine-core-mark").inner_text()
    desktop.assert_clean()
