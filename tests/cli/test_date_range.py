"""Dates outside 1990-2100 given on the command line are bad input, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.dates import EARLIEST_DAY, LATEST_DAY, check_day, parse_day
from backstride.errors import InvalidInputError
from tests.conftest import CliResult

Runner = Callable[..., CliResult]

OUT_OF_RANGE = ("0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31")

# Every option that takes a date, with what else the command needs to run.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("today", "--on", "{day}"),
    ("load", "--on", "{day}"),
    ("activity", "list", "--since", "{day}"),
    ("activity", "list", "--until", "{day}"),
    ("log", "--on", "{day}", "--sport", "run", "--duration", "30m", "--distance", "5"),
    ("pain", "add", "--score", "2", "--when", "rest-day", "--on", "{day}"),
    ("pain", "list", "--since", "{day}"),
    ("pain", "report", "--since", "{day}"),
    ("pain", "seen", "--flag", "saddle-numbness", "--on", "{day}"),
    ("checkin", "--when", "rest-day", "--on", "{day}"),
    ("selftest", "add", "trunk-flexor-hold", "95", "--on", "{day}"),
    ("clearance", "add", "--on", "{day}", "--by", "Dr Jones"),
    ("shoes", "add", "Pegasus", "--bought", "{day}"),
    ("plan", "show", "--on", "{day}"),
    ("routine", "log", "--on", "{day}"),
    ("routine", "done", "warmup", "--on", "{day}"),
    ("routine", "core", "--on", "{day}"),
    ("plan", "today", "--on", "{day}"),
    ("screen", "--on", "{day}"),
    ("demo", "--end", "{day}"),
)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_date_outside_1990_to_2100_is_refused_as_bad_input(
    cli: Runner, command: tuple[str, ...], day: str
) -> None:
    result = cli(*(part.format(day=day) for part in command))
    said = " ".join(result.stderr.split())  # rich wraps long messages
    assert result.exit_code != 0
    assert "something unexpected" not in said
    assert f"{day} " in said
    assert "outside the dates backstride works with" in said
    assert "1990-01-01 to 2100-12-31" in said


def test_nothing_is_stored_after_a_refused_date(cli: Runner) -> None:
    for day in OUT_OF_RANGE:
        cli("log", "--on", day, "--sport", "run", "--duration", "30m", "--distance", "5")
        cli("pain", "add", "--score", "2", "--when", "rest-day", "--on", day)
    assert cli("activity", "list", "--json").json() == []
    assert cli("pain", "list", "--json").json()["entries"] == []


def test_the_first_and_last_accepted_days_work(cli: Runner) -> None:
    for day in (EARLIEST_DAY, LATEST_DAY):
        result = cli("today", "--on", day.isoformat(), "--json")
        assert result.exit_code == 0, result.stderr
        assert result.json()["date"] == day.isoformat()


@given(st.dates())
def test_parse_day_accepts_exactly_the_range(day: date) -> None:
    inside = EARLIEST_DAY <= day <= LATEST_DAY
    try:
        assert parse_day(f" {day.isoformat()} ") == day
        assert check_day(day) == day
        accepted = True
    except InvalidInputError as exc:
        assert "YYYY-MM-DD" in (exc.hint or "")
        accepted = False
    assert accepted == inside


@pytest.mark.parametrize("text", ["", "2024-13-01", "yesterday", "2024-02-30", "１９９９-01-01"])
def test_parse_day_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(InvalidInputError, match="is not a date"):
        parse_day(text)
