"""The store: migrations, pragmas, blobs, repositories."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sqlalchemy import text

from backstride.adapters.db.blobs import decode_streams, encode_streams
from backstride.adapters.db.engine import (
    Store,
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    migrate,
)
from backstride.adapters.db.repos import ActivityRepo, AthleteRepo, ImportRecordRepo
from backstride.domain.activity import Activity, DeviceTotals, Sport, Streams
from backstride.errors import ConfigError, NotFoundError, StorageError
from tests.databases import DbBackend


def _activity(start: datetime | None = None, distance: float | None = 5000.0) -> Activity:
    n = 50
    return Activity(
        sport=Sport.RUN,
        source_sport="running",
        source_format="fit",
        start_at=start or datetime(2024, 5, 1, 7, 0, tzinfo=UTC),
        utc_offset_s=7200,
        duration_s=1800.0,
        distance_m=distance,
        streams=Streams(
            time_s=np.arange(n, dtype=float),
            hr_bpm=np.linspace(100, 150, n),
            lat_deg=np.linspace(50, 50.01, n),
            lon_deg=np.full(n, 8.0),
        ),
        device_totals=DeviceTotals(distance_m=distance, timer_s=1700.0),
        warnings=("3 hr values out of range ignored",),
    )


@pytest.mark.sqlite_only  # SQLite's own journal mode and foreign-key pragma
def test_migrations_create_schema_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    store = Store(f"sqlite:///{path}")
    assert current_revision(store.engine) == head_revision(store.engine)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()
    tables = {
        r[0]
        for r in sqlite3.connect(path).execute("select name from sqlite_master where type='table'")
    }
    assert {"athletes", "activities", "streams", "import_records", "alembic_version"} <= tables


def test_the_head_read_without_alembic_is_alembics_head(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    """The cheap start-up check (no Alembic import when up to date) names the same head."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    engine = make_engine(db_backend.new_url(tmp_path, filename="h.sqlite3", empty=True))
    script = ScriptDirectory.from_config(_alembic_config(engine))
    assert head_revision() == script.get_current_head() is not None
    migrate(engine)
    with engine.connect() as conn:
        assert current_revision(engine) == MigrationContext.configure(conn).get_current_revision()
    engine.dispose()


def test_migrations_downgrade_to_base_and_up_again(tmp_path: Path, db_backend: DbBackend) -> None:
    engine = make_engine(db_backend.new_url(tmp_path, filename="b.sqlite3", empty=True))
    migrate(engine)
    cfg = _alembic_config(engine)
    command.downgrade(cfg, "base")
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision(engine)
    migrate(engine)  # idempotent
    engine.dispose()


def test_database_from_a_newer_backstride_is_refused(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num='9999_future'"))
    store.dispose()
    with pytest.raises(StorageError, match="newer backstride"):
        Store(db_url)


def test_the_revision_is_read_with_two_plain_queries_as_alembic_reads_it(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    """Every store open reads the schema revision: two plain queries (no inspection of the
    catalog through Alembic), with Alembic's answer: none without the table, the one row's,
    and a table of two rows refused by Alembic as before."""
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError
    from sqlalchemy import Engine, event

    url = db_backend.new_url(tmp_path, filename="r.sqlite3", empty=True)
    engine = make_engine(url)

    def alembic_reads() -> str | None:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    asked: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        asked.append(" ".join(statement.split()))

    try:
        assert current_revision(engine) is None and alembic_reads() is None
        migrate(engine)
        event.listen(Engine, "before_cursor_execute", note)
        try:
            assert current_revision(engine) == head_revision()
        finally:
            event.remove(Engine, "before_cursor_execute", note)
        asked = [s for s in asked if not s.startswith("BEGIN")]  # SQLite's own BEGIN
        assert len(asked) == 2 and asked[1] == "SELECT version_num FROM alembic_version"
        assert "alembic_version" in asked[0] and "pg_class" not in asked[0]
        assert alembic_reads() == head_revision()
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
        with pytest.raises(CommandError, match="more than one head"):
            Store(url)
    finally:
        engine.dispose()


def test_bad_database_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        make_engine("nosuchdialect+driver://x")


@pytest.mark.sqlite_only  # the database file's folder
def test_store_creates_missing_parent_folder(tmp_path: Path) -> None:
    Store(f"sqlite:///{tmp_path / 'deep' / 'er' / 'x.sqlite3'}").dispose()
    assert (tmp_path / "deep" / "er" / "x.sqlite3").exists()


def test_stream_blob_round_trips_columns_and_nans() -> None:
    s = Streams(
        time_s=np.array([0.0, 1.0, 2.5]),
        altitude_m=np.array([100.0, np.nan, 101.2]),
        power_w=np.array([200.0, 210.0, 0.0]),
    )
    back = decode_streams(encode_streams(s))
    assert sorted(back.present()) == ["altitude_m", "power_w", "time_s"]
    np.testing.assert_array_equal(back.time_s, s.time_s)
    np.testing.assert_array_equal(back.altitude_m, s.altitude_m)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 300), elements=st.floats(allow_nan=True, width=64)))
def test_stream_blob_round_trip_is_exact(values: np.ndarray) -> None:
    s = Streams(time_s=np.arange(len(values), dtype=float), hr_bpm=values)
    back = decode_streams(encode_streams(s))
    if back.hr_bpm is None:  # an all-NaN column is "absent"
        assert not np.isfinite(values).any()
    else:
        np.testing.assert_array_equal(back.hr_bpm, values)


@pytest.mark.parametrize("blob", [b"", b"BSS1", b"XXXX\x00\x00\x00\x00", b"BSS1\x05\x00\x00\x00{}"])
def test_damaged_blob_is_a_storage_error(blob: bytes) -> None:
    with pytest.raises(StorageError):
        decode_streams(blob)


def test_activity_repo_round_trip_and_delete_cascades(db_url: str) -> None:
    store = Store(db_url)
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
        assert AthleteRepo(s).get_or_create_default() == athlete
        aid = ActivityRepo(s).add(athlete, _activity(), source_label="x.fit", content_hash="h1")
    with store.session() as s:
        repo = ActivityRepo(s)
        got = repo.get(athlete, aid, with_streams=True)
        assert got.start_at == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
        assert got.utc_offset_s == 7200
        assert got.device_totals == DeviceTotals(distance_m=5000.0, timer_s=1700.0)
        assert got.warnings == ("3 hr values out of range ignored",)
        assert len(got.streams) == 50
        row = repo.get_row(athlete, aid)
        assert row.local_date.isoformat() == "2024-05-01"
        assert repo.has_content_hash(athlete, "h1") == [aid]
        assert repo.known_content_hashes(athlete) == {"h1"}
    with store.session() as s:
        ActivityRepo(s).delete(athlete, aid)
    with store.session() as s:
        with pytest.raises(NotFoundError):
            ActivityRepo(s).get(athlete, aid)
        assert ActivityRepo(s).get_streams(aid).time_s.size == 0
    store.dispose()


def test_find_same_activity_window_and_distance_tolerance(db_url: str) -> None:
    store = Store(db_url)
    t0 = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
        aid = ActivityRepo(s).add(athlete, _activity(t0), source_label="a", content_hash=None)
    with store.session() as s:
        repo = ActivityRepo(s)
        near = t0 + timedelta(seconds=119)
        assert (
            repo.find_same_activity(athlete, sport=Sport.RUN, start_at=near, distance_m=5140.0)
            == aid
        )
        assert (
            repo.find_same_activity(athlete, sport=Sport.RUN, start_at=near, distance_m=5200.0)
            is None
        )
        far = t0 + timedelta(seconds=121)
        assert (
            repo.find_same_activity(athlete, sport=Sport.RUN, start_at=far, distance_m=5000.0)
            is None
        )
        assert (
            repo.find_same_activity(athlete, sport=Sport.CYCLE, start_at=t0, distance_m=5000.0)
            is None
        )
    store.dispose()


def test_import_records_are_listed_newest_first(db_url: str) -> None:
    store = Store(db_url)
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
        repo = ImportRecordRepo(s)
        for i, status in enumerate(["imported", "failed"]):
            repo.add(
                athlete,
                file_name=f"f{i}",
                content_hash=None,
                size_bytes=i,
                status=status,
                reason=None,
                activity_ids=[],
            )
    with store.session() as s:
        assert [r.status for r in ImportRecordRepo(s).list(athlete)] == ["failed", "imported"]
    store.dispose()


def test_session_rolls_back_on_error(db_url: str) -> None:
    store = Store(db_url)
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
    with pytest.raises(RuntimeError), store.session() as s:
        ActivityRepo(s).add(athlete, _activity(), source_label="a", content_hash=None)
        raise RuntimeError("boom")
    with store.session() as s:
        assert ActivityRepo(s).count(athlete) == 0
    store.dispose()
