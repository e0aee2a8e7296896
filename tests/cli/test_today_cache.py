"""The kept ``backstride today`` (``services/day_cache.py``): reused only while nothing it
depends on changed, byte for byte what a fresh computation prints, forgotten after every kind
of write, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.cli.common import json_text
from backstride.cli.today import render_today
from backstride.config import get_settings
from backstride.services import day_cache
from backstride.services.context import App
from backstride.services.guidance import today
from tests.cli.scenario_kit import Runner, gpx_route

Cli = Callable[..., Any]
DAY = date(2024, 5, 15)


def _request(db: str, on: date = DAY) -> day_cache.Request:
    return day_cache.Request(db=db, units=None, on=on, today=date.today())


def _fresh(db: str, on: date = DAY) -> day_cache.Rendered:
    """The day computed now, without the cache, rendered as the command renders it."""
    application = App(get_settings(db=db))
    try:
        answer = today(application, on=on, today=date.today())
    finally:
        application.close()
    lines: list[tuple[str, str | None]] = []
    render_today(answer, lambda text, *, style=None: lines.append((text, style)))
    return day_cache.Rendered(lines=tuple(lines), json=json_text(answer.to_json()))


def _kept(db: str, on: date = DAY) -> day_cache.Rendered | None:
    def server_mark() -> Any:
        application = App(get_settings(db=db))
        try:
            return day_cache.mark_of(application)
        finally:
            application.close()

    return day_cache.lookup(_request(db, on), server_mark)


def _asked(cli: Cli, db: str) -> tuple[str, str]:
    """``today`` as text and as JSON, asked twice: the second answer is the kept one."""
    text = cli("today", "--on", DAY.isoformat())
    again = cli("today", "--on", DAY.isoformat())
    as_json = cli("today", "--on", DAY.isoformat(), "--json")
    assert text.exit_code == again.exit_code == as_json.exit_code == 0, text.stderr
    assert again.stdout == text.stdout
    assert _kept(db) is not None
    return text.stdout, as_json.stdout


def test_a_repeated_today_prints_the_kept_answer_byte_for_byte(cli: Cli, db_url: str) -> None:
    cli("today", "--on", DAY.isoformat())  # the first call creates the runner: a write
    first = cli("today", "--on", DAY.isoformat())
    kept = _kept(db_url)
    assert kept is not None and kept == _fresh(db_url)
    second = cli("today", "--on", DAY.isoformat())
    assert second.stdout == first.stdout and second.stderr == first.stderr == ""
    as_json = cli("today", "--on", DAY.isoformat(), "--json")
    assert as_json.stdout == kept.json and as_json.json()["date"] == DAY.isoformat()
    # Another day, another real date or other flags are other questions.
    assert _kept(db_url, DAY + timedelta(days=1)) is None
    assert (
        day_cache.lookup(
            day_cache.Request(db=db_url, units="mi", on=DAY, today=date.today()), lambda: None
        )
        is None
    )


def _write_import(cli: Cli, tmp_path: Path) -> None:
    runner = Runner(cli, tmp_path / "files")
    runner.folder.mkdir()
    runner.run(DAY - timedelta(days=1), 8.0)
    runner.load()


def _write_log(cli: Cli, tmp_path: Path) -> None:
    runner = Runner(cli, tmp_path)
    runner.log(DAY - timedelta(days=2), "run", 40, "--distance", "6km")


def _write_pain(cli: Cli, tmp_path: Path) -> None:
    Runner(cli, tmp_path).pain(DAY, "rest-day", 8)


def _write_profile(cli: Cli, tmp_path: Path) -> None:
    Runner(cli, tmp_path).profile("--condition", "lumbar-spinal-stenosis", "--birth-year", "1958")


def _write_plan(cli: Cli, tmp_path: Path) -> None:
    Runner(cli, tmp_path).ok(
        "plan", "start", "--goal", "5k", "--days", "mon,wed,sat", "--start", DAY.isoformat()
    )


def _write_plan_change(cli: Cli, tmp_path: Path) -> None:
    Runner(cli, tmp_path).ok("plan", "skip", "--on", DAY.isoformat(), "--reason", "travel")


def _write_route(cli: Cli, tmp_path: Path) -> None:
    hill = tmp_path / "hill.gpx"
    hill.write_bytes(gpx_route("Hill", 5.0, profile="steep"))
    Runner(cli, tmp_path).ok("route", "add", str(hill), "--name", "Hill loop")


WRITES = {
    "import": _write_import,
    "log": _write_log,
    "pain add": _write_pain,
    "profile set": _write_profile,
    "plan start": _write_plan,
    "plan skip": _write_plan_change,
    "route add": _write_route,
}
CHANGE_THE_DAY = {"import", "log", "pain add", "profile set", "plan start"}
"""Writes whose effect the day's answer shows (a saved route or a skipped session need not)."""
SET_UP = {"plan start": ("screen",), "plan skip": ("screen", "plan")}
"""What must be there before a write can be made (a plan needs the health screen)."""


@pytest.mark.parametrize("write", list(WRITES))
def test_every_kind_of_write_makes_today_compute_again(
    write: str, cli: Cli, db_url: str, tmp_path: Path
) -> None:
    for step in SET_UP.get(write, ()):
        if step == "screen":
            Runner(cli, tmp_path).screen(DAY - timedelta(days=7))
        else:
            _write_plan(cli, tmp_path)
    before_text, before_json = _asked(cli, db_url)
    WRITES[write](cli, tmp_path)
    assert _kept(db_url) is None, f"the answer kept before '{write}' is still served"
    fresh = _fresh(db_url)
    after_json = cli("today", "--on", DAY.isoformat(), "--json").stdout
    assert after_json == fresh.json
    assert _kept(db_url) == fresh
    again = cli("today", "--on", DAY.isoformat())
    assert again.stdout == cli("today", "--on", DAY.isoformat()).stdout
    if write in CHANGE_THE_DAY:
        assert after_json != before_json, f"'{write}' changed nothing the day shows"
        assert again.stdout != before_text


def test_an_answer_computed_while_the_data_changed_is_not_kept(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    application = App(get_settings(db=db_url))
    try:
        before = day_cache.mark_of(application)
        answer = _fresh(db_url)
        Runner(cli, tmp_path).pain(DAY, "rest-day", 4)  # another process writes meanwhile
        assert not day_cache.keep(_request(db_url), application, before, answer)
        assert _kept(db_url) is None
        now = day_cache.mark_of(application)
        assert now != before
        assert day_cache.keep(_request(db_url), application, now, _fresh(db_url))
    finally:
        application.close()
    cli("today", "--on", DAY.isoformat())
    assert _kept(db_url) == _fresh(db_url)


@pytest.mark.sqlite_only
def test_a_database_file_put_back_from_a_copy_is_a_new_database(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    _asked(cli, db_url)
    copy = tmp_path / "copy.sqlite3"
    shutil.copy2(path, copy)
    Runner(cli, tmp_path).pain(DAY, "rest-day", 5)
    _asked(cli, db_url)
    shutil.copyfile(copy, path)  # the older data back, in place
    assert _kept(db_url) is None


def test_the_config_file_and_the_settings_are_part_of_the_question(
    cli: Cli, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _asked(cli, db_url)
    config = Path(get_settings().config_file)
    config.write_text('units = "mi"\n')
    assert _kept(db_url) is None
    config.unlink()
    assert _kept(db_url) is not None
    monkeypatch.setenv("BACKSTRIDE_GUIDANCE_CAP_PCT", "5")
    assert _kept(db_url) is None


def test_deleting_everything_removes_the_kept_answers(cli: Cli, db_url: str) -> None:
    _asked(cli, db_url)
    assert any(day_cache.folder().iterdir())
    deleted = cli("delete", "--everything", "--yes-i-am-sure")
    assert deleted.exit_code == 0, deleted.stderr
    assert not any(day_cache.folder().iterdir())


def test_the_kept_answer_holds_no_setting_in_clear(
    cli: Cli, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database URL may hold a password and a setting a secret: only their digest is kept;
    the file is the runner's alone."""
    monkeypatch.setenv("BACKSTRIDE_OIDC_CLIENT_SECRET", "not-for-the-cache-7f3a")
    _asked(cli, db_url)
    (entry,) = day_cache.folder().iterdir()
    content = entry.read_text(encoding="utf-8")
    assert "not-for-the-cache-7f3a" not in content and db_url not in content
    assert entry.stat().st_mode & 0o777 == 0o600
