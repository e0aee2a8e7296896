"""The dashboard's memoised reads (``web/reads.py``, ``web/cache.py``) and chart fragments
(``templating.FragmentMemo``) never show data older than the last write: every cached read
is warmed first, then the data changes (through the API, a form, an import or another
process), and the next read must show the change."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from datetime import time as dt_time
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

from backstride.config import Settings
from backstride.domain.pain import RED_FLAGS, RedFlag, Urgency
from backstride.services.activities import (
    ActivityEdit,
    ManualEntry,
    count_activities,
    edit_activity,
    log_manual,
)
from backstride.services.context import App
from backstride.web import cache as cache_module
from backstride.web.cache import MISSING, OTHER, RECORDS, ResultCache
from backstride.web.charts import Chart
from backstride.web.context import WRITING
from backstride.web.templating import FragmentMemo
from tests.web.conftest import HISTORY_END

ON = f"on={HISTORY_END.isoformat()}"
NAME = "Renamed for the cache test"


class StepClock:
    """The cache's clock, moved by the test: the reuse of answers during a run of outside
    writes depends on the seconds between them, which a loaded machine would stretch."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> StepClock:
    steps = StepClock()
    monkeypatch.setattr(cache_module, "time", SimpleNamespace(monotonic=steps.monotonic))
    return steps


def _newest_id(client: TestClient) -> int:
    return int(client.get("/api/activities?per_page=1").json()["items"][0]["id"])


def _warm(client: TestClient, activity_id: int) -> list[str]:
    """Every cached read that shows an activity's name; returns their addresses."""
    paths = [
        "/activities",
        "/activities?sort=distance&order=asc&page=1",
        f"/activities?q={NAME.split()[0]}",
        f"/?{ON}",
        f"/activities/{activity_id}",
        "/api/activities?per_page=50",
        f"/api/activities/{activity_id}",
        f"/api/overview?{ON}",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert NAME not in response.text, path
    return paths


def test_an_api_edit_shows_on_every_cached_read(seeded_client: TestClient) -> None:
    activity_id = _newest_id(seeded_client)
    paths = _warm(seeded_client, activity_id)
    patched = seeded_client.patch(f"/api/activities/{activity_id}", json={"name": NAME})
    assert patched.status_code == 200
    for path in paths:
        assert NAME in seeded_client.get(path).text, path


def test_a_form_edit_shows_on_every_cached_read(
    seeded_client: TestClient, csrf_token: Callable[[TestClient, str], str]
) -> None:
    activity_id = _newest_id(seeded_client)
    paths = _warm(seeded_client, activity_id)
    token = csrf_token(seeded_client, "/import")
    response = seeded_client.post(
        f"/activities/{activity_id}/edit",
        data={"csrf_token": token, "name": NAME},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    for path in paths:
        assert NAME in seeded_client.get(path).text, path


def test_an_edit_by_another_process_shows_on_the_next_read(
    seeded_client: TestClient, web_settings: Settings
) -> None:
    activity_id = _newest_id(seeded_client)
    paths = _warm(seeded_client, activity_id)
    other = App(web_settings)  # as the CLI would: its own engine, nothing told to the web app
    try:
        edit_activity(other, activity_id, ActivityEdit(name=NAME))
    finally:
        other.close()
    for path in paths:
        assert NAME in seeded_client.get(path).text, path


def test_an_edited_rpe_changes_the_cached_analysis(seeded_client: TestClient) -> None:
    activity_id = _newest_id(seeded_client)
    seeded_client.patch(f"/api/activities/{activity_id}", json={"rpe": 2})
    before = seeded_client.get(f"/api/activities/{activity_id}").json()["analysis"]["srpe_load"]
    seeded_client.patch(f"/api/activities/{activity_id}", json={"rpe": 8})
    after = seeded_client.get(f"/api/activities/{activity_id}").json()["analysis"]["srpe_load"]
    assert before is not None and after == before * 4


def test_a_new_heart_profile_changes_the_cached_analysis(seeded_client: TestClient) -> None:
    activity_id = _newest_id(seeded_client)
    path = f"/api/activities/{activity_id}"
    first = seeded_client.get(path).json()["analysis"]["trimp"]
    profile = {"sex": "female", "resting_hr_bpm": 45, "max_hr_bpm": 200, "birth_year": 1970}
    assert seeded_client.put("/api/profile", json=profile).status_code == 200
    second = seeded_client.get(path).json()["analysis"]["trimp"]
    assert second != first


def test_a_new_emergency_red_flag_shows_on_the_next_page(seeded_client: TestClient) -> None:
    flag = next(f for f in RedFlag if RED_FLAGS[f].urgency is Urgency.EMERGENCY)
    today = date.today().isoformat()
    for path in ("/activities", "/import"):
        assert 'class="emergency"' not in seeded_client.get(path).text
    entry = {"when": "rest-day", "score": 4, "red_flags": [flag.value], "day": today}
    assert seeded_client.post("/api/pain", json=entry).status_code in (200, 201)
    for path in ("/activities", "/import"):
        assert 'class="emergency"' in seeded_client.get(path).text, path


def test_a_new_import_shows_in_the_cached_history(seeded_client: TestClient) -> None:
    assert "broken-for-the-cache.gpx" not in seeded_client.get("/import").text
    response = seeded_client.post(
        "/api/imports?name=broken-for-the-cache.gpx",
        content=b"<gpx><trk><trkseg><trkpt lat=",
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200 and response.json()["failed"] == 1
    assert "broken-for-the-cache.gpx" in seeded_client.get("/import").text


def test_fragments_are_kept_per_object_not_per_value() -> None:
    calls: list[Chart] = []

    def render(chart: Chart) -> Markup:
        calls.append(chart)
        return Markup(f"<svg>{chart.title}</svg>")

    memo = FragmentMemo(render, max_entries=2)
    first = Chart(key="k", title="one", desc="d")
    assert memo(first) == memo(first) == Markup("<svg>one</svg>")
    assert calls == [first]
    equal = Chart(key="k", title="one", desc="d")  # a rebuilt chart renders anew
    memo(equal)
    assert len(calls) == 2
    memo(Chart(key="k", title="two", desc="d"))  # the oldest entry is dropped
    memo(first)
    assert len(calls) == 4


@pytest.mark.sqlite_only  # an SQLite file's size and time tell the cache of outside writes
def test_reads_during_continuous_outside_writes_reuse_a_recent_answer(
    tmp_path: Path, clock: StepClock
) -> None:
    """An import in another process commits every few tenths of a second: answers younger
    than the grace are reused meanwhile, and the next read after it ends is fresh."""
    db = tmp_path / "churn.sqlite3"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE t (x INTEGER)")
    cache = ResultCache(f"sqlite:///{db}", churn_grace_s=1.0)
    calls, compute = _counting()

    try:
        assert cache.get("k", compute) == 1
        answers = []
        for i in range(6):
            other.execute("INSERT INTO t VALUES (?)", (i,))
            answers.append(cache.get("k", compute))
            clock.advance(0.03)
        # two single changes are read afresh; from the third in a row the answer is reused
        assert answers == [2, 3, 3, 3, 3, 3]
        clock.advance(1.1)
        assert cache.get("k", compute) == 4  # older than the grace: computed again
        assert cache.get("k", compute) == 4
        cache.bump()  # a write of the dashboard's own ends any reuse at once
        assert cache.get("k", compute) == 5
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_pages_during_an_import_say_they_lag_and_are_exact_after_it(
    seeded_client: TestClient, web_settings: Settings, clock: StepClock
) -> None:
    """While another process keeps writing (an import's batches), a page may show figures
    from a few seconds before and says so; once the writes stop, it shows everything."""
    note = "may be a few seconds behind"
    page = f"/activities?until={HISTORY_END.isoformat()}"
    first = seeded_client.get(page).text
    assert note not in first
    other = App(web_settings)  # as the CLI's import would: its own engine
    try:
        before = count_activities(other)
        answers = []
        for i in range(4):  # batches a few hundredths of a second apart
            log_manual(
                other,
                ManualEntry(
                    day=HISTORY_END,
                    sport="run",
                    duration_s=1800,
                    start_time=dt_time(1 + 5 * i, 41),
                    distance_m=1111.0 + 100 * i,
                    name=f"Batch {i}",
                ),
                today=HISTORY_END,
            )
            answers.append(seeded_client.get(page).text)
            clock.advance(0.03)
        assert note not in answers[0]  # single changes are read afresh
        assert "Batch 0" in answers[0]
        assert note in answers[-1] and "Batch 3" not in answers[-1]  # lagging, and says so
        clock.advance(1.2)  # the import ended: no change for longer than the grace
        after = seeded_client.get(page).text
        assert note not in after
        assert all(f"Batch {i}" in after for i in range(4))
        assert count_activities(other) == before + 4
    finally:
        other.close()


def _churning_file(
    tmp_path: Path,
) -> tuple[sqlite3.Connection, Callable[[], None], ResultCache]:
    """An SQLite file another connection keeps writing to (as an import's batches would),
    the function that writes the next batch, and a cache watching the file."""
    db = tmp_path / "churn.sqlite3"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE t (x INTEGER)")
    count = iter(range(10_000))

    def batch() -> None:
        other.execute("INSERT INTO t VALUES (?)", (next(count),))

    return other, batch, ResultCache(f"sqlite:///{db}")


def _counting() -> tuple[list[int], Callable[[], int]]:
    """A computation that answers how many times it has run, and the list of its runs."""
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


@pytest.mark.sqlite_only
def test_an_own_write_during_outside_writes_keeps_reusing_later_answers(
    tmp_path: Path, clock: StepClock
) -> None:
    """A dashboard edit while an import keeps writing: the next read is fresh, and the
    answers computed after the edit are reused again at once (the import's churn goes on)
    instead of every read computing anew until three more outside writes were seen."""
    other, batch, cache = _churning_file(tmp_path)
    calls, compute = _counting()

    try:
        for _ in range(4):
            batch()
            cache.get("k", compute)
            clock.advance(0.03)
        assert len(calls) == 3  # the third outside write in a row: reused from then on
        cache.bump()  # the dashboard's own edit
        batch()
        assert cache.get("k", compute) == 4  # fresh after the edit
        answers = []
        for _ in range(3):
            batch()
            clock.advance(0.03)
            answers.append(cache.get("k", compute))
        assert answers == [4, 4, 4]
        clock.advance(1.1)  # the import ended
        assert cache.get("k", compute) == 5
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_an_own_write_drops_only_the_answers_that_read_what_it_changed(
    tmp_path: Path, clock: StepClock
) -> None:
    """During an import's churn: an edit that changed the activity records only (a name)
    keeps the answers that read only the training load; one that changed the load drops
    them; one that changed nothing drops nothing."""
    other, batch, cache = _churning_file(tmp_path)
    calls = {"load": 0, "page": 0}

    def counted(key: str) -> Callable[[], int]:
        def compute() -> int:
            calls[key] += 1
            return calls[key]

        return compute

    def read() -> tuple[int, int]:
        batch()
        clock.advance(0.03)
        return (
            cache.get("load", counted("load"), reads=cache_module.LOAD_ONLY),
            cache.get("page", counted("page")),
        )

    try:
        for _ in range(4):
            read()
        assert read() == (3, 3)  # reused while the import writes
        cache.bump(frozenset({cache_module.RECORDS}))
        assert read() == (3, 4)  # the load report stays; the page with the name is fresh
        cache.bump(frozenset({cache_module.RECORDS, cache_module.LOAD}))
        assert read() == (4, 5)
        cache.bump(frozenset())
        assert read() == (4, 5)
        cache.bump()
        assert read() == (5, 6)
        with pytest.raises(ValueError, match="unknown aspects"):
            cache.bump(frozenset({"names"}))
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_edits_during_an_import_show_at_once_where_they_matter(
    seeded_client: TestClient, web_settings: Settings, clock: StepClock
) -> None:
    """While another process keeps writing: a new name shows at once on every page that
    shows names, while the Load page (which reads only the load) may stay a few seconds
    behind and says so; a new RPE changes the load, and the Load page is fresh at once."""
    note = "may be a few seconds behind"
    activity_id = _newest_id(seeded_client)
    assert seeded_client.patch(f"/api/activities/{activity_id}", json={"rpe": 2}).status_code == 200
    paths = _warm(seeded_client, activity_id)
    load_page, load_api = f"/load?{ON}", f"/api/load?{ON}"
    load_before = seeded_client.get(load_api).json()
    other = App(web_settings)  # as the CLI's import would: its own engine
    count = iter(range(100))

    def batch() -> None:
        i = next(count)
        log_manual(
            other,
            ManualEntry(
                day=date(2001, 1, 1 + i),  # long before the pages' weeks
                sport="run",
                duration_s=1800,
                distance_m=1111.0 + i,
                name=f"Batch {i}",
            ),
            today=HISTORY_END,
        )
        clock.advance(0.03)

    try:
        for _ in range(4):
            batch()
            seeded_client.get(load_page)
        assert note in seeded_client.get(load_page).text  # the import's churn: reused
        patched = seeded_client.patch(f"/api/activities/{activity_id}", json={"name": NAME})
        assert patched.status_code == 200
        batch()
        assert note in seeded_client.get(load_page).text  # a name leaves the load report
        for path in paths:
            assert NAME in seeded_client.get(path).text, path
        patched = seeded_client.patch(f"/api/activities/{activity_id}", json={"rpe": 9})
        assert patched.status_code == 200
        batch()
        assert note not in seeded_client.get(load_page).text  # computed after the edit
        assert seeded_client.get(load_api).json() != load_before
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_reads_during_slow_outside_writes_reuse_a_recent_answer(
    tmp_path: Path, clock: StepClock
) -> None:
    """An import starved of CPU commits a batch every two seconds: its answers are still
    reused between the batches (not computed anew after each one), never older than the
    lag allowance, and fresh once no batch came for longer than its pace."""
    other, batch, _ = _churning_file(tmp_path)
    cache = ResultCache(f"sqlite:///{tmp_path / 'churn.sqlite3'}", lag_s=5.0)
    calls, compute = _counting()

    try:
        for _ in range(3):
            batch()
            cache.get("k", compute)
            clock.advance(2.0)
        assert len(calls) == 3  # three single changes, each read afresh
        reused = cache.get("k", compute)  # 2 s after the third batch: the next is due
        assert reused == 3 and cache_module.LAG_S >= 2.0
        answers = []
        for _ in range(4):
            batch()
            clock.advance(1.0)
            answers.append(cache.get("k", compute))
            clock.advance(1.0)
            answers.append(cache.get("k", compute))
        # reused while younger than the lag allowance, then computed once and reused again
        assert answers == [3, 3, 3, 4, 4, 4, 4, 4]
        clock.advance(1.5)  # 3.5 s without a batch: more than 1.5 of its pace, it ended
        assert cache.get("k", compute) == 5
        assert cache.get("k", compute) == 5
    finally:
        other.close()


def test_peek_answers_what_get_keeps_and_never_computes(tmp_path: Path, clock: StepClock) -> None:
    """The event loop may ask what is kept (the units of a page) without a trip to a request
    thread: the same answer :meth:`get` would give, or nothing whenever it would compute."""
    db = tmp_path / "peek.sqlite3"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE t (x INTEGER)")
    cache = ResultCache(f"sqlite:///{db}")
    calls, compute = _counting()
    reads = frozenset({OTHER})
    try:
        assert cache.peek("k", reads=reads) is MISSING
        assert cache.get("k", compute, reads=reads) == 1
        assert cache.peek("k", reads=reads) == 1
        cache.bump(frozenset({RECORDS}))  # a change it does not read keeps it
        assert cache.peek("k", reads=reads) == 1
        cache.bump(frozenset({OTHER}))
        assert cache.peek("k", reads=reads) is MISSING
        assert cache.get("k", compute, reads=reads) == 2
        other.execute("INSERT INTO t VALUES (1)")  # another process wrote
        assert cache.peek("k", reads=reads) is MISSING
        assert cache.get("k", compute, reads=reads) == 3
        writing = WRITING.set(True)  # a request that writes sees fresh answers only
        try:
            assert cache.peek("k", reads=reads) is MISSING
        finally:
            WRITING.reset(writing)
        clock.advance(cache_module.LAG_S + 31.0)  # past the backstop
        assert cache.peek("k", reads=reads) is MISSING
        assert len(calls) == 3
    finally:
        other.close()
    server = ResultCache("postgresql+psycopg://u@localhost/db", data_version=lambda _: (1, 1))
    assert server.peek("k") is MISSING  # its versions are read from the database
    assert server.scoped(7).peek("k") is MISSING
