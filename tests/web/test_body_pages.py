"""The body pages through TestClient: Profile & screening, Check-in, Diary, Self-tests, Shoes.

Each page renders; each form saves with its token, explains a refusal and stores nothing;
red flags are triaged before the header and navigation, one flag at a time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.domain.body import SCREENING_QUESTIONS
from backstride.domain.pain import RED_FLAGS, RedFlag, Urgency
from backstride.services.context import App
from backstride.web.app import create_app
from backstride.web.views.pain import window_start
from tests.databases import BuiltOnce, DbBackend
from tests.web.body_seed import runs, seed_body
from tests.web.conftest import HISTORY_END, make_settings, seed

TODAY = date.today()
HTMX = {"HX-Request": "true"}
Token = Callable[[TestClient, str], str]


_SEEDED = BuiltOnce("body-pages")


@pytest.fixture
def body_client(
    web_settings: Settings, db_backend: DbBackend, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    def build(_: Path) -> None:
        seed(web_settings)
        seed_body(web_settings)

    _SEEDED.into(db_backend, web_settings.database_url, build)
    application = create_app(web_settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


@pytest.fixture
def empty_client(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[TestClient]:
    """A dashboard on a database of its own, without any data."""
    root = tmp_path_factory.mktemp("empty")
    application = create_app(
        make_settings(root, db=db_backend.new_url(root)), allowed_hosts=["testserver"]
    )
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


def text_of(response: Any) -> str:
    return html.unescape(str(response.text))


def pain_entries(client: TestClient) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = client.get("/api/pain").json()["entries"]
    return entries


def before_header(page: str, marker: str) -> bool:
    return marker in page and page.index(marker) < page.index('class="site-header"')


def last_run(settings: Settings) -> tuple[int, date]:
    app = App(settings)
    try:
        return runs(app)[-1]
    finally:
        app.close()


# --- every page -----------------------------------------------------------------------------------

PAGES = [
    ("/profile", "Profile and screening", "profile"),
    ("/checkin", "Check-in", "checkin"),
    ("/diary", "Pain diary", "diary"),
    ("/self-tests", "Self-tests", "self-tests"),
    ("/shoes", "Shoes", "shoes"),
]


@pytest.mark.parametrize(("path", "heading", "nav"), PAGES, ids=[p[2] for p in PAGES])
def test_each_body_page_renders_in_the_navigation(
    body_client: TestClient, empty_client: TestClient, path: str, heading: str, nav: str
) -> None:
    for c in (body_client, empty_client):  # with data, and on an empty database
        response = c.get(path)
        assert response.status_code == 200
        page = response.text
        assert f"<h1>{heading}</h1>" in page
        assert f'<a href="{path}" aria-current="page">' in page
        assert "style=" not in page and "<script>" not in page
        assert 'name="csrf_token"' in page or path == "/diary"


def test_profile_shows_the_clearance_state_first_with_its_reasons(
    body_client: TestClient, empty_client: TestClient
) -> None:
    page = text_of(body_client.get("/profile"))
    assert page.index("Cleared by a physician") < page.index('id="profile-h"')
    assert "Cleared by Dr Jones, GP" in page and "Restrictions: Flat routes" in page
    assert "lumbar spinal stenosis" in page and "covered" in page
    assert len(re.findall(r'name="q-[a-z-]+" value="yes"', page)) == len(SCREENING_QUESTIONS)
    empty = text_of(empty_client.get("/profile"))
    assert "Screening not done yet" in empty


# --- profile forms --------------------------------------------------------------------------------


def test_profile_form_saves_and_refuses(body_client: TestClient, csrf_token: Token) -> None:
    token = csrf_token(body_client, "/profile")
    form = {
        "csrf_token": token,
        "birth_year": "1979",
        "sex": "female",
        "resting_hr_bpm": "55",
        "max_hr_bpm": "",
        "experience": "regular",
        "conditions": ["lumbar-spinal-stenosis", "hip-problem"],
        "past_injuries": "Calf strain\n\nAnkle sprain 2018",
    }
    saved = body_client.post("/profile", data=form, follow_redirects=False)
    assert (
        saved.status_code == 303 and saved.headers["location"] == "/profile?saved=profile#profile"
    )
    profile = body_client.get("/api/profile").json()
    assert profile["birth_year"] == 1979 and profile["max_hr_bpm"] == 182  # blank keeps it
    assert profile["conditions"] == ["lumbar-spinal-stenosis", "hip-problem"]
    assert profile["past_injuries"] == ["Calf strain", "Ankle sprain 2018"]
    for bad, message in (
        ({"birth_year": "1850"}, "Birth year 1850 is not plausible"),
        ({"resting_hr_bpm": "fast"}, "'fast' is not a whole number for the resting heart rate"),
        ({"conditions": ["gout"]}, "'gout' is not a known condition"),
    ):
        refused = body_client.post("/profile", data={**form, **bad})
        assert refused.status_code == 422
        page = text_of(refused)
        assert message in page and "Nothing was saved." in page
    assert body_client.get("/api/profile").json() == profile


def test_profile_form_with_htmx_answers_the_sections(
    body_client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(body_client, "/profile")
    response = body_client.post(
        "/profile", data={"csrf_token": token, "resting_hr_bpm": "58"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="profile-sections"' in response.text
    assert "Profile saved." in response.text
    refused = body_client.post(
        "/profile", data={"csrf_token": token, "max_hr_bpm": "300"}, headers=HTMX
    )
    assert refused.status_code == 422 and "<html" not in refused.text
    assert "out of range" in text_of(refused)


def test_a_forged_form_is_refused_and_changes_nothing(body_client: TestClient) -> None:
    before = body_client.get("/api/profile").json()
    for path, data in (
        ("/profile", {"birth_year": "1990"}),
        ("/checkin", {"score": "3", "when": "rest-day"}),
        ("/shoes", {"name": "Forged"}),
        ("/self-tests", {"test": "sit-and-reach", "value": "30"}),
    ):
        response = body_client.post(path, data={**data, "csrf_token": "0" * 64})
        assert response.status_code == 403, path
    assert body_client.get("/api/profile").json() == before
    assert all(e["score"] != 3 or e["when"] != "rest-day" for e in pain_entries(body_client))
    assert "Forged" not in body_client.get("/shoes").text


def test_screening_form_needs_every_answer_and_can_call_for_clearance(
    body_client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(body_client, "/profile")
    answers = {f"q-{q.key}": "no" for q in SCREENING_QUESTIONS}
    partial = dict(list(answers.items())[:4])
    refused = body_client.post("/profile/screening", data={"csrf_token": token, **partial})
    assert refused.status_code == 422
    assert "Please answer every question (8 still open)" in text_of(refused)
    assert body_client.get("/api/clearances").json()["state"]["status"] == "cleared"
    answers["q-chest-discomfort"] = "yes"
    saved = body_client.post(
        "/profile/screening",
        data={"csrf_token": token, **answers, "on": TODAY.isoformat()},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = text_of(body_client.get("/profile"))
    assert "Clearance needed" in page and "not covered yet" in page


def _checked(page: str, key: str) -> str | None:
    """Which radio button of screening question ``key`` the page has checked."""
    for answer in ("yes", "no"):
        tag = re.search(rf'<input[^>]*id="q-{key}-{answer}"[^>]*>', page)
        assert tag is not None, key
        if " checked" in tag.group(0):
            return answer
    return None


def test_screening_form_starts_empty_before_the_first_screening(client: TestClient) -> None:
    page = client.get("/profile").text
    assert all(_checked(page, q.key) is None for q in SCREENING_QUESTIONS)
    assert 'id="screening-prefill"' not in page


def test_screening_form_is_filled_in_with_the_last_answers(
    body_client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(body_client, "/profile")
    answers = {f"q-{q.key}": "no" for q in SCREENING_QUESTIONS}
    answers["q-chest-discomfort"] = "yes"
    on = TODAY - timedelta(days=3)
    saved = body_client.post(
        "/profile/screening",
        data={"csrf_token": token, **answers, "on": on.isoformat()},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = body_client.get("/profile").text
    for q in SCREENING_QUESTIONS:
        assert _checked(page, q.key) == answers[f"q-{q.key}"], q.key
    assert 'id="screening-prefill"' in page
    # A new screening is dated today unless the runner says otherwise.
    day = TODAY.isoformat()
    assert f'id="screening-on" name="on" type="date" max="{day}" value="{day}"' in page


def test_clearance_form_records_and_refuses(body_client: TestClient, csrf_token: Token) -> None:
    token = csrf_token(body_client, "/profile")
    future = body_client.post(
        "/profile/clearances",
        data={"csrf_token": token, "on": (TODAY + timedelta(days=1)).isoformat(), "by": "Dr X"},
    )
    assert future.status_code == 422 and "in the future" in text_of(future)
    nobody = body_client.post(
        "/profile/clearances", data={"csrf_token": token, "on": TODAY.isoformat(), "by": ""}
    )
    assert nobody.status_code == 422 and "Say who gave the clearance" in text_of(nobody)
    assert len(body_client.get("/api/clearances").json()["clearances"]) == 1
    saved = body_client.post(
        "/profile/clearances",
        data={"csrf_token": token, "on": TODAY.isoformat(), "by": "Dr Patel, spine clinic"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "Dr Patel, spine clinic" in text_of(body_client.get("/profile"))


# --- check-in -------------------------------------------------------------------------------------


def checkin(client: TestClient, token: str, **fields: Any) -> Any:
    """Post the check-in form as a browser does once pain is recorded (the warning-sign
    questions shown and answered)."""
    data = {"csrf_token": token, "when": "rest-day", "score": "2", "flags_asked": "1", **fields}
    return client.post("/checkin", data=data, follow_redirects=False)


def test_the_check_in_asks_pain_first_then_where_then_red_flags(body_client: TestClient) -> None:
    whole = body_client.get("/checkin").text
    page = whole[whole.index('<form id="checkin" ') :]  # the full form, after "nothing new"
    order = [
        'name="score"',
        'name="when"',
        'name="where"',
        'name="feels"',
        'name="walking_leg_symptoms"',
        'name="eases_sitting"',
        'id="flag-bladder-change"',
        'id="flag-fever"',
        'name="notes"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert page.count('name="red_flags"') == len(RedFlag)
    assert page.count('name="score"') == 11
    assert 'max="' + TODAY.isoformat() + '"' in page


def test_the_check_in_guesses_the_morning_after_a_run(
    body_client: TestClient, web_settings: Settings
) -> None:
    _, run_day = last_run(web_settings)
    page = body_client.get(f"/checkin?on={(run_day + timedelta(days=1)).isoformat()}").text
    assert re.search(r'id="when-next-morning" name="when" value="next-morning" checked', page)
    page = body_client.get(f"/checkin?on={run_day.isoformat()}").text
    assert re.search(r'id="when-after" name="when" value="after" checked', page)


def test_a_next_morning_check_in_shows_the_entry_and_the_verdict(
    body_client: TestClient, web_settings: Settings, csrf_token: Token
) -> None:
    run_id, run_day = last_run(web_settings)
    morning = (run_day + timedelta(days=1)).isoformat()
    diary = text_of(body_client.get(f"/diary?on={morning}&weeks=2"))
    row = re.search(rf'href="/activities/{run_id}".*?</li>', diary, re.S)
    assert row and "not known yet" in row.group(0) and "fine" not in row.group(0)
    token = csrf_token(body_client, "/checkin")
    response = checkin(
        body_client,
        token,
        day=morning,
        when="next-morning",
        score="1",
        where=["low-back"],
        feels=["stiffness"],
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/checkin/\d+\?saved=1", response.headers["location"])
    page = text_of(body_client.get(response.headers["location"]))
    assert "<h1>Check-in saved</h1>" in page and "1/10" in page
    assert 'class="triage' not in page and 'class="emergency"' not in page
    assert "within the rules" in page and f'href="/activities/{run_id}"' in page
    diary = text_of(body_client.get(f"/diary?on={morning}&weeks=2"))
    row = re.search(rf'href="/activities/{run_id}".*?</li>', diary, re.S)
    assert row and "within the rules" in row.group(0)


def test_an_after_check_in_links_the_days_only_run(
    body_client: TestClient, web_settings: Settings, csrf_token: Token
) -> None:
    run_id, run_day = last_run(web_settings)
    token = csrf_token(body_client, "/checkin")
    response = checkin(body_client, token, day=run_day.isoformat(), when="after", score="7")
    assert "linked=1" in response.headers["location"]
    page = text_of(body_client.get(response.headers["location"]))
    assert f"activity {run_id}" in page and "linked to that day's only run" in page
    assert "more than the pain rules allow" in page and "outside the rules" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"score": "11"}, "Pain score must be between 0 and 10, got 11."),
        ({"score": ""}, "Choose how much it hurts"),
        ({"day": (TODAY + timedelta(days=1)).isoformat()}, "is in the future"),
        ({"day": "yesterday"}, "'yesterday' is not a date"),
        ({"red_flags": ["headache"]}, "'headache' is not a known red flag"),
        ({"where": ["neck"]}, "'neck' is not a known place for pain"),
        ({"when": "lunchtime"}, "'lunchtime' is not a time for a pain check-in"),
        ({"when": ""}, "Say when: before, during or after a run"),
    ],
    ids=[
        "score-11",
        "no-score",
        "future",
        "not-a-date",
        "unknown-flag",
        "where",
        "when",
        "no-when",
    ],
)
def test_a_refused_check_in_explains_keeps_the_values_and_stores_nothing(
    body_client: TestClient, csrf_token: Token, fields: dict[str, Any], message: str
) -> None:
    before = pain_entries(body_client)
    token = csrf_token(body_client, "/checkin")
    response = checkin(body_client, token, notes="kept <b>as typed</b>", **fields)
    assert response.status_code == 422
    assert "kept &lt;b&gt;as typed&lt;/b&gt;</textarea>" in response.text  # escaped
    page = text_of(response)
    assert message in page and "Nothing was saved." in page
    assert 'role="alert" id="checkin-error"' in page
    assert 'class="triage' not in page
    assert pain_entries(body_client) == before


def test_a_refused_check_in_still_triages_its_red_flags_first(
    body_client: TestClient, csrf_token: Token
) -> None:
    before = pain_entries(body_client)
    token = csrf_token(body_client, "/checkin")
    response = checkin(body_client, token, score="11", red_flags=["both-legs-weak", "headache"])
    assert response.status_code == 422
    page = text_of(response)
    assert before_header(page, 'class="triage triage-emergency"')
    assert "EMERGENCY: this needs emergency care today" in page
    assert "Pain score must be between 0 and 10" in page
    assert 'id="flag-both-legs-weak" name="red_flags" value="both-legs-weak" checked' in page
    assert pain_entries(body_client) == before


@pytest.mark.parametrize("flag", [f.value for f in RedFlag])
def test_each_red_flag_check_in_answers_with_its_triage_before_the_header(
    client: TestClient, csrf_token: Token, flag: str
) -> None:
    urgency = RED_FLAGS[RedFlag(flag)].urgency
    token = csrf_token(client, "/checkin")
    response = checkin(client, token, score="4", red_flags=[flag])
    assert response.status_code == 303
    page = text_of(client.get(response.headers["location"]))
    if urgency is Urgency.EMERGENCY:
        # The notice every page shows first, once (not twice).
        assert before_header(page, 'class="emergency"')
        assert page.count('class="emergency"') == 1 and 'class="triage' not in page
        headline = page.index("EMERGENCY: this needs emergency care today")
        assert headline < page.index("Go to the nearest hospital emergency department now")
    elif urgency is Urgency.SAME_DAY:
        assert before_header(page, 'class="triage triage-same-day"')
        assert 'class="emergency"' not in page
        assert page.index("See a doctor today") < page.index("ask to be seen today")
    else:
        assert before_header(page, 'class="triage triage-prompt"')
        assert 'class="emergency"' not in page
        assert page.index("See a doctor within the next few days") < page.index(
            "Call your GP or family doctor"
        )
    assert RED_FLAGS[RedFlag(flag)].plain in page
    assert "Check-in saved" in page


def test_a_prompt_flag_on_the_diary_offers_to_record_the_visit(
    client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(client, "/checkin")
    checkin(client, token, red_flags=["fever"])
    diary = text_of(client.get("/diary"))
    assert "See a doctor within days" in diary and 'action="/today/seen"' in diary
    seen = client.post(
        "/today/seen",
        data={"csrf_token": token, "flag": "fever", "on": TODAY.isoformat(), "next": "/diary"},
        follow_redirects=False,
    )
    assert seen.status_code == 303 and seen.headers["location"] == "/diary"
    assert "See a doctor within days" not in text_of(client.get("/diary"))


def test_the_walking_leg_pattern_recommends_a_physician_without_stenosis(
    client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(client, "/checkin")
    response = checkin(
        client,
        token,
        where=["leg-left"],
        walking_leg_symptoms="1",
        eases_sitting="1",
    )
    page = text_of(client.get(response.headers["location"]))
    assert "worth a doctor's assessment" in page and "NASS 2011" in page
    assert client.get("/api/clearances").json()["state"]["status"] == "needed"


# --- diary ----------------------------------------------------------------------------------------


def test_the_diary_draws_pain_over_the_load_and_lists_entries(
    body_client: TestClient,
) -> None:
    on = (HISTORY_END + timedelta(days=1)).isoformat()
    since = window_start(HISTORY_END + timedelta(days=1), 12).isoformat()
    page = text_of(body_client.get(f"/diary?on={on}&weeks=12"))
    assert 'id="chart-pain-load"' in page
    assert page.count('class="bar bar-load"') >= 5
    assert page.count("pain-dot pain-") >= 10
    assert 'class="line line-morning"' in page
    assert page.count('class="entry"') == len(
        body_client.get(f"/api/pain?since={since}&until={on}").json()["entries"]
    )
    verdicts = re.findall(r'verdict verdict-([a-z-]+)">([^<]+)<', page)
    assert verdicts and {v for _, v in verdicts} <= {
        "within the rules",
        "outside the rules",
        "not known yet",
    }
    assert ("not-known-yet", "not known yet") in verdicts
    assert "Morning pain and stiffness, week by week" in page


def test_the_diary_edits_an_entry(body_client: TestClient, csrf_token: Token) -> None:
    entry = pain_entries(body_client)[-1]
    edit_page = body_client.get(f"/diary/{entry['id']}/edit")
    assert edit_page.status_code == 200
    token = csrf_token(body_client, f"/diary/{entry['id']}/edit")
    form = {
        "csrf_token": token,
        "day": entry["day"],
        "when": entry["when"],
        "score": "5",
        "where": ["low-back", "buttock-left"],
        "notes": "Edited",
    }
    saved = body_client.post(f"/diary/{entry['id']}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/diary?saved=edit")
    after = next(e for e in pain_entries(body_client) if e["id"] == entry["id"])
    assert after["score"] == 5 and after["where"] == ["low-back", "buttock-left"]
    assert after["notes"] == "Edited"
    refused = body_client.post(f"/diary/{entry['id']}/edit", data={**form, "score": "12"})
    assert refused.status_code == 422 and "between 0 and 10" in text_of(refused)
    assert next(e for e in pain_entries(body_client) if e["id"] == entry["id"]) == after


def test_editing_in_a_red_flag_shows_its_triage_first(
    body_client: TestClient, csrf_token: Token
) -> None:
    entry = pain_entries(body_client)[-1]
    token = csrf_token(body_client, f"/diary/{entry['id']}/edit")
    form = {
        "csrf_token": token,
        "day": entry["day"],
        "when": entry["when"],
        "score": "3",
        "red_flags": ["recent-trauma"],
    }
    saved = body_client.post(f"/diary/{entry['id']}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/checkin/{entry['id']}?saved=1"
    page = text_of(body_client.get(saved.headers["location"]))
    assert before_header(page, 'class="triage triage-prompt"')
    refused = body_client.post(
        f"/diary/{entry['id']}/edit",
        data={**form, "score": "20", "red_flags": ["bladder-change"]},
    )
    assert refused.status_code == 422
    assert before_header(text_of(refused), 'class="triage triage-emergency"')


def test_the_diary_deletes_an_entry(body_client: TestClient, csrf_token: Token) -> None:
    entries = pain_entries(body_client)
    token = csrf_token(body_client, "/checkin")
    first, second = entries[-1]["id"], entries[-2]["id"]
    plain = body_client.post(
        f"/diary/{first}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/diary?saved=delete"
    fragment = body_client.post(
        f"/diary/{second}/delete",
        data={"csrf_token": token, "on": TODAY.isoformat(), "weeks": "8"},
        headers=HTMX,
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="diary-body"' in fragment.text and "The entry was deleted." in fragment.text
    assert {e["id"] for e in pain_entries(body_client)} == {e["id"] for e in entries} - {
        first,
        second,
    }
    assert body_client.post(f"/diary/{first}/delete", data={"csrf_token": token}).status_code == 404


def test_unknown_and_invalid_entries_render_the_error_page(client: TestClient) -> None:
    missing = client.get("/checkin/424242")
    assert missing.status_code == 404
    assert "There is no pain entry with id 424242." in missing.text
    assert client.get("/diary/424242/edit").status_code == 404
    assert client.get("/diary/0/edit").status_code == 422
    assert client.get("/diary?weeks=500").status_code == 422


# --- self-tests -----------------------------------------------------------------------------------


def test_self_tests_show_norms_ratios_and_steps(body_client: TestClient) -> None:
    page = text_of(body_client.get("/self-tests"))
    assert "120 s" in page and "75% of the average adult (Anderson 2014), 160 s" in page
    assert "1.20" in page and "0.86" in page and "0.60" in page  # McGill ratios, docs example
    assert "How to do it" in page and "Stop at once" in page
    assert "Retest on or after" in page
    # Born 1978: the only sit-and-reach norms (women aged 18-25) are named, not applied.
    assert "from females aged 18-25 (YMCA" in page and "they do not apply to you" in page
    assert "in the poor range" not in page


def test_self_test_form_saves_and_refuses(body_client: TestClient, csrf_token: Token) -> None:
    token = csrf_token(body_client, "/self-tests")
    saved = body_client.post(
        "/self-tests",
        data={"csrf_token": token, "test": "straight-leg-raise-right", "value": "75"},
        headers=HTMX,
    )
    assert saved.status_code == 200 and "Result saved." in saved.text
    assert "75 degrees" in text_of(saved) and "usual range" in text_of(saved)
    for bad, message in (
        ({"test": "plank", "value": "60"}, "'plank' is not a known self-test"),
        ({"test": "sit-and-reach", "value": "far"}, "'far' is not a result for sit-and-reach"),
        ({"test": "sit-and-reach", "value": ""}, "Give the result"),
        (
            {"test": "sit-and-reach", "value": "30", "on": (TODAY + timedelta(days=2)).isoformat()},
            "is in the future",
        ),
    ):
        refused = body_client.post("/self-tests", data={"csrf_token": token, **bad})
        assert refused.status_code == 422 and message in text_of(refused), bad
    report = body_client.get("/api/self-tests/report").json()
    reach = next(t for t in report["tests"] if t["test"] == "sit-and-reach")
    assert reach["latest"]["value"] == 38


# --- shoes ----------------------------------------------------------------------------------------


def test_shoes_show_wear_bars_warnings_and_rotation(body_client: TestClient) -> None:
    page = text_of(body_client.get("/shoes"))
    assert page.count('class="wear-bar"') == 2
    assert "wear-fill wear-inspect" in page and "wear-fill wear-ok" in page
    assert "past the 500 km mark to inspect them" in page
    assert "default for runs" in page


def test_shoe_forms_add_default_retire_and_refuse(
    body_client: TestClient, csrf_token: Token
) -> None:
    token = csrf_token(body_client, "/shoes")
    added = body_client.post(
        "/shoes",
        data={"csrf_token": token, "name": "Spare", "start_km": "10,5", "inspect_km": ""},
        follow_redirects=False,
    )
    assert added.status_code == 303
    spare = next(s for s in body_client.get("/api/shoes").json()["shoes"] if s["name"] == "Spare")
    assert spare["start_km"] == 10.5 and spare["inspect_km"] == 500
    duplicate = body_client.post("/shoes", data={"csrf_token": token, "name": "spare"})
    assert duplicate.status_code == 409 and "already shoes called 'Spare'" in text_of(duplicate)
    for bad, message in (
        ({"name": "X", "inspect_km": "900"}, "must be below the retire distance"),
        ({"name": "X", "start_km": "lots"}, "'lots' is not a distance in km"),
        ({"name": ""}, "needs a name"),
    ):
        refused = body_client.post("/shoes", data={"csrf_token": token, **bad})
        assert refused.status_code == 422 and message in text_of(refused), bad
    default = body_client.post(
        "/shoes/default", data={"csrf_token": token, "name": "Spare"}, headers=HTMX
    )
    assert default.status_code == 200 and 'id="shoes-sections"' in default.text
    shoes = {s["name"]: s for s in body_client.get("/api/shoes").json()["shoes"]}
    assert shoes["Spare"]["default_for"] == ["run"] and shoes["Road Cruiser"]["default_for"] == []
    retired = body_client.post(
        "/shoes/retire", data={"csrf_token": token, "name": "Spare"}, follow_redirects=False
    )
    assert retired.status_code == 303
    again = body_client.post("/shoes/retire", data={"csrf_token": token, "name": "Spare"})
    assert again.status_code == 409 and "already retired" in text_of(again)
    unknown = body_client.post("/shoes/default", data={"csrf_token": token, "name": "Nope"})
    assert unknown.status_code == 404 and "There are no shoes called 'Nope'" in text_of(unknown)
    assert len(body_client.get("/api/shoes").json()["shoes"]) == 3


def test_shoes_nudge_to_rotate_when_one_pair_is_left(body_client: TestClient) -> None:
    on = HISTORY_END.isoformat()
    assert "consider a second pair" not in text_of(body_client.get(f"/shoes?on={on}"))
    body_client.post("/api/shoes/retire", json={"name": "Trail Glide", "on": on})
    page = text_of(body_client.get(f"/shoes?on={on}"))
    assert "'Road Cruiser' are the only pair you have in use now" in page
    assert "Malisoux 2015" in page and "Retired on" in page


def test_self_tests_remind_to_retest_after_six_weeks(body_client: TestClient) -> None:
    done = HISTORY_END - timedelta(days=7)
    before = text_of(body_client.get(f"/self-tests?on={(done + timedelta(days=41)).isoformat()}"))
    assert "Time to retest" not in before
    due = text_of(body_client.get(f"/self-tests?on={(done + timedelta(days=42)).isoformat()}"))
    assert "Time to retest (6 weeks or more since the last time)" in due
    assert "retest due" in due
