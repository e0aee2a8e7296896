"""How far an SQLite database's data has come, read with the ``sqlite3`` module alone.

A cached answer is reused only while its database's mark is unchanged (``services/day_cache``).
The mark joins

* the data version (``data_versions``, bumped by every writing unit of work of any process,
  ``engine.Store``), summed over every athlete,
* the schema revision (``alembic_version``), and
* the database file's identity, size and modification time, so that a file replaced by a copy
  (a backup put back, whose data version may come to equal the old one) is a new database.

Reading it costs a few milliseconds and no SQLAlchemy: the connection is read-only
(``mode=ro``) and changes nothing.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

Mark = tuple[int | str, ...]


def sqlite_mark(path: Path) -> Mark | None:
    """The mark of the SQLite database at ``path``; None when it cannot be read (no file, not
    a backstride database, locked for longer than a second)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except (sqlite3.Error, ValueError):
        return None
    try:
        version = con.execute("SELECT coalesce(sum(version), 0) FROM data_versions").fetchone()
        revisions = con.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return (
        st.st_dev,
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
        int(version[0]),
        ",".join(sorted(str(r[0]) for r in revisions)),
    )
