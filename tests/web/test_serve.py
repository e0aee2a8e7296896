"""``backstride serve``: loopback only (no login yet), workers share one key."""

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


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "evil.example"])
def test_serve_refuses_an_address_beyond_this_computer(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]], host: str
) -> None:
    result = cli("serve", "--host", host, "--port", "9000")
    assert result.exit_code == 2
    assert runs == []
    assert f"will not listen on {host}" in result.stderr
    assert "no login" in result.stderr and "127.0.0.1" in result.stderr


def test_serve_refuses_a_network_host_from_the_environment(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_HOST", "0.0.0.0")
    result = cli("serve", "--port", "8812")
    assert result.exit_code == 2
    assert runs == []
    assert "will not listen on 0.0.0.0" in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_serve_binds_to_any_loopback_address(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]], host: str
) -> None:
    result = cli("serve", "--host", host)
    assert result.exit_code == 0, result.stderr
    assert runs[0][1]["host"] == host


def test_serve_with_workers_shares_database_and_form_key(
    cli: Runner,
    runs: list[tuple[Any, dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
) -> None:
    for key in ("BACKSTRIDE_DB", "BACKSTRIDE_SECRET_KEY", "BACKSTRIDE_HOST", "BACKSTRIDE_PORT"):
        monkeypatch.setenv(key, "")  # recorded, so serve's values are undone afterwards
        monkeypatch.delenv(key)
    result = cli("serve", "--workers", "2")
    assert result.exit_code == 0, result.stderr
    target, options = runs[0]
    assert target == "backstride.web.app:create_app_from_environment"
    assert options["factory"] is True and options["workers"] == 2
    assert os.environ["BACKSTRIDE_DB"] == db_url
    assert len(os.environ["BACKSTRIDE_SECRET_KEY"]) == 64

    from backstride.web.app import create_app_from_environment

    application = create_app_from_environment()
    try:
        assert application.state.web.settings.database_url == os.environ["BACKSTRIDE_DB"]
    finally:
        application.state.web.app.close()


def test_serve_trusts_a_local_proxy_only_when_asked(
    cli: Runner, runs: list[tuple[Any, dict[str, Any]]]
) -> None:
    assert cli("serve").exit_code == 0
    assert runs[-1][1]["proxy_headers"] is False
    result = cli("serve", "--proxy-headers", "--workers", "2")
    assert result.exit_code == 0, result.stderr
    options = runs[-1][1]
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == "127.0.0.1"
    assert options["workers"] == 2
