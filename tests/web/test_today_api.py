"""``GET /api/today`` answers what ``backstride today --json`` answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from backstride.services.context import App
from backstride.web.app import create_app


def test_api_today_matches_the_cli(app: App, cli: Callable[..., Any]) -> None:
    for day in ("2024-03-01", "2024-03-04"):
        assert (
            cli(
                "log", "--on", day, "--sport", "run", "--duration", "30m", "--distance", "5km"
            ).exit_code
            == 0
        )
    assert (
        cli(
            "log", "--on", "2024-03-06", "--sport", "run", "--duration", "50m", "--distance", "8km"
        ).exit_code
        == 0
    )
    expected = cli("today", "--on", "2024-03-07", "--json").json()
    client = TestClient(create_app(app.settings), base_url="http://127.0.0.1")
    got = client.get("/api/today", params={"on": "2024-03-07"})
    assert got.status_code == 200
    body = got.json()
    assert body["decision"] == expected["decision"]
    assert [f["id"] for f in body["findings"]] == [f["id"] for f in expected["findings"]]
    assert "load.single_run_spike" in [f["id"] for f in body["findings"]]
    assert client.get("/api/today", params={"on": "1800-01-01"}).status_code == 422
