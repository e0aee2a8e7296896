"""Importing activity files: atomic per file, idempotent, keeps going past bad files.

Workers (processes, one per core) read, hash, parse and analyse each file and pack its samples;
the main process writes. Each file is written inside its own SAVEPOINT, so it lands fully or not
at all; savepoints are committed in batches (every ``COMMIT_EVERY_FILES`` files or
``COMMIT_EVERY_S`` seconds) so a bulk import does not pay one disk sync per file.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backstride.adapters.db.blobs import EncodedStreams
from backstride.adapters.db.repos import ActivityRepo, ImportRecordRepo, activity_values
from backstride.adapters.db.sqlite_file import is_fatal
from backstride.adapters.files.detect import parse_activity_bytes
from backstride.adapters.files.sources import (
    ActivityMeta,
    SourceFile,
    SourceLimits,
    SourceProblem,
    close_cached_archives,
    iter_sources,
)
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
from backstride.services.shoes import assign_default_shoes
from backstride.services.training import AnalysisProfile, analysis_profile, metrics_values

Status = Literal["imported", "duplicate", "skipped", "failed"]
ProgressFn = Callable[[int, int, str], None]

PARALLEL_MIN_FILES = 8
COMMIT_EVERY_FILES = 200
COMMIT_EVERY_S = 2.0


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


@dataclass
class _WorkerState:
    known_hashes: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = 200 * 1024 * 1024
    heart: HeartProfile | None = None
    profile_key: str = "none"


_STATE = _WorkerState()


def _init_worker(known: frozenset[str], max_bytes: int, profile: AnalysisProfile) -> None:
    _STATE.known_hashes = known
    _STATE.max_bytes = max_bytes
    _STATE.heart = profile.heart
    _STATE.profile_key = profile.key


def apply_meta(activity: Activity, meta: ActivityMeta | None) -> Activity:
    """Fold Strava activities.csv details (name, type, gear, description) into an activity."""
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
    return _Parsed(display_path, digest, len(data), prepared=prepared)


def _parse_source(source: SourceFile) -> _Parsed:
    """Read, hash and parse one file. Runs in a worker process (or inline)."""
    try:
        data = source.read_bytes()
    except ActivityFileError as exc:
        return _Parsed(
            source.display_path, None, source.size_bytes, status="failed", reason=exc.message
        )
    return _parse_data(data, display_path=source.display_path, name=source.name, meta=source.meta)


def _parsed_stream(
    sources: Sequence[SourceFile],
    *,
    workers: int,
    known: frozenset[str],
    max_bytes: int,
    profile: AnalysisProfile,
) -> Iterator[_Parsed]:
    """Parse sources in order, in worker processes when there are enough of them."""
    if workers <= 1 or len(sources) < PARALLEL_MIN_FILES:
        _init_worker(known, max_bytes, profile)
        for source in sources:
            yield _parse_source(source)
        return
    window = workers * 4  # bound memory: only this many parsed files wait for the writer
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(known, max_bytes, profile)
    ) as pool:
        pending: deque[Future[_Parsed]] = deque()
        it = iter(sources)
        for source in it:
            pending.append(pool.submit(_parse_source, source))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(_parse_source, nxt))
            yield result


class _Writer:
    """Writes parsed files into one session, a SAVEPOINT per file, committing in batches."""

    def __init__(self, app: App, session: Session, profile: AnalysisProfile) -> None:
        self.app = app
        self.session = session
        self.profile = profile
        self.athlete_id = app.athlete_id
        self.activities = ActivityRepo(session)
        self.records = ImportRecordRepo(session)
        self.pending = 0
        self.written = 0  # files written so far, and of those, committed (see _run)
        self.committed = 0
        self.last_commit = time.monotonic()
        self.stored_hashes = set(self.activities.known_content_hashes(self.athlete_id))

    def _record(self, parsed: _Parsed, status: Status, reason: str | None, ids: list[int]) -> None:
        self.records.add(
            self.athlete_id,
            file_name=parsed.display_path,
            content_hash=parsed.content_hash,
            size_bytes=parsed.size_bytes,
            status=status,
            reason=reason,
            activity_ids=ids,
        )

    def write(self, parsed: _Parsed) -> FileResult:
        try:
            with self.session.begin_nested():
                result = self._write(parsed)
        except SQLAlchemyError as exc:
            if is_fatal(exc):
                raise  # a full or read-only disk: no later file can be stored either
            reason = f"could not be stored: {getattr(exc, 'orig', exc)}"
            result = FileResult(parsed.display_path, "failed", reason)
            try:
                with self.session.begin_nested():
                    self._record(parsed, "failed", reason, [])
            except SQLAlchemyError:
                pass  # the outcome is still reported to the user
        self.pending += 1
        self.written += 1
        if (
            self.pending >= COMMIT_EVERY_FILES
            or time.monotonic() - self.last_commit > COMMIT_EVERY_S
        ):
            self.commit()
        return result

    def commit(self) -> None:
        self.session.commit()
        self.committed = self.written
        self.pending = 0
        self.last_commit = time.monotonic()

    def _write(self, parsed: _Parsed) -> FileResult:
        if parsed.status is not None:
            self._record(parsed, parsed.status, parsed.reason, [])
            return FileResult(parsed.display_path, parsed.status, parsed.reason)
        if parsed.content_hash and parsed.content_hash in self.stored_hashes:
            same_bytes = "already imported (same file content)"
            self._record(parsed, "duplicate", same_bytes, [])
            return FileResult(parsed.display_path, "duplicate", same_bytes)
        new_ids: list[int] = []
        dup_of: list[int] = []
        warnings: list[str] = []
        for item in parsed.prepared:
            activity = item.activity
            same = self.activities.find_same_activity(
                self.athlete_id,
                sport=activity.sport,
                start_at=activity.start_at,
                distance_m=activity.distance_m,
            )
            if same is not None:
                dup_of.append(same)
                continue
            metrics = item.metrics if item.metrics["profile_key"] == self.profile.key else None
            new_id = self.activities.insert_prepared(
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
        self._record(parsed, status, reason, new_ids or dup_of)
        if new_ids and parsed.content_hash:
            self.stored_hashes.add(parsed.content_hash)
        ids = tuple(new_ids) if status == "imported" else tuple(dup_of)
        return FileResult(parsed.display_path, status, reason, ids, tuple(warnings))


def limits_from(app: App) -> SourceLimits:
    return SourceLimits.from_settings(app.settings)


def collect_sources(
    app: App, paths: Iterable[Path]
) -> tuple[list[SourceFile], list[SourceProblem]]:
    files: list[SourceFile] = []
    problems: list[SourceProblem] = []
    for item in iter_sources([Path(p) for p in paths], limits=limits_from(app)):
        if isinstance(item, SourceFile):
            files.append(item)
        else:
            problems.append(item)
    return files, problems


def _run(
    app: App,
    parsed_items: Iterable[_Parsed],
    *,
    profile: AnalysisProfile,
    total: int,
    progress: ProgressFn | None,
) -> list[FileResult]:
    results: list[FileResult] = []
    writer: _Writer | None = None
    try:
        with app.store.session() as session:
            writer = _Writer(app, session, profile)
            for done, parsed in enumerate(parsed_items, start=1):
                results.append(writer.write(parsed))
                if progress is not None:
                    progress(done, total, parsed.display_path)
    except StorageError as exc:
        # What was committed stays; the batch that was rolled back was not stored.
        kept = writer.committed if writer is not None else 0
        lost = [_not_stored(r, exc) for r in results[kept:]]
        raise _ImportStopped(results[:kept] + lost, exc) from exc
    new_ids = [i for r in results if r.status == "imported" for i in r.activity_ids]
    if new_ids:
        assign_default_shoes(app, new_ids)
    return results


class _ImportStopped(Exception):
    """A storage error ended the import; ``results`` are the files reported so far."""

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


def import_paths(
    app: App,
    paths: Sequence[Path],
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every activity file found under ``paths`` (files, folders, zip archives).

    A storage error (full disk, damaged database) stops the import: the report then lists
    what was stored before it, every other file as failed, and the error as ``stopped``.
    """
    app.store.require_writable()
    files, problems = collect_sources(app, paths)
    if workers is None:
        workers = app.settings.import_workers or (os.cpu_count() or 1)
    with app.store.session() as session:
        known = frozenset(ActivityRepo(session).known_content_hashes(app.athlete_id))
    profile = analysis_profile(app)
    max_bytes = int(app.settings.max_file_mb * 1024 * 1024)
    problem_items = [
        _Parsed(p.display_path, None, 0, status=p.status, reason=p.reason) for p in problems
    ]
    problem_results: list[FileResult] | None = None
    try:
        problem_results = _run(app, problem_items, profile=profile, total=0, progress=None)
        results = _run(
            app,
            _parsed_stream(
                files, workers=workers, known=known, max_bytes=max_bytes, profile=profile
            ),
            profile=profile,
            total=len(files),
            progress=progress,
        )
    except _ImportStopped as stop:
        return _stopped_report(stop, problems, files, problem_results)
    finally:
        close_cached_archives()
    return ImportReport(tuple(problem_results + results))


def _stopped_report(
    stop: _ImportStopped,
    problems: Sequence[SourceProblem],
    files: Sequence[SourceFile],
    problem_results: list[FileResult] | None,
) -> ImportReport:
    """The report of an import that a storage error stopped: each file once, in order."""
    reason = _stop_reason(stop.error)
    if problem_results is None:  # stopped while recording the unreadable sources
        done = stop.results
        done += [FileResult(p.display_path, p.status, p.reason) for p in problems[len(done) :]]
        rest = files
    else:
        done = problem_results + stop.results
        rest = files[len(stop.results) :]
    failed = [FileResult(f.display_path, "failed", reason) for f in rest]
    return ImportReport(tuple(done + failed), stopped=stop.error)


def import_bytes(app: App, data: bytes, *, name: str) -> ImportReport:
    """Import one in-memory file (an upload already streamed to disk and read back)."""
    with app.store.session() as session:
        known = frozenset(ActivityRepo(session).known_content_hashes(app.athlete_id))
    profile = analysis_profile(app)
    _init_worker(known, int(app.settings.max_file_mb * 1024 * 1024), profile)
    parsed = _parse_data(data, display_path=name, name=name, meta=None)
    try:
        return ImportReport(tuple(_run(app, [parsed], profile=profile, total=1, progress=None)))
    except _ImportStopped as stop:
        return ImportReport(tuple(stop.results), stopped=stop.error)
