"""One read transaction per piece of a request's work (``adapters/db/request_reads.py``).

On PostgreSQL, inside ``shared_reads()`` the read-only units of work of one store and athlete
share a session; each still behaves as a unit of its own: a write committed in between is
seen by the next read, an object read before is read afresh, a failed statement leaves the
next read working, and another thread reads on its own. On SQLite nothing is shared.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from backstride.adapters.db.engine import Store, shared_reads
from backstride.adapters.db.repos import AthleteRepo
from backstride.adapters.db.tables import AthleteRow
from backstride.errors import BackstrideError
from tests.databases import DbBackend


@pytest.fixture
def store(tmp_path: Path, db_backend: DbBackend) -> Iterator[Store]:
    s = Store(db_backend.new_url(tmp_path))
    with s.session() as session:
        AthleteRepo(session).get_or_create_default()
    yield s
    s.dispose()


def _athlete(session: Session) -> AthleteRow:
    row = session.query(AthleteRow).order_by(AthleteRow.id).first()
    assert row is not None
    return row


def _rename(store: Store, name: str) -> None:
    with store.session() as session:
        _athlete(session).name = name


def test_reads_share_a_session_and_still_see_what_was_written_between(store: Store) -> None:
    with shared_reads():
        with store.read_session() as first:
            before = _athlete(first)
        _rename(store, "Renamed between two reads")
        with store.read_session() as second:
            after = _athlete(second)
    assert (first is second) == store.is_postgresql
    assert before is not after  # read afresh, not taken from the shared session's map
    assert before.name != "Renamed between two reads"
    assert after.name == "Renamed between two reads"


def test_a_failed_read_leaves_the_next_read_working(store: Store) -> None:
    with shared_reads():
        with pytest.raises(BackstrideError), store.read_session() as session:
            session.execute(text("SELECT no_such_column FROM athletes"))
        with store.read_session() as session:
            assert _athlete(session).id > 0


def test_nested_reads_share_and_another_thread_reads_on_its_own(store: Store) -> None:
    seen: list[Session] = []

    def other_thread() -> None:
        with store.read_session() as session:
            seen.append(session)
            _athlete(session)

    with shared_reads():
        with store.read_session() as outer:
            with store.read_session() as inner:
                assert (inner is outer) == store.is_postgresql
            worker = threading.Thread(target=other_thread)
            worker.start()
            worker.join()
            assert _athlete(outer).id > 0  # the outer unit still reads after the inner one
    assert seen and seen[0] is not outer


def test_after_the_block_each_read_has_its_own_session(store: Store) -> None:
    with shared_reads():
        with store.read_session() as inside:
            _athlete(inside)
    with store.read_session() as first, store.read_session() as second:
        assert first is not second and first is not inside
        assert _athlete(first).id == _athlete(second).id


def test_each_athlete_reads_in_a_session_of_its_own(store: Store) -> None:
    with shared_reads():
        with store.scoped(1).read_session() as one, store.read_session() as everyone:
            assert one is not everyone
        with store.scoped(1).read_session() as again:
            assert (again is one) == store.is_postgresql
