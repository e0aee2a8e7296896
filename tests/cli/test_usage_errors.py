"""Usage mistakes on every command: exit 2, the usage line and what was wrong, never a crash.

Walks the whole command tree (from the Typer app itself, so a new command is covered without
editing this file) and calls each command with an unknown option, without its required
arguments, and with malformed numbers and dates.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from backstride.cli import app
from tests.conftest import CliResult

Runner = Callable[..., CliResult]


def _leaves(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        if getattr(cmd, "commands", None):
            yield from _leaves(cmd, (*path, name))
        else:
            yield (*path, name), cmd


LEAVES = dict(_leaves(typer.main.get_command(app)))
WITH_REQUIRED = {path: cmd for path, cmd in LEAVES.items() if any(p.required for p in cmd.params)}
NUMBER_OPTIONS = [
    (path, param)
    for path, cmd in LEAVES.items()
    for param in cmd.params
    if param.opts[0].startswith("--") and str(param.bare_type()) in ("int", "float")
]
DATE_OPTIONS = [
    (path, param)
    for path, cmd in LEAVES.items()
    for param in cmd.params
    if param.opts[0].startswith("--") and "YYYY-MM-DD" in (param.help or "")
]


def _is_usage_error(result: CliResult, command: tuple[str, ...]) -> str:
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2, (command, result.stdout, result.stderr)
    assert f"Usage: backstride {' '.join(command)}" in said, said
    assert "unexpected" not in said
    assert "Traceback" not in result.stderr
    return said


def test_the_walk_finds_the_whole_tree() -> None:
    assert len(LEAVES) > 50
    assert {("today",), ("activity", "show"), ("pain", "add"), ("import",)} <= set(LEAVES)
    assert len(NUMBER_OPTIONS) > 5 and len(DATE_OPTIONS) > 15


@pytest.mark.parametrize("command", list(LEAVES), ids=" ".join)
def test_an_unknown_option_is_a_usage_mistake(cli: Runner, command: tuple[str, ...]) -> None:
    said = _is_usage_error(cli(*command, "--no-such-option"), command)
    assert "No such option: --no-such-option" in said


@pytest.mark.parametrize("command", list(WITH_REQUIRED), ids=" ".join)
def test_a_missing_argument_is_a_usage_mistake(cli: Runner, command: tuple[str, ...]) -> None:
    said = _is_usage_error(cli(*command), command)
    assert "Missing" in said


@pytest.mark.parametrize(
    ("command", "param"),
    NUMBER_OPTIONS,
    ids=[f"{' '.join(c)} {p.opts[0]}" for c, p in NUMBER_OPTIONS],
)
def test_a_malformed_number_is_a_usage_mistake(
    cli: Runner, command: tuple[str, ...], param: Any
) -> None:
    said = _is_usage_error(cli(*command, param.opts[0], "lots"), command)
    assert "Invalid value" in said and param.opts[0] in said


@pytest.mark.parametrize(
    ("command", "param"), DATE_OPTIONS, ids=[f"{' '.join(c)} {p.opts[0]}" for c, p in DATE_OPTIONS]
)
def test_a_malformed_date_is_a_usage_mistake(
    cli: Runner, command: tuple[str, ...], param: Any
) -> None:
    """Alone, the bad date is what is reported (or, first, what else the command needs)."""
    said = _is_usage_error(cli(*command, param.opts[0], "2026-13-45"), command)
    if command in WITH_REQUIRED:
        assert "Missing" in said or "is not a date" in said
    elif command != ("plan", "export"):  # asks for --ics or --fit first
        assert "'2026-13-45' is not a date" in said, said


@pytest.mark.parametrize(
    "args",
    [
        ("import",),
        ("pain", "add", "--when", "after"),
        ("log", "--on", "2026-12-06"),
        ("activity", "show"),
        ("nosuchcmd",),
        ("activity", "show", "abc"),
    ],
    ids=" ".join,
)
def test_the_issue_examples_are_usage_mistakes(cli: Runner, args: tuple[str, ...]) -> None:
    result = cli(*args)
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2, result.stderr
    assert "Usage: backstride" in said and "Error:" in said
    assert "unexpected" not in said


@pytest.mark.parametrize("reader", ["head -1", "true"])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, db_url: str, reader: str) -> None:
    """``backstride today | head -1``: the reader leaves early (``true`` leaves before a word
    is written, so the write always fails); no error, no traceback."""
    env = {
        **os.environ,
        "BACKSTRIDE_DATA_DIR": str(tmp_path / "data"),
        "BACKSTRIDE_CONFIG_FILE": str(tmp_path / "none.toml"),
    }
    exe = Path(sys.executable).with_name("backstride")
    script = f"'{exe}' --db '{db_url}' today | {reader}"
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert proc.stdout.count("\n") == (1 if reader.startswith("head") else 0)
    assert proc.stderr == "", proc.stderr


def test_every_command_named_in_messages_exists() -> None:
    """Advice and hints name commands (`backstride selftest list`): each one is real."""
    root = typer.main.get_command(app)
    named: set[tuple[str, ...]] = set()
    for path in (Path(__file__).resolve().parents[2] / "src" / "backstride").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for words in re.findall(r"`backstride ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", text):
            named.add(tuple(words.split()))
    assert len(named) > 20
    missing = []
    for words in sorted(named):
        group = root.commands.get(words[0])  # type: ignore[attr-defined]
        if group is None:
            missing.append(words)
        elif getattr(group, "commands", None) and len(words) > 1:
            if words[1] not in group.commands:
                missing.append(words)
    assert not missing, missing
