"""The costly part of an activity's answers, kept under exactly what it is computed from.

An activity's page and its API answer are built mostly from its samples: its analysis
(``services.training.analyse_stored``) and its charts (``views.activities.activity_charts``).
The result cache (``cache.py``) keeps whole answers only while the database is unchanged,
and while an import keeps writing for at most ``cache.LAG_S``: every activity page visited
during an import would then read and analyse its samples again, though an imported
activity's samples never change, only what the runner edits on it and what lies outside it.

:class:`ContentCache` keeps that costly part under a key that names every input of its
computation (``web.reads.activity_content``): the activity's stored row, read afresh on
every request with one cheap statement (no samples), all its columns; the runner's heart
profile; the page's units (charts only). The row names the samples too: they are stored
with the row, in its transaction, and never rewritten; a re-import or a replacement is a
new row (a new id, or where SQLite gives a deleted row's id again, a new ``created_at``).
So an edit of the activity (any column), a new heart profile or other units make another
key, and what was kept under the old one is never read again: nothing here is ever stale,
and nothing is forgotten for a change; only the least recently used entries leave.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

CONTENT_ENTRIES = 512
"""How many answers a dashboard process keeps (an analysis and a page's charts are two):
the pages visited within a few minutes of an import, not the whole history."""


class ContentCache:
    """A bounded, least-recently-used map of answers under exact keys (module docstring).
    The caller makes the key of everything the answer is computed from, and stores an
    answer under the key of the inputs it was computed from."""

    def __init__(self, max_entries: int = CONTENT_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("a content cache keeps at least one answer")
        self._max = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def find(self, key: Hashable) -> Any | None:
        """The answer kept under ``key``, or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def keep(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` (not None) under ``key``; the least recently used leave."""
        if value is None:
            raise ValueError("None means no answer here; keep a value")
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
