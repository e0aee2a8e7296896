"""An activity's analysis and charts kept under exactly what they are computed from
(``web/content_cache.py``, ``reads.activity_content``): a change elsewhere (an import's new
activities) leaves them kept, and the page they make is the page a fresh dashboard shows;
an edit of the activity, a new heart profile, other units or a replaced activity, made by
another process, show on the next request."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.activities import (
    ActivityEdit,
    ManualEntry,
    delete_activity,
    edit_activity,
    log_manual,
)
from backstride.services.body import set_profile
from backstride.services.context import App
from backstride.web import cache as cache_module
from backstride.web import reads
from backstride.web.app import create_app
from backstride.web.content_cache import ContentCache
from tests.web.conftest import HISTORY_END

TOKENS = (
    (re.compile(r'name="csrf_token" value="[0-9a-f]+"'), 'name="csrf_token" value=""'),
    (re.compile(r'"X-CSRF-Token": "[0-9a-f]+"'), '"X-CSRF-Token": ""'),
)
"""The form tokens, per visitor: left out of the pages compared."""


@dataclass
class Counts:
    """How many times the costly parts were computed, and the activity rows read."""

    analyses: int = 0
    charts: int = 0
    rows: int = 0


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counts:
    seen = Counts()

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            setattr(seen, name, getattr(seen, name) + 1)
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(reads, "analyse_stored", counted("analyses", reads.analyse_stored))
    monkeypatch.setattr(reads, "activity_charts", counted("charts", reads.activity_charts))
    monkeypatch.setattr(reads, "get_activity_summary", counted("rows", reads.get_activity_summary))
    return seen


class Clock:
    """The result cache's clock, moved by the test. Another process's writes here are single
    changes seconds apart, not an import's run of batches (during which a page may be a few
    seconds behind: ``test_read_caches``), so the next request must show each."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def pause(self) -> None:
        self.now += cache_module.LAG_S + 1.0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    steps = Clock()
    monkeypatch.setattr(cache_module, "time", SimpleNamespace(monotonic=steps.monotonic))
    return steps


@pytest.fixture
def other(web_settings: Settings) -> Iterator[App]:
    """Another process, as the CLI would be: its own engine, nothing told to the web app."""
    app = App(web_settings)
    yield app
    app.close()


def _newest_id(client: TestClient) -> int:
    return int(client.get("/api/activities?per_page=1").json()["items"][0]["id"])


def _page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    text = response.text
    for token, blank in TOKENS:
        text, found = token.subn(blank, text)
        assert found, token.pattern
    return text


def _fresh(settings: Settings, path: str) -> str:
    """The page as a dashboard started just now shows it: nothing kept from before."""
    application = create_app(settings, allowed_hosts=["testserver"])
    try:
        with TestClient(application) as client:
            return _page(client, path)
    finally:
        application.state.web.app.close()


def _an_import_elsewhere(other: App, n: int = 0) -> int:
    """A new activity stored by another process, long before the pages' days (as one of
    an import's), leaving every figure of the newest activity's page as it was."""
    entry = ManualEntry(
        day=date(2001, 1, 1 + n), sport="run", duration_s=1800, distance_m=5000.0 + n
    )
    return log_manual(other, entry, today=HISTORY_END)


def test_a_page_rebuilt_after_an_import_elsewhere_reuses_the_content_and_shows_the_same(
    seeded_client: TestClient,
    web_settings: Settings,
    other: App,
    counts: Counts,
    clock: Clock,
) -> None:
    path = f"/activities/{_newest_id(seeded_client)}"
    first = _page(seeded_client, path)
    assert (counts.analyses, counts.charts) == (1, 1)
    for n in range(4):
        _an_import_elsewhere(other, n)
        clock.pause()
        rows = counts.rows
        again = _page(seeded_client, path)
        assert counts.rows == rows + 1  # the page was computed again (the data changed) ...
        assert (counts.analyses, counts.charts) == (1, 1)  # ... from the kept content
        assert again == first
    assert again == _fresh(web_settings, path)


def test_an_api_answer_after_an_import_elsewhere_equals_a_fresh_one(
    seeded_client: TestClient, web_settings: Settings, other: App, counts: Counts, clock: Clock
) -> None:
    path = f"/api/activities/{_newest_id(seeded_client)}"
    first = seeded_client.get(path).json()
    assert first["samples"] > 100 and "hr_bpm" in first["streams"]
    _an_import_elsewhere(other)
    clock.pause()
    assert seeded_client.get(path).json() == first
    assert counts.analyses == 1
    application = create_app(web_settings, allowed_hosts=["testserver"])
    try:
        with TestClient(application) as client:
            assert client.get(path).json() == first
    finally:
        application.state.web.app.close()


@pytest.mark.parametrize(
    ("edit", "shown"),
    [
        (ActivityEdit(rpe=9), "Effort (0–10)</dt><dd>9.0</dd>"),
        (ActivityEdit(sport="treadmill_run"), "Treadmill"),
        (ActivityEdit(surface="trail"), "Trail"),
        (ActivityEdit(name="Forest loop"), "Forest loop"),
    ],
)
def test_an_edit_elsewhere_shows_on_the_next_page(
    seeded_client: TestClient,
    web_settings: Settings,
    other: App,
    counts: Counts,
    clock: Clock,
    edit: ActivityEdit,
    shown: str,
) -> None:
    activity_id = _newest_id(seeded_client)
    path = f"/activities/{activity_id}"
    before = _page(seeded_client, path)
    analysed = counts.analyses
    edit_activity(other, activity_id, edit)
    clock.pause()
    after = _page(seeded_client, path)
    assert after != before and shown in after
    assert counts.analyses == analysed + 1  # another key: computed again
    assert after == _fresh(web_settings, path)
    api = seeded_client.get(f"/api/activities/{activity_id}").json()
    edited = {k: v for k, v in asdict(edit).items() if v is not None}
    assert {k: api[k] for k in edited} == edited


def test_a_new_heart_profile_elsewhere_shows_on_the_next_page(
    seeded_client: TestClient, web_settings: Settings, other: App, counts: Counts, clock: Clock
) -> None:
    path = f"/activities/{_newest_id(seeded_client)}"
    before = _page(seeded_client, path)
    set_profile(other, today=HISTORY_END, sex="female", resting_hr_bpm=45, max_hr_bpm=200)
    clock.pause()
    after = _page(seeded_client, path)
    trimp = re.compile(r"Heart-rate load \(TRIMP\)</dt><dd>([^<]*)</dd>")
    found_before, found_after = trimp.search(before), trimp.search(after)
    assert found_before and found_after and found_before.group(1) != found_after.group(1)
    assert after == _fresh(web_settings, path)


def test_other_units_elsewhere_show_on_the_next_page(
    seeded_client: TestClient,
    web_settings: Settings,
    other: App,
    counts: Counts,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BACKSTRIDE_UNITS", raising=False)
    path = f"/activities/{_newest_id(seeded_client)}"
    before = _page(seeded_client, path)
    assert "Pace (min/km" in before
    set_profile(other, today=HISTORY_END, units="mi")
    clock.pause()
    after = _page(seeded_client, path)
    assert "Pace (min/mi" in after and "Pace (min/km" not in after
    assert (counts.analyses, counts.charts) == (1, 2)  # the analysis has no units
    assert after == _fresh(web_settings, path)
    analysed, drawn = counts.analyses, counts.charts  # the fresh dashboard's counted too
    set_profile(other, today=HISTORY_END, units="km")
    clock.pause()
    assert _page(seeded_client, path) == before  # kept in km meanwhile
    assert (counts.analyses, counts.charts) == (analysed, drawn)


def test_a_replaced_activity_shows_on_the_next_page(
    seeded_client: TestClient, web_settings: Settings, other: App, counts: Counts, clock: Clock
) -> None:
    """Delete the newest activity and store another: on SQLite it gets the same id (the
    largest id is given again); its page is the new activity's, not the kept content."""
    activity_id = _newest_id(seeded_client)
    before = _page(seeded_client, f"/activities/{activity_id}")
    assert "Elevation profile" in before
    delete_activity(other, activity_id)
    clock.pause()
    assert seeded_client.get(f"/activities/{activity_id}").status_code == 404
    assert seeded_client.get(f"/api/activities/{activity_id}").status_code == 404
    entry = ManualEntry(day=HISTORY_END, sport="run", duration_s=1800, distance_m=5000.0)
    new_id = log_manual(other, entry, today=HISTORY_END)
    clock.pause()
    after = _page(seeded_client, f"/activities/{new_id}")
    assert "Elevation profile" not in after  # no samples: no charts
    assert after == _fresh(web_settings, f"/activities/{new_id}")
    assert seeded_client.get(f"/api/activities/{new_id}").json()["samples"] == 0


def test_the_content_cache_keeps_the_most_recently_used() -> None:
    cache = ContentCache(max_entries=2)
    cache.keep("a", 1)
    cache.keep("b", 2)
    assert cache.find("a") == 1  # now the most recently used
    cache.keep("c", 3)
    assert (cache.find("a"), cache.find("b"), cache.find("c")) == (1, None, 3)
    assert len(cache) == 2
    with pytest.raises(ValueError, match="None"):
        cache.keep("d", None)
    with pytest.raises(ValueError, match="at least one"):
        ContentCache(max_entries=0)
