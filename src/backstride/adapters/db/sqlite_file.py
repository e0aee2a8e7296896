"""The SQLite database file itself: is it backstride's, can it be written, is it still there?

Before backstride opens a file with SQLAlchemy (which would switch it to WAL and add tables),
:func:`inspect_file` looks at it without changing a byte:

* a file that is not an SQLite database, or a damaged one, is refused
  (:class:`~backstride.errors.DamagedDatabaseError`: which file, restore a backup);
* a database of another program is refused (:class:`~backstride.errors.ForeignDatabaseError`).
  backstride's own files carry ``PRAGMA application_id`` = :data:`APPLICATION_ID`; files from
  before that are recognised by their tables (``alembic_version`` next to backstride's) and
  get the id on their next writable open. An empty database (no tables) is free to use;
* a file on a read-only disk or in a read-only folder is opened for viewing only
  (:attr:`DatabaseFile.read_only`): reads work and writes are refused with a clear message.

:func:`file_identity` (device and inode) lets a long-running server notice that its file was
removed or replaced (see :meth:`backstride.adapters.db.engine.Store.check_file`).

Storage errors from SQLite are translated into backstride's errors by
:func:`storage_error`, so a full disk, a read-only file or a damaged database each say what
happened and what to do instead of SQLite's own words.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from backstride.errors import (
    DamagedDatabaseError,
    DatabaseReplacedError,
    DiskFullError,
    ForeignDatabaseError,
    ReadOnlyStorageError,
    StorageError,
)

APPLICATION_ID = 0x62737472
"""``PRAGMA application_id`` of backstride's databases: the bytes "bstr"."""
SQLITE_HEADER = b"SQLite format 3\x00"
OWN_TABLES = frozenset({"alembic_version", "athletes", "activities"})
"""Tables that together mark a database written by backstride before it set its id."""
LOW_SPACE_BYTES = 1024 * 1024
"""Below this much free space, a disk I/O error is taken to be a full disk."""

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

RESTORE_HINT = (
    "Restore the file from a backup copy, or point --db at another database (a new file name "
    "starts an empty one). Keep the damaged file: it may help to recover recent entries."
)


@dataclass(frozen=True, slots=True)
class DatabaseFile:
    """What :func:`inspect_file` found: how the file may be opened."""

    path: Path
    exists: bool
    read_only: bool
    has_id: bool

    def read_only_uri(self) -> str:
        """An SQLite URI that opens the file for reading only.

        On a read-only disk SQLite cannot create the WAL index (``-shm``); a file without a
        WAL to replay is then opened ``immutable`` (nothing can change it anyway).
        """
        uri = f"file:{quote(str(self.path))}?mode=ro"
        wal = Path(f"{self.path}-wal")
        if self.read_only and not (wal.exists() and wal.stat().st_size > 0):
            uri += "&immutable=1"
        return uri


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``, or None when there is no file there."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def _writable(path: Path) -> bool:
    """Whether ``path`` (and its folder, for SQLite's journal files) may be written.

    ``os.access`` answers for the real user and reports a read-only mount even to root.
    """
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def damaged_error(path: Path, detail: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        f"The database file '{path}' is damaged or is not a database ({detail}), so "
        "backstride cannot use it.",
        hint=RESTORE_HINT,
    )


def inspect_file(path: Path) -> DatabaseFile:
    """Look at a database file without changing it; refuse one backstride must not open."""
    if path.is_dir():
        raise StorageError(
            f"'{path}' is a folder, not a database file.",
            hint="Point --db at a file, e.g. a name ending in .sqlite3 inside that folder.",
        )
    writable = _writable(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return DatabaseFile(path, exists=False, read_only=not writable, has_id=False)
    except OSError as exc:
        raise StorageError(f"Cannot read the database file '{path}': {exc.strerror}.") from exc
    if size == 0:
        return DatabaseFile(path, exists=True, read_only=not writable, has_id=False)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise StorageError(
            f"backstride may not read the database file '{path}'.",
            hint="Check the file's owner and permissions.",
        ) from exc
    except OSError as exc:
        raise damaged_error(path, exc.strerror or "it could not be read") from exc
    if header != SQLITE_HEADER:
        raise damaged_error(path, "it does not start like an SQLite database")
    probe = DatabaseFile(path, exists=True, read_only=not writable, has_id=False)
    try:
        con = sqlite3.connect(probe.read_only_uri(), uri=True)
        try:
            app_id = int(con.execute("PRAGMA application_id").fetchone()[0])
            tables = {
                str(row[0])
                for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not str(row[0]).startswith("sqlite_")
            }
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise storage_error(exc, path, "Could not open the database") from exc
    if app_id != APPLICATION_ID and not (app_id == 0 and _own_tables(tables)):
        raise foreign_error(path, app_id, tables)
    return DatabaseFile(path, exists=True, read_only=not writable, has_id=app_id != 0)


def _own_tables(tables: set[str]) -> bool:
    return not tables or OWN_TABLES <= tables


def foreign_error(path: Path, app_id: int, tables: set[str]) -> ForeignDatabaseError:
    if app_id:
        what = f"its application id is {app_id:#x}, not backstride's"
    else:
        shown = ", ".join(sorted(tables)[:4]) + (", ..." if len(tables) > 4 else "")
        what = f"it holds tables backstride did not make: {shown}"
    return ForeignDatabaseError(
        f"'{path}' is another program's database ({what}), so backstride left it untouched.",
        hint="Point --db at your backstride database, or at a new file name to start one.",
    )


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _low_on_space(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def disk_full_error(path: Path) -> DiskFullError:
    return DiskFullError(
        f"The disk holding '{path}' is full, so this change was not saved. Nothing stored "
        "before was lost.",
        hint="Free some space on that disk, then try again.",
    )


def read_only_error(path: Path) -> ReadOnlyStorageError:
    return ReadOnlyStorageError(
        f"The database '{path}' is on a read-only disk or in a read-only folder, so backstride "
        "opened it for viewing only and this change was not saved.",
        hint="Copy the database to a writable folder and point --db at the copy, or make the "
        "folder writable, then try again.",
    )


def read_only_folder_error(path: Path) -> ReadOnlyStorageError:
    return ReadOnlyStorageError(
        f"Cannot create the database '{path}': its folder is on a read-only disk or may not be "
        "written.",
        hint="Point --db at a file in a folder you may write to.",
    )


def replaced_error(path: Path) -> DatabaseReplacedError:
    return DatabaseReplacedError(
        f"The database file '{path}' was removed or replaced while backstride had it open, so "
        "backstride stopped using it and did not save this change.",
        hint="Restart backstride to open the file that is there now. If the file was removed "
        "by mistake, restore it from a backup copy.",
    )


FATAL_CODES = frozenset(
    {SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB}
)


def is_fatal(exc: BaseException) -> bool:
    """Whether a database error stops every further write (a full or read-only disk, a
    damaged file), as opposed to one refused row."""
    return _primary_code(getattr(exc, "orig", None) or exc) in FATAL_CODES


def storage_error(exc: BaseException, path: Path | None, failure: str) -> StorageError:
    """A backstride error for an SQLite (or OS) error about the database at ``path``.

    ``failure`` says what was being done ("The database refused the change"); it leads the
    message when the error is none of the known kinds.
    """
    orig = getattr(exc, "orig", None) or exc
    code = _primary_code(orig)
    os_errno = orig.errno if isinstance(orig, OSError) else None
    where = path if path is not None else Path("the database")
    if code == SQLITE_FULL or os_errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full_error(where)
    if code == SQLITE_READONLY or os_errno == errno.EROFS:
        return read_only_error(where)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged_error(where, str(orig))
    if code == SQLITE_IOERR:
        if path is not None and _low_on_space(path):
            return disk_full_error(where)
        return StorageError(
            f"The disk reported an error while reading or writing '{where}' ({orig}).",
            hint="Check that the disk is still connected and has free space, then try again.",
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StorageError(
            f"The database '{where}' is busy: another program is writing to it.",
            hint="Wait a moment and try again; check that no other program holds the file locked.",
        )
    if code == SQLITE_CANTOPEN:
        return StorageError(
            f"Cannot open the database file '{where}'.",
            hint="Check the path, and that the folder exists and may be read.",
        )
    return StorageError(f"{failure}: {orig}.")
