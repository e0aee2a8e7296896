"""Web fixtures: an in-process app for TestClient, a real uvicorn server, and chromium."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.config import Settings, get_settings
from backstride.services.context import App
from backstride.web.app import create_app
from tests.databases import DbBackend
from tests.web.synthetic import add_history

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
HISTORY_END = date(2026, 3, 15)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def make_settings(root: Path, *, db: str, **overrides: Any) -> Settings:
    """Settings on the database ``db`` (from the ``db_url`` or ``db_backend`` fixtures, so that
    the test runs on every chosen engine), data in ``root``, never reading the developer's
    config file."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BACKSTRIDE_CONFIG_FILE", str(root / "no-config.toml"))
        return get_settings(db=db, data_dir=str(root / "data"), **overrides)


def sqlite_file(settings: Settings) -> Path:
    """The SQLite file behind ``settings`` (given as a path or as a ``sqlite:///`` URL)."""
    return Path(settings.database_url.removeprefix("sqlite:///"))


def seed(settings: Settings, *, count: int = 12, years: float = 0.25) -> None:
    """Store ``count`` synthetic activities ending on HISTORY_END."""
    app = App(settings)
    try:
        add_history(app, end=HISTORY_END, count=count, years=years, sample_s=5.0)
    finally:
        app.close()


@pytest.fixture
def web_settings(tmp_path: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, db=db_url)


@pytest.fixture
def web_app(web_settings: Settings) -> Iterator[FastAPI]:
    application = create_app(web_settings, allowed_hosts=["testserver", "127.0.0.1"])
    yield application
    application.state.web.app.close()


@pytest.fixture
def client(web_app: FastAPI) -> TestClient:
    return TestClient(web_app, raise_server_exceptions=False)


@pytest.fixture
def seeded_client(web_settings: Settings) -> Iterator[TestClient]:
    seed(web_settings)
    application = create_app(web_settings, allowed_hosts=["testserver", "127.0.0.1"])
    yield TestClient(application, raise_server_exceptions=False)
    application.state.web.app.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(settings: Settings) -> LiveServer:
    """Run the dashboard under uvicorn on a free loopback port, in a thread."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="backstride-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", settings, server, thread)


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, db_backend: DbBackend
) -> Iterator[LiveServer]:
    """A real server on a temp database holding a few weeks of synthetic runs."""
    root = tmp_path_factory.mktemp("live")
    settings = make_settings(root, db=db_backend.new_url(root, filename="web.sqlite3"))
    seed(settings)
    server = start_server(settings)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"chromium not installed at {CHROMIUM} (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageProbe:
    """A browser page that records console errors, page errors and failed requests."""

    page: Any
    base_url: str
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path, wait_until="networkidle")
        assert response is not None, path
        return response

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=full_page)
        return target

    def assert_clean(self) -> None:
        assert self.errors == [], "\n".join(self.errors)


def _probe(context: Any, base_url: str) -> PageProbe:
    page = context.new_page()
    probe = PageProbe(page=page, base_url=base_url)

    def on_console(msg: Any) -> None:
        if msg.type in ("error", "assert"):
            probe.errors.append(f"console {msg.type}: {msg.text} @ {page.url}")
        elif msg.type == "warning" and "Content Security Policy" in msg.text:
            probe.errors.append(f"console warning: {msg.text} @ {page.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: probe.errors.append(f"page error: {exc} @ {page.url}"))

    def on_failed(request: Any) -> None:
        # ERR_ABORTED is the browser cancelling a request because the page moved on (a
        # favicon still loading when the test navigates), not a failure of the server.
        if "ERR_ABORTED" not in str(request.failure):
            probe.errors.append(f"request failed: {request.url} {request.failure}")

    page.on("requestfailed", on_failed)
    return probe


@pytest.fixture
def desktop(browser: Any, live_server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield _probe(context, live_server.url)
    context.close()


@pytest.fixture
def phone(browser: Any, live_server: LiveServer) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield _probe(context, live_server.url)
    context.close()


@pytest.fixture
def csrf_token() -> Callable[[TestClient, str], str]:
    """Fetch a page and return the form token it carries (the cookie lands in the client)."""
    import re

    def get(client: TestClient, path: str = "/import") -> str:
        page = client.get(path)
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
        assert found, "no csrf token on " + path
        return found.group(1)

    return get
