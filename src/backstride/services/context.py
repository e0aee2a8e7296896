"""The application context: settings, the store, the current athlete.

Local mode: one :class:`App` per process, whose athlete is the database's first (created on
first use). Server mode: the process's :class:`App` has no athlete of its own; each request
gets :meth:`App.for_athlete` (the athlete its login chose), which shares the process's store
and, on PostgreSQL, sets that athlete on every transaction for row-level security.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property

from backstride.adapters.db.engine import Store
from backstride.adapters.db.repos import AthleteRepo
from backstride.adapters.db.write_turn import WriteTurnProbe as WriteTurnProbe  # for the web
from backstride.config import Settings
from backstride.domain.load import SessionSummary
from backstride.errors import BackstrideError


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
    load_sessions: LoadSessions = field(default_factory=LoadSessions, repr=False, compare=False)
    """This context's memo of the load model's sessions (``training.session_summaries``)."""

    @cached_property
    def store(self) -> Store:
        if self.shared_store is not None:
            return self.shared_store
        return Store(
            self.settings.database_url,
            lock_timeout_s=self.settings.db_lock_timeout_s,
            statement_timeout_s=self.settings.db_statement_timeout_s,
        )

    @cached_property
    def athlete_id(self) -> int:
        if self.athlete is not None:
            return self.athlete
        if self.per_request:
            raise NoAthleteError("No runner was chosen for this request.")
        with self.store.session() as session:
            return AthleteRepo(session).get_or_create_default()

    def for_athlete(self, athlete_id: int) -> App:
        """A context for ``athlete_id`` on the same store (its transactions are scoped to
        that athlete on PostgreSQL, :meth:`Store.scoped`)."""
        return App(self.settings, athlete=athlete_id, shared_store=self.store.scoped(athlete_id))

    def data_version(self, athlete: int | None = None) -> int:
        """How often ``athlete``'s data changed (default: this context's athlete), as the
        database counts it for every process; for the server's process context without an
        athlete, how often anyone's did."""
        if athlete is None:
            if self.athlete is None and self.per_request:
                return self.store.data_version(None)
            athlete = self.athlete_id
        return self.store.data_version(athlete)

    def close(self) -> None:
        if "store" in self.__dict__ and self.shared_store is None:
            self.store.dispose()
