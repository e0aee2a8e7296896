"""The engine, SQLite pragmas, and automatic migrations on first use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from backstride.errors import ConfigError, StorageError


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINTs work (the recipe in
    # SQLAlchemy's SQLite dialect documentation, "Serializable isolation / Savepoints").
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_query_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front (waiting up to busy_timeout for it). A deferred
    # BEGIN that reads and then writes fails at once with "database is locked" when another
    # connection wrote in between (WAL cannot upgrade an outdated read snapshot).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


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


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and a busy timeout.

    ``read_only`` (SQLite): every connection refuses writes (``PRAGMA query_only``) and
    begins its transactions deferred, so readers do not queue for the write lock.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"'{url}' is not a database path or URL.",
            hint="Give a file path (e.g. ~/runs.sqlite3) or an SQLAlchemy URL.",
        ) from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        db_path = Path(parsed.database or "")
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Could not create the folder for the database '{db_path}': {exc.strerror}.",
            ) from exc
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"Cannot use the database URL '{url}': {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
            event.listen(engine, "begin", _sqlite_begin_read)
        else:
            event.listen(engine, "begin", _sqlite_begin)
    return engine


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    location = resources.files("backstride.adapters.db") / "migrations"
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (no-op when it already is)."""
    cfg = _alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    try:
        current = current_revision(engine)
        if current == script.get_current_head():
            return
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise StorageError(
                "The database was written by a newer backstride (unknown schema "
                f"revision '{current}').",
                hint="Upgrade backstride, or point --db at another database.",
            )
        command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StorageError(
            f"Could not open or update the database: {exc.orig}.",
            hint="Check the path and that no other program holds the file locked.",
        ) from exc


@contextmanager
def _unit_of_work(session: Session, failure: str) -> Iterator[Session]:
    """Commit ``session`` on success, roll it back on any error (``failure`` says what the
    user sees for a database error), and close it."""
    try:
        yield session
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        raise StorageError(f"{failure}: {exc}") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


WRITE_WAIT_S = 10.0
"""How long a unit of work waits for the other threads' ones before it asks SQLite."""


class Store:
    """An engine plus its session factory; one per process and database.

    A file-based SQLite store has a second, read-only engine for :meth:`read_session`.
    """

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self._read_engine: Engine | None = None
        self._read_sessions = self._sessions
        if is_file_sqlite(url):
            self._read_engine = make_engine(url, read_only=True)
            self._read_sessions = sessionmaker(self._read_engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error.

        The units of work of one process's threads take turns here (a lock, handed over as
        soon as it is free) rather than in SQLite's busy handler, which polls with sleeps
        of up to 100 ms; after :data:`WRITE_WAIT_S` a unit goes ahead to SQLite's own wait
        (``busy_timeout``), as it did before.
        """
        locked = self._write_lock.acquire(timeout=WRITE_WAIT_S)
        try:
            with _unit_of_work(self._sessions(), "The database refused the change") as session:
                yield session
        finally:
            if locked:
                self._write_lock.release()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A unit of work that only reads: it never waits for the write lock (SQLite, WAL),
        and a write in it fails (``PRAGMA query_only``) instead of being stored."""
        with _unit_of_work(self._read_sessions(), "The database could not be read") as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self._read_engine is not None:
            self._read_engine.dispose()
