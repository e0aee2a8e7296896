"""Who can reach the dashboard: this computer's names only, and writes from this origin only.

The DNS-rebinding request of the reliability review: a page on ``evil.example`` whose name
now points at 127.0.0.1 sends ``Host: evil.example:8812`` and a matching ``Origin``. It must
be refused whatever address the settings name, and an ``https://`` Origin for the
``http://`` dashboard (or another port) must not pass as the same origin either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.config import Settings
from backstride.errors import ConfigError
from backstride.services.activities import get_activity_summary, list_activities
from backstride.services.context import App
from backstride.web.security import (
    LOOPBACK_HOSTS,
    allowed_hosts_for,
    is_loopback,
    origin_of,
    origin_of_header,
    require_loopback,
)
from tests.databases import DbBackend
from tests.web.conftest import LiveServer, make_settings, seed, start_server


def _first(settings: Settings) -> tuple[int, str | None]:
    app = App(settings)
    try:
        row = list_activities(app, limit=1)[0]
        return row.id, get_activity_summary(app, row.id).notes
    finally:
        app.close()


@pytest.fixture(scope="module")
def server_told_every_interface(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[LiveServer]:
    """A real server whose settings say 0.0.0.0 (as a worker process would read them)."""
    root = tmp_path_factory.mktemp("reach")
    settings = make_settings(root, db=db_backend.new_url(root), host="0.0.0.0")
    seed(settings, count=3)
    server = start_server(settings)
    yield server
    server.stop()


def test_the_dns_rebinding_request_is_refused(server_told_every_interface: LiveServer) -> None:
    server = server_told_every_interface
    activity_id, notes_before = _first(server.settings)
    port = server.url.rsplit(":", 1)[1]
    response = httpx.patch(
        f"{server.url}/api/activities/{activity_id}",
        headers={
            "Host": f"evil.example:{port}",
            "Origin": f"http://evil.example:{port}",
            "Content-Type": "application/json",
        },
        content=b'{"notes":"x"}',
    )
    assert response.status_code == 400
    assert _first(server.settings) == (activity_id, notes_before)
    # A read is refused too: the hostile page cannot see the data either.
    read = httpx.get(f"{server.url}/api/activities", headers={"Host": f"evil.example:{port}"})
    assert read.status_code == 400 and "activities" not in read.text


@pytest.mark.parametrize(
    "origin",
    [
        "https://127.0.0.1:{port}",  # another scheme
        "http://127.0.0.1:1",  # another port
        "http://127.0.0.1",  # the default port is another port
        "http://localhost:{port}",  # another host name, though the same computer
        "null",
        "http://127.0.0.1:{port}@evil.example",
    ],
)
def test_a_write_from_another_origin_is_refused(
    server_told_every_interface: LiveServer, origin: str
) -> None:
    server = server_told_every_interface
    activity_id, notes_before = _first(server.settings)
    port = server.url.rsplit(":", 1)[1]
    response = httpx.patch(
        f"{server.url}/api/activities/{activity_id}",
        headers={"Origin": origin.format(port=port)},
        json={"notes": "forged"},
    )
    assert response.status_code == 403
    assert "sent from another site" in response.json()["error"]["message"]
    assert _first(server.settings) == (activity_id, notes_before)


def test_a_write_from_the_dashboard_itself_is_accepted(
    server_told_every_interface: LiveServer,
) -> None:
    server = server_told_every_interface
    activity_id, _ = _first(server.settings)
    response = httpx.patch(
        f"{server.url}/api/activities/{activity_id}",
        headers={"Origin": server.url},
        json={"notes": "same origin"},
    )
    assert response.status_code == 200
    assert _first(server.settings) == (activity_id, "same origin")


def test_hosts_never_include_every_name() -> None:
    for bind in ("0.0.0.0", "::", "", "192.168.1.20", "127.0.0.1"):
        hosts = allowed_hosts_for(bind)
        assert "*" not in hosts
        assert set(LOOPBACK_HOSTS) <= set(hosts)
        assert all(is_loopback(h) for h in hosts)
    assert "127.0.0.2" in allowed_hosts_for("127.0.0.2")
    assert "[::1]" in allowed_hosts_for("::1")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("my-laptop.local", False),
        ("", False),
    ],
)
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    if loopback:
        require_loopback(host)
    else:
        with pytest.raises(ConfigError) as refused:
            require_loopback(host)
        assert refused.value.exit_code == 2


@given(
    st.sampled_from(["http", "https"]),
    st.sampled_from(["127.0.0.1", "localhost", "[::1]", "evil.example"]),
    st.one_of(st.none(), st.integers(min_value=1, max_value=65535)),
)
def test_an_origin_header_and_its_host_header_agree(
    scheme: str, host: str, port: int | None
) -> None:
    netloc = host if port is None else f"{host}:{port}"
    origin = origin_of_header(f"{scheme}://{netloc}")
    assert origin is not None
    assert origin == origin_of(scheme, netloc)
    assert origin[2] == (port if port is not None else {"http": 80, "https": 443}[scheme])
    other = "https" if scheme == "http" else "http"
    assert origin_of_header(f"{other}://{netloc}") != origin_of(scheme, netloc)


def test_the_default_app_answers_only_to_this_computer(tmp_path: Path, db_url: str) -> None:
    from fastapi.testclient import TestClient

    from backstride.web.app import create_app

    application = create_app(make_settings(tmp_path, db=db_url, host="0.0.0.0"))
    try:
        with TestClient(application, base_url="http://127.0.0.1:8765") as client:
            assert client.get("/").status_code == 200
            assert client.get("/", headers={"Host": "[::1]:8765"}).status_code == 200
            for host in ("evil.example:8765", "192.168.1.20:8765", "0.0.0.0:8765", "[::2]"):
                assert client.get("/", headers={"Host": host}).status_code == 400, host
    finally:
        application.state.web.app.close()
