"""Words for runners (issue 14.6): no internal labels in any page or command output.

On the demo athlete's database, every reading command and every page is rendered and searched
for what a runner should never see: pointers into the project's notes (``EVIDENCE.md``,
``DESIGN.md``, "implication 7", "§3", "[R: ...]"), field names and finding ids in prose
(``progression_pct``, ``gear.shoes_worn``), file paths of the docs, CLI commands in backticks,
and, on pages, CLI commands at all (a page links to the page that does the same).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services.demo_load import DemoLoaded
from backstride.web.app import create_app

END = date(2026, 3, 15)
Cli = Callable[..., Any]

# (not "demo": the demo's watch is called "backstride demo watch")
COMMANDS = (
    "import|log|serve|load|screen|checkin|today|report|export|backup|delete|activity|"
    "config|profile|clearance|selftest|pain|shoes|plan|routine|route|measure"
)

#: Labels meant for developers, refused everywhere.
EVERYWHERE = {
    "project notes": re.compile(r"\b(?:EVIDENCE|DESIGN|BRIEF|STYLE)(?:\.md)?\b"),
    "review markers": re.compile(r"\[R[:\]]|\[V\]|\bimplications? \d"),
    "section signs": re.compile(r"§\s?\d"),
    "doc paths": re.compile(r"\bdocs/[\w-]+\.md\b"),
    "snake_case ids": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "finding ids": re.compile(
        r"\b(?:redflag|screening|pain|load|recovery|variety|gear|terrain|body|history|form|"
        r"data|warmup)\.[a-z_]+\b"
    ),
    "abbreviated labels": re.compile(r"\b(?:pct|state inspect|state retire)\b"),
}
#: On pages, a CLI command is never shown: the page links to where the same is done.
PAGES_ONLY = {"CLI commands": re.compile(rf"\bbackstride (?:{COMMANDS})\b")}
#: In the terminal, commands are printed as they are typed, without Markdown backticks.
CLI_ONLY = {"backticks": re.compile(r"`")}


def offending(text: str, patterns: dict[str, re.Pattern[str]]) -> list[str]:
    flat = " ".join(text.split())
    found = []
    for name, pattern in patterns.items():
        for m in pattern.finditer(flat):
            found.append(f"{name}: …{flat[max(0, m.start() - 50) : m.end() + 30]}…")
    return found


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles; form values kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg", "template"):
            self._hidden += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg", "template") and self._hidden:
            self._hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    return html.unescape("".join(parser.parts))


@pytest.fixture(scope="module")
def demo(demo_settings: tuple[Settings, DemoLoaded]) -> tuple[Settings, DemoLoaded]:
    return demo_settings


def _reading_commands(cli: Cli, db: str) -> list[tuple[str, ...]]:
    on = END.isoformat()
    runs = cli("activity", "list", "--json", db=db).json()
    items = runs["activities"] if isinstance(runs, dict) else runs
    first_id = str(items[0]["id"])
    routes = cli("route", "list", "--json", db=db).json()
    names = [r["name"] for r in (routes["routes"] if isinstance(routes, dict) else routes)]
    commands: list[tuple[str, ...]] = [
        ("today", "--on", on),
        ("plan", "today", "--on", on),
        ("plan", "show", "--on", on),
        ("load",),
        ("activity", "list"),
        ("activity", "show", first_id),
        ("profile", "show"),
        ("clearance", "list"),
        ("selftest", "report"),
        ("pain", "list"),
        ("pain", "report"),
        ("shoes", "list"),
        ("routine", "warmup"),
        ("routine", "cooldown"),
        ("routine", "core"),
        ("routine", "mobility"),
        ("routine", "list"),
        ("routine", "log"),
        ("route", "list"),
        ("measure", "list"),
    ]
    if len(names) >= 2:
        commands.append(("route", "compare", *names[:2]))
    return commands


def test_no_command_output_shows_internal_labels(
    demo: tuple[Settings, DemoLoaded], cli: Cli
) -> None:
    settings, _ = demo
    problems: list[str] = []
    for args in _reading_commands(cli, settings.db):
        result = cli(*args, db=settings.db)
        assert result.exit_code == 0, (args, result.stderr)
        for problem in offending(result.stdout, EVERYWHERE | CLI_ONLY):
            problems.append(f"backstride {' '.join(args)}: {problem}")
    assert not problems, "\n".join(problems)


def _page_paths(client: TestClient) -> list[str]:
    """Every page of the dashboard (each GET route outside the API), its ids filled in from
    the demo's records, as that day looked."""
    from fastapi.routing import APIRoute

    from backstride.web.app import ROUTERS

    on = END.isoformat()
    activities = client.get("/api/activities?per_page=3").json()["items"]
    entries = client.get("/api/pain").json()["entries"]
    fill = {
        "{activity_id}": str(activities[0]["id"]),
        "{entry_id}": str(entries[-1]["id"]),
        "{key}": "frandsen-2025",
        "{job_id}": "1",  # background jobs exist only in the server mode: not a page here
    }
    paths: list[str] = []
    for route in (r for router in ROUTERS for r in router.routes):
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
            continue
        path = route.path
        if path.startswith("/api/") or path.endswith((".pdf", ".css", "/download")):  # files
            continue
        for hole, value in fill.items():
            path = path.replace(hole, value)
        assert "{" not in path, f"no demo value for {route.path}"
        paths.append(f"{path}?on={on}")
    paths += [f"/activities/{a['id']}?on={on}" for a in activities[1:]]
    return paths


def test_no_page_shows_internal_labels_or_cli_commands(
    demo: tuple[Settings, DemoLoaded],
) -> None:
    settings, _ = demo
    application = create_app(settings, allowed_hosts=["testserver"])
    problems: list[str] = []
    checked: list[str] = []
    try:
        client = TestClient(application, raise_server_exceptions=True)
        for path in _page_paths(client):
            r = client.get(path)
            if r.status_code != 200 or "html" not in r.headers.get("content-type", ""):
                continue  # the server mode's pages (log-in, runners, sharing) in local mode
            checked.append(path.split("?")[0])
            for problem in offending(visible_text(r.text), EVERYWHERE | PAGES_ONLY):
                problems.append(f"{path}: {problem}")
    finally:
        application.state.web.app.close()
    assert {"/", "/today", "/plan", "/diary", "/self-tests", "/evidence"} <= set(checked)
    assert len(checked) >= 20, checked
    assert not problems, "\n".join(problems)


def test_the_label_checks_catch_what_they_are_meant_to() -> None:
    bad = (
        "Source: Cook 1985 (via EVIDENCE.md section 3); implication 7 [R: recalled] §3 "
        "progression pct, state inspect, docs/guidance.md, gear.shoes_worn, inspect_km"
    )
    names = {p.split(":")[0] for p in offending(bad, EVERYWHERE)}
    assert names == set(EVERYWHERE)
    assert offending("run `backstride checkin`", CLI_ONLY)
    assert offending(visible_text("<p>Run backstride checkin now</p>"), PAGES_ONLY)
    assert not offending(visible_text('<a href="/checkin?x=a_b">Check in</a>'), EVERYWHERE)
