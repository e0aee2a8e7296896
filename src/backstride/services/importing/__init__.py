"""Importing activity files: atomic per file, idempotent, keeps going past bad files.

Workers (processes, one per core) read, hash, parse and analyse each file, decide its local
clock (:mod:`backstride.adapters.timezones`) and pack its samples; the main process writes.

Writing yields to the other writers of the database. Parsed files wait in memory and are
written in small batches, each its own transaction sized to hold SQLite's write lock for
about :data:`WRITE_HOLD_S`; after each commit the lock stays free for at least
:data:`WRITE_YIELD_S`, several times as long as backstride's waiting writes take between two
tries (``adapters.db.engine.WRITE_POLL_S``), so an edit from the dashboard (another process)
or another thread gets its turn within a fraction of a second instead of waiting for the
whole import, and the import is not held back by long pauses of its own. A batch lands whole
or not at all (a kill mid-batch loses only that batch, never part of a file); when a batch
fails, it is written again one file at a time, each in its own SAVEPOINT, so one bad file
does not cost the others.

Workers end with the importer: each asks the kernel to kill it when its parent dies (Linux
``PR_SET_PDEATHSIG``) and also watches its parent's id, and the importer turns SIGTERM into
an orderly stop that terminates the pool first (:class:`ImportTerminated`).
"""

from __future__ import annotations

from backstride.services.importing.parsing import (
    NON_ACTIVITY_BUDGET_S,
    PARALLEL_MIN_FILES,
    WORKER_NICENESS,
    apply_meta,
)
from backstride.services.importing.report import (
    FileResult,
    ImportReport,
    ImportTerminated,
    ImportWatcher,
    ProgressFn,
    Status,
    WriteStats,
)
from backstride.services.importing.use import (
    collect_sources,
    import_bytes,
    import_paths,
    import_paths_with_stats,
    limits_from,
)
from backstride.services.importing.writing import (
    MAX_BATCH_FILES,
    MAX_WAIT_S,
    WRITE_HOLD_S,
    WRITE_YIELD_S,
)

__all__ = [
    "FileResult",
    "ImportReport",
    "ImportTerminated",
    "ImportWatcher",
    "MAX_BATCH_FILES",
    "MAX_WAIT_S",
    "NON_ACTIVITY_BUDGET_S",
    "PARALLEL_MIN_FILES",
    "ProgressFn",
    "Status",
    "WORKER_NICENESS",
    "WRITE_HOLD_S",
    "WRITE_YIELD_S",
    "WriteStats",
    "apply_meta",
    "collect_sources",
    "import_bytes",
    "import_paths",
    "import_paths_with_stats",
    "limits_from",
]
