"""One connection and one transaction for the reads of a request's work (a server database).

A page asks the services for many things, and each service reads in a unit of work of its
own (:meth:`~backstride.adapters.db.engine.Store.read_session`). On PostgreSQL every unit of
work costs round trips beyond its statements: checking the pooled connection out (and
pinging it), ``BEGIN``, setting the athlete for row-level security, ``COMMIT``. An uncached
Today page read in ten such units.

While a :class:`RequestReads` is in force (:data:`REQUEST_READS`;
:func:`~backstride.adapters.db.engine.shared_reads`), the read-only units of work of the same
store and athlete share one session: its transaction begins at the first read and ends with
the block (:meth:`close`). The web layer opens one such block around each piece of a
request's work that runs on a request thread (the login and access checks; a page's
handler), never across a wait for a thread: a connection held by a request waiting for a
thread, while every thread waits for a connection, would stall the process. PostgreSQL's
default isolation (read committed) gives each statement the data committed before it, so a
read after a write of the same request (in its own unit of work, committed as before) sees
that write, as it did with a new transaction.

Each unit of work leaves the session as a closed one would: its objects are detached (a
later read of the same row is read afresh, not taken from the session's identity map), and
a unit whose statement fails rolls the transaction back (``Store.read_session``; the next
read begins a new one); an error of the application's own raised inside a unit (nothing
found) leaves the read transaction as it is. Another thread of the same request reading
meanwhile gets a unit of work of its own, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.orm import Session

REQUEST_READS: ContextVar[RequestReads | None] = ContextVar(
    "backstride_request_reads", default=None
)


class _Held:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.lock = threading.RLock()  # a unit of work inside another, on the same thread
        self.depth = 0


class RequestReads:
    """The shared read sessions of one request, one per store and athlete (see the module)."""

    def __init__(self) -> None:
        self._held: dict[Hashable, _Held] = {}
        self._lock = threading.Lock()
        self._closed = False

    @property
    def used(self) -> bool:
        return bool(self._held)

    def _take(self, key: Hashable, new_session: Callable[[], Session]) -> _Held | None:
        with self._lock:
            if self._closed:
                return None
            held = self._held.get(key)
            if held is None:
                held = self._held[key] = _Held(new_session())
        if not held.lock.acquire(blocking=False):
            return None  # another thread of this request is reading in it
        return held

    @contextmanager
    def session(
        self, key: Hashable, new_session: Callable[[], Session]
    ) -> Iterator[Session | None]:
        """The shared session for ``key`` (made by ``new_session`` at first use); None when
        it cannot be shared now (the request is over, or another thread is in it)."""
        held = self._take(key, new_session)
        if held is None:
            yield None
            return
        held.depth += 1
        try:
            yield held.session
        finally:
            held.depth -= 1
            if held.depth == 0:
                held.session.expunge_all()
            held.lock.release()

    def close(self, finish: Callable[[Session], None]) -> None:
        """End every shared transaction (``finish`` each session, then close it); later
        reads of this request, if any, get units of work of their own."""
        with self._lock:
            self._closed = True
            held, self._held = list(self._held.values()), {}
        for h in held:
            with h.lock:
                try:
                    finish(h.session)
                finally:
                    h.session.close()
