"""Concurrent writers wait for each other instead of failing with "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

from backstride.adapters.db.engine import Store
from backstride.adapters.db.repos import AthleteRepo, ImportRecordRepo
from tests.databases import DbBackend


def test_read_then_write_transactions_in_parallel_threads_all_succeed(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="c.sqlite3"))
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(10):
                with store.session() as s:
                    repo = ImportRecordRepo(s)
                    repo.list(athlete)  # read first ...
                    repo.add(  # ... then write, in the same transaction
                        athlete,
                        file_name=f"{i}-{j}",
                        content_hash=None,
                        size_bytes=0,
                        status="skipped",
                        reason=None,
                        activity_ids=[],
                    )
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.session() as s:
        assert len(ImportRecordRepo(s).list(athlete, limit=1000)) == 80
    store.dispose()
