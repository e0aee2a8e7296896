"""The pages' forms are checked by the JSON API's own models (``web/schemas/<noun>.py``); a
refused value is told in the runner's words, never in pydantic's, with the same status as
before (422) and nothing stored.

One bad value for every form of the profile, screening, clearance, check-in, diary, self-test
and shoes pages, through the real app; and the words for every kind of refusal a model makes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.errors import InvalidInputError
from backstride.web.app import create_app
from backstride.web.forms import FormField, check_form
from backstride.web.routes.checkin import PAIN_FIELDS
from backstride.web.routes.profile import PROFILE_FIELDS
from backstride.web.routes.shoes import SHOE_FIELDS
from backstride.web.schemas.pain import PainIn
from backstride.web.schemas.profile import ProfileIn
from backstride.web.schemas.shoes import ShoeIn
from tests.databases import DbBackend
from tests.web.body_seed import seed_body
from tests.web.conftest import make_settings, seed

PYDANTIC_WORDS = ("Input should", "validation error", "Field required", "pydantic")


@pytest.fixture(scope="module")
def forms_client(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[TestClient]:
    """One seeded dashboard for the whole module: every form here is refused, so nothing in
    it changes."""
    root = tmp_path_factory.mktemp("forms")
    web_settings = make_settings(root, db=db_backend.new_url(root))
    seed(web_settings)
    seed_body(web_settings)
    application = create_app(web_settings, allowed_hosts=["testserver"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(path).text)
    assert found, path
    return found.group(1)


def _screening_answers(client: TestClient) -> dict[str, str]:
    keys = [q["key"] for q in client.get("/api/screening/questions").json()]
    return {f"q-{key}": "no" for key in keys}


# (form, page that carries its token, path, what the form posts, the words the runner reads)
BAD_VALUES: list[tuple[str, str, str, dict[str, Any], str]] = [
    (
        "profile-number",
        "/profile",
        "/profile",
        {"birth_year": "nineteen"},
        "'nineteen' is not a whole number for the birth year.",
    ),
    (
        "profile-date",
        "/profile",
        "/profile",
        {"spine_surgery_on": "2026-02-30"},
        "'2026-02-30' is not a date for the spine operation.",
    ),
    ("profile-choice", "/profile", "/profile", {"sex": "robot"}, "'robot' is not a known value"),
    (
        "screening-date",
        "/profile",
        "/profile/screening",
        {"on": "yesterday"},
        "'yesterday' is not a date for the screening.",
    ),
    (
        "clearance-who",
        "/profile",
        "/profile/clearances",
        {"on": "2026-01-05", "by": ""},
        "Say who gave the clearance",
    ),
    (
        "clearance-date",
        "/profile",
        "/profile/clearances",
        {"on": "1800-01-01", "by": "Dr Jones"},
        "is outside the dates backstride works with",
    ),
    (
        "checkin-score",
        "/checkin",
        "/checkin",
        {"score": "many", "when": "rest-day", "flags_asked": "1"},
        "'many' is not a pain score.",
    ),
    (
        "checkin-when",
        "/checkin",
        "/checkin",
        {"score": "2", "when": "at-lunch", "flags_asked": "1"},
        "'at-lunch' is not a time for a pain check-in.",
    ),
    (
        "checkin-where",
        "/checkin",
        "/checkin",
        {"score": "2", "when": "rest-day", "where": ["elbow"], "flags_asked": "1"},
        "'elbow' is not a known",
    ),
    (
        "checkin-missing-score",
        "/checkin",
        "/checkin",
        {"when": "rest-day", "flags_asked": "1"},
        "Choose how much it hurts",
    ),
    (
        "self-test-date",
        "/self-tests",
        "/self-tests",
        {"test": "sit-and-reach", "value": "30", "on": "soon"},
        "'soon' is not a date for the self-test.",
    ),
    (
        "shoe-distance",
        "/shoes",
        "/shoes",
        {"name": "Racers", "retire_km": "far"},
        "'far' is not a distance in km for the retire distance.",
    ),
    (
        "shoe-default-sport",
        "/shoes",
        "/shoes/default",
        {"name": "Daily", "sport": "swimming-pool"},
        "'swimming-pool' is not a known sport.",
    ),
    ("shoe-retire-name", "/shoes", "/shoes/retire", {"name": ""}, "A pair of shoes needs a name"),
]


@pytest.mark.parametrize(
    ("page", "path", "posted", "words"),
    [case[1:] for case in BAD_VALUES],
    ids=[case[0] for case in BAD_VALUES],
)
def test_a_bad_value_in_each_form_is_told_in_runner_words(
    forms_client: TestClient, page: str, path: str, posted: dict[str, Any], words: str
) -> None:
    before = forms_client.get("/api/profile").json(), forms_client.get("/api/pain").json()
    data = {"csrf_token": _token(forms_client, page), **posted}
    if path == "/profile/screening":
        data = {**_screening_answers(forms_client), **data}
    refused = forms_client.post(path, data=data)
    text = html.unescape(refused.text)
    assert refused.status_code == 422, text[:500]
    assert words in text
    assert not any(p in text for p in PYDANTIC_WORDS)
    assert (forms_client.get("/api/profile").json(), forms_client.get("/api/pain").json()) == (
        before
    )


def test_the_diary_edit_form_and_the_warning_signs_form_refuse_in_runner_words(
    forms_client: TestClient,
) -> None:
    numb = {"when": "rest-day", "score": 4, "where": ["leg-left", "leg-right"]}
    saved = forms_client.post("/api/pain", json={**numb, "feels": ["numbness"]})
    entry = saved.json()["entry"]
    assert entry["to_confirm"] == ["both-legs-weak"]  # so the page asks about it
    token = _token(forms_client, f"/diary/{entry['id']}/edit")
    refused = forms_client.post(
        f"/diary/{entry['id']}/edit", data={"csrf_token": token, "score": "lots"}
    )
    assert refused.status_code == 422
    assert "'lots' is not a pain score." in html.unescape(refused.text)
    unanswered = forms_client.post(
        f"/checkin/{entry['id']}/warning-signs", data={"csrf_token": token, "sign-x": "maybe"}
    )
    assert unanswered.status_code == 422
    assert "Answer yes or no for at least one sign." in html.unescape(unanswered.text)
    after = [e for e in forms_client.get("/api/pain").json()["entries"] if e["id"] == entry["id"]]
    assert after == [entry]


# --- the words for each kind of refusal, without the app -----------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"resting_hr_bpm": "58.5"}, "'58.5' is not a whole number for the resting heart rate."),
        ({"max_hr_bpm": "300"}, "A maximum heart rate of 300 bpm is out of range."),
        ({"birth_year": "1850"}, "Birth year 1850 is not plausible"),
        ({"conditions": ["gout"]}, "'gout' is not a known condition."),
        ({"past_injuries": ["x" * 5000]}, "Too long: the past injuries."),
        ({"spine_injection_on": "3000-01-01"}, "is outside the dates backstride works with"),
    ],
)
def test_each_kind_of_refusal_has_its_words(data: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_form(ProfileIn, data, PROFILE_FIELDS)
    assert words in refused.value.message


def test_the_first_refused_field_is_named_in_the_form_s_order() -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_form(PainIn, {"when": "later"}, PAIN_FIELDS)  # score missing, when refused
    assert refused.value.message.startswith("Choose how much it hurts")


def test_a_field_without_words_of_its_own_is_still_named_plainly() -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_form(ShoeIn, {"name": "X", "start_km": "-3"}, {"name": FormField("the name")})
    assert refused.value.message == "-3 is out of range for start km: at least 0."


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(list(SHOE_FIELDS)),
        st.text(max_size=40),
        max_size=len(SHOE_FIELDS),
    )
)
def test_any_typed_shoe_form_is_taken_or_refused_in_runner_words(form: dict[str, str]) -> None:
    try:
        shoe = check_form(ShoeIn, form, SHOE_FIELDS)
    except InvalidInputError as exc:
        assert exc.message and not any(p in exc.message for p in PYDANTIC_WORDS), exc.message
    else:
        assert shoe.name == form["name"]
