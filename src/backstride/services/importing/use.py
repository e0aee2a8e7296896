"""The import use cases: paths or uploaded bytes in, an :class:`ImportReport` out."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import TypedDict, Unpack

from backstride.adapters.db.repos import ActivityRepo
from backstride.adapters.files.archive import (
    SourceFile,
    SourceLimits,
    SourceProblem,
    close_cached_archives,
    iter_sources,
)
from backstride.services.context import App
from backstride.services.importing.parsing import (
    _init_state,
    _parse_data,
    _Parsed,
    _ParsePool,
)
from backstride.services.importing.report import (
    TERMINATION,
    FileResult,
    ImportReport,
    ImportTerminated,
    ImportWatcher,
    ProgressFn,
    WriteStats,
    _ImportStopped,
    _stop_reason,
)
from backstride.services.importing.writing import (
    _Writer,
)
from backstride.services.training import AnalysisProfile, analysis_profile


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
    pool is terminated), once the batch in hand is stored and counted; elsewhere it changes
    nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        TERMINATION.request()

    TERMINATION.reset()
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
    watcher: ImportWatcher | None = None,
) -> tuple[list[FileResult], WriteStats]:
    writer = _Writer(app, profile, total=total, progress=progress, watcher=watcher)
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


class ImportOptions(TypedDict, total=False):
    """How an import runs (every option may be left out): ``progress`` hears each file as it
    is done, ``workers`` parse files in parallel (default: the setting, else one per core),
    ``labels`` and ``watcher`` as :func:`import_paths` says."""

    progress: ProgressFn | None
    workers: int | None
    labels: Mapping[Path, str] | None
    watcher: ImportWatcher | None


def import_paths(app: App, paths: Sequence[Path], **options: Unpack[ImportOptions]) -> ImportReport:
    """Import every activity file found under ``paths`` (files, folders, zip archives).

    A storage error (full disk, damaged database) stops the import: the report then lists
    what was stored before it, every other file as failed, and the error as ``stopped``.
    ``labels`` names given paths as the user knows them (an upload's own file name instead
    of its temporary path): reports, import history and stored sources use that name.
    ``watcher`` hears how many files were found, then each file's outcome as it is stored.
    """
    return import_paths_with_stats(app, paths, **options)[0]


def import_paths_with_stats(
    app: App, paths: Sequence[Path], **options: Unpack[ImportOptions]
) -> tuple[ImportReport, WriteStats]:
    """:func:`import_paths`, plus how the writer shared the database (for benchmarks)."""
    progress, workers = options.get("progress"), options.get("workers")
    labels, watcher = options.get("labels"), options.get("watcher")
    app.store.require_writable()
    with _terminate_on_sigterm():
        files, problems = collect_sources(app, paths, labels=labels)
        if watcher is not None:
            watcher.found(len(files) + len(problems))
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
            results, _ = _write_all(
                app, problem_items, profile=profile, total=0, progress=None, watcher=watcher
            )
            with pool:
                more, stats = _write_all(
                    app,
                    pool.results(),
                    profile=profile,
                    total=len(files),
                    progress=progress,
                    watcher=watcher,
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
