"""``backstride measure add|list|delete`` and the 0010 migration's tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from backstride.adapters.db.engine import Store, _alembic_config, current_revision
from tests.conftest import CliResult
from tests.databases import DbBackend

Cli = Callable[..., CliResult]


def test_measures_are_recorded_listed_and_compared(cli: Cli) -> None:
    peg = cli(
        "measure", "add", "peg", "--pain", "6", "--enjoyment", "5", "--general", "4",
        "--on", "2026-01-05", "--json",
    )  # fmt: skip
    assert peg.exit_code == 0, peg.stderr
    assert peg.json()["score"] == 5.0 and peg.json()["score_text"] == "5"
    assert cli("measure", "add", "peg", "--pain", "3", "--enjoyment", "3", "--general", "3",
               "--on", "2026-02-02").exit_code == 0  # fmt: skip
    psfs = cli("measure", "add", "psfs", "--activity", "Running 20 minutes=3",
               "--activity", "Sitting an hour=7", "--on", "2026-01-05")  # fmt: skip
    assert psfs.exit_code == 0 and "5" in psfs.stdout
    walk = cli("measure", "add", "walk", "--minutes", "30", "--on", "2026-01-06")
    assert "30 min (no symptom)" in walk.stdout
    osw = cli("measure", "add", "recorded", "--name", "Oswestry Disability Index", "--score",
              "22", "--on", "2026-01-07")  # fmt: skip
    assert osw.exit_code == 0
    listed = cli("measure", "list", "--json").json()
    changes = {c["instrument"]: c for c in listed["changes"]}
    assert changes["peg"]["verdict"] == "better" and changes["peg"]["change"] == -2.0
    assert changes["recorded"]["title"] == "Oswestry Disability Index"
    assert {r["instrument"] for r in listed["retest_due"]} == {"peg", "psfs", "walk"}
    text = cli("measure", "list").stdout
    assert "better, by at least the minimal important change" in text
    assert "Reed 2024" in text and "Time to retest" in text
    first = listed["scores"][0]["id"]
    assert cli("measure", "delete", str(first)).exit_code == 0
    assert cli("measure", "delete", str(first)).exit_code == 1


def test_bad_measures_are_refused_and_nothing_is_stored(cli: Cli) -> None:
    for args, words in (
        (("peg", "--pain", "3"), "all three answers"),
        (("peg", "--pain", "3", "--enjoyment", "11", "--general", "1"), "between 0 and 10"),
        (("walk", "--minutes", "31"), "0 to 30 min"),
        (("psfs",), "at least one activity"),
        (("psfs", "--activity", "Running"), "not an activity with a rating"),
        (("recorded", "--score", "22"), "name of its questionnaire"),
        (("oswestry", "--score", "22"), "not an outcome measure"),
        (("pain", "--score", "3", "--on", str(date.today() + timedelta(days=2))), "in the future"),
    ):
        result = cli("measure", "add", *args)
        assert result.exit_code != 0, args
        assert words in result.stderr, (args, result.stderr)
    assert cli("measure", "list", "--json").json()["scores"] == []


def tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def test_migration_0010_creates_and_drops_its_tables(tmp_path: Path, db_backend: DbBackend) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="m.sqlite3", empty=True))
    new = {"original_files", "outcome_measures", "report_notes"}
    assert new <= tables(store)
    cfg = _alembic_config(store.engine)
    command.downgrade(cfg, "0009")
    assert current_revision(store.engine) == "0009" and not new & tables(store)
    command.upgrade(cfg, "head")
    assert new <= tables(store)
    store.dispose()
