"""What the app's own pure ASGI middleware share (pure: the body streams through untouched,
unlike Starlette's ``BaseHTTPMiddleware``)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

# The methods that may change data: they are checked for forgery and drop the cached answers.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class HttpMiddleware:
    """Acts on HTTP requests only, in :meth:`handle`; lifespan and websocket events go
    straight to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP request."""
        raise NotImplementedError
