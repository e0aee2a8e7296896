"""Writes wait for their turn on the event loop, not on the request thread.

See :mod:`backstride.adapters.db.write_turn`: while another process holds SQLite's write lock
(an import writing a batch, about a tenth of a second at a time), a request that will write
awaits here, asking every few milliseconds, so the one request thread keeps answering the
others meanwhile. After :data:`WRITE_TURN_WAIT_S` the request goes ahead anyway and SQLite's
own wait (``busy_timeout``) takes over, as before.

A route that first reads and computes, and only then may write (an activity edit, which
writes nothing when it changes nothing), awaits its turn itself once it knows it will write
(:func:`awaits_own_write_turn`, :func:`write_turn`): its reading part does not wait for an
import's batch, and an edit that changes nothing never waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import Request

from backstride.services.context import WriteTurnProbe

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_TURN_WAIT_S = 2.0
WRITE_TURN_POLL_S = 0.004
_OWN_TURN = "_awaits_own_write_turn"

F = TypeVar("F", bound=Callable[..., Any])


def awaits_own_write_turn(endpoint: F) -> F:
    """Mark a route's endpoint (a coroutine) that awaits :func:`write_turn` itself, right
    before it writes, instead of before it starts."""
    setattr(endpoint, _OWN_TURN, True)
    return endpoint


async def await_write_turn(request: Request) -> None:
    """App-wide dependency: unsafe methods wait until the database's write lock is free
    (unless their route awaits its turn itself)."""
    if request.method in SAFE_METHODS:
        return
    route = request.scope.get("route")
    if getattr(getattr(route, "endpoint", None), _OWN_TURN, False):
        return
    await write_turn(request)


async def write_turn(request: Request) -> None:
    """Wait (on the event loop) until the database's write lock is free, at most
    :data:`WRITE_TURN_WAIT_S`."""
    probe: WriteTurnProbe | None = getattr(request.app.state, "write_turn", None)
    skip: tuple[str, ...] = getattr(request.app.state, "write_turn_skip", ())
    if probe is None or request.url.path in skip:
        return
    deadline = time.monotonic() + WRITE_TURN_WAIT_S
    while not probe.is_free() and time.monotonic() < deadline:
        await anyio.sleep(WRITE_TURN_POLL_S)
