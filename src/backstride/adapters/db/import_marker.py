"""``backstride import`` tells a dashboard serving the same SQLite file that it runs.

While ``backstride import`` runs, a dashboard serving the same file keeps to a share of the
CPU (:mod:`backstride.web.cpu_share`). The import holds a shared lock (``flock``) on a file
beside the database, ``<database>-import``, from its start (an archive's import reads and
parses for seconds before its first write) to its end; the dashboard sees the lock held
(:func:`import_running`). Its own writes, however many, never count as an import. The lock
ends with the process, however it ends (a kill too): a file left behind by a killed import is
not taken for a running one. The last import to end removes the file.

Where ``flock`` is missing (not a POSIX system) or the folder cannot be written, nothing is
announced, and the dashboard answers without a share, as it did before.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None  # type: ignore[assignment]

SUFFIX = "-import"


def sqlite_file_of(database_url: str) -> Path | None:
    """The file of an SQLite ``database_url`` as SQLAlchemy reads it (``sqlite:///relative``,
    ``sqlite:////absolute``, with or without a driver or a query); None for another database or
    one in memory. Without SQLAlchemy: an import announces itself before it loads it."""
    scheme, sep, rest = database_url.partition("://")
    if not sep or scheme.split("+")[0] != "sqlite" or not rest.startswith("/"):
        return None
    name = rest[1:].partition("?")[0]
    if name in ("", ":memory:"):
        return None
    return Path(name)


def marker_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


@contextmanager
def announce_import(database: Path | None) -> Iterator[None]:
    """Hold the marker of ``database`` (an SQLite file; None: nothing to announce) while the
    block runs."""
    if database is None or fcntl is None:
        yield
        return
    path = marker_path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:  # a read-only folder: the store will say what is wrong
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        try:  # the last import to end (no other holds the marker) removes it
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path.unlink(missing_ok=True)
        except OSError:
            pass
        os.close(fd)


def import_running(database: Path) -> bool:
    """Whether a process holds ``database``'s marker (an import runs)."""
    if fcntl is None:
        return False
    try:
        fd = os.open(marker_path(database), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # and with it the lock just taken, if it was
    return False


class ImportWatch:
    """Whether an import runs into ``database``, asked at most every ``every_s`` seconds
    (a request asks on each; the answer a moment old is as good)."""

    def __init__(self, database: Path, *, every_s: float = 0.25) -> None:
        self.database = database
        self._every_s = every_s
        self._asked = -float("inf")
        self._running = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if now - self._asked >= self._every_s:
            self._asked = now
            self._running = import_running(self.database)
        return self._running
