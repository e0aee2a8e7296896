"""The application context: settings, the store, the current athlete.

Local mode: one :class:`App` per process, whose athlete is the database's first (created on
first use). Server mode: the process's :class:`App` has no athlete of its own; each request
gets :meth:`App.for_athlete` (the athlete its login chose), which shares the process's store
and, on PostgreSQL, sets that athlete on every transaction for row-level security.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from backstride.errors import BackstrideError

if TYPE_CHECKING:
    from backstride.adapters.db.engine import DataVersions, Store
    from backstride.adapters.db.engine import shared_reads as shared_reads
    from backstride.adapters.db.reads import Reads
    from backstride.adapters.db.sqlite_reads import SqliteReads
    from backstride.adapters.db.write_turn import WriteTurnProbe as WriteTurnProbe
    from backstride.config import Settings
    from backstride.domain.load import SessionSummary


def __getattr__(name: str) -> Any:
    if name == "WriteTurnProbe":  # for the web; imported on demand (it needs SQLAlchemy)
        from backstride.adapters.db.write_turn import WriteTurnProbe

        return WriteTurnProbe
    if name == "shared_reads":  # for the web, likewise
        from backstride.adapters.db.engine import shared_reads

        return shared_reads
    raise AttributeError(name)


T = TypeVar("T")


class Memo(Protocol):
    """Where a context keeps answers while the data they read is unchanged: the web's result
    cache (``web.cache``; for a server request, the one of the request's runner). ``get``
    answers ``compute()``, or an earlier answer for ``key`` while the data is the same;
    ``reads_diary=False`` promises that ``compute`` never reads the pain diary (a check-in
    then keeps the answer)."""

    def get(self, key: Hashable, compute: Callable[[], T], *, reads_diary: bool = True) -> T: ...


def sqlite_file_of(url: str) -> Path | None:
    """The file of a plain SQLite URL (``sqlite:///path``, as the settings make from a path),
    or None for any other database or a URL with options."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or any(c in url for c in "?%#"):
        return None
    path = url[len(prefix) :]
    return Path(path) if path and path != ":memory:" else None


class NoAthleteError(BackstrideError):
    """Server mode: a use case asked for the athlete of a context that has none (a bug)."""


@dataclass(eq=False)
class LoadSessions:
    """The load model's sessions of one athlete as last read (``services.training``), kept
    with the mark of the data they were read from, so the pages' several load figures
    (Overview, Load, each run's spike) share one read while nothing changed, and a read
    after an import's batch converts only the rows that are new."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    mark: Hashable | None = None
    sessions: tuple[SessionSummary, ...] = ()
    by_row: dict[tuple[object, ...], SessionSummary] = field(default_factory=dict)


@dataclass
class App:
    """What every use case needs: settings and an open, migrated store."""

    settings: Settings
    athlete: int | None = None
    """The athlete this context works for; None: the local athlete (local mode)."""
    shared_store: Store | None = field(default=None, repr=False)
    """A store owned by another context (``for_athlete``); this one never closes it."""
    per_request: bool = False
    """True for the web server's context in server mode: its athlete comes from each
    request's login (``for_athlete``), never from the database's first athlete."""
    narrow_reads: bool = False
    """Read with the ``sqlite3`` module alone where the database allows it (an SQLite file
    that needs nothing from the store, local mode): the command line's ``today``, which then
    does not load SQLAlchemy unless it has to write (:attr:`reads`)."""
    load_sessions: LoadSessions = field(default_factory=LoadSessions, repr=False, compare=False)
    """This context's memo of the load model's sessions (``training.session_summaries``)."""
    memo: Memo | None = field(default=None, repr=False, compare=False)
    """Where the use cases keep parts of their answers between calls (:meth:`remember`):
    the dashboard's result cache; None (the command line) computes every time."""

    @cached_property
    def store(self) -> Store:
        from backstride.adapters.db.engine import Store

        if self.shared_store is not None:
            return self.shared_store
        return Store(
            self.settings.database_url,
            lock_timeout_s=self.settings.db_lock_timeout_s,
            statement_timeout_s=self.settings.db_statement_timeout_s,
        )

    @cached_property
    def _sqlite_reads(self) -> SqliteReads | None:
        """The narrow reads, when asked for and the database allows them."""
        if not self.narrow_reads or self.shared_store is not None or self.per_request:
            return None
        if self.athlete is not None or self.settings.server_mode:
            return None
        path = sqlite_file_of(self.settings.database_url)
        if path is None:
            return None
        from backstride.adapters.db.sqlite_reads import open_reads

        return open_reads(path)

    @cached_property
    def reads(self) -> Reads:
        """What the day's answer reads through (``adapters/db/reads.py``): the repositories
        on the store, or, with :attr:`narrow_reads`, the ``sqlite3`` reads of the same file."""
        narrow = self._sqlite_reads
        if narrow is not None:
            return narrow
        from backstride.adapters.db.orm_reads import OrmReads

        return OrmReads(self.store)

    @cached_property
    def athlete_id(self) -> int:
        if self.athlete is not None:
            return self.athlete
        if self.per_request:
            raise NoAthleteError("No runner was chosen for this request.")
        narrow = self._sqlite_reads
        if narrow is not None:
            found = narrow.first_athlete()
            if found is not None:
                return found
        from backstride.adapters.db.repos import AthleteRepo

        with self.store.session() as session:
            return AthleteRepo(session).get_or_create_default()

    def for_athlete(self, athlete_id: int, *, memo: Memo | None = None) -> App:
        """A context for ``athlete_id`` on the same store (its transactions are scoped to
        that athlete on PostgreSQL, :meth:`Store.scoped`); ``memo`` must hold that athlete's
        answers only."""
        return App(
            self.settings,
            athlete=athlete_id,
            shared_store=self.store.scoped(athlete_id),
            memo=memo,
        )

    def remember(self, key: Hashable, compute: Callable[[], T], *, reads_diary: bool = True) -> T:
        """``compute()``, kept in :attr:`memo` (when set) under ``key`` while the data it
        reads is unchanged; ``reads_diary=False`` as in :class:`Memo`."""
        if self.memo is None:
            return compute()
        return self.memo.get(key, compute, reads_diary=reads_diary)

    def data_version(self, athlete: int | None = None) -> int:
        """How often ``athlete``'s data changed (default: this context's athlete), as the
        database counts it for every process; for the server's process context without an
        athlete, how often anyone's did."""
        return self.data_versions(athlete).every_change

    def data_versions(self, athlete: int | None = None) -> DataVersions:
        """:meth:`data_version`, and how often anything but the diary changed, in one read."""
        if self.athlete is None and self.per_request:
            # The server's process context (its result cache asks it): read in its own
            # transactions, so in a request in the one that read the login (``web.access``
            # reads the versions with it) rather than in one of the athlete's own. The table
            # holds counts only; whose data a request shows is for the access checks.
            return self.store.data_versions(athlete)
        if athlete is None:
            athlete = self.athlete_id
        # Read as that athlete: in a request, in the transaction her other reads share.
        return self.store.scoped(athlete).data_versions(athlete)

    def close(self) -> None:
        narrow = self.__dict__.get("_sqlite_reads")
        if narrow is not None:
            narrow.close()
        if "store" in self.__dict__ and self.shared_store is None:
            self.store.dispose()
