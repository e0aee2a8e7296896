"""Queries of the background jobs (``background_jobs``): every one filtered by athlete."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from backstride.adapters.db.job_tables import BackgroundJobRow
from backstride.adapters.db.repo import Repo
from backstride.adapters.db.tables import utcnow

RUNNING_STATES = ("waiting", "running")


class JobRepo(Repo):
    def add(self, athlete_id: int, *, kind: str, title: str, params: dict[str, Any]) -> int:
        row = BackgroundJobRow(
            athlete_id=athlete_id,
            kind=kind,
            state="waiting",
            title=title,
            params=json.dumps(params),
            files_done=0,
            files_failed=0,
            activities_stored=0,
            attempts=0,
        )
        return self._insert(row).id

    def get(self, athlete_id: int, job_id: int) -> BackgroundJobRow | None:
        """The job ``job_id`` if it is ``athlete_id``'s, else None."""
        return self.session.scalar(
            select(BackgroundJobRow).where(
                BackgroundJobRow.id == job_id, BackgroundJobRow.athlete_id == athlete_id
            )
        )

    def get_any(self, job_id: int) -> BackgroundJobRow | None:
        """The job ``job_id``, whoever's (for the worker, which reads the athlete from it)."""
        return self.session.get(BackgroundJobRow, job_id)

    def list(self, athlete_id: int, *, limit: int) -> Sequence[BackgroundJobRow]:
        return self.session.scalars(
            select(BackgroundJobRow)
            .where(BackgroundJobRow.athlete_id == athlete_id)
            .order_by(BackgroundJobRow.created_at.desc(), BackgroundJobRow.id.desc())
            .limit(limit)
        ).all()

    def prune(self, athlete_id: int, *, keep: int) -> int:
        """Delete ``athlete_id``'s finished jobs past her newest ``keep`` (their PDFs with
        them); how many."""
        old = self.session.scalars(
            select(BackgroundJobRow.id)
            .where(
                BackgroundJobRow.athlete_id == athlete_id,
                BackgroundJobRow.state.not_in(RUNNING_STATES),
            )
            .order_by(BackgroundJobRow.created_at.desc(), BackgroundJobRow.id.desc())
            .offset(keep)
        ).all()
        if old:
            self.session.execute(delete(BackgroundJobRow).where(BackgroundJobRow.id.in_(old)))
        return len(old)

    def start(self, job_id: int) -> None:
        """A worker takes the job up (again, after a worker died): the count of files starts
        over, the activities stored by an earlier attempt stay counted."""
        self.session.execute(
            update(BackgroundJobRow)
            .where(BackgroundJobRow.id == job_id)
            .values(
                state="running",
                started_at=utcnow(),
                files_done=0,
                files_failed=0,
                files_total=None,
                attempts=BackgroundJobRow.attempts + 1,
            )
        )

    def set_progress(
        self,
        job_id: int,
        *,
        files_total: int | None,
        files_done: int,
        files_failed: int,
        activities_stored: int,
    ) -> None:
        self.session.execute(
            update(BackgroundJobRow)
            .where(BackgroundJobRow.id == job_id)
            .values(
                files_total=files_total,
                files_done=files_done,
                files_failed=files_failed,
                activities_stored=activities_stored,
            )
        )

    def finish(
        self,
        job_id: int,
        *,
        state: str,
        message: str | None = None,
        hint: str | None = None,
        summary: Any = None,
        result: bytes | None = None,
        result_name: str | None = None,
        finished_at: datetime | None = None,
    ) -> None:
        self.session.execute(
            update(BackgroundJobRow)
            .where(BackgroundJobRow.id == job_id)
            .values(
                state=state,
                message=message,
                hint=hint,
                summary=None if summary is None else json.dumps(summary),
                result=result,
                result_name=result_name,
                finished_at=finished_at or utcnow(),
            )
        )
