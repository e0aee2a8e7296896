"""Importing activity files: atomic per file, idempotent, keeps going past bad files.

Workers (processes, one per core) read, hash, parse and analyse each file, decide its local
clock (:mod:`backstride.adapters.timezones`) and pack its samples; the main process writes.

Writing yields to the other writers of the database. Parsed files wait in memory and are
written in small batches, each its own transaction sized to hold SQLite's write lock for
about :data:`WRITE_HOLD_S`; after each commit the lock stays free for at least
:data:`WRITE_YIELD_S`, longer than SQLite's busy handler sleeps between two tries, so an edit
from the dashboard (another process) or another thread gets its turn within a fraction of a
second instead of waiting for the whole import. A batch lands whole or not at all (a kill
mid-batch loses only that batch, never part of a file); when a batch fails, it is written
again one file at a time, each in its own SAVEPOINT, so one bad file does not cost the others.

Workers end with the importer: each asks the kernel to kill it when its parent dies (Linux
``PR_SET_PDEATHSIG``) and also watches its parent's id, and the importer turns SIGTERM into
an orderly stop that terminates the pool first (:class:`ImportTerminated`).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Literal

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backstride.adapters.db.blobs import EncodedStreams
from backstride.adapters.db.data_repos import OriginalFileRepo, compress_original
from backstride.adapters.db.repos import ActivityRepo, ImportRecordRepo, activity_values
from backstride.adapters.db.sqlite_file import is_fatal
from backstride.adapters.files.archive import (
    ActivityMeta,
    SourceFile,
    SourceLimits,
    SourceProblem,
    close_cached_archives,
    iter_sources,
)
from backstride.adapters.files.detect import parse_activity_bytes
from backstride.adapters.timezones import ZoneSetting, placed, resolve_zone
from backstride.domain.activity import Activity, Sport, Streams, map_sport
from backstride.domain.metrics import HeartProfile, analyse_activity
from backstride.errors import (
    ActivityFileError,
    BackstrideError,
    DiskFullError,
    NotAnActivityError,
    ReadOnlyStorageError,
    StorageError,
)
from backstride.services.context import App
from backstride.services.shoes import assign_default_shoes_in
from backstride.services.training import AnalysisProfile, analysis_profile, metrics_values

Status = Literal["imported", "duplicate", "skipped", "failed"]
ProgressFn = Callable[[int, int, str], None]

PARALLEL_MIN_FILES = 8
WRITE_HOLD_S = 0.1
"""Aim: the write lock is held about this long per batch (the batch size adapts to it)."""
WRITE_YIELD_S = 0.12
"""After each commit the lock stays free at least this long: SQLite's busy handler sleeps at
most 100 ms between two tries, so a waiting writer always sees it free once."""
MAX_BATCH_FILES = 200
MAX_WAIT_S = 1.0
"""A parsed file waits at most about this long before it is written (progress, safety)."""
NON_ACTIVITY_BUDGET_S = 5.0
"""Worker time one archive may spend on members that turn out not to be activities; past it,
the rest of that archive is not read (one failed entry says so)."""
WORKER_NICENESS = 10
"""Parser processes run at a lower CPU priority: when the machine is busy, the writer (which
holds the write lock) and the dashboard answer first; alone, the import runs as fast."""
_PR_SET_PDEATHSIG = 1
_PARENT_POLL_S = 0.5


class ImportTerminated(KeyboardInterrupt):
    """The importer received SIGTERM: the pool is stopped, the batch being written is rolled
    back (files already committed stay), and the caller exits.

    ``report`` holds the files stored (or reported) before the stop.
    """

    def __init__(self) -> None:
        super().__init__()
        self.report = ImportReport()


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
    """How the writer shared the database: batches written and the longest lock hold."""

    batches: int = 0
    longest_hold_s: float = 0.0
    shortest_gap_s: float | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One activity ready to store: its columns, packed streams and cached analysis columns."""

    activity: Activity
    values: dict[str, Any]
    encoded: EncodedStreams
    metrics: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a worker sends back for one file."""

    display_path: str
    content_hash: str | None
    size_bytes: int
    prepared: tuple[_Prepared, ...] = ()
    status: Status | None = None  # set when the worker already decided (duplicate/failed/...)
    reason: str | None = None
    original: bytes | None = None  # the file's bytes as imported, compressed (kept for export)
    work_s: float = 0.0  # worker time spent on the file (read, parse, analyse)

    @property
    def weight_bytes(self) -> int:
        return sum(len(p.encoded.data) for p in self.prepared)


@dataclass
class _WorkerState:
    known_hashes: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = 200 * 1024 * 1024
    heart: HeartProfile | None = None
    profile_key: str = "none"
    zone: ZoneSetting | None = None


_STATE = _WorkerState()


def _init_state(
    known: frozenset[str], max_bytes: int, profile: AnalysisProfile, zone_name: str
) -> None:
    _STATE.known_hashes = known
    _STATE.max_bytes = max_bytes
    _STATE.heart = profile.heart
    _STATE.profile_key = profile.key
    _STATE.zone = resolve_zone(zone_name)


def _init_worker(
    parent_pid: int,
    known: frozenset[str],
    max_bytes: int,
    profile: AnalysisProfile,
    zone_name: str,
) -> None:
    """A parser process starts: it ends with its parent, leaves Ctrl-C to it, then gets state."""
    _die_with_parent(parent_pid)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)  # parsing gives way to the writer and to the dashboard
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _init_state(known, max_bytes, profile, zone_name)


def _die_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` ends, however it ends (TERM, KILL, a crash).

    Linux kills it outright (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); everywhere, a thread
    checks every half second that the parent is still the same and exits otherwise. A worker
    holds the database file (inherited) and the caller's output: it must not outlive the
    import.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(_PARENT_POLL_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def apply_meta(activity: Activity, meta: ActivityMeta | None) -> Activity:
    """Fold Strava activities.csv details (name, type, gear, description) into an activity.

    Strava's ``Activity Date`` is UTC (the same instant as the file's own start), so it says
    nothing about the local day and is not used here.
    """
    if meta is None:
        return activity
    changes: dict[str, Any] = {}
    if meta.name:
        changes["name"] = meta.name
    if meta.description and not activity.notes:
        changes["notes"] = meta.description
    if meta.gear:
        changes["gear"] = meta.gear
    if meta.sport_label:
        sport = map_sport(meta.sport_label)
        if sport is not Sport.OTHER and not (activity.sport.is_run and sport is Sport.RUN):
            changes["sport"] = sport
        changes["source_sport"] = (
            f"{activity.source_sport} ({meta.sport_label})"
            if activity.source_sport
            else meta.sport_label
        )
    return replace(activity, **changes) if changes else activity


def _prepare(activity: Activity, *, source_label: str, content_hash: str) -> _Prepared:
    zone = _STATE.zone if _STATE.zone is not None else resolve_zone(None)
    activity = placed(activity, setting=zone)
    analysis = analyse_activity(activity, profile=_STATE.heart)
    encoded = EncodedStreams.of(activity.streams)
    values = activity_values(0, activity, source_label=source_label, content_hash=content_hash)
    metrics = metrics_values(activity, analysis, _STATE.profile_key)
    return _Prepared(replace(activity, streams=Streams.empty()), values, encoded, metrics)


def _parse_data(data: bytes, *, display_path: str, name: str, meta: ActivityMeta | None) -> _Parsed:
    """Hash, parse and analyse one file's bytes into a worker's answer."""
    digest = hashlib.sha256(data).hexdigest()

    def outcome(status: Status, reason: str) -> _Parsed:
        return _Parsed(display_path, digest, len(data), status=status, reason=reason)

    if digest in _STATE.known_hashes:
        return outcome("duplicate", "already imported (same file content)")
    try:
        activities = parse_activity_bytes(data, name, max_bytes=_STATE.max_bytes)
        prepared = tuple(
            _prepare(apply_meta(a, meta), source_label=display_path, content_hash=digest)
            for a in activities
        )
    except NotAnActivityError as exc:
        return outcome("skipped", exc.message)
    except BackstrideError as exc:
        return outcome("failed", exc.message)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop a bulk import
        return outcome("failed", f"unexpected problem reading the file ({type(exc).__name__})")
    if not prepared:
        return outcome("skipped", "skipped: the file holds no activity")
    return _Parsed(
        display_path, digest, len(data), prepared=prepared, original=compress_original(data)
    )


def _parse_source(source: SourceFile) -> _Parsed:
    """Read, hash and parse one file. Runs in a worker process (or inline)."""
    t0 = time.perf_counter()
    try:
        data = source.read_bytes()
    except ActivityFileError as exc:
        parsed = _Parsed(
            source.display_path, None, source.size_bytes, status="failed", reason=exc.message
        )
    else:
        parsed = _parse_data(
            data, display_path=source.display_path, name=source.name, meta=source.meta
        )
    return replace(parsed, work_s=time.perf_counter() - t0)


# --- parsing, in worker processes -------------------------------------------------------


class _ArchiveBudgets:
    """Worker time spent per archive on members that were not activities (skipped/failed)."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.spent: dict[Path, float] = {}
        self.unread: dict[Path, int] = {}
        self.display: dict[Path, str] = {}

    @staticmethod
    def archive_of(source: SourceFile) -> Path | None:
        return source.origin if source.members else None

    def note(self, source: SourceFile, parsed: _Parsed) -> None:
        archive = self.archive_of(source)
        if archive is not None and parsed.status in ("skipped", "failed"):
            self.spent[archive] = self.spent.get(archive, 0.0) + parsed.work_s
            self.display.setdefault(archive, parsed.display_path.rsplit(":", 1)[0])

    def refuses(self, source: SourceFile) -> bool:
        archive = self.archive_of(source)
        if archive is None or self.spent.get(archive, 0.0) <= self.limit_s:
            return False
        self.unread[archive] = self.unread.get(archive, 0) + 1
        return True

    def problems(self) -> list[_Parsed]:
        return [
            _Parsed(
                self.display[archive],
                None,
                0,
                status="failed",
                reason=(
                    f"{count} more files were not read: the archive's files took over "
                    f"{self.limit_s:g} s without holding activities (is this an export of "
                    "activities?)"
                ),
            )
            for archive, count in self.unread.items()
        ]


class _ParsePool:
    """Parses sources in order, in worker processes when there are enough of them.

    Used as a context manager: on any exception (SIGTERM, Ctrl-C, a database error) the
    workers are terminated at once instead of finishing the queue.
    """

    def __init__(
        self,
        sources: Sequence[SourceFile],
        *,
        workers: int,
        initargs: tuple[frozenset[str], int, AnalysisProfile, str],
    ) -> None:
        self.sources = sources
        self.workers = workers
        self.initargs = initargs
        self.budgets = _ArchiveBudgets(NON_ACTIVITY_BUDGET_S)
        self.pool: ProcessPoolExecutor | None = None
        self.done = 0  # sources yielded (or passed over) so far, in order

    def unread(self) -> Sequence[SourceFile]:
        """The sources not yet handed to the writer (when the import stops early)."""
        return self.sources[self.done :]

    def __enter__(self) -> _ParsePool:
        if self.workers > 1 and len(self.sources) >= PARALLEL_MIN_FILES:
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                initializer=_init_worker,
                initargs=(os.getpid(), *self.initargs),
            )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if exc_type is None:
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=2.0)

    def results(self) -> Iterator[_Parsed]:
        if self.pool is None:
            _init_state(*self.initargs)
            for index, source in enumerate(self.sources):
                self.done = index + 1
                if self.budgets.refuses(source):
                    continue
                parsed = _parse_source(source)
                self.budgets.note(source, parsed)
                yield parsed
        else:
            yield from self._parallel(self.pool)
        yield from self.budgets.problems()

    def _parallel(self, pool: ProcessPoolExecutor) -> Iterator[_Parsed]:
        window = self.workers * 8  # bound memory: only this many parsed files wait
        pending: deque[tuple[int, SourceFile, Future[_Parsed]]] = deque()
        it = enumerate(self.sources)

        def submit_next() -> None:
            for index, source in it:
                if not self.budgets.refuses(source):
                    pending.append((index, source, pool.submit(_parse_source, source)))
                    return

        for _ in range(window):
            submit_next()
        while pending:
            index, source, future = pending.popleft()
            parsed = future.result()
            self.budgets.note(source, parsed)
            submit_next()
            self.done = index + 1
            yield parsed


# --- writing, in the main process -------------------------------------------------------


def _fatal_in(exc: BaseException) -> BaseException | None:
    """The first error in ``exc``'s chain (itself, then what it arose from) that stops every
    further write, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if is_fatal(current):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


class _Writer:
    """Writes parsed files in small batches, each one short transaction (see the module doc)."""

    def __init__(
        self,
        app: App,
        profile: AnalysisProfile,
        *,
        total: int,
        progress: ProgressFn | None,
    ) -> None:
        self.app = app
        self.profile = profile
        self.athlete_id = app.athlete_id
        self.total = total
        self.progress = progress
        self.results: list[FileResult] = []
        self.pending: deque[tuple[float, _Parsed]] = deque()
        self.per_file_s = 0.004  # estimate of the lock time one file costs; refined per batch
        self.freed_at = -1e9
        self.batches = 0
        self.longest_hold_s = 0.0
        self.shortest_gap_s: float | None = None
        with app.store.read_session() as session:
            self.stored_hashes = set(ActivityRepo(session).known_content_hashes(self.athlete_id))

    @property
    def stats(self) -> WriteStats:
        return WriteStats(self.batches, self.longest_hold_s, self.shortest_gap_s)

    def _batch_size(self) -> int:
        return max(1, min(MAX_BATCH_FILES, int(0.8 * WRITE_HOLD_S / self.per_file_s)))

    def add(self, parsed: _Parsed) -> None:
        self.pending.append((time.monotonic(), parsed))
        while self.pending:
            now = time.monotonic()
            size = self._batch_size()
            waited = now - self.pending[0][0]
            if len(self.pending) < size and waited < MAX_WAIT_S:
                return
            gap = now - self.freed_at
            if gap < WRITE_YIELD_S:
                if len(self.pending) < 3 * size:
                    return  # keep parsing while the others have their turn
                time.sleep(WRITE_YIELD_S - gap)  # too much waiting in memory: pause
            self._flush(size)

    def finish(self) -> list[FileResult]:
        while self.pending:
            gap = time.monotonic() - self.freed_at
            if gap < WRITE_YIELD_S:
                time.sleep(WRITE_YIELD_S - gap)
            self._flush(self._batch_size())
        return self.results

    def _flush(self, size: int) -> None:
        batch = [self.pending.popleft()[1] for _ in range(min(size, len(self.pending)))]
        gap = time.monotonic() - self.freed_at
        known = set(self.stored_hashes)
        results: list[FileResult] = []
        began = time.monotonic()
        try:
            with self.app.store.session() as session:
                session.connection()  # BEGIN IMMEDIATE: waits for the write lock
                began = time.monotonic()
                try:
                    with session.begin_nested():
                        for p in batch:
                            results.append(self._remember(p, self._write(session, p)))
                        self._assign_shoes(session, results)
                except SQLAlchemyError as exc:
                    fatal = _fatal_in(exc)
                    if fatal is not None:
                        # A full or read-only disk: no later file can be stored either. SQLite
                        # may have rolled the transaction back already; then releasing the
                        # savepoint fails ("no such savepoint") and the disk error is the cause.
                        raise fatal from None
                    self.stored_hashes = known  # the batch was rolled back: forget it
                    results = [self._remember(p, self._write_alone(session, p)) for p in batch]
                    self._assign_shoes(session, results)
        except StorageError as exc:
            self.stored_hashes = known
            reached = [_not_stored(r, exc) for r in results]
            unreached = [
                FileResult(p.display_path, "failed", _stop_reason(exc))
                for p in batch[len(reached) :]
            ]
            raise _ImportStopped([*self.results, *reached, *unreached], exc) from exc
        self.freed_at = time.monotonic()
        hold = self.freed_at - began
        self.batches += 1
        self.longest_hold_s = max(self.longest_hold_s, hold)
        if self.batches > 1:
            shortest = self.shortest_gap_s
            self.shortest_gap_s = gap if shortest is None else min(shortest, gap)
        self.per_file_s = 0.5 * self.per_file_s + 0.5 * max(hold, 1e-4) / len(batch)
        for parsed, result in zip(batch, results, strict=True):
            self.results.append(result)
            if self.progress is not None:
                self.progress(len(self.results), self.total, parsed.display_path)

    def _remember(self, parsed: _Parsed, result: FileResult) -> FileResult:
        """Note a stored file's content, so the same bytes later in the import are known."""
        if result.status == "imported" and parsed.content_hash:
            self.stored_hashes.add(parsed.content_hash)
        return result

    def _assign_shoes(self, session: Session, results: list[FileResult]) -> None:
        new_ids = [i for r in results if r.status == "imported" for i in r.activity_ids]
        if new_ids:
            assign_default_shoes_in(session, self.athlete_id, new_ids)

    def _write_alone(self, session: Session, parsed: _Parsed) -> FileResult:
        """One file in its own SAVEPOINT (after its batch failed as a whole)."""
        try:
            with session.begin_nested():
                return self._write(session, parsed)
        except SQLAlchemyError as exc:
            fatal = _fatal_in(exc)
            if fatal is not None:
                raise fatal from None
            reason = f"could not be stored: {getattr(exc, 'orig', exc)}"
            try:
                with session.begin_nested():
                    self._record(session, parsed, "failed", reason, [])
            except SQLAlchemyError:
                pass  # the outcome is still reported to the user
            return FileResult(parsed.display_path, "failed", reason)

    def _record(
        self, session: Session, parsed: _Parsed, status: Status, reason: str | None, ids: list[int]
    ) -> None:
        ImportRecordRepo(session).add(
            self.athlete_id,
            file_name=parsed.display_path,
            content_hash=parsed.content_hash,
            size_bytes=parsed.size_bytes,
            status=status,
            reason=reason,
            activity_ids=ids,
        )

    def _keep_original(self, session: Session, parsed: _Parsed) -> None:
        """Store the file as imported, in the same savepoint as its activities."""
        if parsed.original is not None and parsed.content_hash:
            OriginalFileRepo(session).add(
                self.athlete_id,
                content_hash=parsed.content_hash,
                file_name=parsed.display_path,
                size_bytes=parsed.size_bytes,
                packed=parsed.original,
            )

    def _write(self, session: Session, parsed: _Parsed) -> FileResult:
        if parsed.status is not None:
            self._record(session, parsed, parsed.status, parsed.reason, [])
            return FileResult(parsed.display_path, parsed.status, parsed.reason)
        if parsed.content_hash and parsed.content_hash in self.stored_hashes:
            same_bytes = "already imported (same file content)"
            self._record(session, parsed, "duplicate", same_bytes, [])
            return FileResult(parsed.display_path, "duplicate", same_bytes)
        activities = ActivityRepo(session)
        new_ids: list[int] = []
        dup_of: list[int] = []
        warnings: list[str] = []
        for item in parsed.prepared:
            activity = item.activity
            same = activities.find_same_activity(
                self.athlete_id,
                sport=activity.sport,
                start_at=activity.start_at,
                distance_m=activity.distance_m,
            )
            if same is not None:
                dup_of.append(same)
                continue
            metrics = item.metrics if item.metrics["profile_key"] == self.profile.key else None
            new_id = activities.insert_prepared(
                {**item.values, "athlete_id": self.athlete_id}, item.encoded, metrics
            )
            new_ids.append(new_id)
            warnings.extend(activity.warnings)
        reason: str | None
        if new_ids:
            status: Status = "imported"
            reason = f"{len(dup_of)} of its activities were already stored" if dup_of else None
        else:
            status = "duplicate"
            reason = "the same activity is already stored (from another file)"
        self._record(session, parsed, status, reason, new_ids or dup_of)
        if new_ids:
            self._keep_original(session, parsed)
        ids = tuple(new_ids) if status == "imported" else tuple(dup_of)
        return FileResult(parsed.display_path, status, reason, ids, tuple(warnings))


def limits_from(app: App) -> SourceLimits:
    return SourceLimits.from_settings(app.settings)


def collect_sources(
    app: App, paths: Iterable[Path], *, labels: Mapping[Path, str] | None = None
) -> tuple[list[SourceFile], list[SourceProblem]]:
    files: list[SourceFile] = []
    problems: list[SourceProblem] = []
    for item in iter_sources([Path(p) for p in paths], limits=limits_from(app), labels=labels):
        if isinstance(item, SourceFile):
            files.append(item)
        else:
            problems.append(item)
    return files, problems


@contextlib.contextmanager
def _terminate_on_sigterm() -> Iterator[None]:
    """Within this block, SIGTERM raises :class:`ImportTerminated` in the main thread (so the
    pool is terminated and the open batch rolled back); elsewhere it changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise ImportTerminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _write_all(
    app: App,
    parsed_items: Iterable[_Parsed],
    *,
    profile: AnalysisProfile,
    total: int,
    progress: ProgressFn | None,
) -> tuple[list[FileResult], WriteStats]:
    writer = _Writer(app, profile, total=total, progress=progress)
    try:
        for parsed in parsed_items:
            writer.add(parsed)
        return writer.finish(), writer.stats
    except ImportTerminated as stop:
        stop.report = ImportReport((*stop.report.files, *writer.results))
        raise
    except _ImportStopped as stop:
        reason = _stop_reason(stop.error)
        stop.results += [FileResult(p.display_path, "failed", reason) for _, p in writer.pending]
        raise


def import_paths(
    app: App,
    paths: Sequence[Path],
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    labels: Mapping[Path, str] | None = None,
) -> ImportReport:
    """Import every activity file found under ``paths`` (files, folders, zip archives).

    A storage error (full disk, damaged database) stops the import: the report then lists
    what was stored before it, every other file as failed, and the error as ``stopped``.
    ``labels`` names given paths as the user knows them (an upload's own file name instead
    of its temporary path): reports, import history and stored sources use that name.
    """
    return import_paths_with_stats(app, paths, progress=progress, workers=workers, labels=labels)[0]


def import_paths_with_stats(
    app: App,
    paths: Sequence[Path],
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    labels: Mapping[Path, str] | None = None,
) -> tuple[ImportReport, WriteStats]:
    """:func:`import_paths`, plus how the writer shared the database (for benchmarks)."""
    app.store.require_writable()
    with _terminate_on_sigterm():
        files, problems = collect_sources(app, paths, labels=labels)
        if workers is None:
            workers = app.settings.import_workers or (os.cpu_count() or 1)
        with app.store.read_session() as session:
            known = frozenset(ActivityRepo(session).known_content_hashes(app.athlete_id))
        profile = analysis_profile(app)
        max_bytes = int(app.settings.max_file_mb * 1024 * 1024)
        problem_items = [
            _Parsed(p.display_path, None, 0, status=p.status, reason=p.reason) for p in problems
        ]
        initargs = (known, max_bytes, profile, app.settings.timezone)
        results: list[FileResult] = []
        pool = _ParsePool(files, workers=workers, initargs=initargs)
        try:
            results, _ = _write_all(app, problem_items, profile=profile, total=0, progress=None)
            with pool:
                more, stats = _write_all(
                    app, pool.results(), profile=profile, total=len(files), progress=progress
                )
        except ImportTerminated as stop:
            stop.report = ImportReport((*results, *stop.report.files))
            raise
        except _ImportStopped as stop:
            return _stopped_report(stop, problems, pool, results), WriteStats()
        finally:
            close_cached_archives()
    return ImportReport(tuple(results + more)), stats


def _stopped_report(
    stop: _ImportStopped,
    problems: Sequence[SourceProblem],
    pool: _ParsePool,
    problem_results: list[FileResult],
) -> ImportReport:
    """The report of an import that a storage error stopped: each file once, in order."""
    reason = _stop_reason(stop.error)
    if len(problem_results) < len(problems):  # stopped while recording unreadable sources
        done = list(stop.results)
        done += [FileResult(p.display_path, p.status, p.reason) for p in problems[len(done) :]]
        rest: Sequence[SourceFile] = pool.sources
    else:
        done = [*problem_results, *stop.results]
        rest = pool.unread()
    failed = [FileResult(f.display_path, "failed", reason) for f in rest]
    return ImportReport(tuple(done + failed), stopped=stop.error)


def import_bytes(app: App, data: bytes, *, name: str) -> ImportReport:
    """Import one in-memory file (an upload already streamed to disk and read back)."""
    with app.store.read_session() as session:
        known = frozenset(ActivityRepo(session).known_content_hashes(app.athlete_id))
    profile = analysis_profile(app)
    _init_state(known, int(app.settings.max_file_mb * 1024 * 1024), profile, app.settings.timezone)
    parsed = _parse_data(data, display_path=name, name=name, meta=None)
    try:
        results, _ = _write_all(app, [parsed], profile=profile, total=1, progress=None)
    except _ImportStopped as stop:
        return ImportReport(tuple(stop.results), stopped=stop.error)
    return ImportReport(tuple(results))
