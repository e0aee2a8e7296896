"""Repositories for the original files, outcome measures and the report's questions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import zstandard
from sqlalchemy import delete, func, select

from backstride.adapters.db.data_tables import MeasureRow, OriginalFileRow, ReportNoteRow
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import ActivityRow
from backstride.domain.measures import Instrument, MeasureItem, MeasureScore
from backstride.domain.text import RunnerText, runner_text
from backstride.errors import NotFoundError, StorageError

_LEVEL = 3


def compress_original(data: bytes) -> bytes:
    """An original file as stored: zstandard level 3 (fast enough for a bulk import's workers)."""
    return zstandard.ZstdCompressor(level=_LEVEL).compress(data)


def decompress_original(blob: bytes, *, size_bytes: int) -> bytes:
    try:
        data = zstandard.ZstdDecompressor().decompress(blob, max_output_size=max(1, size_bytes))
    except zstandard.ZstdError as exc:
        raise StorageError("A stored original file is damaged and cannot be read.") from exc
    if len(data) != size_bytes:
        raise StorageError("A stored original file has the wrong size.")
    return data


@dataclass(frozen=True, slots=True)
class OriginalFile:
    content_hash: str
    file_name: str
    size_bytes: int
    data: bytes


class OriginalFileRepo(Repo):
    def add(
        self, athlete_id: int, *, content_hash: str, file_name: str, size_bytes: int, packed: bytes
    ) -> None:
        """Store a file's compressed bytes once per content hash (a second add is a no-op)."""
        exists = self.session.scalar(
            select(OriginalFileRow.id).where(
                OriginalFileRow.athlete_id == athlete_id,
                OriginalFileRow.content_hash == content_hash,
            )
        )
        if exists is not None:
            return
        self.session.add(
            OriginalFileRow(
                athlete_id=athlete_id,
                content_hash=content_hash,
                file_name=file_name[:1000],
                size_bytes=size_bytes,
                data=packed,
            )
        )
        self.session.flush()

    def list(self, athlete_id: int) -> list[OriginalFile]:
        rows = self.session.scalars(
            select(OriginalFileRow)
            .where(OriginalFileRow.athlete_id == athlete_id)
            .order_by(OriginalFileRow.id)
        )
        return [
            OriginalFile(
                r.content_hash,
                r.file_name,
                r.size_bytes,
                decompress_original(r.data, size_bytes=r.size_bytes),
            )
            for r in rows
        ]

    def count(self, athlete_id: int) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(OriginalFileRow)
                .where(OriginalFileRow.athlete_id == athlete_id)
            )
            or 0
        )

    def delete_unused(self, athlete_id: int, hashes: Iterable[str | None]) -> int:
        """Delete the originals among ``hashes`` that no activity points at any more."""
        wanted = {h for h in hashes if h}
        if not wanted:
            return 0
        used = set(
            self.session.scalars(
                select(ActivityRow.content_hash).where(
                    ActivityRow.athlete_id == athlete_id, ActivityRow.content_hash.in_(wanted)
                )
            )
        )
        gone = wanted - used
        if not gone:
            return 0
        result = self.session.execute(
            delete(OriginalFileRow).where(
                OriginalFileRow.athlete_id == athlete_id, OriginalFileRow.content_hash.in_(gone)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _measure(row: MeasureRow) -> MeasureScore:
    raw = json.loads(row.items or "[]")
    items = tuple(
        MeasureItem(str(i["label"]), float(i["value"])) for i in raw if isinstance(i, dict)
    )
    return MeasureScore(
        day=row.day,
        instrument=Instrument(row.instrument),
        score=row.score,
        items=items,
        name=runner_text(row.name),
        notes=runner_text(row.notes),
        id=row.id,
    )


class MeasureRepo(Repo):
    def add(self, athlete_id: int, score: MeasureScore) -> MeasureScore:
        row = MeasureRow(
            athlete_id=athlete_id,
            day=score.day,
            instrument=score.instrument.value,
            score=score.score,
            items=json.dumps([{"label": i.label, "value": i.value} for i in score.items]),
            name=score.name,
            notes=score.notes,
        )
        return _measure(self._insert(row))

    def list(
        self, athlete_id: int, *, since: date | None = None, until: date | None = None
    ) -> list[MeasureScore]:
        stmt = select(MeasureRow).where(MeasureRow.athlete_id == athlete_id)
        if since is not None:
            stmt = stmt.where(MeasureRow.day >= since)
        if until is not None:
            stmt = stmt.where(MeasureRow.day <= until)
        stmt = stmt.order_by(MeasureRow.day, MeasureRow.id)
        return [_measure(r) for r in self.session.scalars(stmt)]

    def delete(self, athlete_id: int, measure_id: int) -> None:
        result = self.session.execute(
            delete(MeasureRow).where(
                MeasureRow.athlete_id == athlete_id, MeasureRow.id == measure_id
            )
        )
        if not getattr(result, "rowcount", 0):
            raise NotFoundError(f"No outcome-measure score with id {measure_id}.")


class ReportNoteRepo(Repo):
    def get(self, athlete_id: int) -> str:
        row = self.session.get(ReportNoteRow, athlete_id)
        return RunnerText(row.questions) if row is not None else ""

    def set(self, athlete_id: int, questions: str) -> None:
        row = self.session.get(ReportNoteRow, athlete_id)
        if row is None:
            self.session.add(ReportNoteRow(athlete_id=athlete_id, questions=questions))
        else:
            row.questions = questions
        self.session.flush()
