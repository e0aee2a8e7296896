"""What an import reports: each file's result, the whole report, the write statistics, and
the stops (a termination signal, a full or read-only disk)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from backstride.errors import (
    DiskFullError,
    ReadOnlyStorageError,
    StorageError,
)

Status = Literal["imported", "duplicate", "skipped", "failed"]
ProgressFn = Callable[[int, int, str], None]


class ImportWatcher(Protocol):
    """Follows an import as it goes (a background job's progress): how many files it found,
    then each batch of outcomes, in the batch's own transaction (so what it records commits
    with the files, or not at all)."""

    def found(self, total: int) -> None: ...

    def batch_written(self, session: Session, results: Sequence[FileResult]) -> None: ...


class ImportTerminated(KeyboardInterrupt):
    """The importer received SIGTERM: the pool is stopped, the batch in hand is stored and
    counted (see :class:`TerminationGate`), and the caller exits.

    ``report`` holds the files stored (or reported) before the stop.
    """

    def __init__(self) -> None:
        super().__init__()
        self.report = ImportReport()


class TerminationGate:
    """Where SIGTERM takes effect. Outside a :meth:`held` block it raises
    :class:`ImportTerminated` at once; inside one (a batch being stored and counted) it
    waits until the block ends, so a batch is never committed without being counted: the
    report always tells what was stored."""

    def __init__(self) -> None:
        self._depth = 0
        self._requested = False

    def reset(self) -> None:
        self._depth, self._requested = 0, False

    def request(self) -> None:
        """The signal arrived (called from the signal handler, in the main thread)."""
        if self._depth:
            self._requested = True
        else:
            raise ImportTerminated()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._requested:
                self._requested = False
                raise ImportTerminated()


TERMINATION = TerminationGate()


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    status: Status
    reason: str | None = None
    activity_ids: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "activity_ids": list(self.activity_ids),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Each file's outcome. ``stopped`` is the storage error (full disk, damaged database...)
    that ended the import early: files from then on are reported as failed, none half-stored."""

    files: tuple[FileResult, ...] = ()
    stopped: StorageError | None = None

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    @property
    def activity_ids(self) -> tuple[int, ...]:
        return tuple(i for f in self.files if f.status == "imported" for i in f.activity_ids)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "imported": self.count("imported"),
            "duplicate": self.count("duplicate"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "files": [f.to_json() for f in self.files],
        }
        if self.stopped is not None:
            out["stopped"] = {"message": self.stopped.message, "hint": self.stopped.hint}
        return out


class _ImportStopped(Exception):
    """A storage error ended the import; ``results`` are the files reported so far, each
    once and in order (what was committed, then what was not stored)."""

    def __init__(self, results: list[FileResult], error: StorageError) -> None:
        super().__init__(error.message)
        self.results = results
        self.error = error


def _stop_reason(error: StorageError) -> str:
    if isinstance(error, DiskFullError):
        return "not stored: the disk is full"
    if isinstance(error, ReadOnlyStorageError):
        return "not stored: the database is read-only"
    return "not stored: the import stopped on a database error"


def _not_stored(result: FileResult, error: StorageError) -> FileResult:
    """A file whose writes were rolled back: only an import is undone, other outcomes stand."""
    if result.status != "imported":
        return result
    return FileResult(result.path, "failed", _stop_reason(error))


@dataclass(frozen=True, slots=True)
class WriteStats:
    """How the writer shared the database: batches written, the longest lock hold, the
    shortest free gap between two batches and the time the lock was held in all."""

    batches: int = 0
    longest_hold_s: float = 0.0
    shortest_gap_s: float | None = None
    held_s: float = 0.0
