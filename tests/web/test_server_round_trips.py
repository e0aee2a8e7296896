"""Server mode on PostgreSQL: what one request of ``bench/server_bench.py``'s mix asks of the
database, counted where SQLAlchemy sends it (transactions begun, statements, pings of pooled
connections). Each unit of work is a connection checkout, a ``BEGIN`` and a ``COMMIT``, and
for an athlete's transaction the setting of her row-level security too: round trips that cost
the server and PostgreSQL CPU on every request (docs/server.md, "Performance").

* The login check reads the athlete's data versions in its own transaction, so a page that
  answers from the cache is one transaction of two statements (it was two transactions).
* A check-in reads the runner's profile (for its triage) in the transaction that stores it.
* A professional's list of runners is read and written to the audit log in one transaction.
* A pooled connection is pinged only when it was unused for a while (``IDLE_PING_S``), and
  one that no longer works is then replaced without the request noticing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from backstride.adapters.db import postgres
from backstride.services.accounts import find_user
from backstride.services.context import App
from backstride.services.sharing import audit_log
from backstride.web.app import create_app
from tests.web.server_kit import (
    HISTORY_END,
    Runner,
    add_professional,
    client_for,
    log_in,
    seed_runner,
    server_settings,
    share,
)

pytestmark = pytest.mark.postgresql_only


@dataclass
class Counts:
    transactions: int = 0
    statements: list[str] = field(default_factory=list)
    pings: int = 0

    def clear(self) -> None:
        self.transactions, self.pings = 0, 0
        self.statements.clear()


@dataclass
class World:
    app: FastAPI
    context: App
    anna: Runner
    runner: TestClient
    professional: TestClient
    counts: Counts


def _count(engine: Engine, counts: Counts, monkeypatch: pytest.MonkeyPatch) -> None:
    def begun(_conn: Any) -> None:
        counts.transactions += 1

    def sent(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        counts.statements.append(" ".join(statement.split()))

    event.listen(engine, "begin", begun)
    event.listen(engine, "before_cursor_execute", sent)
    ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection: Any) -> bool:
        counts.pings += 1
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)


@pytest.fixture
def world(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    settings = server_settings(tmp_path, db=db_url)
    context = App(settings)
    anna = seed_runner(context, email="anna@example.org", name="Anna", marker="ANNA-SECRET")
    add_professional(context, email="pro@example.org", name="Dr Pro")
    web_app = create_app(settings, allowed_hosts=["testserver"])
    counts = Counts()
    _count(web_app.state.web.app.store.engine, counts, monkeypatch)
    with client_for(web_app) as runner, client_for(web_app) as professional:
        token = log_in(runner, anna.email)
        share(runner, token, "pro@example.org", "activities", "diary", "report", "plan")
        log_in(professional, "pro@example.org")
        world = World(web_app, context, anna, runner, professional, counts)
        for _ in range(2):  # every answer computed and cached once
            for path in ("/today", "/", f"/activities/{anna.activity_id}"):
                assert runner.get(path).status_code == 200
            assert professional.get("/runners").status_code == 200
        yield world
    web_app.state.web.app.close()
    context.close()


def _check_in(client: TestClient, score: int) -> None:
    answer = client.post(
        "/api/pain",
        json={"day": HISTORY_END.isoformat(), "when": "rest-day", "score": score},
        headers={"origin": "https://testserver"},
    )
    assert answer.status_code == 201, answer.text[:300]


def test_a_cached_page_is_one_statement_the_login_with_the_versions(world: World) -> None:
    for path in ("/", "/today", f"/activities/{world.anna.activity_id}"):
        world.counts.clear()
        assert world.runner.get(path).status_code == 200
        assert world.counts.transactions == 1, (path, world.counts.statements)
        assert len(world.counts.statements) == 1, (path, world.counts.statements)
        (login,) = world.counts.statements
        assert "FROM login_sessions" in login
        assert "FROM data_versions" in login
        assert world.counts.pings == 0


def test_a_professionals_list_is_six_statements_whatever_the_number_of_runners(
    world: World,
) -> None:
    """The login; the grants with the runners' names; their red flags, red flags seen and
    profiles; one audit insert for the whole list."""
    world.counts.clear()
    assert world.professional.get("/runners").status_code == 200
    statements = [s for s in world.counts.statements if not s.startswith("SELECT set_config")]
    assert len(statements) == 6, statements
    login, grants, pain, seen, profiles, audit = statements
    assert "FROM login_sessions" in login
    assert "FROM grants LEFT OUTER JOIN users" in grants
    assert "FROM pain_entries" in pain
    assert "FROM red_flag_seen" in seen
    assert "FROM profiles" in profiles
    assert audit.startswith("INSERT INTO audit_events")


def test_a_check_in_is_two_transactions_and_its_answer_is_whole(world: World) -> None:
    world.counts.clear()
    answer = world.runner.post(
        "/api/pain",
        json={"day": HISTORY_END.isoformat(), "when": "rest-day", "score": 2},
        headers={"origin": "https://testserver"},
    )
    assert answer.status_code == 201, answer.text[:300]
    assert world.counts.transactions == 2, world.counts.statements  # the login; the write
    assert world.counts.pings == 0
    body = answer.json()
    assert body["entry"]["score"] == 2
    assert body["triage"] is None  # triaged with the profile read in the write
    # The next page sees the check-in: the day is computed again from the diary.
    world.counts.clear()
    today = world.runner.get("/api/today")
    assert today.status_code == 200
    assert world.counts.transactions == 2  # the login; the diary's part of the day


def test_a_professionals_list_is_read_and_audited_in_one_transaction(world: World) -> None:
    anna = find_user(world.context, world.anna.email)
    assert anna is not None
    before = len(audit_log(world.context, anna))
    world.counts.clear()
    page = world.professional.get("/runners")
    assert page.status_code == 200
    assert "Anna" in page.text
    assert world.counts.transactions == 2, world.counts.statements  # the login; the list
    assert world.counts.pings == 0
    after = audit_log(world.context, anna)
    assert len(after) == before + 1
    assert after[0].what == "Saw your name on the list of runners, with your open warning signs"


def test_a_long_unused_connection_is_pinged_and_a_broken_one_replaced(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = world.app.state.web.app.store.engine
    engine.dispose()  # the pool starts empty: the connection below is the one it holds
    with engine.connect() as conn:  # a pooled connection, then back in the pool
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with world.context.store.session() as session:  # another engine: ends that connection
        session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    monkeypatch.setattr(postgres, "IDLE_PING_S", 0.0)  # every pooled connection counts as idle
    world.counts.clear()
    assert world.runner.get("/today").status_code == 200
    assert world.counts.pings >= 1
    _check_in(world.runner, 1)
    assert world.runner.get("/today").status_code == 200


def test_a_connection_used_a_moment_ago_is_not_pinged(world: World) -> None:
    world.counts.clear()
    for score in range(3):
        assert world.runner.get("/today").status_code == 200
        _check_in(world.runner, score)
        assert world.professional.get("/runners").status_code == 200
    assert world.counts.pings == 0
    assert world.counts.transactions <= 3 * (2 + 2 + 2)
