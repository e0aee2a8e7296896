"""Issue 12's key scenarios in a real browser (Debian's chromium against uvicorn): a warning
sign written as places and feelings is asked about on the saved check-in, and a "yes" brings
the emergency notice first; the diary's "record the visit" form asks what the clinician said,
and only "I may train" lets training start again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from backstride.services.body import list_clearances
from backstride.services.context import App
from backstride.services.diary import list_pain
from backstride.services.guidance import today
from tests.web.conftest import LiveServer, PageProbe, _probe, make_settings, start_server

pytestmark = pytest.mark.browser

PRECEDES_NAV = """(selector) => {
  const block = document.querySelector(selector);
  const nav = document.querySelector('nav.site-nav');
  const following = Node.DOCUMENT_POSITION_FOLLOWING;
  return Boolean(block && nav && (block.compareDocumentPosition(nav) & following));
}"""


@pytest.fixture
def server(tmp_path: Any, db_url: str) -> Iterator[LiveServer]:
    live = start_server(make_settings(tmp_path, db=db_url))
    yield live
    live.stop()


@pytest.fixture
def phone(browser: Any, server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    yield _probe(context, server.url)
    context.close()


def _with_app(server: LiveServer) -> App:
    return App(server.settings)


def test_numbness_in_both_legs_is_asked_about_and_a_yes_brings_the_emergency_first(
    phone: PageProbe, server: LiveServer
) -> None:
    page = phone.page
    phone.goto("/checkin")
    page.click("label[for=score-4]")
    for box in ("#where-leg-left", "#where-leg-right", "#feels-numbness"):
        page.check(box)
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(re.compile(r"/checkin/\d+\?saved=1"))
    section = page.locator("#confirm-signs")
    assert "something you wrote may be a warning sign" in section.inner_text()
    assert "If yes, this needs emergency care now" in section.inner_text()
    page.check("#sign-both-legs-weak-yes")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url(re.compile(r"/checkin/\d+\?saved=1"))
    assert page.evaluate(PRECEDES_NAV, ".emergency")
    assert (
        page.locator(".emergency h2")
        .inner_text()
        .startswith("EMERGENCY: this needs emergency care today")
    )
    phone.assert_clean()
    app = _with_app(server)
    try:
        assert list_pain(app).entries[0].red_flags[0].value == "both-legs-weak"
        assert today(app, on=date.today()).decision == "urgent_care"
    finally:
        app.close()


def test_the_diary_asks_what_the_clinician_said_and_only_may_train_resumes(
    phone: PageProbe, server: LiveServer
) -> None:
    page = phone.page
    phone.goto("/checkin")
    page.click("label[for=score-3]")
    page.check("#flag-fever")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(re.compile(r"/checkin/\d+\?saved=1"))
    phone.goto("/diary")
    day = date.today().isoformat()
    page.fill("#seen-on-prompt", day)
    page.fill("#seen-by-prompt", "Dr Jones, GP")
    assert page.is_checked("#outcome-prompt-not-known")  # not yet known unless said
    page.locator("form.seen-form").first.get_by_role("button", name="Record the visit").click()
    page.wait_for_url(re.compile(r"/diary"))
    waiting = page.locator("#awaiting")
    assert "Walking and gentle mobility only" in waiting.inner_text()
    assert "not yet known whether you may train" in waiting.inner_text()
    app = _with_app(server)
    try:
        answer = today(app, on=date.today())
        waiting_for = next(f for f in answer.findings if f.id == "redflag.awaiting_clearance")
        assert waiting_for.asks == "rest"
        # No health questions answered in this database: the day's one answer ranks "answer
        # them first" above rest (issue 13); no run either way.
        assert answer.decision == "start_here" and answer.session is None
    finally:
        app.close()
    page.fill("#seen-on-awaiting", day)
    page.fill("#seen-by-awaiting", "Dr Jones, GP")
    page.check("#outcome-awaiting-may-train")
    waiting.get_by_role("button", name="Record the visit").click()
    page.wait_for_url(re.compile(r"/diary"))
    assert page.locator("#awaiting").count() == 0
    phone.assert_clean()
    app = _with_app(server)
    try:
        assert today(app, on=date.today()).decision not in ("rest", "see_professional")
        cleared = list_clearances(app).clearances
        assert [c.by for c in cleared] == ["Dr Jones, GP"]
    finally:
        app.close()
