"""Pages never show command lines: a quoted command becomes a link to the page doing the same."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from backstride.web.commands import finalize, link_commands, page_for

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
