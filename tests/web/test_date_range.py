"""Dates outside 1990-2100 in addresses, forms and API bodies are refused as bad input (422)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from tests.databases import count_rows

TokenFn = Callable[[TestClient, str], str]
DAYS = ("0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31")


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize(
    "path",
    [
        "/activities?since={day}",
        "/activities?until={day}",
        "/api/activities?since={day}",
        "/api/activities?until={day}",
        "/today?on={day}",
        "/load?on={day}",
        "/plan?on={day}",
        "/api/today?on={day}",
        "/api/load?on={day}",
    ],
)
def test_a_date_outside_the_range_in_the_address_is_refused(
    client: TestClient, path: str, day: str
) -> None:
    response = client.get(path.format(day=day))
    assert response.status_code == 422, response.text[:300]
    assert "Something unexpected" not in response.text


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_range_in_a_form_is_refused_and_nothing_is_stored(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn, day: str
) -> None:
    token = csrf_token(client, "/import")
    posts = {
        "/self-tests": {"test": "trunk-flexor-hold", "value": "95", "on": day},
        "/shoes": {"name": "Pegasus", "bought_on": day},
        "/checkin": {"day": day, "when": "rest-day", "score": "2"},
        "/plan/start": {"goal": "5k", "days": "mon,wed,fri", "start": day},
        "/today/seen": {"flag": "saddle-numbness", "on": day},
    }
    for path, form in posts.items():
        response = client.post(
            path, data={"csrf_token": token, **form}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 422, (path, response.text[:300])
        assert "outside the dates backstride works with" in response.text, path
    assert _rows(web_settings) == dict.fromkeys(TABLES, 0)


TABLES = ("selftest_results", "shoes", "pain_entries", "plans", "red_flag_seen")


def _rows(settings: Settings) -> dict[str, int]:
    return {t: count_rows(settings.database_url, t) for t in TABLES}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_the_range_in_an_api_body_is_refused(client: TestClient, day: str) -> None:
    response = client.post("/api/pain", json={"day": day, "when": "rest-day", "score": 2})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "day"
