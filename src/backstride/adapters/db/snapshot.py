"""Every table as JSON-ready rows and back, counting and wiping rows, and SQLite's online backup.

Tables are *reflected* from the database (not taken from the models), so an archive written at
an older schema revision loads into a database brought to that same revision, and Alembic then
migrates the rows forward. Values: dates and times as ISO 8601 text (times naive, in UTC, as
stored), binary columns as base64, floats that are not finite as the strings ``"NaN"``,
``"Infinity"`` or ``"-Infinity"``.
"""

from __future__ import annotations

import base64
import math
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backstride.adapters.db.job_tables import QUEUE_TABLE_PREFIX
from backstride.errors import StorageError

#: Tables that are not the runner's data (the schema revision travels in the manifest).
SKIPPED_TABLES = frozenset({"alembic_version", "data_versions"})
"""Bookkeeping, not the runner's data: the schema's revision, the caches' data versions."""


def reflect(conn: Connection) -> sa.MetaData:
    meta = sa.MetaData()
    meta.reflect(bind=conn)
    return meta


def data_tables(meta: sa.MetaData) -> list[sa.Table]:
    """The runner's tables, parents before children (foreign-key order)."""
    return [
        t
        for t in meta.sorted_tables
        if t.name not in SKIPPED_TABLES and not t.name.startswith(QUEUE_TABLE_PREFIX)
    ]


def column_kind(column: sa.Column[Any]) -> str:
    """``binary``, ``datetime``, ``date``, ``float``, ``bool``, ``int`` or ``text``."""
    t = column.type
    if isinstance(t, sa.LargeBinary):
        return "binary"
    if isinstance(t, sa.DateTime):
        return "datetime"
    if isinstance(t, sa.Date):
        return "date"
    if isinstance(t, sa.Float | sa.Numeric):
        return "float"
    if isinstance(t, sa.Boolean):
        return "bool"
    if isinstance(t, sa.Integer):
        return "int"
    return "text"


def encode_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind in ("datetime", "date"):
        assert isinstance(value, date)
        return value.isoformat()
    if kind == "float":
        f = float(value)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    if kind == "bool":
        return bool(value)
    return value


def decode_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "binary":
        if isinstance(value, bytes):  # already bytes (e.g. read from the archive)
            return value
        return base64.b64decode(str(value), validate=True)
    if kind == "datetime":
        parsed = datetime.fromisoformat(str(value))
        return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed
    if kind == "date":
        return date.fromisoformat(str(value))
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"not an integer: {value!r}")
        return value
    return value


@dataclass(frozen=True, slots=True)
class TableShape:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, kind)


def shape_of(table: sa.Table) -> TableShape:
    return TableShape(table.name, tuple((c.name, column_kind(c)) for c in table.columns))


def iter_rows(conn: Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    """The table's rows, encoded, in primary-key order."""
    shape = shape_of(table)
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(stream_results=True).execute(sa.select(table).order_by(*order))
    for row in result.mappings():
        yield {name: encode_value(kind, row[name]) for name, kind in shape.columns}


def count_rows(conn: Connection) -> dict[str, int]:
    meta = reflect(conn)
    return {
        t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
        for t in data_tables(meta)
    }


def insert_rows(
    conn: Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    transform: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    batch: int = 500,
) -> int:
    """Insert encoded ``rows`` into ``table`` (unknown columns are an error); ``transform``
    sees each encoded row first and may put bytes into binary columns."""
    shape = dict(shape_of(table).columns)
    chunk: list[dict[str, Any]] = []
    done = 0
    for raw in rows:
        unknown = set(raw) - set(shape)
        if unknown:
            raise ValueError(f"table {table.name} has no column {sorted(unknown)[0]!r}")
        row = transform(dict(raw)) if transform is not None else raw
        chunk.append({k: decode_value(shape[k], v) for k, v in row.items()})
        if len(chunk) >= batch:
            conn.execute(sa.insert(table), chunk)
            done += len(chunk)
            chunk = []
    if chunk:
        conn.execute(sa.insert(table), chunk)
        done += len(chunk)
    return done


def reset_sequences(conn: Connection, tables: Sequence[sa.Table]) -> None:
    """PostgreSQL: move each ``id`` sequence past the ids just inserted (SQLite needs none)."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        if "id" in t.columns and isinstance(t.columns["id"].type, sa.Integer):
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{t.name}"), 0) + 1, false)'
                ),
                {"t": t.name},
            )


def wipe_rows(conn: Connection) -> int:
    """Delete every row of every data table, children first; returns the rows deleted."""
    meta = reflect(conn)
    total = 0
    for t in reversed(data_tables(meta)):
        result = conn.execute(sa.delete(t))
        total += int(getattr(result, "rowcount", 0) or 0)
    return total


def compact_sqlite(db_path: Path) -> None:
    """Rewrite the file without its free pages and empty the write-ahead log, so deleted
    rows do not linger on disk (``VACUUM``, then ``wal_checkpoint(TRUNCATE)``)."""
    con = sqlite3.connect(db_path, timeout=30.0, isolation_level=None)
    try:
        con.execute("PRAGMA busy_timeout=30000")
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        raise StorageError(f"Could not compact the database: {exc}.") from exc
    finally:
        con.close()


def backup_sqlite(db_path: Path, target: Path) -> int:
    """Copy a live SQLite database with the online backup API, in one step (one consistent
    snapshot, even while another process writes in WAL mode), into ``target`` via a temporary
    file; the copy is checked with ``PRAGMA integrity_check`` and is a single file (rollback
    journal). Returns the copy's size in bytes."""
    tmp = target.with_name(f".{target.name}.part")
    tmp.unlink(missing_ok=True)
    source: sqlite3.Connection | None = None
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30.0)
        source.execute("PRAGMA busy_timeout=30000")
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode=DELETE")
            check = dest.execute("PRAGMA integrity_check").fetchone()
            if check is None or check[0] != "ok":
                raise StorageError(f"The backup copy failed its integrity check: {check}.")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            f"Could not back up the database: {exc}.",
            hint="Check that the database exists and the target folder has space.",
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if source is not None:
            source.close()
    tmp.replace(target)
    return target.stat().st_size
