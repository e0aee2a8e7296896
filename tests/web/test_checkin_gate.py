"""The check-in: "nothing new" in one tap, and pain never saved without its warning-sign
questions (red flags always win)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.context import App
from backstride.services.diary import list_pain

TokenFn = Callable[[TestClient, str], str]


def _entries(settings: Settings) -> int:
    app = App(settings)
    try:
        return len(list_pain(app).entries)
    finally:
        app.close()


def _quick_form(page: str) -> dict[str, str]:
    form = re.search(r'<form id="checkin-quick".*?</form>', page, re.S)
    assert form, "no 'nothing new' form"
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(0)))


def test_nothing_new_saves_in_one_post(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    page = client.get("/checkin").text
    fields = _quick_form(page)
    assert fields["score"] == "0" and fields["day"] == date.today().isoformat()
    assert page.index('id="checkin-quick"') < page.index('<form id="checkin" ')
    saved = client.post("/checkin", data=fields, follow_redirects=False)
    assert saved.status_code == 303 and "saved=1" in saved.headers["location"]
    assert _entries(web_settings) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"score": "3"},
        {"score": "0", "where": "low-back"},
        {"score": "0", "walking_leg_symptoms": "1"},
        {"score": "<script>"},
    ],
)
def test_pain_without_the_warning_sign_questions_is_refused(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn, fields: dict[str, str]
) -> None:
    token = csrf_token(client, "/checkin")
    refused = client.post("/checkin", data={"csrf_token": token, "when": "rest-day", **fields})
    assert refused.status_code == 422
    assert "answer the warning-sign questions" in refused.text
    assert 'id="red-flag-questions"' in refused.text and "<script>" not in refused.text
    assert _entries(web_settings) == 0


def test_pain_with_the_questions_answered_is_saved(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    token = csrf_token(client, "/checkin")
    saved = client.post(
        "/checkin",
        data={"csrf_token": token, "when": "rest-day", "score": "3", "flags_asked": "1"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert _entries(web_settings) == 1


def test_a_red_flag_ticked_is_never_lost_to_the_gate(
    client: TestClient, web_settings: Settings, csrf_token: TokenFn
) -> None:
    token = csrf_token(client, "/checkin")
    saved = client.post(
        "/checkin",
        data={"csrf_token": token, "when": "rest-day", "score": "4", "red_flags": "fever"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert _entries(web_settings) == 1


def test_the_diary_pages_by_month_with_pain_and_load_on_their_own_axes(
    seeded_client: TestClient,
) -> None:
    page = seeded_client.get("/diary?month=2026-02").text
    assert "February 2026" in page
    assert 'href="/diary?month=2026-01"' in page and 'href="/diary?month=2026-03"' in page
    assert 'id="chart-pain-load"' in page and 'id="chart-daily-load"' in page
    assert "tallest bar" not in page
    bad = seeded_client.get("/diary?month=<script>")
    assert bad.status_code == 422 and "is not a month" in bad.text and "<script>" not in bad.text
    weeks = seeded_client.get("/diary?weeks=4")
    assert weeks.status_code == 200 and 'id="diary-weeks"' in weeks.text
