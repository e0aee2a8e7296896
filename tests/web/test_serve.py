"""``backstride serve``: loopback by default, a warning otherwise, workers share one key."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import uvicorn

from tests.conftest import CliResult

Runner = Callable[..., CliResult]


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


def test_serve_binds_to_loopback_by_default(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]]
) -> None:
    result = cli("serve")
    assert result.exit_code == 0, result.stderr
    app, options = runs[0]
    assert options["host"] == "127.0.0.1" and options["port"] == 8765
    assert "http://127.0.0.1:8765" in result.stdout
    assert "Warning" not in result.stderr
    assert app.title == "backstride"


def test_serve_warns_when_reachable_from_the_network(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]]
) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "9000")
    assert result.exit_code == 0
    assert runs[0][1]["host"] == "0.0.0.0" and runs[0][1]["port"] == 9000
    assert "has no login" in result.stderr


def test_serve_with_workers_shares_database_and_form_key(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("BACKSTRIDE_DB", "BACKSTRIDE_SECRET_KEY", "BACKSTRIDE_HOST", "BACKSTRIDE_PORT"):
        monkeypatch.setenv(key, "")  # recorded, so serve's values are undone afterwards
        monkeypatch.delenv(key)
    result = cli("serve", "--workers", "2")
    assert result.exit_code == 0, result.stderr
    target, options = runs[0]
    assert target == "backstride.web.app:create_app_from_environment"
    assert options["factory"] is True and options["workers"] == 2
    assert os.environ["BACKSTRIDE_DB"].startswith("sqlite:///")
    assert len(os.environ["BACKSTRIDE_SECRET_KEY"]) == 64

    from backstride.web.app import create_app_from_environment

    application = create_app_from_environment()
    try:
        assert application.state.web.settings.database_url == os.environ["BACKSTRIDE_DB"]
    finally:
        application.state.web.app.close()
