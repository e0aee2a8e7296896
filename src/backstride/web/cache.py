"""A small memo of expensive, read-only service results, dropped whenever the data changes.

The training-load report reads and models the whole history (about 0.1 s for ten years on a
laptop); pages ask for it on every visit. :class:`ResultCache` keeps recent answers while
the data is unchanged, judged by

* a generation counter the dashboard bumps after each of its own writes (edits, imports), and
* for an SQLite database, the size and modification time of the database file and its
  write-ahead log, so a change made meanwhile by the CLI (another process) is noticed too;
* for a server database (PostgreSQL), the data version the store keeps in the database
  (``data_versions``, bumped by every writing transaction of any process on any host), read
  once per request, before its first answer is looked up: a change by another worker is
  seen on the next request. An answer that never reads the pain diary is kept with the
  count of changes to anything but the diary (``get(..., reads_diary=False)``), so a
  check-in makes only the answers that read the diary (the day's decision) compute again;

and, as a backstop, every entry expires after ``ttl_s`` seconds. One computation per key runs
at a time; concurrent requests for the same key wait for it instead of repeating it.

A write of the dashboard's own drops only the answers it can change: it tells what it
changed (:data:`EVERYTHING` unless it says less, ``web.context.note_changes``) as aspects of
the data, and each answer is kept with the generations of the aspects it reads
(``get(..., reads=...)``). An edit of an activity that leaves its part of the training load
as it was (a new name or notes) changes the :data:`RECORDS` only, so the load report and
what is computed from it alone (``reads=LOAD_ONLY``) stay; an edit that changes nothing
drops nothing. On an SQLite file every change still moves the file's size and time, so
outside an import the next read of every answer is fresh all the same; the aspects matter
while an import keeps writing (below), when an answer the edit cannot change may still be
served a few seconds old instead of being recomputed for every client.

While another process writes continuously (an import commits a batch every few tenths of a
second, or every few seconds on a busy computer), every answer would be stale before it is
read, and each visit would recompute the whole history. So when the files changed three
times within ``lag_s`` without a write of the dashboard's own, and the next change is still
due (the last one came less than one and a half of their mean interval ago, and at most
``churn_grace_s`` ago when they came quicker), an answer computed less than ``lag_s`` ago
is still served: pages lag an import by at most that long, and say so
(:func:`served_lagging`). A single outside change (an edit from the command line) is still
seen on the next read, and so is everything once the import ends (no change for that
while, at most ``lag_s``). A write of the
dashboard's own never lets an answer it changed be served from before it (its aspects'
generations moved), but it does not end the import's churn: the answers computed after it
are reused again at once, instead of every read recomputing the whole history until three
more outside changes have been seen.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from backstride.services.activities import EditOutcome
from backstride.web.context import DATA_VERSIONS, LAGGING, WRITING

T = TypeVar("T")
Version = tuple[tuple[int, ...], tuple[tuple[int, int], ...]]
Seen = tuple[int, tuple[tuple[int, int], ...]]
"""The count of the dashboard's own writes and the outside change marks, as last seen."""

RECORDS = "records"
"""The activities as stored, apart from their part of the training load (names, notes,
surfaces, RPE, shoes, the analyses' other figures)."""
LOAD = "load"
"""Each analysed activity's part of the training load: the columns the load model reads
(``services.training.LOAD_COLUMNS``)."""
OTHER = "other"
"""Everything else: the diary, the profile, settings, imports, shoes, plans."""
EVERYTHING: frozenset[str] = frozenset({RECORDS, LOAD, OTHER})
"""What a write changes unless it tells less; what an answer reads unless it tells less."""
LOAD_ONLY: frozenset[str] = frozenset({LOAD, OTHER})
"""An answer that reads no activity but through the training load (the load report, the
runs' spikes and what is computed from them alone)."""
_ASPECTS = tuple(sorted(EVERYTHING))
MISSING: Any = object()
"""What :meth:`ResultCache.peek` returns when no answer is kept."""
CHURN_CHANGES = 3
"""Outside changes seen within ``lag_s`` that mean another process keeps writing."""
CHURN_DUE = 1.5
"""Another process keeps writing while its next change is due: less than this many of its
changes' mean intervals since the last one (at least ``churn_grace_s``)."""
LAG_S = 10.0
"""How old an answer may be while another process keeps writing (an import): recomputing
the whole history after every batch would take the dashboard's time from the answers."""


def changes_of_edit(outcome: EditOutcome) -> frozenset[str]:
    """The aspects of the data an activity edit changed: none when it changed nothing, the
    :data:`RECORDS` alone when the activity's part of the training load stayed as it was."""
    if not outcome.changed:
        return frozenset()
    return frozenset({RECORDS, LOAD}) if outcome.load_changed else frozenset({RECORDS})


def served_lagging() -> bool:
    """Whether this request was answered with figures computed before the latest changes of
    a running import (the page then says they are catching up)."""
    notes = LAGGING.get()
    return bool(notes)


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


def _generations_of(generations: dict[str, int], reads: frozenset[str]) -> tuple[int, ...]:
    return tuple(generations[a] if a in reads else -1 for a in _ASPECTS)


@dataclass(frozen=True, slots=True)
class _Entry:
    version: Version
    reads: frozenset[str]
    created: float
    value: Any

    def generations(self, current: dict[str, int]) -> tuple[int, ...]:
        """The generations of the aspects this answer reads, as they are now."""
        return _generations_of(current, self.reads)


class Cache(Protocol):
    """What the pages use of a result cache."""

    def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
        figures: bool = True,
    ) -> T: ...

    def peek(
        self,
        key: Hashable,
        *,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
        figures: bool = True,
    ) -> Any: ...

    def bump(self, changed: frozenset[str] = EVERYTHING) -> None: ...


class ResultCache:
    """Memoises ``compute()`` per key until the data version changes or ``ttl_s`` passes."""

    def __init__(
        self,
        database_url: str,
        *,
        ttl_s: float = 30.0,
        max_entries: int = 256,
        churn_grace_s: float = 1.0,
        lag_s: float = LAG_S,
        data_version: Callable[[int | None], tuple[int, int]] | None = None,
    ) -> None:
        self._files = sqlite_files(database_url)
        self._data_version = data_version if not self._files else None
        self._ttl_s = ttl_s
        self._max = max_entries
        self._grace_s = churn_grace_s
        self._lag_s = max(lag_s, churn_grace_s)
        self._generation = 0  # the dashboard's own writes
        self._generations = dict.fromkeys(_ASPECTS, 0)  # per aspect they changed
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._seen: Seen | None = None
        self._outside_changes: deque[float] = deque(maxlen=CHURN_CHANGES)
        self._scope_generations: dict[Hashable, int] = {}

    def scoped(self, scope: Hashable) -> ScopedCache:
        """A view of this cache whose keys belong to ``scope`` (server mode: one athlete),
        so two runners' answers never meet."""
        return ScopedCache(self, scope)

    def scope_generation(self, scope: Hashable) -> int:
        with self._lock:
            return self._scope_generations.get(scope, 0)

    @property
    def versioned_by_database(self) -> bool:
        """Whether the database's data versions tell this cache of every change (a server
        database): then the writing transaction's bump tells this process too, and a write
        of the dashboard's own needs no forgetting here (which would also throw away the
        answers the write did not change)."""
        return self._data_version is not None

    def bump_scope(self, scope: Hashable, changed: frozenset[str] = EVERYTHING) -> None:
        """Forget ``scope``'s answers: the dashboard just changed that scope's data."""
        if self.versioned_by_database or not changed:
            return
        with self._lock:
            self._scope_generations[scope] = self._scope_generations.get(scope, 0) + 1

    def bump(self, changed: frozenset[str] = EVERYTHING) -> None:
        """Forget the answers that read what the dashboard just ``changed`` (aspects: see
        the module's docstring; nothing changed, nothing forgotten). The import's churn, if
        any, goes on: answers computed from now on are reused while it lasts."""
        if self.versioned_by_database or not changed:
            return
        unknown = changed - EVERYTHING
        if unknown:
            raise ValueError(f"unknown aspects of the data: {sorted(unknown)}")
        with self._lock:
            self._generation += 1
            for aspect in changed:
                self._generations[aspect] += 1
            current = self._generations
            for key in [
                k for k, e in self._entries.items() if e.generations(current) != e.version[0]
            ]:
                del self._entries[key]

    def _observe(self, version: Seen, now: float) -> None:
        """Note when the files changed without a write of ours (another process wrote). Only
        for an SQLite file: a server database's versions are per athlete, and every change
        there is seen on the next read."""
        if not self._files:
            return
        if self._seen is not None and version != self._seen and version[0] == self._seen[0]:
            self._outside_changes.append(now)
        self._seen = version

    def _churning(self, now: float) -> bool:
        """Whether another process keeps writing (see the module's docstring). Judged on
        the changes' own pace: an import starved of CPU on a busy computer commits a batch
        every few seconds, and each would otherwise make every answer compute anew."""
        changes = self._outside_changes
        if len(changes) < CHURN_CHANGES:
            return False
        first, last = changes[0], changes[-1]
        if last - first > self._lag_s:
            return False  # a few separate edits, not a run of batches
        interval = (last - first) / (CHURN_CHANGES - 1)
        due = min(self._lag_s, max(self._grace_s, CHURN_DUE * interval))
        return now - last <= due

    def version(
        self,
        outside: tuple[int, int] | None = None,
        *,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
    ) -> Version:
        """The version an answer is kept with: the generations of the aspects it ``reads``
        (moved by the dashboard's own writes), and the outside change marks (the SQLite
        files' sizes and times, or the database's ``outside`` data versions: of every
        change, or for an answer that never ``reads_diary``, of the others)."""
        generations = _generations_of(self._generations, reads)
        if outside is not None:
            every_change, non_diary = outside
            return generations, ((every_change, 0) if reads_diary else (non_diary, 1),)
        return generations, self._file_marks()

    def _file_marks(self) -> tuple[tuple[int, int], ...]:
        stats: list[tuple[int, int]] = []
        for path in self._files:
            try:
                st = os.stat(path)
                stats.append((st.st_size, st.st_mtime_ns))
            except OSError:
                stats.append((-1, -1))
        return tuple(stats)

    def _fresh(self, key: Hashable, version: Version, *, figures: bool = True) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        now = time.monotonic()
        age = now - entry.created
        current = entry.version == version and age <= self._ttl_s
        lagging = (
            not current
            and entry.version[0] == version[0]
            and age <= self._lag_s
            and self._churning(now)
        )
        if not (current or lagging):
            del self._entries[key]
            return None
        if lagging and figures:
            notes = LAGGING.get()
            if notes is not None:
                notes.append(key)
        self._entries.move_to_end(key)
        return entry

    def _outside(self, athlete: int | None) -> tuple[int, int] | None:
        """The database's data versions (a server database; None for SQLite) of ``athlete``
        (None: the process's own athlete, or everyone's), read before the answer is computed:
        an answer is never kept with a newer version than its data."""
        if self._data_version is None:
            return None
        seen = DATA_VERSIONS.get()
        if seen is None:  # outside a request
            return self._data_version(athlete)
        if athlete not in seen:
            seen[athlete] = self._data_version(athlete)
        return seen[athlete]

    def read_versions(
        self, athlete: int | None, *, known: tuple[int | None, tuple[int, int]] | None = None
    ) -> None:
        """Read ``athlete``'s data versions for this request now, if not yet (a server
        database, in a request): before any answer is looked up, in whatever transaction
        the caller's reads share (``web.access``: the login's). ``known``: (athlete,
        versions) this request already read in that transaction (the login's statement),
        used instead of a read when they are ``athlete``'s."""
        seen = DATA_VERSIONS.get()
        if seen is None or self._data_version is None:
            return
        if known is not None and known[0] == athlete and athlete not in seen:
            seen[athlete] = known[1]
            return
        self._outside(athlete)  # in a request: kept there for its lookups

    def peek(
        self,
        key: Hashable,
        *,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
        figures: bool = True,
    ) -> Any:
        """The answer :meth:`get` would return for ``key`` without computing it, or
        :data:`MISSING`. Never reads the database (it stats an SQLite file's two files), so
        the event loop may ask: for a server database, whose versions are read from it, and
        in a request that writes (which sees fresh answers only), always :data:`MISSING`.
        ``figures=False``: an answer that shows no figures (the page's units), which does not
        make the page say it is catching up when it was computed before the latest batch."""
        if WRITING.get() or self._data_version is not None:
            return MISSING
        with self._lock:
            version = self.version(None, reads_diary=reads_diary, reads=reads)
            self._observe((self._generation, version[1]), time.monotonic())
            entry = self._fresh(key, version, figures=figures)
            return MISSING if entry is None else entry.value

    def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        athlete: int | None = None,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
        figures: bool = True,
    ) -> T:
        """``compute()``'s answer for ``key``, kept while the data it reads is unchanged.
        ``reads_diary=False`` promises that ``compute`` never reads the pain diary
        (``adapters.db.engine.DIARY_TABLES``), directly or through a cached answer that does;
        ``reads`` names every aspect of the data it reads (module docstring), directly or
        through a cached answer; one key is always asked for with the same ``reads``.
        ``figures``: as for :meth:`peek`."""
        if WRITING.get():
            return compute()  # a request that writes sees only fresh answers (web.context)
        outside = self._outside(athlete)
        with self._lock:
            version = self.version(outside, reads_diary=reads_diary, reads=reads)
            self._observe((self._generation, version[1]), time.monotonic())
            entry = self._fresh(key, version, figures=figures)
            if entry is not None:
                return entry.value  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                version = self.version(outside, reads_diary=reads_diary, reads=reads)
                entry = self._fresh(key, version, figures=figures)
                if entry is not None:
                    return entry.value  # type: ignore[no-any-return]
            created = time.monotonic()
            value = compute()
            with self._lock:
                # Kept with the version it was computed from: current while nothing changes,
                # and usable for a moment while another process keeps writing (see above).
                if version[0] == _generations_of(self._generations, reads):
                    self._entries[key] = _Entry(version, reads, created, value)
                    while len(self._entries) > self._max:
                        self._entries.popitem(last=False)
                self._key_locks.pop(key, None)
        return value


class ScopedCache:
    """:meth:`ResultCache.scoped`: the same cache, each key prefixed with the scope and the
    scope's own generation. A write bumps its scope's generation only, so one runner's
    check-in does not throw away every other runner's answers; the entries of an old
    generation are never read again and leave as the least recently used."""

    def __init__(self, base: ResultCache, scope: Hashable) -> None:
        self._base = base
        self._scope = scope

    def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
        figures: bool = True,
    ) -> T:
        generation = self._base.scope_generation(self._scope)
        athlete = self._scope if isinstance(self._scope, int) else None
        return self._base.get(
            (self._scope, generation, key),
            compute,
            athlete=athlete,
            reads_diary=reads_diary,
            reads=reads,
            figures=figures,
        )

    def peek(
        self,
        key: Hashable,
        *,
        reads_diary: bool = True,
        reads: frozenset[str] = EVERYTHING,
        figures: bool = True,
    ) -> Any:
        """Always :data:`MISSING`: a runner's answers are versioned by the database, which
        only a request thread may read."""
        return MISSING

    def bump(self, changed: frozenset[str] = EVERYTHING) -> None:
        self._base.bump_scope(self._scope, changed)
