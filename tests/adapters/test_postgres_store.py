"""PostgreSQL's own behaviour behind the store: timeouts, unknown databases, passwords."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from backstride.adapters.db.engine import Store
from backstride.errors import StorageError
from tests.databases import DbBackend

pytestmark = pytest.mark.postgresql_only


def test_a_runaway_statement_is_stopped_with_a_clear_error(
    db_backend: DbBackend, tmp_path: Path
) -> None:
    store = Store(db_backend.new_url(tmp_path), statement_timeout_s=0.2)
    try:
        with pytest.raises(StorageError, match="took too long") as caught:
            with store.session() as session:
                session.execute(text("SELECT pg_sleep(2)"))
        assert "pg_sleep" not in str(caught.value) and "SELECT" not in str(caught.value)
        with store.session() as session:  # the next unit of work goes on
            assert session.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        store.dispose()


def test_the_statement_timeout_holds_after_the_store_migrated_the_database(
    db_backend: DbBackend, tmp_path: Path
) -> None:
    """The migration runs without a statement timeout on its connection; that connection
    goes back to the store's pool with the store's own timeout again."""
    store = Store(db_backend.new_url(tmp_path, empty=True), statement_timeout_s=7)
    try:
        for _ in range(2):  # the pool's one connection, the migration's
            with store.session() as session:
                assert session.execute(text("SHOW statement_timeout")).scalar_one() == "7s"
    finally:
        store.dispose()


def test_an_unknown_database_is_named_without_the_password_or_a_file_hint(
    db_url: str,
) -> None:
    url = make_url(db_url).set(database="no_such_db", password="s3cret-pw")
    with pytest.raises(StorageError) as caught:
        Store(url.render_as_string(hide_password=False))
    error = caught.value
    assert "no such database" in error.message
    assert "s3cret-pw" not in error.message + (error.hint or "")
    assert "locked" not in (error.hint or "")


def test_an_unreachable_server_is_named(db_url: str) -> None:
    from tests.databases import free_port

    url = make_url(db_url).set(port=free_port(), password="s3cret-pw")
    with pytest.raises(StorageError, match="Could not reach") as caught:
        Store(url.render_as_string(hide_password=False))
    assert "s3cret-pw" not in str(caught.value) + (caught.value.hint or "")


def _driver_state(session: Session) -> tuple[bool, str]:
    """The psycopg connection under ``session``: autocommit, and its transaction status."""
    conn = session.connection().connection.driver_connection
    assert conn is not None
    return conn.autocommit, conn.info.transaction_status.name


def test_a_requests_reads_of_no_athlete_run_without_a_transaction_block(
    db_backend: DbBackend, tmp_path: Path
) -> None:
    """Within a request's shared reads, the reads of no athlete (the login and access
    checks) run each statement on its own (autocommit: no BEGIN and COMMIT round trips);
    an athlete's reads stay in a transaction that carries her row-level security setting;
    and the pool's connections come back transactional for every other unit of work."""
    from backstride.adapters.db.engine import ATHLETE_SETTING, shared_reads

    store = Store(db_backend.new_url(tmp_path))
    try:
        with shared_reads():
            with store.read_session() as session:
                session.execute(text("SELECT 1"))
                assert _driver_state(session) == (True, "IDLE")
            with store.scoped(7).read_session() as session:
                setting = session.execute(
                    text("SELECT current_setting(:name, true)"), {"name": ATHLETE_SETTING}
                ).scalar_one()
                assert setting == "7"
                assert _driver_state(session) == (False, "INTRANS")
        for _ in range(3):  # whichever pooled connection comes out
            with store.session() as session:
                session.execute(text("SELECT 1"))
                assert _driver_state(session) == (False, "INTRANS")
    finally:
        store.dispose()
