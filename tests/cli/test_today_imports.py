"""What a first ``backstride today`` after a change loads (issue 14, a fast command line): on
an SQLite file it reads with ``sqlite3`` alone, so neither SQLAlchemy nor Alembic is
imported, and it prints what the reference path prints. Anything that must write (a new
database, a runner not yet created, an analysis to compute) still goes through the store.

Neither does it load pydantic (Typer builds its validators only for options that need them:
``cli/root.py``), numpy (the load report in plain Python: ``domain/quick_load.py``) nor any
other command's module (the command line that answers ``today`` has only the root and
``today``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.sqlite_only

HEAVY = ("sqlalchemy", "alembic", "pydantic_settings", "pydantic", "numpy")
#: The only modules of ``backstride.cli`` that ``today`` needs.
CLI_MODULES = {
    "backstride.cli",
    "backstride.cli.common",
    "backstride.cli.root",
    "backstride.cli.today",
    "backstride.cli.usage",
}

_PROBE = """
import atexit, json, sys
out, argv = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["backstride", *argv]
from backstride.cli import main
main()
"""


def _today(tmp_path: Path, db: Path, *args: str) -> tuple[str, set[str]]:
    """``backstride --db DB today ARGS`` in a new process with nothing kept from an earlier
    call; its output and the modules it had loaded at exit."""
    modules = tmp_path / "modules.json"
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "fresh-cache"),
        "COLUMNS": "80",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(modules), "--db", str(db), "today", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(modules.read_text()))


def _loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_a_first_today_after_a_change_reads_without_sqlalchemy(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    db = tmp_path / "runner.sqlite3"
    for args in (
        ("log", "--sport", "run", "--on", "2024-05-10", "--duration", "30m"),
        ("pain", "add", "--on", "2024-05-11", "--when", "next-morning", "--score", "3"),
    ):
        assert cli(*args, db=str(db)).exit_code == 0
    expected = cli("today", "--on", "2024-05-12", db=str(db))
    shown, modules = _today(tmp_path, db, "--on", "2024-05-12")
    loaded = [p for p in HEAVY if _loaded(modules, p)]
    assert loaded == [], f"the first today after a change loaded {loaded}"
    cli_modules = {m for m in modules if _loaded({m}, "backstride.cli")}
    assert cli_modules == CLI_MODULES, "today loaded other commands' modules"
    assert "backstride.domain.quick_load" in modules
    assert "backstride.adapters.db.sqlite_reads" in modules
    assert expected.exit_code == 0
    assert " ".join(shown.split()) == " ".join(expected.stdout.split())
    as_json, _ = _today(tmp_path / "json", db, "--on", "2024-05-12", "--json")
    reference = cli("today", "--on", "2024-05-12", "--json", db=str(db))
    assert as_json == reference.stdout
    again, modules = _today(tmp_path, db, "--on", "2024-05-12")  # the first call's cache
    assert again == shown
    assert "backstride.domain.quick_load" not in modules  # the kept answer, not computed
    loaded = [p for p in HEAVY if _loaded(modules, p)]
    assert loaded == [], f"today asked again loaded {loaded}"


def test_a_new_database_is_made_by_the_store_as_before(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    shown, modules = _today(tmp_path, db, "--on", "2024-05-12")
    assert _loaded(modules, "sqlalchemy")  # the store creates and migrates the file
    assert "2024-05-12" in shown
    again, modules = _today(tmp_path / "again", db, "--on", "2024-05-12")
    assert not _loaded(modules, "sqlalchemy") and again == shown
