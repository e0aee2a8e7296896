"""The body pages in a real browser (Debian's chromium via Playwright, against uvicorn).

Every new page loads without a console error, fits a phone and labels its fields; a normal
next-morning check-in is saved and listed on the Diary page (and turns its run from "not known
yet" into a verdict); a check-in naming a red flag answers with the triage as the first thing
on the page, before the header and navigation, one flag at a time. Screenshots go to
``tests/artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from backstride.domain.pain import RED_FLAGS, RedFlag, Urgency
from backstride.services.context import App
from backstride.services.diary import list_pain, record_seen
from tests.databases import DbBackend
from tests.web.body_seed import runs, seed_body
from tests.web.conftest import (
    HISTORY_END,
    LiveServer,
    PageProbe,
    _probe,
    make_settings,
    seed,
    start_server,
)

pytestmark = pytest.mark.browser

WINDOW = f"on={(HISTORY_END + timedelta(days=1)).isoformat()}&weeks=12"
PAGES = [
    ("profile", "/profile", "Profile and screening"),
    ("checkin", "/checkin", "Check-in"),
    ("diary", f"/diary?{WINDOW}", "Pain diary"),
    ("selftests", "/self-tests", "Self-tests"),
    ("shoes", "/shoes", "Shoes"),
]

FIRST_VISIBLE_BLOCK = """() => {
  for (const el of document.body.children) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width > 0 && box.height > 0 && box.bottom > 0 && style.visibility !== 'hidden'
        && el.innerText.trim()) {
      return el.className;
    }
  }
  return null;
}"""
PRECEDES_NAV = """(selector) => {
  const block = document.querySelector(selector);
  const nav = document.querySelector('nav.site-nav');
  const following = Node.DOCUMENT_POSITION_FOLLOWING;
  return Boolean(block && nav && (block.compareDocumentPosition(nav) & following));
}"""
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


@pytest.fixture(scope="module")
def body_server(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[LiveServer]:
    """A server on synthetic runs plus a profile, a pain diary, self-tests and shoes."""
    root = tmp_path_factory.mktemp("body-live")
    settings = make_settings(root, db=db_backend.new_url(root))
    seed(settings)
    seed_body(settings)
    server = start_server(settings)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def flag_server(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[LiveServer]:
    """A server of its own for the red-flag check-ins (they change every page)."""
    root = tmp_path_factory.mktemp("body-flags")
    settings = make_settings(root, db=db_backend.new_url(root))
    server = start_server(settings)
    yield server
    server.stop()


@pytest.fixture
def desktop(browser: Any, body_server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield _probe(context, body_server.url)
    context.close()


@pytest.fixture
def phone(browser: Any, body_server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield _probe(context, body_server.url)
    context.close()


@pytest.fixture
def flag_phone(browser: Any, flag_server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield _probe(context, flag_server.url)
    context.close()


def _entries(server: LiveServer) -> int:
    app = App(server.settings)
    try:
        return len(list_pain(app).entries)
    finally:
        app.close()


@pytest.mark.parametrize(("name", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_body_page_loads_without_console_errors(
    desktop: PageProbe, name: str, path: str, heading: str
) -> None:
    response = desktop.goto(path)
    assert response.status == 200
    assert desktop.page.locator("h1").first.inner_text() == heading
    assert desktop.page.locator("nav.site-nav a[aria-current=page]").count() == 1
    desktop.screenshot(f"body-{name}")
    desktop.assert_clean()


@pytest.mark.parametrize(("name", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_body_page_fits_a_phone_and_labels_every_field(
    phone: PageProbe, name: str, path: str, heading: str
) -> None:
    phone.goto(path)
    overflow = phone.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px on a phone"
    assert phone.page.evaluate(UNLABELLED) == [], name
    phone.screenshot(f"phone-body-{name}")
    phone.assert_clean()


def test_the_pain_scale_is_reachable_by_keyboard(phone: PageProbe) -> None:
    phone.goto("/checkin")
    page = phone.page
    page.focus("#score-0")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "score-2"
    assert page.is_checked("#score-2")
    phone.assert_clean()


def test_a_next_morning_check_in_is_saved_and_listed_in_the_diary(
    phone: PageProbe, body_server: LiveServer
) -> None:
    app = App(body_server.settings)
    try:
        run_id, run_day = runs(app)[-1]  # the seed left this run without a next morning
    finally:
        app.close()
    morning = run_day + timedelta(days=1)
    diary = f"/diary?on={morning.isoformat()}&weeks=4"
    page = phone.page
    phone.goto(diary)
    row = page.locator(f"#run-{run_id}")
    assert "not known yet" in row.inner_text()

    phone.goto(f"/checkin?on={morning.isoformat()}")
    assert page.is_checked("#when-next-morning"), "the check-in guesses the morning after"
    assert page.input_value("#pain-day") == morning.isoformat()
    page.click("label[for=score-1]")
    page.check("#where-low-back")
    page.check("#feels-stiffness")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(re.compile(r"/checkin/\d+\?saved=1"))
    assert page.locator("h1").inner_text() == "Check-in saved"
    assert page.locator(".emergency, .triage").count() == 0
    verdict = page.locator(f"#run-{run_id} .verdict").inner_text()
    assert verdict == "within the rules"
    entry_id = int(re.search(r"/checkin/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    phone.screenshot("phone-body-checkin-saved")

    phone.goto(diary)
    listed = page.locator(f"#entry-{entry_id}")
    assert "next morning" in listed.inner_text() and "1/10" in listed.inner_text()
    assert "within the rules" in row.inner_text()
    phone.screenshot("phone-body-diary-after-checkin")
    phone.assert_clean()


def test_a_refused_check_in_explains_and_stores_nothing(
    desktop: PageProbe, body_server: LiveServer
) -> None:
    before = _entries(body_server)
    page = desktop.page
    desktop.goto("/checkin")
    page.evaluate("document.querySelector('#pain-day').removeAttribute('max')")
    page.fill("#pain-day", (date.today() + timedelta(days=3)).isoformat())
    page.click("label[for=score-4]")
    page.get_by_role("button", name="Save check-in").click()
    alert = page.locator("#checkin-error")
    alert.wait_for()
    assert "in the future" in alert.inner_text()
    assert "Nothing was saved" in alert.inner_text()
    assert page.is_checked("#score-4"), "the form keeps what was typed"
    assert _entries(body_server) == before
    desktop.errors[:] = [e for e in desktop.errors if "422" not in e]
    desktop.assert_clean()


def test_profile_self_test_and_shoe_forms_update_in_place(desktop: PageProbe) -> None:
    page = desktop.page
    desktop.goto("/profile")
    assert "Cleared by a physician" in page.locator("#clearance-state").inner_text()
    page.fill("#profile-resting-hr", "54")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("status").filter(has_text="Profile saved.").wait_for()
    assert page.input_value("#profile-resting-hr") == "54"

    desktop.goto("/self-tests")
    page.select_option("#selftest-test", "side-bridge-right")
    page.fill("#selftest-value", "1:10")
    page.get_by_role("button", name="Save result").click()
    page.get_by_role("status").filter(has_text="Result saved.").wait_for()
    assert "70 s" in page.locator("#test-side-bridge-right").inner_text()

    desktop.goto("/shoes")
    page.fill("#shoe-name", "Spare pair")
    page.fill("#shoe-start", "12.5")
    page.get_by_role("button", name="Add pair").click()
    page.get_by_role("status").filter(has_text="Pair added.").wait_for()
    assert page.locator(".shoe h3", has_text="Spare pair").count() == 1
    assert page.locator(".shoe", has_text="Trail Glide").locator(".badge-caution").count() == 1
    desktop.assert_clean()


@pytest.mark.parametrize("flag", [f.value for f in RedFlag])
def test_a_red_flag_check_in_answers_with_its_triage_first(
    flag_phone: PageProbe, flag_server: LiveServer, flag: str
) -> None:
    urgency = RED_FLAGS[RedFlag(flag)].urgency
    page = flag_phone.page
    flag_phone.goto("/checkin")
    page.click("label[for=score-3]")
    page.check(f"#flag-{flag}")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(re.compile(r"/checkin/\d+\?saved=1"))
    if urgency is Urgency.EMERGENCY:
        selector, headline = ".emergency", "EMERGENCY: this needs emergency care today"
        where = "Go to the nearest hospital emergency department now"
    elif urgency is Urgency.SAME_DAY:
        selector, headline = ".triage-same-day", "See a doctor today"
        where = "ask to be seen today"
    else:
        selector, headline = ".triage-prompt", "See a doctor within the next few days"
        where = "Call your GP or family doctor"
    first = page.evaluate(FIRST_VISIBLE_BLOCK)
    assert first is not None and selector.lstrip(".") in first.split(), first
    assert page.evaluate(PRECEDES_NAV, selector)
    block = page.locator(selector)
    assert block.count() == 1
    text = block.inner_text()
    assert text.startswith(headline)
    assert where in text
    box = block.bounding_box()
    assert box is not None and box["y"] < page.locator("header.site-header").bounding_box()["y"]
    if flag in ("saddle-numbness", "fever"):
        flag_phone.screenshot(f"phone-body-checkin-{urgency.value}", full_page=False)
    flag_phone.assert_clean()
    app = App(flag_server.settings)
    try:  # recorded as seen, so the next flag starts from a clean page
        record_seen(app, flag=flag, on=date.today(), today=date.today(), by="test")
    finally:
        app.close()
