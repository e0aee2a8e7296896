"""The test harness's own shortcuts (tests/conftest.py) keep each test's meaning: compiled
templates are shared only between environments configured alike, and the command line built
once per process answers as a new one does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
import pytest
import typer.main

SOURCE = "{% if true %}\n  x\n{% endif %}\n"


def _env(**options: Any) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader({"t.html": SOURCE}), **options)


def test_environments_configured_alike_share_compiled_templates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = _env(), _env()
    assert first.bytecode_cache is not None and first.bytecode_cache is second.bytecode_cache
    expected = first.get_template("t.html").render()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled again")

    monkeypatch.setattr(second, "compile", refuse)
    assert second.get_template("t.html").render() == expected


def test_an_environment_configured_otherwise_compiles_its_own() -> None:
    plain = _env().get_template("t.html").render()
    trimmed = _env(trim_blocks=True, lstrip_blocks=True).get_template("t.html").render()
    assert plain == "\n  x\n"
    assert trimmed == "  x\n"
    assert _env().get_template("t.html").render() == plain


def test_the_command_line_built_once_answers_as_a_new_one(cli: Callable[..., Any]) -> None:
    from backstride.cli.commands import app

    first = cli("--help")
    second = cli("--help")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout and "Usage" in first.stdout
    assert typer.main.get_command(app) is typer.main.get_command(app)  # built once
    bad = cli("no-such-command")
    assert bad.exit_code == 2 and cli("no-such-command").stderr == bad.stderr


def test_the_row_helpers_see_every_committed_change_and_each_replaced_database(
    tmp_path: Any, db_backend: Any
) -> None:
    """``count_rows`` and ``dump`` read PostgreSQL through one kept engine per database
    (tests/databases.py): each read still sees what was committed before it, a database
    replaced by a copy is read afresh, and a dropped one's engine is let go."""
    from sqlalchemy import create_engine, text

    from tests import databases
    from tests.databases import DbBackend, count_rows, dump

    backend = DbBackend(db_backend.name)
    url = backend.new_url(tmp_path)
    writer = create_engine(url)
    add = text("INSERT INTO athletes (name, created_at) VALUES (:n, CURRENT_TIMESTAMP)")
    try:
        assert count_rows(url, "athletes") == 0
        with writer.begin() as conn:
            conn.execute(add, {"n": "Anna"})
        assert count_rows(url, "athletes") == 1
        writer.dispose()  # a copy is taken of a database nobody is connected to
        kept = backend.keep_copy(url, tmp_path)
        with writer.begin() as conn:
            conn.execute(add, {"n": "Ben"})
        assert [line.split(", ")[1] for line in dump(url, ("athletes",))] == ["'Anna'", "'Ben'"]
        writer.dispose()
        backend.restore(kept, url)
        assert count_rows(url, "athletes") == 1
    finally:
        writer.dispose()
        backend.cleanup()
    assert url not in databases._readers


def test_the_tests_cluster_lives_in_memory_only_with_room_to_spare(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pg_cluster  # tools/, on the path through tests.databases

    monkeypatch.setattr(pg_cluster, "MEMORY_FOLDER", tmp_path)
    assert pg_cluster._folder(in_memory=True) == str(tmp_path)
    assert pg_cluster._folder(in_memory=False) is None
    # A container's small /dev/shm (64 MB by default) would run out mid-run: the disk then.
    free = pg_cluster.shutil.disk_usage(tmp_path).free
    monkeypatch.setattr(pg_cluster, "MEMORY_NEEDED", free + (1 << 40))
    assert pg_cluster._folder(in_memory=True) is None
    monkeypatch.setattr(pg_cluster, "MEMORY_FOLDER", tmp_path / "none")
    monkeypatch.setattr(pg_cluster, "MEMORY_NEEDED", 0)
    assert pg_cluster._folder(in_memory=True) is None
