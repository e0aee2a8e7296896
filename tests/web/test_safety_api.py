"""Issue 12's key scenarios through the JSON API: the same answers as the command line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.domain.body import SCREENING_QUESTIONS
from backstride.web.app import create_app

D = date(2025, 6, 16)


@pytest.fixture
def api(web_settings: Settings) -> Iterator[TestClient]:
    """A screened, regular runner born in 1980, and nothing else."""
    application = create_app(web_settings, allowed_hosts=["testserver"])
    client = TestClient(application, raise_server_exceptions=False)
    assert client.put("/api/profile", json={"birth_year": 1980}).status_code == 200
    answers = {q.key: False for q in SCREENING_QUESTIONS}
    screened = client.post("/api/screening", json={"answers": answers, "on": "2025-04-01"})
    assert screened.status_code == 201
    yield client
    application.state.web.app.close()


def pain(api: TestClient, score: int, **extra: Any) -> dict[str, Any]:
    body = {"day": D.isoformat(), "when": "rest-day", "score": score, **extra}
    response = api.post("/api/pain", json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def today(api: TestClient) -> dict[str, Any]:
    response = api.get("/api/today", params={"on": D.isoformat()})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def finding_ids(answer: dict[str, Any]) -> list[str]:
    return [f["id"] for f in answer["findings"]]


def test_rest_day_pain_of_ten_is_a_professional_not_a_run(api: TestClient) -> None:
    saved = pain(api, 10, where=["low-back"], feels=["sharp"])
    assert "severe" in " ".join(saved["advice"])
    answer = today(api)
    assert answer["decision"] == "see_professional"
    assert {"pain.flare_referral", "pain.high_recent"} <= set(finding_ids(answer))


def test_numbness_in_both_legs_is_asked_and_a_yes_is_an_emergency(api: TestClient) -> None:
    saved = pain(api, 4, where=["leg-left", "leg-right"], feels=["numbness"])
    assert list(saved)[:2] == ["triage", "to_confirm"]
    assert [s["flag"] for s in saved["to_confirm"]] == ["both-legs-weak"]
    assert saved["to_confirm"][0]["urgency_if_yes"] == "emergency"
    assert today(api)["decision"] == "see_professional"
    entry = saved["entry"]["id"]
    answered = api.post(f"/api/pain/{entry}/warning-signs", json={"present": ["both-legs-weak"]})
    assert answered.status_code == 200
    assert answered.json()["triage"]["urgency"] == "emergency"
    assert answered.json()["to_confirm"] == []
    assert today(api)["decision"] == "urgent_care"


def test_a_no_to_the_warning_sign_is_kept(api: TestClient) -> None:
    saved = pain(api, 3, where=["upper-back"])
    entry = saved["entry"]["id"]
    answered = api.post(f"/api/pain/{entry}/warning-signs", json={"absent": ["thoracic-pain"]})
    assert answered.json()["entry"]["ruled_out"] == ["thoracic-pain"]
    assert "redflag.to_confirm" not in finding_ids(today(api))


def test_a_refused_emergency_names_the_help_first_and_stores_nothing(api: TestClient) -> None:
    for score in (11, "\uff15"):
        response = api.post(
            "/api/pain",
            json={"when": "rest-day", "score": score, "red_flags": ["saddle-numbness"]},
        )
        assert response.status_code == 422
        message = response.json()["error"]["message"]
        assert message.startswith("EMERGENCY: this needs emergency care today.")
    assert api.get("/api/pain").json()["entries"] == []


def test_same_day_signs_answer_with_a_doctor_today(api: TestClient) -> None:
    saved = pain(api, 6, red_flags=["major-trauma"])
    assert saved["triage"]["urgency"] == "same-day"
    answer = today(api)
    assert answer["decision"] == "urgent_care"
    assert answer["advice"]["headline"] == (
        "See a doctor today: this should not wait until tomorrow."
    )


def test_the_way_back_after_a_warning_sign_waits_for_may_train(api: TestClient) -> None:
    pain(api, 3, red_flags=["both-legs-weak"])
    seen = api.post(
        "/api/red-flags/seen", json={"flag": "both-legs-weak", "on": D.isoformat(), "by": "A&E"}
    )
    assert seen.status_code == 201
    body = seen.json()
    assert body["outcome"] == "not-known" and body["may_train"] is False
    assert any("walking and gentle mobility only" in line for line in body["message"])
    answer = today(api)
    assert answer["decision"] == "rest"
    assert "redflag.awaiting_clearance" in finding_ids(answer)
    cleared = api.post(
        "/api/red-flags/seen",
        json={"flag": "both-legs-weak", "on": D.isoformat(), "by": "A&E", "outcome": "may-train"},
    ).json()
    assert cleared["may_train"] is True and cleared["clearance_recorded"] is True
    assert cleared["awaiting_clearance"] == []
    assert today(api)["decision"] not in ("rest", "see_professional", "urgent_care")
    assert api.get("/api/clearances").json()["clearances"][-1]["by"] == "A&E"


def test_new_back_pain_at_eighty_is_a_professional(api: TestClient) -> None:
    assert api.put("/api/profile", json={"birth_year": 1946}).status_code == 200
    pain(api, 5)
    answer = today(api)
    assert answer["decision"] == "see_professional"
    clearance = next(f for f in answer["findings"] if f["id"] == "screening.clearance_needed")
    assert "profile:back-pain-over-50" in clearance["evidence"]["reasons"]


def test_a_spine_operation_is_in_the_profile_and_needs_a_clearance(api: TestClient) -> None:
    put = api.put("/api/profile", json={"spine_surgery_on": "2025-05-26"})
    assert put.status_code == 200 and put.json()["spine_surgery_on"] == "2025-05-26"
    reasons = api.get("/api/clearances").json()["state"]["reasons"]
    assert any(r["code"] == "procedure:spine-surgery" and not r["covered"] for r in reasons)
