"""``backstride import`` announces itself to a dashboard serving the same SQLite file.

Light on purpose (the standard library alone): the import announces itself before it loads
what it parses and stores with, which takes a second, during which a dashboard that does not
know yet takes the cores the import needs (``web.cpu_share``, ``adapters.db.import_marker``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from backstride.adapters.db.import_marker import ImportWatch, announce_import, sqlite_file_of


def announcing_import(database_url: str) -> contextlib.AbstractContextManager[None]:
    """Held by ``backstride import`` while it runs into ``database_url``: a dashboard serving
    the same SQLite file keeps to its share of the CPU from the import's start."""
    return announce_import(sqlite_file_of(database_url))


def import_announced(database_url: str) -> Callable[[], bool] | None:
    """Whether an import announced itself into the SQLite file of ``database_url`` (asked
    of the file at most every quarter of a second); None for another database."""
    path = sqlite_file_of(database_url)
    return ImportWatch(path) if path is not None else None
