"""The dashboard in a real browser: Debian's chromium driven by Playwright, against uvicorn.

Screenshots of every page go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backstride.services.activities import count_activities, list_activities
from backstride.services.context import App
from tests.web.conftest import LiveServer, PageProbe

pytestmark = pytest.mark.browser


def _first_activity_id(server: LiveServer) -> int:
    app = App(server.settings)
    try:
        rows = list_activities(app, sports=["run"], sort="start", descending=True, limit=1)
        return rows[0].id
    finally:
        app.close()


def _count(server: LiveServer) -> int:
    app = App(server.settings)
    try:
        return count_activities(app)
    finally:
        app.close()


PAGES = [
    ("overview", "/?on=2026-03-15", "Overview"),
    ("activities", "/activities", "Activities"),
    ("load", "/load?on=2026-03-15&weeks=12", "Training load"),
    ("import", "/import", "Import activities"),
]


@pytest.mark.parametrize(("name", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_page_loads_without_console_errors(
    desktop: PageProbe, name: str, path: str, heading: str
) -> None:
    response = desktop.goto(path)
    assert response.status == 200
    assert desktop.page.locator("h1").first.inner_text() == heading
    desktop.screenshot(name)
    desktop.assert_clean()


def test_activity_detail_loads_without_console_errors(
    desktop: PageProbe, live_server: LiveServer
) -> None:
    activity_id = _first_activity_id(live_server)
    response = desktop.goto(f"/activities/{activity_id}")
    assert response.status == 200
    page = desktop.page
    assert page.locator("#chart-route svg path.route-line").count() == 1
    for key in ("elevation", "pace", "heart-rate", "cadence"):
        assert page.locator(f"#chart-{key} svg path.line").count() >= 1, key
    desktop.screenshot("activity-detail")
    desktop.assert_clean()


@pytest.mark.parametrize(("name", "path", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_a_phone_screen(phone: PageProbe, name: str, path: str, heading: str) -> None:
    phone.goto(path)
    overflow = phone.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px on a phone"
    phone.screenshot(f"phone-{name}")
    phone.assert_clean()


def test_activity_detail_fits_a_phone_screen(phone: PageProbe, live_server: LiveServer) -> None:
    phone.goto(f"/activities/{_first_activity_id(live_server)}")
    overflow = phone.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    phone.screenshot("phone-activity-detail")
    phone.assert_clean()


def test_keyboard_reaches_skip_link_navigation_and_filters(desktop: PageProbe) -> None:
    desktop.goto("/activities")
    page = desktop.page

    def focused() -> str:
        return str(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )

    page.keyboard.press("Tab")
    assert focused() == "Skip to the content"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused() == "Overview"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert focused() == "main"
    page.keyboard.press("Tab")
    assert focused() == "Log a session by hand"
    for _ in range(3):  # Import files, Saved routes, then the filters
        page.keyboard.press("Tab")
    assert focused() == "filter-sport"
    desktop.assert_clean()


def test_every_form_field_has_a_label(desktop: PageProbe, live_server: LiveServer) -> None:
    for path in (
        "/activities",
        "/import",
        "/load",
        f"/activities/{_first_activity_id(live_server)}",
    ):
        desktop.goto(path)
        unlabelled = desktop.page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                 .map(el => el.name || el.id)"""
        )
        assert unlabelled == [], f"{path}: {unlabelled}"
    desktop.assert_clean()


def test_filter_and_sort_update_the_list(desktop: PageProbe) -> None:
    desktop.goto("/activities")
    page = desktop.page
    page.select_option("#filter-sport", "cycle")
    page.wait_for_url(re.compile(r"sport=cycle"))
    page.wait_for_load_state("networkidle")
    sports = page.locator("table.activities tbody tr td:nth-child(3)").all_inner_texts()
    assert sports and set(sports) == {"Cycle"}
    page.get_by_role("link", name=re.compile("^Distance")).click()
    page.wait_for_url(re.compile(r"sort=distance"))
    page.wait_for_load_state("networkidle")
    assert page.locator('th[aria-sort="descending"]').inner_text().startswith("Distance")
    assert "sport=cycle" in page.url
    page.go_back()
    page.wait_for_url(re.compile(r"sport=cycle&.*sort=start"))
    page.locator('th[aria-sort="descending"]', has_text="Date").wait_for()
    assert page.locator("h1").count() == 1
    desktop.assert_clean()


def test_upload_imports_a_real_file_that_appears_in_the_list(
    desktop: PageProbe, live_server: LiveServer, activities_dir: Path, tmp_path: Path
) -> None:
    source = activities_dir / "sports-lib" / "2067489619.fit"
    before = _count(live_server)
    desktop.goto("/import")
    page = desktop.page
    page.set_input_files("#import-files", str(source))
    page.get_by_role("button", name="Import").click()
    results = page.locator("#import-results .import-results")
    results.wait_for()
    assert "1 imported" in page.locator(".import-summary").inner_text()
    row = page.locator("#import-results tbody tr").first
    assert "2067489619.fit" in row.inner_text()
    assert "imported" in row.inner_text()
    assert _count(live_server) == before + 1
    row.get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    assert "2067489619.fit" in page.locator("#activity-summary").inner_text()
    desktop.screenshot("activity-detail-imported")
    desktop.goto("/activities?q=2067489619")
    assert page.locator("table.activities tbody tr").count() == 1
    desktop.assert_clean()


def test_corrupt_upload_shows_its_reason_and_stores_nothing(
    desktop: PageProbe, live_server: LiveServer, activities_dir: Path, tmp_path: Path
) -> None:
    corrupt = tmp_path / "cut-short.fit"
    corrupt.write_bytes((activities_dir / "sports-lib" / "6021532030.fit").read_bytes()[:300])
    before = _count(live_server)
    desktop.goto("/import")
    page = desktop.page
    page.set_input_files("#import-files", str(corrupt))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-results .import-results").wait_for()
    summary = page.locator(".import-summary").inner_text()
    assert "0 imported" in summary and "1 failed" in summary
    reason = page.locator("#import-results tbody tr .reason").inner_text()
    assert "cut-short.fit" in reason and len(reason) > 30
    assert _count(live_server) == before
    desktop.screenshot("import-corrupt")
    desktop.assert_clean()


def test_edit_persists_after_reload(desktop: PageProbe, live_server: LiveServer) -> None:
    activity_id = _first_activity_id(live_server)
    desktop.goto(f"/activities/{activity_id}")
    page = desktop.page
    page.select_option("#edit-surface", "trail")
    page.fill("#edit-rpe", "6.5")
    page.fill("#edit-notes", "Lower back stiff for the first 2 km, fine after.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    assert "6.5" in page.locator("#activity-summary").inner_text()
    page.reload(wait_until="networkidle")
    assert page.input_value("#edit-rpe") == "6.5"
    assert page.input_value("#edit-surface") == "trail"
    assert page.input_value("#edit-notes") == "Lower back stiff for the first 2 km, fine after."
    assert "Lower back stiff" in page.locator("#activity-summary").inner_text()
    desktop.assert_clean()


def test_edit_with_out_of_range_rpe_explains_without_saving(
    desktop: PageProbe, live_server: LiveServer
) -> None:
    activity_id = _first_activity_id(live_server)
    desktop.goto(f"/activities/{activity_id}")
    page = desktop.page
    page.evaluate("document.querySelector('#edit-rpe').removeAttribute('max')")
    page.fill("#edit-rpe", "14")
    page.get_by_role("button", name="Save changes").click()
    alert = page.locator("#activity-edit [role=alert]")
    alert.wait_for()
    assert "between 0 and 10" in alert.inner_text()
    assert page.input_value("#edit-rpe") == "14"
    desktop.errors[:] = [e for e in desktop.errors if "422" not in e]
    desktop.assert_clean()
