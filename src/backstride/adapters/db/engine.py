"""The engine, SQLite pragmas, and automatic migrations on first use."""

from __future__ import annotations

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


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front (waiting up to busy_timeout for it). A deferred
    # BEGIN that reads and then writes fails at once with "database is locked" when another
    # connection wrote in between (WAL cannot upgrade an outdated read snapshot).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and a busy timeout."""
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


class Store:
    """An engine plus its session factory; one per process and database."""

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StorageError(f"The database refused the change: {exc}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
