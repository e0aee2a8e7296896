"""The app's pure ASGI middleware act on HTTP requests only (web/asgi.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from backstride.web.asgi import HttpMiddleware


class _Marks(HttpMiddleware):
    async def handle(self, scope: Any, receive: Any, send: Any) -> None:
        scope["marked"] = True
        await self.app(scope, receive, send)


def _through(scope_type: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.update(scope)

    async def receive() -> Any:
        return {}

    async def send(message: Any) -> None:
        return None

    asyncio.run(_Marks(app)({"type": scope_type}, receive, send))
    return seen


def test_http_requests_go_through_handle() -> None:
    assert _through("http") == {"type": "http", "marked": True}


def test_lifespan_and_websocket_events_pass_straight_to_the_app() -> None:
    assert _through("lifespan") == {"type": "lifespan"}
    assert _through("websocket") == {"type": "websocket"}
