"""Importing activity files: atomic per file, idempotent, keeps going past bad files."""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from backstride.adapters.db.repos import ActivityRepo, ImportRecordRepo
from backstride.adapters.files.detect import parse_activity_bytes
from backstride.adapters.files.sources import (
    ActivityMeta,
    SourceFile,
    SourceLimits,
    SourceProblem,
    close_cached_archives,
    iter_sources,
)
from backstride.domain.activity import Activity, Sport, map_sport
from backstride.errors import (
    ActivityFileError,
    BackstrideError,
    NotAnActivityError,
    StorageError,
)
from backstride.services.context import App
from backstride.services.shoes import assign_default_shoes
from backstride.services.training import AnalysisProfile, analysis_profile, store_analysis

Status = Literal["imported", "duplicate", "skipped", "failed"]
ProgressFn = Callable[[int, int, str], None]

PARALLEL_MIN_FILES = 8


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
    files: tuple[FileResult, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.count("imported"),
            "duplicate": self.count("duplicate"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "files": [f.to_json() for f in self.files],
        }


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a worker sends back for one file."""

    display_path: str
    content_hash: str | None
    size_bytes: int
    activities: tuple[Activity, ...] = ()
    status: Status | None = None  # set when the worker already decided (duplicate/failed/...)
    reason: str | None = None
    meta: ActivityMeta | None = None


@dataclass
class _WorkerState:
    known_hashes: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = 200 * 1024 * 1024


_STATE = _WorkerState()


def _init_worker(known: frozenset[str], max_bytes: int) -> None:
    _STATE.known_hashes = known
    _STATE.max_bytes = max_bytes


def _parse_data(data: bytes, *, display_path: str, name: str, meta: ActivityMeta | None) -> _Parsed:
    """Hash and parse one file's bytes into a worker's answer."""
    digest = hashlib.sha256(data).hexdigest()

    def outcome(status: Status, reason: str) -> _Parsed:
        return _Parsed(display_path, digest, len(data), status=status, reason=reason)

    if digest in _STATE.known_hashes:
        return outcome("duplicate", "already imported (same file content)")
    try:
        activities = parse_activity_bytes(data, name, max_bytes=_STATE.max_bytes)
    except NotAnActivityError as exc:
        return outcome("skipped", exc.message)
    except BackstrideError as exc:
        return outcome("failed", exc.message)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop a bulk import
        return outcome("failed", f"unexpected problem reading the file ({type(exc).__name__})")
    if not activities:
        return outcome("skipped", "skipped: the file holds no activity")
    return _Parsed(display_path, digest, len(data), activities=tuple(activities), meta=meta)


def _parse_source(source: SourceFile) -> _Parsed:
    """Read, hash and parse one file. Runs in a worker process (or inline)."""
    try:
        data = source.read_bytes()
    except ActivityFileError as exc:
        return _Parsed(
            source.display_path, None, source.size_bytes, status="failed", reason=exc.message
        )
    return _parse_data(data, display_path=source.display_path, name=source.name, meta=source.meta)


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


def _parsed_stream(
    sources: Sequence[SourceFile], *, workers: int, known: frozenset[str], max_bytes: int
) -> Iterator[_Parsed]:
    """Parse sources in order, in worker processes when there are enough of them."""
    if workers <= 1 or len(sources) < PARALLEL_MIN_FILES:
        _init_worker(known, max_bytes)
        for source in sources:
            yield _parse_source(source)
        return
    window = workers * 4  # bound memory: only this many parsed files wait for the writer
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(known, max_bytes)
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


def _store_parsed(app: App, parsed: _Parsed, profile: AnalysisProfile) -> FileResult:
    """Write one parsed file in one transaction; all of it or nothing."""
    athlete_id = app.athlete_id
    new_ids: list[int] = []
    dup_of: list[int] = []
    warnings: list[str] = []
    try:
        with app.store.session() as session:
            repo = ActivityRepo(session)
            if parsed.content_hash and repo.has_content_hash(athlete_id, parsed.content_hash):
                status: Status = "duplicate"
                reason: str | None = "already imported (same file content)"
            else:
                for activity in parsed.activities:
                    activity = apply_meta(activity, parsed.meta)
                    same = repo.find_same_activity(
                        athlete_id,
                        sport=activity.sport,
                        start_at=activity.start_at,
                        distance_m=activity.distance_m,
                    )
                    if same is not None:
                        dup_of.append(same)
                        continue
                    new_id = repo.add(
                        athlete_id,
                        activity,
                        source_label=parsed.display_path,
                        content_hash=parsed.content_hash,
                    )
                    store_analysis(session, athlete_id, new_id, activity, profile)
                    new_ids.append(new_id)
                    warnings.extend(activity.warnings)
                if new_ids:
                    status, reason = "imported", None
                    if dup_of:
                        reason = f"{len(dup_of)} of its activities were already stored"
                else:
                    status = "duplicate"
                    reason = "the same activity is already stored (from another file)"
            ImportRecordRepo(session).add(
                athlete_id,
                file_name=parsed.display_path,
                content_hash=parsed.content_hash,
                size_bytes=parsed.size_bytes,
                status=status,
                reason=reason,
                activity_ids=new_ids or dup_of,
            )
    except StorageError as exc:
        return FileResult(parsed.display_path, "failed", f"could not be stored: {exc.message}")
    if new_ids:
        assign_default_shoes(app, new_ids)
    ids = tuple(new_ids) if status == "imported" else tuple(dup_of)
    return FileResult(parsed.display_path, status, reason, ids, tuple(warnings))


def _record_outcome(app: App, parsed: _Parsed) -> FileResult:
    """Record a file that stores no activity (failed, skipped, duplicate by hash)."""
    assert parsed.status is not None
    try:
        with app.store.session() as session:
            ImportRecordRepo(session).add(
                app.athlete_id,
                file_name=parsed.display_path,
                content_hash=parsed.content_hash,
                size_bytes=parsed.size_bytes,
                status=parsed.status,
                reason=parsed.reason,
                activity_ids=[],
            )
    except StorageError:
        pass  # the outcome is still reported to the user
    return FileResult(parsed.display_path, parsed.status, parsed.reason)


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


def import_paths(
    app: App,
    paths: Sequence[Path],
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every activity file found under ``paths`` (files, folders, zip archives)."""
    files, problems = collect_sources(app, paths)
    results: list[FileResult] = [FileResult(p.display_path, p.status, p.reason) for p in problems]
    for problem in problems:
        _record_outcome(
            app,
            _Parsed(problem.display_path, None, 0, status=problem.status, reason=problem.reason),
        )
    total = len(files)
    if workers is None:
        workers = app.settings.import_workers or (os.cpu_count() or 1)
    with app.store.session() as session:
        known = frozenset(ActivityRepo(session).known_content_hashes(app.athlete_id))
    max_bytes = int(app.settings.max_file_mb * 1024 * 1024)
    profile = analysis_profile(app)
    try:
        for done, parsed in enumerate(
            _parsed_stream(files, workers=workers, known=known, max_bytes=max_bytes), start=1
        ):
            if parsed.status is not None:
                results.append(_record_outcome(app, parsed))
            else:
                results.append(_store_parsed(app, parsed, profile))
            if progress is not None:
                progress(done, total, parsed.display_path)
    finally:
        close_cached_archives()
    return ImportReport(tuple(results))


def import_bytes(app: App, data: bytes, *, name: str) -> ImportReport:
    """Import one in-memory file (an upload already streamed to disk and read back)."""
    with app.store.session() as session:
        known = frozenset(ActivityRepo(session).known_content_hashes(app.athlete_id))
    _init_worker(known, int(app.settings.max_file_mb * 1024 * 1024))
    parsed = _parse_data(data, display_path=name, name=name, meta=None)
    if parsed.status:
        result = _record_outcome(app, parsed)
    else:
        result = _store_parsed(app, parsed, analysis_profile(app))
    return ImportReport((result,))
