"""Parsing the candidate files into ready-to-store activities, in worker processes when there
are enough of them (their lifetime tied to the importer's), each archive's time budget kept."""

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
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from backstride.adapters.db.blobs import EncodedStreams
from backstride.adapters.db.data_repos import compress_original
from backstride.adapters.db.repos import activity_values
from backstride.adapters.files.archive import (
    ActivityMeta,
    SourceFile,
)
from backstride.adapters.files.detect import parse_activity_bytes
from backstride.adapters.timezones import ZoneSetting, placed, resolve_zone
from backstride.domain.activity import Activity, Sport, Streams, map_sport
from backstride.domain.metrics import HeartProfile, analyse_activity
from backstride.errors import (
    ActivityFileError,
    BackstrideError,
    NotAnActivityError,
)
from backstride.services.importing.report import (
    Status,
)
from backstride.services.training import AnalysisProfile, metrics_values

PARALLEL_MIN_FILES = 8
NON_ACTIVITY_BUDGET_S = 5.0
"""Worker time one archive may spend on members that turn out not to be activities; past it,
the rest of that archive is not read (one failed entry says so)."""
WORKER_NICENESS = 10
"""Parser processes run at a lower CPU priority: when the machine is busy, the writer (which
holds the write lock) and the dashboard answer first; alone, the import runs as fast."""
_PR_SET_PDEATHSIG = 1
_PARENT_POLL_S = 0.5


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
