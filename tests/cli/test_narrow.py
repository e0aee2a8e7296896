"""At 80 columns every listing reads whole: ids and dates never cut, nothing past the edge.

The demo athlete is loaded once; each listing command is rendered at exactly 80 columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backstride.adapters.db.postgres import safe_url
from backstride.cli import common
from tests.conftest import CliResult

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


@pytest.fixture
def narrow(cli: Runner, tmp_path: Path) -> Iterator[Runner]:
    """The demo athlete, and consoles exactly 80 columns wide."""
    assert cli("demo", "--dir", str(tmp_path / "files"), "--end", "2026-12-06").exit_code == 0
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
