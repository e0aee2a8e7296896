"""Redirect targets taken from a form (``next``) stay on this server, judged after decoding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.adapters.db.body_repos import RedFlagSeenRepo
from backstride.config import Settings
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.web.security import local_redirect
from tests.databases import DbBackend
from tests.web.conftest import HISTORY_END, LiveServer, make_settings, start_server

FLAG = "saddle-numbness"


@pytest.mark.parametrize(
    "target",
    [
        "/activities",
        "/load?weeks=8",
        "/activities/3?saved=true#edit",
        "/diary",
        "/activities?q=50%25",
    ],
)
def test_local_paths_are_kept(target: str) -> None:
    assert local_redirect(target, default="/today") == target


@pytest.mark.parametrize(
    "target",
    [
        "",
        None,
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/%5Cevil.example",
        "/%255Cevil.example",
        "/%2F/evil.example",
        "%2F%2Fevil.example",
        "/today\r\nSet-Cookie: x=1",
        "/today%0d%0aSet-Cookie:%20x=1",
        "/today%250d%250aX: 1",
        "/today\x00",
        "/tab\there",
        "javascript:alert(1)",
        "activities",
        "/caf\u00e9\u2028",
    ],
)
def test_other_hosts_and_control_characters_fall_back_to_the_default(
    target: str | None,
) -> None:
    assert local_redirect(target, default="/today") == "/today"


@given(st.text(max_size=30))
def test_a_kept_target_is_a_plain_local_path(target: str) -> None:
    kept = local_redirect(target, default="/today")
    if kept != "/today":
        assert kept == target
        assert kept.startswith("/") and not kept.startswith("//")
        assert kept.isascii() and "\\" not in kept
        assert all(ord(ch) >= 0x20 and ord(ch) != 0x7F for ch in kept)


# --- a real server: the header is written by uvicorn ------------------------------------------


@pytest.fixture(scope="module")
def flagged(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("redirects")
    settings = make_settings(root, db=db_backend.new_url(root))
    server = start_server(settings)
    yield server
    server.stop()


def _flag(settings: Settings) -> None:
    app = App(settings)
    try:
        add_pain(
            app,
            PainInput(day=HISTORY_END, when="rest-day", score=4, red_flags=[FLAG]),
            today=date.today(),
        )
    finally:
        app.close()


def _seen_count(settings: Settings) -> int:
    app = App(settings)
    try:
        with app.store.read_session() as session:
            return len(RedFlagSeenRepo(session).list(app.athlete_id))
    finally:
        app.close()


def _token(client: httpx.Client) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/import").text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    "target", ["/today%0d%0aSet-Cookie:%20x=1", "/\\evil.example", "/load\r\nX-Evil: 1"]
)
def test_seen_form_with_a_hostile_next_answers_and_goes_to_today(
    flagged: LiveServer, target: str
) -> None:
    _flag(flagged.settings)
    with httpx.Client(base_url=flagged.url) as client:
        token = _token(client)
        for htmx in (True, False):
            seen_before = _seen_count(flagged.settings)
            response = client.post(
                "/today/seen",
                data={"csrf_token": token, "flag": FLAG, "next": target},
                headers={"HX-Request": "true"} if htmx else {},
                follow_redirects=False,
            )
            if htmx:
                assert response.status_code == 200
                assert response.headers["hx-redirect"] == "/today"
            else:
                assert response.status_code == 303
                assert response.headers["location"] == "/today"
            assert "x-evil" not in response.headers
            assert "x=1" not in response.headers.get("set-cookie", "")
            assert _seen_count(flagged.settings) == seen_before + 1
