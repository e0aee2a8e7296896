"""``backstride db upgrade`` and ``config show`` for a server database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.databases import DbBackend

Cli = Callable[..., Any]


def test_db_upgrade_migrates_an_empty_database_once(
    cli: Cli, db_backend: DbBackend, tmp_path: Path
) -> None:
    url = db_backend.new_url(tmp_path, filename="empty.sqlite3", empty=True)
    first = cli("db", "upgrade", "--json", db=url)
    assert first.exit_code == 0, first.stderr
    assert first.json()["before"] is None and first.json()["migrated"] is True
    head = first.json()["after"]
    again = cli("db", "upgrade", db=url)
    assert again.exit_code == 0, again.stderr
    assert f"is up to date (revision {head})" in again.stdout


def test_config_show_never_prints_the_database_password(cli: Cli) -> None:
    url = "postgresql+psycopg://coach:s3cret-pw@127.0.0.1:5432/club"
    for args in (("config", "show", "--json"), ("config", "show")):
        result = cli(*args, db=url)
        assert result.exit_code == 0, result.stderr
        assert "s3cret-pw" not in result.stdout
        assert "coach:***@127.0.0.1" in result.stdout
