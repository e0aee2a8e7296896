"""Writing parsed files in the main process: batches in one transaction each, duplicates
recognised, originals kept, the write lock left free between batches."""

from __future__ import annotations

import time
from collections import deque

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backstride.adapters.db.data_repos import OriginalFileRepo
from backstride.adapters.db.postgres import IMPORT_LOCK, advisory_xact_lock
from backstride.adapters.db.repos import ActivityRepo, ImportRecordRepo
from backstride.adapters.db.sqlite_file import is_fatal
from backstride.errors import (
    InvalidInputError,
    StorageError,
)
from backstride.services.context import App
from backstride.services.importing.parsing import (
    _Parsed,
)
from backstride.services.importing.report import (
    TERMINATION,
    FileResult,
    ImportWatcher,
    ProgressFn,
    Status,
    WriteStats,
    _ImportStopped,
    _not_stored,
    _stop_reason,
)
from backstride.services.shoes import assign_default_shoes_in
from backstride.services.training import AnalysisProfile

WRITE_HOLD_S = 0.1
"""Aim: the write lock is held about this long per batch (the batch size adapts to it)."""
WRITE_YIELD_S = 0.03
"""After each commit the lock stays free at least this long. backstride's writes waiting for
it try every few milliseconds (``adapters.db.engine.WRITE_POLL_S``; the dashboard's turn every
4 ms), so a waiting writer sees it free. It was 120 ms while writers waited in SQLite's busy
handler (up to 100 ms between two tries): a fixed 120 ms after every ~80 ms batch held the
import to about 40 % of its writer's pace, and any CPU the dashboard took shrank the batches
further, so a served import waited for its own gaps while its parsers had nothing to do.
A program waiting in SQLite's busy handler still gets in, only less promptly."""
MAX_BATCH_FILES = 200
MAX_WAIT_S = 1.0
"""A parsed file waits at most about this long before it is written (progress, safety)."""

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
        watcher: ImportWatcher | None = None,
    ) -> None:
        self.app = app
        self.watcher = watcher
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
        self.held_s = 0.0
        with app.store.read_session() as session:
            self.stored_hashes = set(ActivityRepo(session).known_content_hashes(self.athlete_id))

    @property
    def stats(self) -> WriteStats:
        return WriteStats(self.batches, self.longest_hold_s, self.shortest_gap_s, self.held_s)

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
        """Store the next ``size`` files in one transaction and count them. A termination
        signal arriving meanwhile takes effect once they are counted, so the report always
        tells what was stored (a batch holds the write lock for about 100 ms)."""
        with TERMINATION.held():
            self._flush_held(size)

    def _flush_held(self, size: int) -> None:
        batch = [self.pending.popleft()[1] for _ in range(min(size, len(self.pending)))]
        gap = time.monotonic() - self.freed_at
        known = set(self.stored_hashes)
        results: list[FileResult] = []
        began = time.monotonic()
        try:
            with self.app.store.session() as session:
                session.connection()  # BEGIN IMMEDIATE: waits for the write lock
                # PostgreSQL: one batch of this athlete's imports at a time, and files that
                # another import stored meanwhile are known before they are checked.
                advisory_xact_lock(session, IMPORT_LOCK, self.athlete_id)
                began = time.monotonic()
                self.stored_hashes |= ActivityRepo(session).stored_content_hashes(
                    self.athlete_id, (p.content_hash for p in batch if p.content_hash)
                )
                try:
                    with session.begin_nested():
                        for p in batch:
                            results.append(self._remember(p, self._write(session, p)))
                        self._assign_shoes(session, results)
                except (SQLAlchemyError, InvalidInputError) as exc:
                    fatal = _fatal_in(exc)
                    if fatal is not None:
                        # A full or read-only disk: no later file can be stored either. SQLite
                        # may have rolled the transaction back already; then releasing the
                        # savepoint fails ("no such savepoint") and the disk error is the cause.
                        raise fatal from None
                    self.stored_hashes = known  # the batch was rolled back: forget it
                    results = [self._remember(p, self._write_alone(session, p)) for p in batch]
                    self._assign_shoes(session, results)
                if self.watcher is not None:
                    self.watcher.batch_written(session, results)
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
        self.held_s += hold
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
        except (SQLAlchemyError, InvalidInputError) as exc:
            fatal = _fatal_in(exc)
            if fatal is not None:
                raise fatal from None
            error = (
                exc if isinstance(exc, InvalidInputError) else self.app.store.error(exc, "refused")
            )
            reason = f"could not be stored: {error.message}"
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
