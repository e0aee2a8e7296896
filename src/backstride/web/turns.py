"""Writes wait for their turn on the event loop, not on the request thread.

See :mod:`backstride.adapters.db.write_turn`: while another process holds SQLite's write lock
(an import writing a batch, about a tenth of a second at a time), a request that will write
awaits here, asking every few milliseconds, so the one request thread keeps answering the
others meanwhile. After :data:`WRITE_TURN_WAIT_S` the request goes ahead anyway and SQLite's
own wait (``busy_timeout``) takes over, as before.
"""

from __future__ import annotations

import time

import anyio
from fastapi import Request

from backstride.services.context import WriteTurnProbe

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_TURN_WAIT_S = 2.0
WRITE_TURN_POLL_S = 0.004


async def await_write_turn(request: Request) -> None:
    """App-wide dependency: unsafe methods wait until the database's write lock is free."""
    if request.method in SAFE_METHODS:
        return
    probe: WriteTurnProbe | None = getattr(request.app.state, "write_turn", None)
    skip: tuple[str, ...] = getattr(request.app.state, "write_turn_skip", ())
    if probe is None or request.url.path in skip:
        return
    deadline = time.monotonic() + WRITE_TURN_WAIT_S
    while not probe.is_free() and time.monotonic() < deadline:
        await anyio.sleep(WRITE_TURN_POLL_S)
