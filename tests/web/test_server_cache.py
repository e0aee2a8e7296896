"""Server mode: the result cache forgets exactly what a write changed, on both databases.

* A runner's write (a check-in) makes her own answers fresh on the next read, and leaves the
  other runners' answers cached.
* Writes that change no cached answer (the audit log a professional's list of runners
  writes, a login) bump no data version, so they throw away no one's answers; a real write
  after them is still seen on the next read.
* The data version is read once per request, not once per cached answer.
* A check-in (a write to the diary only) makes the answers that read the diary compute again
  (Today, and the day's decision on the Overview: every surface shows the same new decision)
  and keeps those that never read it (the training load, an activity's analysis and charts,
  the Overview's weeks); a change to anything else makes those compute again too. Within
  the day's answer, a check-in reads only the diary again: the training facts behind it are
  kept (``services.guidance.training_facts``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.adapters.db.engine import UNVERSIONED_TABLES, written_table
from backstride.domain.access import Role
from backstride.domain.guidance import DECISION_WORDS
from backstride.services.accounts import find_user, login_with_password
from backstride.services.activities import ActivityEdit, edit_activity
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.services.sharing import record, roster
from backstride.web.app import create_app
from backstride.web.cache import ResultCache
from tests.web.server_kit import (
    HISTORY_END,
    PASSWORD,
    Runner,
    add_professional,
    client_for,
    log_in,
    open_runner,
    seed_runner,
    server_settings,
    share,
)


@dataclass
class World:
    app: FastAPI
    context: App
    anna: Runner
    ben: Runner


@pytest.fixture
def world(tmp_path: Path, db_url: str) -> Iterator[World]:
    settings = server_settings(tmp_path, db=db_url)
    context = App(settings)
    anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
    ben = seed_runner(context, email="ben@example.org", name="Ben", marker="BEN-SECRET")
    add_professional(context, email="pro@example.org", name="Dr Pro")
    web_app = create_app(settings, allowed_hosts=["testserver"])
    yield World(web_app, context, anna, ben)
    web_app.state.web.app.close()
    context.close()


def _cache(world: World) -> ResultCache:
    cache = world.app.state.web.cache
    assert isinstance(cache, ResultCache)
    return cache


def _scopes_cached(world: World) -> set[Any]:
    return {key[0] for key in _cache(world)._entries}


def _today(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/today")
    assert answer.status_code == 200, answer.text[:300]
    body: dict[str, Any] = answer.json()
    return body


def test_statements_name_the_table_they_write() -> None:
    assert written_table("INSERT INTO audit_events (athlete_id) VALUES (1)") == "audit_events"
    assert written_table("  update login_sessions SET x = 1") == "login_sessions"
    assert written_table('DELETE FROM "login_failures" WHERE 1') == "login_failures"
    assert written_table("INSERT OR REPLACE INTO pain_entries VALUES (1)") == "pain_entries"
    assert written_table("SELECT * FROM audit_events") is None
    assert "pain_entries" not in UNVERSIONED_TABLES and "activities" not in UNVERSIONED_TABLES
    assert "background_jobs" in UNVERSIONED_TABLES


def test_bookkeeping_writes_leave_the_data_version_and_real_writes_bump_it(
    world: World,
) -> None:
    context, anna = world.context, world.anna
    now = datetime.now(UTC)
    before_all, before_anna = context.data_version(None), context.data_version(anna.athlete_id)
    pro = find_user(context, "pro@example.org")
    assert pro is not None and pro.role is Role.PROFESSIONAL
    record(context, athlete_id=anna.athlete_id, actor=pro, action="read", what="x", now=now)
    login_with_password(context, email=anna.email, password=PASSWORD, address="t", now=now)
    with pytest.raises(Exception, match="not right"):
        login_with_password(context, email=anna.email, password="wrong!", address="t", now=now)
    roster(context, pro, now=now)
    assert context.data_version(None) == before_all
    assert context.data_version(anna.athlete_id) == before_anna
    mine = context.for_athlete(anna.athlete_id)
    add_pain(mine, PainInput(day=date.today(), when="rest-day", score=1), today=date.today())
    assert context.data_version(anna.athlete_id) > before_anna
    assert context.data_version(world.ben.athlete_id) == context.data_version(world.ben.athlete_id)


def test_a_check_in_forgets_the_runners_own_answers_only(world: World) -> None:
    anna, ben = client_for(world.app), client_for(world.app)
    anna_token = log_in(anna, world.anna.email)
    log_in(ben, world.ben.email)
    first_anna, first_ben = _today(anna), _today(ben)
    assert {world.anna.athlete_id, world.ben.athlete_id} <= _scopes_cached(world)
    ben_keys = {k for k in _cache(world)._entries if k[0] == world.ben.athlete_id}
    answer = anna.post(
        "/api/pain",
        json={"day": date.today().isoformat(), "when": "rest-day", "score": 9},
        headers={"X-CSRF-Token": anna_token},
    )
    assert answer.status_code < 400, answer.text[:300]
    # Ben's answers stay; Anna's next answer is computed afresh and shows her check-in.
    assert ben_keys <= set(_cache(world)._entries)
    assert _today(ben) == first_ben
    after = _today(anna)
    assert after != first_anna
    assert (
        after["decision"] != first_anna["decision"] or after["findings"] != (first_anna["findings"])
    )


def test_a_professionals_list_keeps_answers_and_later_writes_are_seen(world: World) -> None:
    runner, pro = client_for(world.app), client_for(world.app)
    token = log_in(runner, world.ben.email)
    share(runner, token, "pro@example.org", "diary", "activities")
    log_in(pro, "pro@example.org")
    before = _today(runner)
    keys = set(_cache(world)._entries)
    assert keys
    assert pro.get("/runners").status_code == 200  # writes Ben's audit log
    assert keys <= set(_cache(world)._entries)
    assert _today(runner) == before
    # A write from elsewhere (another process, the command line) is seen on the next read.
    mine = world.context.for_athlete(world.ben.athlete_id)
    add_pain(mine, PainInput(day=date.today(), when="rest-day", score=9), today=date.today())
    assert _today(runner) != before
    assert "Saw your name on the list of runners" in runner.get("/sharing").text


def test_a_request_reads_the_data_version_with_its_login(world: World, monkeypatch: Any) -> None:
    """Once per request, and on a server database in the login's own statement
    (``Login.shown_versions``): no read of its own."""
    cache = _cache(world)
    reads: list[int | None] = []
    real = cache._data_version
    if real is None:
        pytest.skip("an SQLite file's version is its size and time, read without a query")

    def counted(athlete: int | None) -> tuple[int, int]:
        reads.append(athlete)
        return real(athlete)

    monkeypatch.setattr(cache, "_data_version", counted)
    client = client_for(world.app)
    log_in(client, world.anna.email)
    reads.clear()
    week_ago = (date.today() - timedelta(days=7)).isoformat()
    assert client.get("/", params={"on": week_ago}).status_code == 200  # several cached reads
    assert reads == []


def test_a_professional_sees_the_versions_of_the_runner_she_opened(world: World) -> None:
    """The versions read with a professional's login are those of the runner in view: her
    cached answers of Anna's Today change with Anna's check-in, not with Ben's."""
    anna = client_for(world.app)
    share(anna, log_in(anna, world.anna.email), "pro@example.org", "diary", "activities")
    pro = client_for(world.app)
    token = log_in(pro, "pro@example.org")
    assert open_runner(pro, token, world.anna.athlete_id) == 303
    before = _today(pro)
    assert _today(pro) == before  # answered from the cache
    ben = world.context.for_athlete(world.ben.athlete_id)
    add_pain(ben, PainInput(day=date.today(), when="rest-day", score=9), today=date.today())
    if _cache(world).versioned_by_database:  # an SQLite file's version is its size and time
        assert _today(pro) == before
    mine = world.context.for_athlete(world.anna.athlete_id)
    add_pain(mine, PainInput(day=date.today(), when="rest-day", score=9), today=date.today())
    assert _today(pro) != before


def _entries_named(world: World, athlete: int) -> dict[str, Any]:
    """The cached entries of ``athlete`` by the first part of their key (one per name)."""
    return {
        key[2][0]: entry
        for key, entry in _cache(world)._entries.items()
        if key[0] == athlete and isinstance(key[2], tuple)
    }


DIARY_FREE = ("load_report", "run_spikes", "activity_page", "overview_records")
"""The answers a check-in leaves kept (an activity's analysis is kept apart, under exactly
what it is computed from: ``web/content_cache.py``)."""


def _contents_of(world: World, athlete: int) -> dict[Any, Any]:
    """The content cache's entries of ``athlete``: an analysis's key names the runner
    second; a page's charts are kept under (that key, the units)."""
    contents = world.app.state.web.contents._entries
    return {
        key: value
        for key, value in contents.items()
        if (key if key[0] == "activity_content" else key[0])[1] == athlete
    }


def test_a_check_in_keeps_the_answers_that_never_read_the_diary(world: World) -> None:
    if not _cache(world).versioned_by_database:
        pytest.skip("an SQLite file's version is its size and time: any write changes it")
    client = client_for(world.app)
    token = log_in(client, world.anna.email)
    athlete, activity = world.anna.athlete_id, world.anna.activity_id
    for path in ("/today", "/", f"/activities/{activity}"):
        assert client.get(path).status_code == 200
    kept = _entries_named(world, athlete)
    assert set(DIARY_FREE) <= set(kept)
    contents = _contents_of(world, athlete)
    assert len(contents) == 2  # the activity's analysis and charts
    before = _today(client)
    answer = client.post(
        "/api/pain",
        json={"day": date.today().isoformat(), "when": "rest-day", "score": 9, "notes": "N-9"},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code < 400, answer.text[:300]
    after = _today(client)
    assert after != before
    # Every surface shows the same, new decision for the day.
    assert client.get("/api/overview").json()["today"]["decision"] == after["decision"]
    words = DECISION_WORDS[after["decision"]]
    assert words in client.get("/").text and words in client.get("/today").text
    assert client.get(f"/activities/{activity}").status_code == 200
    now = _entries_named(world, athlete)
    for name in DIARY_FREE:
        assert now[name] is kept[name], f"{name} was computed again after a check-in"
    assert _contents_of(world, athlete) == contents
    assert all(_contents_of(world, athlete)[k] is v for k, v in contents.items())
    assert now["day"] is not kept["day"]  # the decision reads the diary
    assert now["overview"] is not kept["overview"]


def test_a_check_in_recomputes_only_the_diarys_part_of_the_day(
    world: World, monkeypatch: Any
) -> None:
    if not _cache(world).versioned_by_database:
        pytest.skip("an SQLite file's version is its size and time: any write changes it")
    import backstride.services.guidance as guidance

    reads: list[date] = []
    real = guidance._read_training_facts

    def counted(app: App, **kwargs: Any) -> guidance.TrainingFacts:
        reads.append(kwargs["on"])
        return real(app, **kwargs)

    monkeypatch.setattr(guidance, "_read_training_facts", counted)
    client = client_for(world.app)
    token = log_in(client, world.anna.email)
    _today(client)  # analyses the runs imported untouched (a write): the facts are read again
    reads.clear()
    before = _today(client)
    assert len(reads) <= 1
    reads.clear()
    answer = client.post(
        "/api/pain",
        json={"day": date.today().isoformat(), "when": "rest-day", "score": 9},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code < 400, answer.text[:300]
    after = _today(client)
    assert after != before  # the check-in counts in the day's answer...
    assert reads == []  # ...while the load, runs and shoes behind it were kept
    mine = world.context.for_athlete(world.anna.athlete_id)
    edit_activity(mine, world.anna.activity_id, ActivityEdit(name="Renamed elsewhere"))
    assert _today(client) == after
    assert len(reads) == 1  # any other change reads them again


def test_answers_that_never_read_the_diary_see_every_other_change(world: World) -> None:
    if not _cache(world).versioned_by_database:
        # One outside write is seen at once (test_workers_see_writes); several within a
        # second are an import's churn there, served lagging for a moment (web.cache).
        pytest.skip("an SQLite file's version is its size and time: there are no areas")
    client = client_for(world.app)
    log_in(client, world.anna.email)
    activity = world.anna.activity_id
    assert "ANNA-SECRET run" in client.get(f"/activities/{activity}").text
    mine = world.context.for_athlete(world.anna.athlete_id)
    # From another process's point of view: the edit goes to the database only.
    edit_activity(mine, activity, ActivityEdit(name="Renamed elsewhere"))
    assert "Renamed elsewhere" in client.get(f"/activities/{activity}").text
    add_pain(
        mine,
        PainInput(day=HISTORY_END, when="after", score=2, notes="A later note"),
        today=date.today(),
    )
    assert "A later note" in client.get(f"/activities/{activity}").text
