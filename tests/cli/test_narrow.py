"""At 80 columns every listing reads whole: ids and dates never cut, nothing past the edge.

The demo athlete is loaded once; each listing command is rendered at exactly 80 columns.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.adapters.db.postgres import safe_url
from backstride.cli import common
from backstride.cli.common import keep_commands_whole
from tests.conftest import CliResult
from tests.databases import DbBackend

Runner = Callable[..., CliResult]

LISTINGS: tuple[tuple[str, ...], ...] = (
    ("activity", "list"),
    ("pain", "list"),
    ("pain", "report"),
    ("config", "show"),
    ("shoes", "list"),
    ("route", "list"),
    ("measure", "list"),
    ("plan", "show"),
    ("routine", "list"),
    ("clearance", "list"),
    ("selftest", "report"),
    ("profile", "show"),
    ("load",),
    ("today",),
)
PLACES = ("Database: ", "Data folder: ", "Config file: ")  # printed whole, however long
CUT_DATE = re.compile(r"\b\d{4}-(\d{2}-?)?(?=\s|…|$)", re.MULTILINE)


_DEMOS: dict[str, tuple[str, Path]] = {}
"""Engine -> a kept copy of the demo database built by the first test, and its data folder."""


@pytest.fixture
def narrow(
    cli: Runner,
    tmp_path: Path,
    db_url: str,
    db_backend: DbBackend,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Runner]:
    """The demo athlete, and consoles exactly 80 columns wide. ``backstride demo`` runs once
    per engine and process; later tests get a copy of the database and data folder it made."""
    data = tmp_path / "userdata"  # BACKSTRIDE_DATA_DIR (tests/conftest.py)
    found = _DEMOS.get(db_backend.name)
    if found is None:
        assert cli("demo", "--dir", str(tmp_path / "files"), "--end", "2026-12-06").exit_code == 0
        kept_in = tmp_path_factory.mktemp("narrow-demo")
        if data.is_dir():
            shutil.copytree(data, kept_in / "userdata")
        _DEMOS[db_backend.name] = (db_backend.keep_copy(db_url, kept_in), kept_in)
    else:
        kept, kept_in = found
        db_backend.restore(kept, db_url)
        if (kept_in / "userdata").is_dir():
            shutil.copytree(kept_in / "userdata", data, dirs_exist_ok=True)
    widths = (common.console.width, common.err_console.width)
    common.console.width = common.err_console.width = 80
    yield cli
    common.console.width, common.err_console.width = widths


def test_every_listing_reads_whole_at_80_columns(narrow: Runner) -> None:
    for command in LISTINGS:
        result = narrow(*command)
        assert result.exit_code == 0, (command, result.stderr)
        lines = result.stdout.splitlines()
        assert lines, command
        too_wide = [
            line for line in lines if len(line.rstrip()) > 80 and not line.startswith(PLACES)
        ]
        assert not too_wide, (command, too_wide[:3])
        assert "…" not in result.stdout, command
        assert not CUT_DATE.search(result.stdout), (command, CUT_DATE.search(result.stdout))
    # Commands named in the day's answer are never broken across two lines.
    answer = narrow("today", "--json").json()
    commands = [a["command"] for a in answer["attention"] if a.get("command")]
    commands += [f"backstride routine {r['key']}" for r in answer["routines"]]
    lines = narrow("today").stdout.splitlines()
    assert commands
    for named in commands:
        assert any(named in line for line in lines), (named, lines)


@given(
    words=st.lists(st.text("abcdefgh", min_size=1, max_size=12), min_size=1, max_size=30),
    commands=st.lists(
        st.lists(st.text("abc-", min_size=1, max_size=8), min_size=1, max_size=4),
        min_size=1,
        max_size=4,
    ),
    width=st.integers(min_value=30, max_value=100),
)
def test_a_command_in_a_message_is_never_broken(
    words: list[str], commands: list[list[str]], width: int
) -> None:
    named = ["backstride " + " ".join(c) for c in commands]
    mixed = words[:]
    for i, command in enumerate(named):
        mixed.insert((i * 7) % (len(mixed) + 1), f"(`{command}`)")
    text = "  - " + " ".join(mixed)
    lines = keep_commands_whole(text, width)
    shown = [line.replace("`", "") for line in lines]
    for command in named:
        assert any(command in line for line in shown)
    assert " ".join(" ".join(shown).split()) == " ".join(text.replace("`", "").split())
    alone = {f"({c})" for c in named} | set(words)
    for line in shown:  # wider only when one word or command is wider than the line
        assert len(line) <= width or line.removeprefix("  - ") in alone


def test_activity_ids_dates_and_names_are_whole_at_80_columns(narrow: Runner) -> None:
    rows = narrow("activity", "list", "--json").json()
    text = narrow("activity", "list").stdout
    tokens = text.split()
    assert rows
    for row in rows:
        assert str(row["id"]) in tokens
        assert row["local_date"] in tokens
        # a long name wraps onto the next lines: every word of it is shown
        for word in (row["name"] or "").split():
            assert word in tokens
    entries = narrow("pain", "list", "--json").json()["entries"]
    pain_tokens = narrow("pain", "list").stdout.split()
    for entry in entries:
        assert str(entry["id"]) in pain_tokens
        assert entry["day"] in pain_tokens


def test_config_show_prints_the_full_database_path(narrow: Runner, db_url: str) -> None:
    text = narrow("config", "show").stdout
    assert f"Database: {safe_url(db_url)}" in text.splitlines()  # a URL: never cut, no password
