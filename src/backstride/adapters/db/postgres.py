"""PostgreSQL: connection settings, advisory locks, and its errors in a runner's words.

On SQLite one writer at a time is guaranteed by ``BEGIN IMMEDIATE``; on PostgreSQL many
transactions run at once, so what must never happen twice is serialised with transaction-level
advisory locks (:func:`advisory_xact_lock`): creating the first athlete, an import's batch
(check for the same file or activity, then insert) and the schema migration (a session-level
lock around Alembic, :data:`MIGRATE_LOCK`). Each lock is a pair of 32-bit keys: the first
says what is locked, the second for whom (an athlete id, or 0).

Every connection gets a ``lock_timeout`` and a ``statement_timeout``
(:func:`connect_options`): a change that waits too long for another's lock, or a query that
runs away, ends with a clear "busy, try again" (HTTP 503) instead of hanging a worker.

:func:`postgres_error` turns psycopg's errors into backstride's: the message never carries
the SQL statement, its parameters, or the password of the database URL.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session

from backstride.errors import (
    BackstrideError,
    DiskFullError,
    InvalidInputError,
    ReadOnlyStorageError,
    StorageError,
)

# First keys of the advisory locks (what is locked); "bs" in the high bytes keeps them apart
# from other applications' locks on a shared server.
ATHLETE_LOCK = 0x62730001
"""Creating an athlete (second key 0)."""
IMPORT_LOCK = 0x62730002
"""Writing an import batch for one athlete (second key: the athlete)."""
MIGRATE_LOCK = 0x62730003
"""Migrating the schema (second key 0; a session-level lock)."""

LOCK_TIMEOUT_S = 10.0
"""How long a change waits for another transaction's lock before it gives up (busy)."""
STATEMENT_TIMEOUT_S = 120.0
"""How long one statement may run before PostgreSQL cancels it."""

IDLE_PING_S = 30.0
"""A pooled connection unused for longer than this is asked whether it still works before a
unit of work gets it (PgBouncer's ``server_check_delay``, 30 s by default, for the same)."""
_CHECKED_IN_AT = "backstride_checked_in_at"

# SQLSTATE codes (PostgreSQL manual, appendix A).
_INVALID_PASSWORD = {"28P01", "28000"}
_NO_DATABASE = "3D000"
_QUERY_CANCELED = "57014"
_LOCK_NOT_AVAILABLE = "55P03"
_RETRY = {"40001", "40P01"}  # serialization failure, deadlock
_DISK_FULL = "53100"
_READ_ONLY = "25006"
_NUMBER_OUT_OF_RANGE = "22003"
_BAD_TEXT = {"22021", "22P05"}  # bad bytes for the encoding, untranslatable character


def ping_when_idle(engine: Engine, *, idle_s: float | None = None) -> None:
    """Ask a pooled connection whether it still works (an empty query) when it was unused
    for more than ``idle_s`` (a restarted server, a dropped network connection), and take
    another in its place if not, instead of pinging at every checkout
    (``pool_pre_ping``): a request checks out a connection for each of its units of work, and
    each ping was a round trip, and a transaction PostgreSQL counts, of its own. A connection
    that broke while in steady use fails the statement that meets it, which invalidates the
    pool's older connections as well (SQLAlchemy's "disconnect handling"), so the next unit
    of work connects anew. ``idle_s``: default :data:`IDLE_PING_S` (as it is at each checkout).
    """

    def stamp(_dbapi_conn: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    def check(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN_AT)
        limit = IDLE_PING_S if idle_s is None else idle_s
        if since is None or time.monotonic() - since <= limit:
            return  # just connected, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # any failure: this connection is not to be used
            raise DisconnectionError("the pooled connection no longer works") from exc

    event.listen(engine.pool, "checkin", stamp)
    event.listen(engine.pool, "checkout", check)


def is_postgresql(url: str) -> bool:
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is simply not ours
        return False


def connect_options(*, lock_timeout_s: float, statement_timeout_s: float) -> dict[str, Any]:
    """``connect_args`` for psycopg: timeouts set at connection start (libpq ``options``)."""
    lock_ms = max(1, int(lock_timeout_s * 1000))
    statement_ms = max(1, int(statement_timeout_s * 1000))
    return {
        "options": f"-c lock_timeout={lock_ms} -c statement_timeout={statement_ms}",
        "application_name": "backstride",
        "connect_timeout": 10,
    }


def advisory_xact_lock(session: Session | Connection, key: int, sub: int = 0) -> None:
    """Wait for the advisory lock (``key``, ``sub``) until the transaction ends (PostgreSQL;
    a no-op elsewhere, where transactions already take turns)."""
    bind = session.get_bind() if isinstance(session, Session) else session
    if bind.dialect.name != "postgresql":
        return
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key, :sub)"), {"key": key, "sub": _int4(sub)}
    )


def _int4(value: int) -> int:
    """A 32-bit key for any id (ids above 2**31 fold over; a shared lock is only slower)."""
    return ((value + 2**31) % 2**32) - 2**31


def safe_url(url: str) -> str:
    """The database URL with its password masked (for messages and ``config show``)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL: nothing to mask
        return url


def _where(url: str) -> str:
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001
        return "the database server"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    name = f" (database '{parsed.database}')" if parsed.database else ""
    return f"the PostgreSQL server at {host}{port}{name}"


def _sqlstate(exc: BaseException) -> str | None:
    state = getattr(exc, "sqlstate", None)
    return state if isinstance(state, str) else None


def _primary_message(exc: BaseException) -> str:
    """PostgreSQL's short message, without the statement, its position or details."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    if primary:
        return str(primary)
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def postgres_error(exc: BaseException, url: str, failure: str) -> BackstrideError:
    """A backstride error for a psycopg (or SQLAlchemy-wrapped) error on ``url``."""
    orig = getattr(exc, "orig", None) or exc
    state = _sqlstate(orig)
    where = _where(url)
    message = _primary_message(orig)
    if state is None:
        message = " ".join(str(orig).split())
    if state in _INVALID_PASSWORD or "password authentication failed" in message:
        return StorageError(
            f"{where} refused the user name or password given in the database URL.",
            hint="Check the user and password in --db (or BACKSTRIDE_DB).",
        )
    # A refused connection has no SQLSTATE: libpq's message tells (the server's FATAL line).
    if state == _NO_DATABASE or ("database" in message and "does not exist" in message):
        return StorageError(
            f"{where} has no such database.",
            hint="Create it (createdb NAME) or correct the name in --db.",
        )
    if state == _QUERY_CANCELED:
        return StorageError(
            "The database took too long to answer, so the request was stopped; nothing was "
            "changed by it.",
            hint="Try again in a moment; if it keeps happening, the server is overloaded.",
        )
    if state == _LOCK_NOT_AVAILABLE or state in _RETRY:
        return StorageError(
            "The database is busy with another change to the same data; this one was not saved.",
            hint="Wait a moment and try again.",
        )
    if state == _DISK_FULL:
        return DiskFullError(
            f"The disk of {where} is full, so this change was not saved. Nothing stored "
            "before was lost.",
            hint="Ask whoever runs the database server to free space.",
        )
    if state == _READ_ONLY:
        return ReadOnlyStorageError(
            f"{where} accepts no changes (a read-only server or standby).",
            hint="Point --db at the primary server.",
        )
    if state == _NUMBER_OUT_OF_RANGE:
        return InvalidInputError("A number given is too large to be stored.")
    if state in _BAD_TEXT or "NUL" in message:
        return InvalidInputError(
            "Text may not contain the character NUL (\\0) or bytes that are not text."
        )
    if (state is None and type(orig).__name__ == "OperationalError") or (
        state is not None and state.startswith("08")
    ):
        return StorageError(
            f"Could not reach {where}.",
            hint="Check that the server runs and that host, port and database in --db are right.",
        )
    if state is None:
        return StorageError(f"{failure}.")
    return StorageError(f"{failure} ({message}; PostgreSQL error {state}).")
