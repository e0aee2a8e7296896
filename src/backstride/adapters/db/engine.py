"""The engine, SQLite pragmas, and automatic migrations on first use.

A file database is looked at first (:mod:`backstride.adapters.db.sqlite_file`): another
program's database is refused untouched, a damaged one named, one on a read-only disk opened
for viewing only; and a :class:`Store` refuses to go on when its file was removed or
replaced under it.
"""

from __future__ import annotations

import copy
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from backstride.adapters.db import revisions
from backstride.adapters.db.postgres import (
    LOCK_TIMEOUT_S,
    MIGRATE_LOCK,
    STATEMENT_TIMEOUT_S,
    connect_options,
    ping_when_idle,
    postgres_error,
    safe_url,
)
from backstride.adapters.db.request_reads import REQUEST_READS, RequestReads
from backstride.adapters.db.sqlite_file import (
    APPLICATION_ID,
    DatabaseFile,
    file_identity,
    inspect_file,
    read_only_error,
    read_only_folder_error,
    replaced_error,
    storage_error,
)
from backstride.errors import BackstrideError, ConfigError, InvalidInputError, StorageError

WROTE = "backstride_wrote"
"""Key in a connection's ``info``: what the current transaction changed, :data:`DIARY` or
:data:`ANYTHING` (absent: nothing)."""
DIARY = "diary"
ANYTHING = "anything"
DIARY_TABLES = frozenset(
    {"pain_entries", "red_flag_seen", "selftest_results", "screenings", "clearances"}
)
"""The pain diary and what goes with it (check-ins, red flags seen, self-tests, screenings,
clearances). A transaction that wrote only these bumps ``data_versions.version`` but not
``non_diary_version``, so the answers kept with the latter (those that never read these
tables: the training load, an activity's analysis) stay; any other table counts as both."""
_WRITES = ("insert", "update", "delete", "replace")
UNVERSIONED_TABLES = frozenset(
    {"data_versions", "background_jobs", "audit_events", "login_sessions", "login_failures"}
)
"""Tables whose writes change no answer a cache keeps: the data version itself, the progress
of background jobs (which must not empty the page caches every second), the audit log, logins
and failed logins (which every page reads afresh). A write there bumps no data version, so a
professional's list of runners (one audit row per runner) or a login does not make every
cached page of every runner out of date."""
_WRITTEN_TABLE = re.compile(
    r"^\s*(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from)\s+\"?(\w+)",
    re.IGNORECASE,
)


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE, DELETE or REPLACE statement writes (None: not a write)."""
    found = _WRITTEN_TABLE.match(statement)
    return found.group(1).lower() if found else None


def _holds_nul(parameters: Any) -> bool:
    """Whether any text among a statement's parameters (any nesting) holds NUL."""
    stack = [parameters]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return False


def _note_writes_and_refuse_nul(
    conn: Connection,
    _cursor: Any,
    statement: str,
    parameters: Any,
    _context: Any,
    executemany: bool,
) -> None:
    """Mark the connection when a statement changes data (for the data version), and refuse
    text holding NUL on every database alike (PostgreSQL cannot store it; SQLite would)."""
    head = statement.lstrip()[:8].lower()
    if head.startswith(_WRITES):
        table = written_table(statement)
        if table in DIARY_TABLES:
            conn.info.setdefault(WROTE, DIARY)
        elif table not in UNVERSIONED_TABLES:
            conn.info[WROTE] = ANYTHING
        if _holds_nul(parameters):
            raise InvalidInputError(
                "Text may not contain the character NUL (\\0); nothing was saved.",
                hint="Remove the control character and try again.",
            )


def database_error(
    exc: BaseException, *, url: str, path: Path | None, failure: str
) -> BackstrideError:
    """backstride's error for a database error: SQLite's or PostgreSQL's words translated,
    never the SQL statement or a password."""
    if make_url(url).get_backend_name() == "postgresql":
        return postgres_error(exc, url, failure)
    return storage_error(exc, path, failure)


if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Alembic is imported only when the schema must change (it costs more than the rest of a
# command's start-up): the head is read from the revision files, the current revision from the
# ``alembic_version`` table.


BUSY_TIMEOUT_MS = 10_000
WRITE_POLL_S = 0.002
"""A write waiting for another process's write lock tries again this often (see below)."""


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINTs work (the recipe in
    # SQLAlchemy's SQLite dialect documentation, "Serializable isolation / Savepoints").
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_pragmas_read_only_file(dbapi_conn: Any, _record: Any) -> None:
    # A file on a read-only disk: no journal-mode change (that would be a write).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_query_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front. A deferred BEGIN that reads and then writes
    # fails at once with "database is locked" when another connection wrote in between (WAL
    # cannot upgrade an outdated read snapshot).
    #
    # While another process holds the lock, SQLite's own busy handler sleeps in growing
    # steps, 100 ms each after the first quarter second, so a waiter notices a released lock
    # up to 100 ms late, and a writer that leaves the lock free between its transactions (an
    # import's batches) must leave it free that long every time for a waiter to get in. So
    # the wait is ours: try without waiting, again every WRITE_POLL_S, up to busy_timeout in
    # all; the last try's "database is locked" is the error, as before.
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    break
            time.sleep(WRITE_POLL_S)
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # once more: its error, wrapped as any other
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """Whether ``exc`` says another connection holds a lock (SQLITE_BUSY or _LOCKED)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    message = str(exc)
    return "locked" in message or "busy" in message


def _sqlite_begin_read(conn: Any) -> None:
    # A read-only connection never upgrades to a writer, so a deferred BEGIN is safe: in WAL
    # mode its snapshot never waits for other readers or for a writer.
    conn.exec_driver_sql("BEGIN")


def is_file_sqlite(url: str) -> bool:
    """Whether ``url`` is an SQLite database in a file (not in memory)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    return parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite ``url`` (None for another database or one in memory)."""
    if not is_file_sqlite(url):
        return None
    return Path(make_url(url).database or "")


def _make_folder(db_path: Path) -> None:
    """Create the database's folder if needed (a read-only parent is left to the caller)."""
    if db_path.parent.is_dir():
        return
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"Could not create the folder for the database '{db_path}': {exc.strerror}.",
            hint="Point --db at a file in a folder you may write to.",
        ) from exc


def make_engine(
    url: str,
    *,
    read_only: bool = False,
    uri: str | None = None,
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    statement_timeout_s: float = STATEMENT_TIMEOUT_S,
) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and a busy timeout.

    ``read_only`` (SQLite): every connection refuses writes (``PRAGMA query_only``) and
    begins its transactions deferred, so readers do not queue for the write lock.
    ``uri`` (SQLite): open the file through this SQLite URI instead (a file on a read-only
    disk, :meth:`DatabaseFile.read_only_uri`); implies ``read_only`` and leaves the journal
    mode alone. PostgreSQL connections get ``lock_timeout_s`` and ``statement_timeout_s``.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"'{safe_url(url)}' is not a database path or URL.",
            hint="Give a file path (e.g. ~/runs.sqlite3) or an SQLAlchemy URL.",
        ) from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        _make_folder(Path(parsed.database or ""))
    try:
        if uri is not None:
            engine = create_engine(
                url,
                future=True,
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            )
            read_only = True
        elif parsed.get_backend_name() == "postgresql":
            engine = create_engine(
                url,
                future=True,
                # No HSTORE columns: no catalog query for that type on each new engine.
                use_native_hstore=False,
                connect_args=connect_options(
                    lock_timeout_s=lock_timeout_s, statement_timeout_s=statement_timeout_s
                ),
            )
            ping_when_idle(engine)
        else:
            engine = create_engine(url, future=True)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(
            f"Cannot use the database URL '{safe_url(url)}': {exc}".replace(url, safe_url(url))
        ) from exc
    event.listen(engine, "before_cursor_execute", _note_writes_and_refuse_nul)
    # A transaction that ends without its commit stored nothing: its connection forgets the
    # writes it noted, whatever state the failure left the session in, so the next unit of
    # work on it does not bump the data version (a write) for a change that never happened.
    event.listen(engine, "rollback", _forget_writes)
    event.listen(engine.pool, "checkin", _forget_writes_on_checkin)
    if engine.dialect.name == "sqlite":
        pragmas = _sqlite_pragmas if uri is None else _sqlite_pragmas_read_only_file
        event.listen(engine, "connect", pragmas)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
            event.listen(engine, "begin", _sqlite_begin_read)
        else:
            event.listen(engine, "begin", _sqlite_begin)
    return engine


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    location = resources.files("backstride.adapters.db") / "migrations"
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine | None = None) -> str | None:
    """The newest schema revision shipped (:func:`revisions.head_revision`, read without
    Alembic). ``engine`` is not needed; kept for callers."""
    return revisions.head_revision()


_HAS_VERSION_TABLE = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
    # The table the unqualified name finds (the search path), as Alembic looks for it.
    "postgresql": "SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL",
}


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None for a new, empty database).

    Read with two plain queries (is there an ``alembic_version`` table; its row), not
    through Alembic's ``MigrationContext``: every store open asks, and Alembic's way (an
    inspection of the catalog) cost PostgreSQL about twice the CPU time, on the client (2-4
    ms more a check) and on the server. A table of more than one row (branches, which backstride
    never has) is left to Alembic, which refuses it as before."""
    has_table = _HAS_VERSION_TABLE.get(engine.dialect.name)
    with engine.connect() as conn:
        if has_table is not None:
            if conn.exec_driver_sql(has_table).first() is None:
                return None
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            if len(rows) <= 1 or engine.dialect.name == "sqlite":
                return rows[0][0] if len(rows) == 1 else None
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()


def _upgrade(cfg: Config, script: ScriptDirectory, current: str | None) -> bool:
    """Run Alembic's upgrade from ``current`` to the head; False when there was nothing to do."""
    from alembic import command

    if current == script.get_current_head():
        return False
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise StorageError(
            "The database was written by a newer backstride (unknown schema "
            f"revision '{current}').",
            hint="Upgrade backstride, or point --db at another database.",
        )
    command.upgrade(cfg, "head")
    return True


def migrate(engine: Engine, *, path: Path | None = None) -> bool:
    """Bring the schema to the newest revision (no-op when it already is); True when it ran.

    ``path`` is the database file, named in the error when the update fails. The revision is
    read and the migration run in one transaction that holds the database's write lock
    (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock, :data:`MIGRATE_LOCK`), so
    processes that start at once on a fresh database migrate it once: the others wait, then
    find it up to date.
    """
    url = engine.url.render_as_string(hide_password=False)
    postgresql = engine.dialect.name == "postgresql"
    try:
        current = current_revision(engine)
        if current is not None and current == head_revision():
            return False  # up to date: Alembic is not even imported
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = _alembic_config(engine)
        script = ScriptDirectory.from_config(cfg)
        with engine.connect() as conn:
            if postgresql:
                # Migrations may rewrite big tables: no statement timeout for this connection.
                conn.execute(text("SET statement_timeout = 0"))
                conn.execute(text("SELECT pg_advisory_lock(:key, 0)"), {"key": MIGRATE_LOCK})
                conn.commit()
            try:
                conn.begin()  # SQLite: BEGIN IMMEDIATE, the write lock
                current = MigrationContext.configure(conn).get_current_revision()
                cfg.attributes["connection"] = conn
                migrated = _upgrade(cfg, script, current)
                conn.commit()
                return migrated
            finally:
                conn.rollback()
                if postgresql:
                    conn.execute(text("SELECT pg_advisory_unlock(:key, 0)"), {"key": MIGRATE_LOCK})
                    # Back to the store's own timeout (the connection's start-up options)
                    # before the connection goes back to the pool.
                    conn.execute(text("RESET statement_timeout"))
                    conn.commit()
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise database_error(
            exc, url=url, path=path, failure="Could not open or update the database"
        ) from exc


def check_revision(engine: Engine, path: Path) -> None:
    """Refuse a read-only database whose schema is not the newest (it cannot be updated)."""
    try:
        current = current_revision(engine)
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise storage_error(exc, path, "Could not open the database") from exc
    if current != head_revision(engine):
        raise StorageError(
            f"The database '{path}' needs an update to work with this backstride, but it is on "
            "a read-only disk or in a read-only folder.",
            hint="Copy it to a writable folder and point --db at the copy.",
        )


def set_application_id(engine: Engine) -> None:
    """Mark an SQLite database as backstride's (``PRAGMA application_id``)."""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


BUMP_VERSION = text(
    "INSERT INTO data_versions (athlete_id, version, non_diary_version) "
    "VALUES (:athlete, 1, :non_diary) ON CONFLICT (athlete_id) DO UPDATE SET "
    "version = data_versions.version + 1, "
    "non_diary_version = data_versions.non_diary_version + excluded.non_diary_version"
)
READ_VERSION = text(
    "SELECT coalesce(sum(version), 0), coalesce(sum(non_diary_version), 0) "
    "FROM data_versions WHERE athlete_id IN (:athlete, 0)"
)
READ_ALL_VERSIONS = text(
    "SELECT coalesce(sum(version), 0), coalesce(sum(non_diary_version), 0) FROM data_versions"
)
ALL_ATHLETES = 0
"""The data-version row of writes not tied to one athlete: every reader counts it."""
ATHLETE_INFO = "backstride_athlete"
"""Key in a session's ``info``: the athlete its writes belong to (a scoped store's)."""


def read_data_version(session: Session, athlete_id: int | None) -> int:
    """:meth:`Store.data_version`, read in ``session`` (so in the snapshot of its other reads)."""
    return read_data_versions(session, athlete_id).every_change


def read_data_versions(session: Session, athlete_id: int | None) -> DataVersions:
    """:meth:`Store.data_versions`, read in ``session``."""
    if athlete_id is None:
        row = session.execute(READ_ALL_VERSIONS).one()
    else:
        row = session.execute(READ_VERSION, {"athlete": athlete_id}).one()
    return DataVersions(int(row[0]), int(row[1]))


def _bump_if_written(session: Session) -> None:
    """Bump the data version in the writing transaction when it changed anything, so every
    process (and host) sees on its next read that its cached answers are out of date."""
    if not session.in_transaction():
        return
    conn = session.connection()
    wrote = conn.info.pop(WROTE, None)
    if wrote is not None:
        athlete = session.info.get(ATHLETE_INFO, ALL_ATHLETES)
        session.execute(BUMP_VERSION, {"athlete": athlete, "non_diary": 0 if wrote == DIARY else 1})
        conn.info.pop(WROTE, None)


@contextmanager
def _unit_of_work(
    session: Session, failure: str, *, url: str, path: Path | None
) -> Iterator[Session]:
    """Commit ``session`` on success, roll it back on any error (``failure`` says what the
    user sees for a database error of no known kind; ``path`` is the database file), and
    close it."""
    try:
        yield session
        _bump_if_written(session)
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()  # the connection forgets its noted writes (_forget_writes)
        raise database_error(exc, url=url, path=path, failure=failure) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _finish_reads(session: Session) -> None:
    """End a request's shared read transaction (``request_reads``). It only read; were
    anything written in it after all, it is stored and counted, never lost."""
    if not session.in_transaction():
        return
    try:
        _bump_if_written(session)
        session.commit()
    except SQLAlchemyError:
        session.rollback()


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block (one thread's work for a request), the read-only units of work of
    each PostgreSQL store and athlete share one connection and transaction, ended when the
    block ends (:class:`RequestReads`). Nested blocks share the outermost one's."""
    if REQUEST_READS.get() is not None:
        yield
        return
    reads = RequestReads()
    token = REQUEST_READS.set(reads)
    try:
        yield
    finally:
        REQUEST_READS.reset(token)
        reads.close(_finish_reads)


def _forget_writes(conn: Connection) -> None:
    """Engine ``rollback`` event: the writes noted in the transaction were not stored."""
    conn.info.pop(WROTE, None)


def _forget_writes_on_checkin(_dbapi_conn: Any, record: Any) -> None:
    """Pool ``checkin`` event: a connection goes back to the pool with no writes noted (a
    failed flush leaves a session unable to reach its connection to forget them itself)."""
    record.info.pop(WROTE, None)


ATHLETE_SETTING = "backstride.athlete_id"
"""PostgreSQL: the transaction's athlete, read by the row-level security policies
(migration 0013; docs/server.md, "Row-level security")."""


_SET_ATHLETE = text("SELECT set_config(:name, :value, true)")


def _scope_to_athlete(session: Session, athlete_id: int) -> None:
    """Set ``athlete_id`` on every transaction ``session`` begins (``SET LOCAL``)."""

    def set_athlete(_session: Session, _transaction: Any, connection: Connection) -> None:
        connection.execute(_SET_ATHLETE, {"name": ATHLETE_SETTING, "value": str(athlete_id)})

    event.listen(session, "after_begin", set_athlete)


class DataVersions(NamedTuple):
    """An athlete's data versions (``data_versions``): every change, and the changes of
    anything but the diary (:data:`DIARY_TABLES`)."""

    every_change: int
    non_diary: int


WRITE_WAIT_S = 10.0
"""How long a unit of work waits for the other threads' ones before it asks SQLite."""


class Store:
    """An engine plus its session factory; one per process and database.

    A file-based SQLite store has a second, read-only engine for :meth:`read_session`. Its
    file is inspected before it is opened (:func:`inspect_file`): a file on a read-only disk
    gives a store for viewing only (:attr:`read_only`; its writes fail with a clear error).
    """

    def __init__(
        self,
        url: str,
        *,
        auto_migrate: bool = True,
        lock_timeout_s: float = LOCK_TIMEOUT_S,
        statement_timeout_s: float = STATEMENT_TIMEOUT_S,
    ) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self.file: DatabaseFile | None = None
        if self.path is not None:
            _make_folder(self.path)
            self.file = inspect_file(self.path)
        self.read_only = self.file is not None and self.file.read_only
        if self.file is not None and self.read_only:
            if not self.file.exists:
                raise read_only_folder_error(self.file.path)
            self.engine = make_engine(url, uri=self.file.read_only_uri())
            check_revision(self.engine, self.file.path)
        else:
            self.engine = make_engine(
                url, lock_timeout_s=lock_timeout_s, statement_timeout_s=statement_timeout_s
            )
            if auto_migrate:
                migrate(self.engine, path=self.path)
            if self.file is not None and not self.file.has_id:
                try:
                    set_application_id(self.engine)
                except SQLAlchemyError as exc:
                    raise storage_error(exc, self.path, "Could not mark the database") from exc
        self.is_postgresql = self.engine.dialect.name == "postgresql"
        self.athlete_scope: int | None = None
        self._identity = file_identity(self.path) if self.path is not None else None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self._read_engine: Engine | None = None
        self._read_sessions = self._sessions
        if self.path is not None and not self.read_only:
            self._read_engine = make_engine(url, read_only=True)
            self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)
        elif self.is_postgresql:  # BEGIN READ ONLY: on the same connections, no extra trip
            self._read_sessions = sessionmaker(
                self.engine.execution_options(postgresql_readonly=True), expire_on_commit=False
            )
        self._statement_reads = self._read_sessions
        if self.is_postgresql:
            # A request's shared reads of no athlete (the login, the grant, the data
            # versions: ``web.access``) with no transaction block (each statement commits
            # on its own): under read committed every statement sees what was committed
            # before it either way, and a page answered from the cache then costs one round
            # trip, not three (BEGIN, the login's statement, COMMIT). An athlete's reads keep
            # theirs: the row-level security setting lives in the transaction.
            self._statement_reads = sessionmaker(
                self.engine.execution_options(isolation_level="AUTOCOMMIT"),
                expire_on_commit=False,
            )

    def scoped(self, athlete_id: int) -> Store:
        """This store, with every transaction scoped to ``athlete_id``: on PostgreSQL the
        row-level security policies then show and accept that athlete's rows only (a second
        wall behind the repositories' own ``athlete_id`` filters). Shares the engine."""
        view = copy.copy(self)
        view.athlete_scope = athlete_id
        return view

    def _new_session(self, factory: sessionmaker[Session]) -> Session:
        session = factory()
        if self.athlete_scope is not None:
            session.info[ATHLETE_INFO] = self.athlete_scope
        if self.athlete_scope is not None and self.engine.dialect.name == "postgresql":
            _scope_to_athlete(session, self.athlete_scope)
        return session

    def require_writable(self) -> None:
        """Refuse at once when the store was opened for viewing only (a read-only disk)."""
        if self.read_only and self.path is not None:
            raise read_only_error(self.path)

    def check_file(self) -> None:
        """Refuse to go on when the database file was removed or replaced since it was opened
        (a stat of the path: its device and inode). Cheap; called by every unit of work."""
        if self.path is not None and file_identity(self.path) != self._identity:
            raise replaced_error(self.path)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error.

        On SQLite, the units of work of one process's threads take turns here (a lock,
        handed over as soon as it is free); after :data:`WRITE_WAIT_S` a unit goes ahead to
        the wait for SQLite's write lock (tried every :data:`WRITE_POLL_S` up to
        ``busy_timeout``), as it did before. PostgreSQL lets writers run at once and locks
        only the rows they share (each worker process of a server writes beside the others
        anyway): there a thread's unit of work waits for no other, so a check-in is not held
        up by a professional's audited read in the same process.
        """
        self.check_file()
        locked = not self.is_postgresql and self._write_lock.acquire(timeout=WRITE_WAIT_S)
        try:
            failure = "The database refused the change"
            with _unit_of_work(
                self._new_session(self._sessions), failure, url=self.url, path=self.path
            ) as session:
                yield session
        finally:
            if locked:
                self._write_lock.release()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A unit of work that only reads: it never waits for the write lock (SQLite, WAL),
        and a write in it fails (SQLite: ``PRAGMA query_only``; PostgreSQL: a read-only
        transaction) instead of being stored. On PostgreSQL, within :func:`shared_reads`, the
        read-only units of work share one connection and transaction (``request_reads``);
        those of no athlete share a connection in autocommit (each statement its own
        transaction, no BEGIN and COMMIT: ``__init__``), so there a write would not be
        refused: only the request's checks read there (``web.access``)."""
        self.check_file()
        failure = "The database could not be read"
        reads = REQUEST_READS.get()
        if reads is not None and self.is_postgresql:
            key = (id(self.engine), self.athlete_scope)
            factory = self._statement_reads if self.athlete_scope is None else self._read_sessions
            with reads.session(key, lambda: self._new_session(factory)) as shared:
                if shared is not None:
                    try:
                        yield shared
                    except SQLAlchemyError as exc:
                        shared.rollback()  # PostgreSQL refuses the rest of a failed transaction
                        raise self.error(exc, failure) from exc
            if shared is not None:
                return
        with _unit_of_work(
            self._new_session(self._read_sessions), failure, url=self.url, path=self.path
        ) as session:
            yield session

    def error(self, exc: BaseException, failure: str) -> BackstrideError:
        """backstride's error for a database error of this store (no SQL, no password)."""
        return database_error(exc, url=self.url, path=self.path, failure=failure)

    def data_version(self, athlete_id: int | None = None) -> int:
        """How often the data of ``athlete_id`` (None: of anyone) changed: one small read,
        bumped by every writing unit of work, so caches of every process can tell."""
        return self.data_versions(athlete_id).every_change

    def data_versions(self, athlete_id: int | None = None) -> DataVersions:
        """:meth:`data_version`, and how often anything but the diary changed, in one read."""
        with self.read_session() as session:
            return read_data_versions(session, athlete_id)

    def file_mark(self) -> tuple[tuple[int, int], ...]:
        """An SQLite database's file and write-ahead log, each as (size, modification time):
        changed by every write of any program, also one that bypasses backstride's units of
        work; () for a server database (its data version tells)."""
        if self.path is None:
            return ()
        marks: list[tuple[int, int]] = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                st = os.stat(path)
                marks.append((st.st_size, st.st_mtime_ns))
            except OSError:
                marks.append((-1, -1))
        return tuple(marks)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._read_engine is not None:
            self._read_engine.dispose()
