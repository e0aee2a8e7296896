"""``backstride worker``: refuses clearly where there is no queue (the local mode)."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import CliResult


def test_worker_without_the_server_mode_is_a_usage_mistake(cli: Callable[..., CliResult]) -> None:
    result = cli("worker", "--until-done")
    assert result.exit_code == 2
    assert "Background jobs run only in server mode on PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr
