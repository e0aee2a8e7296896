"""How ``backstride serve`` runs uvicorn: its HTTP protocol with ``TCP_NODELAY`` on every
connection, and the garbage collector's view of what the server holds for its whole life.

With ``--workers N`` uvicorn binds the listening socket itself as ``socket.socket(family)``,
whose ``proto`` is 0, so asyncio's transport skips ``TCP_NODELAY`` (it sets it only on
``IPPROTO_TCP`` sockets). A response then goes out in two writes (headers, body) and the
second waits for the client's delayed ACK: about 40 ms added to every small answer. This
protocol sets the option itself; with one process it is already set and this changes nothing.
"""

from __future__ import annotations

import asyncio
import gc
import socket
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

HTTP_PROTOCOL = "backstride.web.serving:NoDelayHTTPProtocol"
"""The import string for uvicorn's ``http`` option (worker processes import it by name)."""


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Send small writes at once (no Nagle delay) on a TCP connection."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not a TCP socket after all, or already closed
        return


def _connection_made(self: Any, transport: asyncio.Transport) -> None:
    set_nodelay(transport)
    AutoHTTPProtocol.connection_made(self, transport)


# uvicorn's own choice of parser (httptools when installed, else h11), plus TCP_NODELAY.
NoDelayHTTPProtocol: type[asyncio.Protocol] = type(
    "NoDelayHTTPProtocol",
    (AutoHTTPProtocol,),
    {"connection_made": _connection_made, "__module__": __name__},
)


def freeze_startup_objects() -> None:
    """Collect once, then leave everything alive now (modules, templates, the app, the
    database engine) out of the cyclic garbage collector's full collections (``gc.freeze``).

    A server process holds a few hundred thousand such objects; each full collection walked
    them all, a pause of 100-200 ms for every request in flight on this project's machine.
    Afterwards it walks only what requests create and the memos keep (a few ms). Call it once
    the app is built, in the server process only.
    """
    gc.collect()
    gc.freeze()
