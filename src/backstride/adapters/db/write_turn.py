"""Is SQLite's write lock free right now? A probe that never waits.

The dashboard answers requests on one thread (``web.app.REQUEST_THREADS``). A write that
starts while another process holds the write lock (a ``backstride import`` writing a batch)
would wait for it on that thread, and every request behind it would wait too. The web layer
instead awaits its turn on the event loop, asking this probe every few milliseconds, and only
then hands the write to the request thread; the importer leaves the lock free for a moment
after each batch, so the write then gets it at once.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class WriteTurnProbe:
    """Tries ``BEGIN IMMEDIATE`` without waiting and rolls back at once.

    One probe per process and database; it keeps one connection of its own. Databases that
    are not SQLite files always answer "free" (their servers queue writers themselves).
    """

    def __init__(self, url: str) -> None:
        self._path: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        try:
            parsed = make_url(url)
        except ArgumentError:
            return
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            self._path = parsed.database

    def is_free(self) -> bool:
        """Whether a write could start now; never blocks (at most microseconds)."""
        if self._path is None:
            return True
        with self._lock:
            try:
                if self._conn is None:
                    # mode=rw: never creates the file (a removed database stays removed)
                    self._conn = sqlite3.connect(
                        Path(self._path).absolute().as_uri() + "?mode=rw",
                        uri=True,
                        timeout=0,
                        isolation_level=None,
                        check_same_thread=False,
                    )
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                # Locked: not yet. Anything else (a missing or broken file): go ahead, and
                # let the write itself report it.
                return "locked" not in str(exc) and "busy" not in str(exc)
            self._conn.execute("ROLLBACK")
            return True

    def close(self) -> None:
        if self._path is None:
            return
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
