"""The plan's JSON API (``/api/plan``): the same answers as ``plan show|today --json`` and the
same use cases as the Plan page; bad input refused with nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.plan import plan_today, show_plan
from tests.web.test_plan_pages import START, TODAY, screened

JSON = {"content-type": "application/json"}


def test_no_plan_yet_is_a_404_with_words(client: TestClient) -> None:
    missing = client.get("/api/plan")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"]


def test_start_show_today_done_skip_pause_resume_stop(
    client: TestClient, web_settings: Settings
) -> None:
    refused = client.post("/api/plan", json={"goal": "5k", "days": ["mon", "wed", "sat"]})
    assert refused.status_code == 409  # the health screen comes first
    screened(web_settings).close()
    start = START.isoformat()
    started = client.post(
        "/api/plan", json={"goal": "5k", "days": ["mon", "wed", "sat"], "start": start}
    )
    assert started.status_code == 201, started.text
    assert started.json()["plan"]["goal"] == "5k"
    shown = client.get("/api/plan").json()
    app = screened(web_settings)
    try:
        assert shown == show_plan(app, on=TODAY, today=TODAY).to_json()
        assert client.get("/api/plan/today").json() == (
            plan_today(app, on=TODAY, today=TODAY).to_json()
        )
    finally:
        app.close()
    run_day = START + timedelta(days=2)
    done = client.post("/api/plan/done", json={"on": run_day.isoformat(), "warmup": False})
    assert done.status_code == 200, done.text
    assert done.json()["mark"] is not None
    skipped = client.post(
        "/api/plan/skip", json={"on": (START + timedelta(days=5)).isoformat(), "reason": "sick"}
    )
    assert skipped.status_code == 200, skipped.text
    paused = client.post("/api/plan/pause", json={"reason": "travel"})
    assert paused.status_code == 200 and paused.json()["message"]
    resumed = client.post("/api/plan/resume", json={})
    assert resumed.status_code == 200 and resumed.json()["message"]
    stopped = client.post("/api/plan/stop", json={"reason": "done for now"})
    assert stopped.status_code == 200 and stopped.json()["plan"]["status"] == "stopped"


@pytest.mark.parametrize(
    "body",
    [
        {"goal": "marathon", "days": ["mon", "wed", "sat"]},
        {"goal": "5k", "days": ["mon", "tue", "sat"]},
        {"goal": "5k", "days": []},
        {"goal": "5k", "days": ["mon", "wed", "sat"], "start": "not-a-day"},
        {"goal": "5k", "days": ["mon", "wed", "sat"], "from_week": 0},
        {"goal": "5k", "days": ["mon", "wed", "sat"], "admin": True},
        {"goal": "<script>", "days": ["<script>"]},
    ],
)
def test_bad_plans_are_refused_and_nothing_is_stored(
    client: TestClient, web_settings: Settings, body: dict[str, object]
) -> None:
    screened(web_settings).close()
    refused = client.post("/api/plan", json=body)
    assert refused.status_code in (409, 422), refused.text
    assert refused.json()["error"]["message"]
    assert client.get("/api/plan").status_code == 404


def test_unsafe_plan_calls_take_json_only(client: TestClient, web_settings: Settings) -> None:
    screened(web_settings).close()
    form = client.post("/api/plan", data={"goal": "5k", "days": "mon,wed,sat"})
    assert form.status_code == 415
    assert client.get("/api/plan").status_code == 404


def test_the_openapi_schema_lists_the_plan_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/plan", "/api/plan/today", "/api/plan/done", "/api/plan/skip"):
        assert path in paths, path
