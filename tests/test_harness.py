"""The test harness's own shortcuts (tests/conftest.py) keep each test's meaning: compiled
templates are shared only between environments configured alike, and the command line built
once per process answers as a new one does; FastAPI's route parts are made once per input
only (tests/routes_once.py)."""

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


def _app() -> Any:
    from fastapi import FastAPI, Query
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/low")
    def low(n: int = Query(ge=0, le=10)) -> dict[str, int]:
        return {"n": n}

    @app.get("/high")
    def high(n: int = Query(ge=100)) -> dict[str, int]:
        return {"n": n}

    @app.get("/name")
    def name(n: str = Query(min_length=2)) -> dict[str, str]:
        return {"n": n}

    return TestClient(app)


def test_fastapi_field_adapters_are_made_once_per_field_alike() -> None:
    from fastapi._compat import v2

    first, second = (v2.ModelField(name="n", field_info=_info(int)) for _ in range(2))
    assert first._type_adapter is second._type_adapter  # made once
    other = v2.ModelField(name="n", field_info=_info(int, ge=0))
    assert other._type_adapter is not first._type_adapter
    assert (
        other._type_adapter
        is not v2.ModelField(name="n", field_info=_info(int, ge=1))._type_adapter
    )
    assert v2.ModelField(name="n", field_info=_info(str))._type_adapter is not first._type_adapter


def _info(annotation: Any, **constraints: Any) -> Any:
    from pydantic.fields import FieldInfo

    return (
        FieldInfo.from_annotation(annotation)
        if not constraints
        else FieldInfo(annotation=annotation, **constraints)
    )


def test_apps_built_from_parts_made_once_check_each_route_s_own_constraints() -> None:
    for _ in range(2):  # the second app's routes are built from the first's parts
        client = _app()
        assert client.get("/low?n=3").json() == {"n": 3}
        assert client.get("/low?n=11").status_code == 422
        assert client.get("/high?n=3").status_code == 422
        assert client.get("/high?n=100").json() == {"n": 100}
        assert client.get("/name?n=x").status_code == 422
        assert client.get("/name?n=xy").json() == {"n": "xy"}


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
