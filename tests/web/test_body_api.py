"""The body API (issue #5) through TestClient: profile, screening, clearance, pain diary, red
flags, self-tests and shoes; refusals store nothing; every red flag gets its urgency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.domain.body import SCREENING_QUESTIONS
from backstride.domain.pain import RED_FLAGS, RedFlag, Urgency
from backstride.web.app import create_app
from tests.databases import BuiltOnce, DbBackend
from tests.web.conftest import HISTORY_END, seed

TODAY = date.today()
EMERGENCY_HEADLINE = "EMERGENCY: this needs emergency care today."
PROMPT_HEADLINE = "See a doctor within the next few days about this."


_SEEDED = BuiltOnce("body-api")


@pytest.fixture
def api(
    web_settings: Settings, db_backend: DbBackend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    _SEEDED.into(db_backend, web_settings.database_url, lambda _: seed(web_settings))
    application = create_app(web_settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


def _entries(api: TestClient) -> list[dict[str, Any]]:
    response = api.get("/api/pain")
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries


def _last_run(api: TestClient) -> dict[str, Any]:
    items = api.get("/api/activities?sport=run&per_page=1").json()["items"]
    return dict(items[0])


# --- profile --------------------------------------------------------------------------------------


def test_profile_starts_empty_and_put_sets_only_the_given_fields(api: TestClient) -> None:
    empty = api.get("/api/profile").json()
    assert empty["stored"] is False and empty["conditions"] == [] and empty["sex"] == "unspecified"
    put = api.put(
        "/api/profile",
        json={
            "birth_year": 1980,
            "sex": "female",
            "resting_hr_bpm": 50,
            "conditions": ["lumbar-spinal-stenosis", "hip-problem"],
            "past_injuries": ["Calf strain 2021"],
        },
    )
    assert put.status_code == 200
    body = put.json()
    assert body["stored"] is True and body["spine_conditions"] == ["lumbar-spinal-stenosis"]
    again = api.put("/api/profile", json={"max_hr_bpm": 185}).json()
    assert again["birth_year"] == 1980 and again["max_hr_bpm"] == 185
    assert again["conditions"] == ["lumbar-spinal-stenosis", "hip-problem"]
    cleared = api.put("/api/profile", json={"conditions": []}).json()
    assert cleared["conditions"] == []


def test_profile_refuses_implausible_values_and_stores_nothing(api: TestClient) -> None:
    api.put("/api/profile", json={"resting_hr_bpm": 60})
    for body in (
        {"birth_year": 1850},
        {"resting_hr_bpm": 200},
        {"resting_hr_bpm": 110, "max_hr_bpm": 105},
        {"birth_year": TODAY.year},  # younger than ten
        {"sex": "robot"},
        {"owner": "x"},
    ):
        response = api.put("/api/profile", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["message"]
    assert api.get("/api/profile").json()["resting_hr_bpm"] == 60


def test_unsafe_methods_take_json_only(api: TestClient) -> None:
    form = api.put("/api/profile", data={"birth_year": "1980"})
    assert form.status_code == 415
    plain = api.post(
        "/api/pain",
        content=b'{"when": "rest-day", "score": 2}',
        headers={"Content-Type": "text/plain"},
    )
    assert plain.status_code == 415
    assert _entries(api) == []


# --- screening and clearance ----------------------------------------------------------------------


def test_screening_questions_and_answers_decide_the_clearance(api: TestClient) -> None:
    questions = api.get("/api/screening/questions").json()
    assert [q["key"] for q in questions] == [q.key for q in SCREENING_QUESTIONS]
    assert {q["kind"] for q in questions} == {"health", "habit", "intensity"}
    assert api.get("/api/clearances").json()["state"]["status"] == "not-screened"
    answers = {q["key"]: False for q in questions}
    answers["regularly-active"] = True
    saved = api.post("/api/screening", json={"answers": answers})
    assert saved.status_code == 201
    assert saved.json()["clearance"]["status"] == "not-needed"
    answers["chest-discomfort"] = True
    needed = api.post("/api/screening", json={"answers": answers}).json()
    assert needed["yes_to"] == ["chest-discomfort"]
    state = needed["clearance"]
    assert state["status"] == "needed" and state["plans_allowed"] is False
    assert state["reasons"][0]["code"] == "screening:chest-discomfort"
    assert state["reasons"][0]["covered"] is False


def test_screening_refuses_missing_and_unknown_answers(api: TestClient) -> None:
    answers = {q.key: False for q in SCREENING_QUESTIONS}
    partial = dict(list(answers.items())[:5])
    missing = api.post("/api/screening", json={"answers": partial})
    assert missing.status_code == 422
    assert "missing" in missing.json()["error"]["message"]
    unknown = api.post("/api/screening", json={"answers": {**answers, "smoker": True}})
    assert unknown.status_code == 422
    assert "Unknown screening question" in unknown.json()["error"]["message"]
    future = api.post(
        "/api/screening",
        json={"answers": answers, "on": (TODAY + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422 and "future" in future.json()["error"]["message"]
    assert api.get("/api/clearances").json()["state"]["screened_on"] is None


def test_a_clearance_covers_a_spine_condition(api: TestClient) -> None:
    api.put("/api/profile", json={"conditions": ["lumbar-spinal-stenosis"]})
    answers = {q.key: False for q in SCREENING_QUESTIONS}
    api.post("/api/screening", json={"answers": answers})
    assert api.get("/api/clearances").json()["state"]["status"] == "needed"
    future = api.post(
        "/api/clearances", json={"on": (TODAY + timedelta(days=2)).isoformat(), "by": "Dr Who"}
    )
    assert future.status_code == 422
    assert api.get("/api/clearances").json()["clearances"] == []
    blank = api.post("/api/clearances", json={"on": TODAY.isoformat(), "by": ""})
    assert blank.status_code == 422
    added = api.post(
        "/api/clearances",
        json={"on": TODAY.isoformat(), "by": "Dr Jones, GP", "restrictions": "flat routes"},
    )
    assert added.status_code == 201
    body = added.json()
    assert body["clearances"][0]["by"] == "Dr Jones, GP"
    assert body["state"]["status"] == "cleared" and body["state"]["plans_allowed"] is True
    assert "Restrictions: flat routes" in body["state"]["message"]


# --- pain diary -----------------------------------------------------------------------------------


def test_pain_entries_add_list_edit_delete(api: TestClient) -> None:
    run = _last_run(api)
    day = date.fromisoformat(run["local_date"])
    after = api.post(
        "/api/pain",
        json={"day": day.isoformat(), "when": "after", "score": 4, "where": ["low-back"]},
    )
    assert after.status_code == 201
    saved = after.json()
    assert list(saved)[0] == "triage" and saved["triage"] is None
    assert saved["entry"]["activity_id"] == run["id"] and saved["linked_automatically"] is True
    assert saved["entry"]["zone"] == "acceptable"
    assert "settles by tomorrow morning" in saved["advice"][0]
    entry_id = saved["entry"]["id"]
    listed = api.get(f"/api/pain?since={day.isoformat()}&until={day.isoformat()}").json()
    assert [e["id"] for e in listed["entries"]] == [entry_id]
    patched = api.patch(f"/api/pain/{entry_id}", json={"score": 6, "feels": ["sharp"]})
    assert patched.status_code == 200
    assert patched.json()["entry"]["score"] == 6 and patched.json()["entry"]["feels"] == ["sharp"]
    assert api.patch(f"/api/pain/{entry_id}", json={}).status_code == 422
    assert api.delete(f"/api/pain/{entry_id}").json() == {"deleted": entry_id}
    assert api.delete(f"/api/pain/{entry_id}").status_code == 404
    assert api.patch(f"/api/pain/{entry_id}", json={"score": 1}).status_code == 404
    assert _entries(api) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"when": "rest-day", "score": 11}, "less than or equal to 10"),
        ({"when": "rest-day", "score": -1}, "greater than or equal to 0"),
        ({"when": "rest-day", "score": 2.5}, "score"),
        (
            {"when": "rest-day", "score": 2, "day": (TODAY + timedelta(days=1)).isoformat()},
            "in the future",
        ),
        ({"when": "rest-day", "score": 2, "red_flags": ["headache"]}, "red_flags"),
        ({"when": "lunchtime", "score": 2}, "when"),
        ({"when": "rest-day", "score": 2, "where": ["neck"]}, "where"),
    ],
    ids=["score-11", "score-negative", "score-half", "future", "unknown-flag", "when", "where"],
)
def test_a_refused_entry_says_why_and_stores_nothing(
    api: TestClient, body: dict[str, Any], problem: str
) -> None:
    response = api.post("/api/pain", json=body)
    assert response.status_code == 422
    assert problem in response.json()["error"]["message"]
    assert _entries(api) == []


def test_a_refused_entry_still_leads_with_its_red_flag_triage(api: TestClient) -> None:
    score = api.post(
        "/api/pain",
        json={"when": "rest-day", "score": 11, "red_flags": ["saddle-numbness", "fever"]},
    )
    assert score.status_code == 422
    message = score.json()["error"]["message"]
    assert message.startswith(EMERGENCY_HEADLINE)
    assert "emergency department now" in message and "score" in message
    future = api.post(
        "/api/pain",
        json={
            "when": "rest-day",
            "score": 3,
            "day": (TODAY + timedelta(days=2)).isoformat(),
            "red_flags": ["night-pain"],
        },
    )
    assert future.status_code == 422
    assert future.json()["error"]["message"].startswith(PROMPT_HEADLINE)
    assert "in the future" in future.json()["error"]["message"]
    mixed = api.post(
        "/api/pain", json={"when": "rest-day", "score": 3, "red_flags": ["bowel-change", "nope"]}
    )
    assert mixed.status_code == 422
    assert mixed.json()["error"]["message"].startswith(EMERGENCY_HEADLINE)
    assert _entries(api) == []


@pytest.mark.parametrize("flag", [f.value for f in RedFlag])
def test_every_red_flag_gets_its_urgency_and_message(api: TestClient, flag: str) -> None:
    urgency = RED_FLAGS[RedFlag(flag)].urgency
    response = api.post("/api/pain", json={"when": "rest-day", "score": 3, "red_flags": [flag]})
    assert response.status_code == 201
    body = response.json()
    assert list(body)[0] == "triage"
    triage = body["triage"]
    assert triage["urgency"] == urgency.value and triage["flags"] == [flag]
    assert body["entry"]["urgency"] == urgency.value
    assert body["advice"] == []
    assert RED_FLAGS[RedFlag(flag)].plain in triage["what_it_may_mean"]
    if urgency is Urgency.EMERGENCY:
        assert triage["headline"].startswith(EMERGENCY_HEADLINE)
        assert "emergency department now" in triage["where_to_go"]
        assert "112 in Europe, 999 in the UK, 911 in the US and Canada" in triage["where_to_go"]
        assert "Do not run" in triage["meanwhile"]
    elif urgency is Urgency.SAME_DAY:
        assert triage["headline"] == "See a doctor today: this should not wait until tomorrow."
        assert "ask to be seen today" in triage["where_to_go"]
        assert "urgent care centre" in triage["where_to_go"]
        assert "emergency department at once" in triage["where_to_go"]
        assert "Do not run" in triage["meanwhile"]
    else:
        assert triage["headline"] == PROMPT_HEADLINE
        assert "GP or family doctor" in triage["where_to_go"]
        assert "emergency department at once" in triage["where_to_go"]
    open_flags = api.get("/api/pain").json()["open_red_flags"]
    assert [(o["flag"], o["urgency"]) for o in open_flags] == [(flag, urgency.value)]
    seen = api.post("/api/red-flags/seen", json={"flag": flag, "by": "Dr Jones"})
    assert seen.status_code == 201
    assert seen.json()["closed"] is True and seen.json()["still_open"] == []
    # Seen, but not yet told "you may train": walking and gentle mobility only.
    assert seen.json()["outcome"] == "not-known" and seen.json()["may_train"] is False
    listed = api.get("/api/pain").json()
    assert listed["open_red_flags"] == []
    assert [a["flag"] for a in listed["awaiting_clearance"]] == [flag]


def test_seen_refuses_unknown_flags_and_future_days(api: TestClient) -> None:
    assert api.post("/api/red-flags/seen", json={"flag": "headache"}).status_code == 422
    future = api.post(
        "/api/red-flags/seen",
        json={"flag": "fever", "on": (TODAY + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422


def test_pain_report_says_not_known_yet_without_a_next_morning(api: TestClient) -> None:
    run = _last_run(api)
    day = date.fromisoformat(run["local_date"])
    api.post("/api/pain", json={"day": day.isoformat(), "when": "after", "score": 2})
    on = (day + timedelta(days=1)).isoformat()
    report = api.get(f"/api/pain/report?on={on}&since={day.isoformat()}").json()
    check = next(r for r in report["runs"] if r["activity_id"] == run["id"])
    assert check["verdict"] == "not-known-yet" and check["settled"] == "not-known-yet"
    assert check["after"] == 2 and check["after_zone"] == "safe"
    api.post("/api/pain", json={"day": on, "when": "next-morning", "score": 1})
    report = api.get(f"/api/pain/report?on={on}&since={day.isoformat()}").json()
    check = next(r for r in report["runs"] if r["activity_id"] == run["id"])
    assert check["verdict"] == "within" and check["next_morning"] == 1
    assert report["rules"]["safe_max"] == 2 and report["rules"]["acceptable_max"] == 5
    bad = api.get(f"/api/pain/report?on={day.isoformat()}&since={on}")
    assert bad.status_code == 422


# --- self-tests -----------------------------------------------------------------------------------


def test_self_tests_are_described_recorded_and_reported(api: TestClient) -> None:
    tests = api.get("/api/self-tests").json()
    assert len(tests) == 9 and all(t["how_to"] for t in tests)
    on = (HISTORY_END - timedelta(days=1)).isoformat()
    for test, value in (
        ("trunk-flexor-hold", "120"),
        ("trunk-extensor-hold", 100),
        ("side-bridge-left", "1:00"),
        ("side-bridge-right", 70),
    ):
        saved = api.post("/api/self-tests", json={"test": test, "value": value, "on": on})
        assert saved.status_code == 201, saved.text
    assert api.post("/api/self-tests", json={"test": "side-bridge-left", "value": "1:00"}).json()[
        "value"
    ] == pytest.approx(60.0)
    report = api.get("/api/self-tests/report").json()
    ratios = {r["name"]: r for r in report["ratios"]}
    assert ratios["flexion/extension"]["value"] == pytest.approx(1.2)
    assert ratios["flexion/extension"]["ok"] is False
    assert ratios["left/right side bridge"]["value"] == pytest.approx(0.857, abs=1e-3)
    assert ratios["left side bridge/extension"]["ok"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"test": "plank", "value": "60"},
        {"test": "trunk-flexor-hold", "value": "abc"},
        {"test": "trunk-flexor-hold", "value": "5000"},
        {"test": "hip-flexor-length-left", "value": "maybe"},
        {"test": "trunk-flexor-hold", "value": "60", "on": (TODAY + timedelta(days=1)).isoformat()},
    ],
    ids=["unknown-test", "not-a-number", "out-of-range", "not-pass-fail", "future"],
)
def test_a_refused_self_test_stores_nothing(api: TestClient, body: dict[str, Any]) -> None:
    assert api.post("/api/self-tests", json=body).status_code == 422
    report = api.get("/api/self-tests/report").json()
    assert all(t["latest"] is None for t in report["tests"])


# --- shoes ----------------------------------------------------------------------------------------


def test_shoes_add_default_retire(api: TestClient) -> None:
    added = api.post("/api/shoes", json={"name": "Trail Glide", "start_km": 690})
    assert added.status_code == 201
    assert added.json()["distance_km"] == 690 and added.json()["state"] == "inspect"
    assert api.post("/api/shoes", json={"name": "trail  glide"}).status_code == 409
    api.post("/api/shoes", json={"name": "Road Cruiser", "bought_on": "2025-11-01"})
    default = api.put("/api/shoes/default", json={"name": "road cruiser", "sport": "run"})
    assert default.status_code == 200 and default.json()["default_for"] == ["run"]
    listing = api.get("/api/shoes").json()
    assert [s["name"] for s in listing["shoes"]] == ["Trail Glide", "Road Cruiser"]
    assert any("past the 500 km mark" in w for w in listing["warnings"])
    retired = api.post("/api/shoes/retire", json={"name": "Road Cruiser"})
    assert retired.status_code == 200
    assert retired.json()["state"] == "retired" and retired.json()["default_for"] == []
    assert api.post("/api/shoes/retire", json={"name": "Road Cruiser"}).status_code == 409
    assert api.post("/api/shoes/retire", json={"name": "Nope"}).status_code == 404
    assert api.put("/api/shoes/default", json={"name": "Road Cruiser"}).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "A", "inspect_km": 900, "retire_km": 800},
        {"name": "A", "start_km": -5},
        {"name": "A", "bought_on": (TODAY + timedelta(days=3)).isoformat()},
    ],
    ids=["blank-name", "inspect-after-retire", "negative-start", "future-purchase"],
)
def test_a_refused_pair_stores_nothing(api: TestClient, body: dict[str, Any]) -> None:
    assert api.post("/api/shoes", json=body).status_code == 422
    assert api.get("/api/shoes").json()["shoes"] == []


def test_the_openapi_document_lists_the_body_api(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {
        "/api/profile",
        "/api/screening/questions",
        "/api/screening",
        "/api/clearances",
        "/api/pain",
        "/api/pain/{entry_id}",
        "/api/pain/report",
        "/api/red-flags/seen",
        "/api/self-tests",
        "/api/self-tests/report",
        "/api/shoes",
        "/api/shoes/default",
        "/api/shoes/retire",
    } <= set(paths)
    assert set(paths["/api/pain/{entry_id}"]) == {"patch", "delete"}
    assert "application/json" in paths["/api/pain"]["post"]["requestBody"]["content"]
