"""A small memo of expensive, read-only service results, dropped whenever the data changes.

The training-load report reads and models the whole history (about 0.1 s for ten years on a
laptop); pages ask for it on every visit. :class:`ResultCache` keeps recent answers while
the data is unchanged, judged by

* a generation counter the dashboard bumps after each of its own writes (edits, imports), and
* for an SQLite database, the size and modification time of the database file and its
  write-ahead log, so a change made meanwhile by the CLI (another process) is noticed too;

and, as a backstop, every entry expires after ``ttl_s`` seconds. One computation per key runs
at a time; concurrent requests for the same key wait for it instead of repeating it.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

T = TypeVar("T")
Version = tuple[int, tuple[tuple[int, int], ...]]


def sqlite_files(database_url: str) -> tuple[Path, ...]:
    """The database file and its write-ahead log, for a file-based SQLite URL; else ()."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return ()
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return ()
    db = Path(url.database or "")
    return (db, db.with_name(db.name + "-wal"))


@dataclass(frozen=True, slots=True)
class _Entry:
    version: Version
    created: float
    value: Any


class ResultCache:
    """Memoises ``compute()`` per key until the data version changes or ``ttl_s`` passes."""

    def __init__(self, database_url: str, *, ttl_s: float = 30.0, max_entries: int = 256) -> None:
        self._files = sqlite_files(database_url)
        self._ttl_s = ttl_s
        self._max = max_entries
        self._generation = 0
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def bump(self) -> None:
        """Forget everything: the dashboard just changed the data."""
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def version(self) -> Version:
        stats: list[tuple[int, int]] = []
        for path in self._files:
            try:
                st = os.stat(path)
                stats.append((st.st_size, st.st_mtime_ns))
            except OSError:
                stats.append((-1, -1))
        return self._generation, tuple(stats)

    def _fresh(self, key: Hashable, version: Version) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.version != version or time.monotonic() - entry.created > self._ttl_s:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            entry = self._fresh(key, self.version())
            if entry is not None:
                return entry.value  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                entry = self._fresh(key, self.version())
                if entry is not None:
                    return entry.value  # type: ignore[no-any-return]
                version = self.version()
            value = compute()
            with self._lock:
                if version == self.version():
                    self._entries[key] = _Entry(version, time.monotonic(), value)
                    while len(self._entries) > self._max:
                        self._entries.popitem(last=False)
                self._key_locks.pop(key, None)
        return value
