"""``backstride today`` runs a command line with only the root and ``today`` (``cli/root.py``):
it must answer every ``today`` call as the whole command line does (output, errors, help,
exit status), and hand anything else to the whole one. The root's and today's plain options
are coerced without pydantic (``_PlainValue``), to the values Typer's own coercion gives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.cli import root
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["today"], True),
        (["--db", "x.sqlite3", "today", "--json"], True),
        (["--db=x.sqlite3", "--units", "mi", "--debug", "today"], True),
        (["--units=km", "today", "--on", "2024-05-12"], True),
        (["--db", "today"], False),  # "today" is the database's name here
        (["--db", "today", "load"], False),
        (["--db"], False),
        (["load"], False),
        (["--help", "today"], False),
        (["-h", "today"], False),
        (["--version", "today"], False),
        (["--bogus", "today"], False),
        (["--", "today"], False),
        ([], False),
        (["pain", "today"], False),
    ],
)
def test_asks_for_today_only_after_quiet_root_options(args: list[str], expected: bool) -> None:
    assert root.asks_for_today(args) is expected


CALLS = [
    ("today", "--on", "2024-05-12"),
    ("today", "--on", "2024-05-12", "--json"),
    ("--units", "mi", "today", "--on", "2024-05-12"),
    ("--debug", "today", "--on=2024-05-12"),
    ("today", "--help"),
    ("today", "-h"),
    ("today", "--bogus"),
    ("today", "--on"),
    ("today", "--on", "12/05/2024"),
    ("today", "extra"),
    ("--units", "furlongs", "today"),
    ("--debug=yes", "today"),
]


@pytest.mark.parametrize("args", CALLS, ids=" ".join)
def test_the_small_command_line_answers_today_as_the_whole_one(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    assert cli("log", "--sport", "run", "--on", "2024-05-10", "--duration", "30m").exit_code == 0
    small = cli(*args)
    with monkeypatch.context() as m:
        m.setattr(root, "asks_for_today", lambda _args: False)
        whole = cli(*args)
    assert (small.exit_code, small.stdout, small.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


def test_the_small_command_line_is_the_one_that_runs(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    real = root.today_app

    def spy() -> Any:
        built.append("small")
        return real()

    monkeypatch.setattr(root, "today_app", spy)
    assert cli("today", "--on", "2024-05-12").exit_code == 0
    assert built == ["small"]
    assert cli("--version").exit_code == 0
    assert built == ["small"]


def _root_option(name: str) -> Any:
    group = typer.main.get_command(root.today_app())
    ctx = group.make_context("backstride", ["today"], resilient_parsing=True)
    (param,) = [p for p in group.get_params(ctx) if name in p.opts]
    return param, ctx


@settings(max_examples=200)
@given(st.none() | st.text(st.characters(exclude_categories=())))  # lone surrogates too
def test_plain_values_are_what_typers_own_coercion_gives(value: str | None) -> None:
    param, ctx = _root_option("--db")
    ours = param.get_runtime_param()
    assert isinstance(ours, root._PlainValue)
    library = type(param).get_runtime_param(param)  # Typer's, through pydantic
    assert ours.coerce(value, param=param, ctx=ctx) == library.coerce(value, param=param, ctx=ctx)


def test_other_values_go_to_typers_own_coercion() -> None:
    param, ctx = _root_option("--db")
    assert param.get_runtime_param().coerce(b"runner.sqlite3", param=param, ctx=ctx) == (
        "runner.sqlite3"
    )
    flag, ctx = _root_option("--debug")
    assert flag.get_runtime_param().coerce(None, param=flag, ctx=ctx) is None
    assert flag.get_runtime_param().coerce(True, param=flag, ctx=ctx) is True
