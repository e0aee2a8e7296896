"""Server mode in a real browser: a runner, a professional and a stranger each log in.

Debian's chromium driven by Playwright against uvicorn; screenshots go to tests/artifacts/
(server-*.png).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from backstride.services.context import App
from tests.databases import DbBackend
from tests.web.conftest import LiveServer, PageProbe, _probe, start_server
from tests.web.server_kit import (
    PASSWORD,
    Runner,
    add_professional,
    seed_runner,
    server_settings,
)

pytestmark = pytest.mark.browser


@dataclass
class ServerWorld:
    server: LiveServer
    anna: Runner
    ben: Runner


@pytest.fixture(scope="module")
def server_world(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[ServerWorld]:
    root = tmp_path_factory.mktemp("server-browser")
    settings = server_settings(root, db=db_backend.new_url(root, filename="web.sqlite3"))
    context = App(settings)
    anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
    ben = seed_runner(context, email="ben@example.org", name="Ben", marker="BEN-SECRET")
    add_professional(context, email="pro@example.org", name="Dr Pro")
    add_professional(context, email="stranger@example.org", name="Dr Stranger")
    context.close()
    server = start_server(settings)
    yield ServerWorld(server, anna, ben)
    server.stop()


def _visitor(browser: Any, world: ServerWorld) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield _probe(context, world.server.url)
    context.close()


@pytest.fixture
def visitor(browser: Any, server_world: ServerWorld) -> Iterator[PageProbe]:
    yield from _visitor(browser, server_world)


@pytest.fixture
def second_visitor(browser: Any, server_world: ServerWorld) -> Iterator[PageProbe]:
    yield from _visitor(browser, server_world)


def _log_in(probe: PageProbe, email: str, *, first: str = "/") -> None:
    probe.goto(first)
    page = probe.page
    assert "/login" in page.url
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_load_state("networkidle")


def test_runner_logs_in_shares_and_reads_her_log(
    visitor: PageProbe, second_visitor: PageProbe, server_world: ServerWorld
) -> None:
    page = visitor.page
    visitor.goto("/today")
    visitor.screenshot("server-login")
    _log_in(visitor, server_world.anna.email, first="/today")
    assert page.url.endswith("/today")
    visitor.goto(f"/activities/{server_world.anna.activity_id}")
    assert server_world.anna.marker in page.content()
    assert server_world.ben.marker not in visitor.page.content()
    visitor.goto("/sharing")
    page.fill("#email", "pro@example.org")
    page.check("input[value='report']")
    page.check("input[value='activities']")
    page.click("button:has-text('Share')")
    page.wait_for_load_state("networkidle")
    assert "Dr Pro" in page.locator("#who").inner_text()
    visitor.screenshot("server-runner-sharing")

    # The professional opens Anna from her list and reads what is shared.
    pro = second_visitor
    _log_in(pro, "pro@example.org")
    assert pro.page.url.endswith("/runners")
    assert "Anna" in pro.page.locator("main").inner_text()
    assert "Ben" not in pro.page.locator("main").inner_text()
    pro.screenshot("server-professional-roster")
    pro.page.click("button:has-text('Today')")
    pro.page.wait_for_load_state("networkidle")
    assert "looking at Anna" in pro.page.locator(".viewing-banner").inner_text()
    nav = pro.page.locator("nav.site-nav").inner_text()
    assert "Activities" in nav and "Diary" not in nav and "Profile" not in nav
    pro.screenshot("server-professional-today")
    response = pro.goto("/activities")
    assert response.status == 200 and server_world.anna.marker in pro.page.content()
    assert pro.goto("/diary").status == 403
    pro.screenshot("server-professional-refused")

    # Anna sees every access, then stops sharing; the professional's next request is refused.
    visitor.goto("/sharing")
    log = page.locator("#log").inner_text()
    assert "Dr Pro" in log and "the list of activities" in log
    visitor.screenshot("server-runner-log")
    page.click("button:has-text('Stop sharing')")
    page.wait_for_load_state("networkidle")
    assert pro.goto("/activities").status == 403
    assert server_world.anna.marker not in pro.page.content()
    visitor.assert_clean()


def test_stranger_sees_nobody(visitor: PageProbe, server_world: ServerWorld) -> None:
    _log_in(visitor, "stranger@example.org")
    text = visitor.page.locator("main").inner_text()
    assert "No runner shares data with you yet" in text
    for path in ("/today", "/activities", f"/activities/{server_world.ben.activity_id}"):
        visitor.goto(path)
        content = visitor.page.content()
        assert server_world.anna.marker not in content and server_world.ben.marker not in content
    visitor.screenshot("server-stranger")


def test_wrong_password_is_refused_in_the_page(
    visitor: PageProbe, server_world: ServerWorld
) -> None:
    visitor.goto("/login")
    visitor.page.fill("#email", server_world.ben.email)
    visitor.page.fill("#password", "not the password at all")
    visitor.page.click("button:has-text('Log in')")
    visitor.page.wait_for_load_state("networkidle")
    assert "not right" in visitor.page.locator("#login-error").inner_text()
    visitor.screenshot("server-login-refused")
