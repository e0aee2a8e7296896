"""The server store's edges, on every database: busy and slow databases answer a clear 503,
ids past what a table holds and text with NUL are bad input, and no answer carries SQL or a
password."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from backstride.config import Settings
from backstride.web.app import create_app
from tests.web.conftest import make_settings, seed

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b")
CsrfFn = type(lambda client, path="/import": "")


def _client(settings: Settings) -> Iterator[TestClient]:
    application = create_app(settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


@pytest.fixture
def seeded(tmp_path: object, db_url: str) -> Iterator[tuple[TestClient, Settings]]:
    settings = make_settings(tmp_path, db=db_url, db_lock_timeout_s=0.3)  # type: ignore[arg-type]
    seed(settings, count=3)
    for client in _client(settings):
        yield client, settings


def _first_id(client: TestClient) -> int:
    return int(client.get("/api/activities").json()["items"][0]["id"])


@pytest.mark.parametrize("big", [2**31, 2**31 + 5, 2**63 - 1])
def test_an_id_past_what_a_table_holds_is_refused_not_a_503(
    seeded: tuple[TestClient, Settings], big: int
) -> None:
    client, _ = seeded
    assert client.get(f"/api/activities/{big}").status_code == 422
    assert client.patch(f"/api/activities/{big}", json={"rpe": 3}).status_code == 422
    assert client.get(f"/activities/{big}").status_code == 422
    assert client.get(f"/api/activities/{2**31 - 1}").status_code == 404


def test_text_with_nul_is_refused_and_nothing_is_stored(
    seeded: tuple[TestClient, Settings],
) -> None:
    client, _ = seeded
    activity_id = _first_id(client)
    before = client.get(f"/api/activities/{activity_id}").json()["name"]
    answer = client.patch(f"/api/activities/{activity_id}", json={"name": "Tempo\x00run"})
    assert answer.status_code == 422, answer.text
    assert "NUL" in answer.json()["error"]["message"]
    assert client.get(f"/api/activities/{activity_id}").json()["name"] == before


def test_a_change_waiting_too_long_for_a_lock_answers_503_without_sql(
    seeded: tuple[TestClient, Settings],
) -> None:
    client, settings = seeded
    activity_id = _first_id(client)
    if settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite queues writers in its busy handler (tests/web/test_write_turn.py)")
    other = create_engine(settings.database_url)
    try:
        with other.connect() as conn:
            conn.execute(text("LOCK TABLE activities IN ACCESS EXCLUSIVE MODE"))
            answer = client.patch(f"/api/activities/{activity_id}", json={"rpe": 4})
            conn.rollback()
    finally:
        other.dispose()
    assert answer.status_code == 503, answer.text
    error = answer.json()["error"]
    assert "busy" in error["message"]
    assert not SQL_WORDS.search(answer.text)
    assert "locked" not in (error["hint"] or "")  # the SQLite file hint is not given here
    assert client.patch(f"/api/activities/{activity_id}", json={"rpe": 4}).status_code == 200
