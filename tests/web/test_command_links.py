"""Pages never show command lines: a quoted command becomes a link to the page doing the same."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from backstride.config import Settings
from backstride.domain.text import RunnerText
from backstride.services.context import App
from backstride.services.diary import PainInput, add_pain
from backstride.web.commands import as_typed, finalize, link_commands, page_for
from tests.web.conftest import HISTORY_END

COMMAND_ON_PAGE = re.compile(
    r"`backstride|backstride (?:checkin|screen|pain|plan|routine|route|shoes|selftest|"
    r"clearance|activity|import|export|report|today|load|log|profile|measure)\b"
)


@pytest.mark.parametrize(
    ("command", "href"),
    [
        ("checkin", "/checkin"),
        ("routine core", "/exercises#routine-core"),
        ("pain seen --flag x --on DATE", "/diary"),
        ("clearance add --on DATE --by NAME", "/profile#clearance"),
        ("screen", "/profile#screening"),
        ('shoes add "Red"', "/shoes#add-shoe"),
        ("activity edit 12 --shoes NAME", "/activities/12#activity-edit"),
        ("route add FILE --name NAME", "/routes"),
        ("plan start --goal 5k", "/plan#start-h"),
        ("nosuch thing", "/"),
    ],
)
def test_each_command_links_to_its_page(command: str, href: str) -> None:
    assert page_for(command).href == href


def test_a_message_keeps_its_words_and_loses_its_command() -> None:
    text = "Do the core routine (`backstride routine core` shows them) <today>."
    linked = str(link_commands(text))
    assert "backstride routine" not in linked
    assert '<a href="/exercises#routine-core">the core routine on the Exercises page</a>' in linked
    assert "&lt;today&gt;" in linked  # the rest is escaped


@given(st.text(max_size=200))
def test_finalize_never_lets_markup_through(text: str) -> None:
    out = str(finalize("`backstride checkin` " + text))
    assert "<script" not in out.replace('<a href="/checkin">', "")
    assert "`backstride" not in out


PAGES = (
    "/",
    "/today",
    "/checkin",
    "/diary",
    "/activities",
    "/load",
    "/plan",
    "/exercises",
    "/self-tests",
    "/shoes",
    "/profile",
    "/measures",
    "/report",
    "/import",
    "/data",
    "/routes",
    "/activities/new",
)


def test_no_page_shows_a_command(seeded_client: TestClient) -> None:
    for path in PAGES:
        response = seeded_client.get(path)
        assert response.status_code == 200, path
        found = COMMAND_ON_PAGE.search(response.text)
        assert found is None, f"{path}: {response.text[max(0, found.start() - 80) : found.end()]}"


# --- the runner's own text is never linked -----------------------------------------------------

NOTE = "Back fine. Check `backstride today` & <b>stretch</b> later\nsecond line"
TEXTAREA = re.compile(
    r'<textarea id="(?:edit|pain)-notes" name="notes"[^>]*>(.*?)</textarea>', re.S
)


def test_text_a_runner_typed_is_printed_as_typed() -> None:
    typed = RunnerText("Ran `backstride today` <b>")
    assert finalize(typed) is typed  # no link; escaped like any text
    assert str(escape(typed)) == "Ran `backstride today` &lt;b&gt;"
    assert finalize("Ran `backstride today`") == link_commands("Ran `backstride today`")
    sent_back = as_typed({"notes": "`backstride checkin`", "where": ["low-back"], "n": 3})
    assert isinstance(sent_back, dict)
    assert all(isinstance(v, RunnerText) for v in (sent_back["notes"], *sent_back["where"]))
    assert sent_back["n"] == 3


def test_a_note_quoting_a_command_is_edited_and_saved_as_typed(
    seeded_client: TestClient, web_settings: Settings, csrf_token: Callable[..., str]
) -> None:
    item = seeded_client.get("/api/activities?sport=run").json()["items"][0]
    page_of = f"/activities/{item['id']}"
    token = csrf_token(seeded_client, page_of)
    form = {"csrf_token": token, "name": "Tempo `backstride load`", "notes": NOTE}
    saved = seeded_client.post(f"{page_of}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    page = seeded_client.get(page_of).text
    (in_box,) = TEXTAREA.findall(page)
    assert html.unescape(in_box) == NOTE  # verbatim in its edit box
    assert "the Today page</a>" not in page and "the Load page</a>" not in page
    assert html.escape(NOTE.splitlines()[0], quote=False) in page  # shown as typed
    # Saved unchanged, what the form holds, the note stays the same, character for character.
    name = re.search(r'name="name"[^>]*value="([^"]*)"', page)
    assert name is not None
    again = {
        "csrf_token": token,
        "name": html.unescape(name.group(1)),
        "notes": html.unescape(in_box),
    }
    assert seeded_client.post(f"{page_of}/edit", data=again).status_code in (200, 303)
    stored = seeded_client.get(f"/api/activities/{item['id']}").json()
    assert (stored["name"], stored["notes"]) == ("Tempo `backstride load`", NOTE)
    # The pain diary: the same note in the edit box of a check-in.
    app = App(web_settings)
    try:
        entry = add_pain(
            app, PainInput(day=HISTORY_END, when="after", score=2, notes=NOTE), today=date.today()
        ).entry
    finally:
        app.close()
    edit = seeded_client.get(f"/diary/{entry.id}/edit").text
    (pain_box,) = TEXTAREA.findall(edit)
    assert html.unescape(pain_box) == NOTE
    form = {
        "csrf_token": csrf_token(seeded_client, f"/diary/{entry.id}/edit"),
        "day": HISTORY_END.isoformat(),
        "when": "after",
        "score": "2",
        "notes": html.unescape(pain_box),
    }
    kept = seeded_client.post(f"/diary/{entry.id}/edit", data=form, follow_redirects=False)
    assert kept.status_code == 303, kept.text[:500]
    (after,) = [e for e in seeded_client.get("/api/pain").json()["entries"] if e["id"] == entry.id]
    assert after["notes"] == NOTE
    # The Today page still shows no command (messages link to their pages).
    today = seeded_client.get("/today").text
    assert COMMAND_ON_PAGE.search(today) is None
