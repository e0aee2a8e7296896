"""The body tables: migration 0002 up and down, models match, repos round-trip."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from backstride.adapters.db.body_repos import (
    ClearanceRepo,
    PainRepo,
    ProfileRepo,
    RedFlagSeenRepo,
    ScreeningRepo,
    SelfTestRepo,
    ShoeRepo,
)
from backstride.adapters.db.engine import Store, _alembic_config, current_revision
from backstride.adapters.db.job_tables import is_ours
from backstride.adapters.db.repos import AthleteRepo
from backstride.adapters.db.tables import Base
from backstride.domain.body import Clearance, Condition, Experience, Profile, Screening, Sex
from backstride.domain.pain import (
    PainEntry,
    PainFeel,
    PainSite,
    PainWhen,
    RedFlag,
    SeenRecord,
    open_red_flags,
)
from backstride.domain.selftest import SelfTestName, SelfTestResult
from backstride.domain.shoes import Shoe
from backstride.errors import NotFoundError, StorageError
from tests.databases import DbBackend

BODY_TABLES = {
    "profiles",
    "screenings",
    "clearances",
    "pain_entries",
    "red_flag_seen",
    "selftest_results",
    "shoes",
    "shoe_defaults",
}


def tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def test_migration_0002_creates_and_drops_the_body_tables(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="m.sqlite3", empty=True))
    assert BODY_TABLES <= tables(store)
    cfg = _alembic_config(store.engine)
    command.downgrade(cfg, "0001")
    assert current_revision(store.engine) == "0001"
    assert not BODY_TABLES & tables(store)
    assert "activities" in tables(store)
    command.upgrade(cfg, "0002")
    assert current_revision(store.engine) == "0002"
    assert BODY_TABLES <= tables(store)
    command.upgrade(cfg, "head")
    store.dispose()


def test_the_models_match_the_migrations(tmp_path: Path, db_backend: DbBackend) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="x.sqlite3"))
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": is_ours}
        )
        assert compare_metadata(context, Base.metadata) == []
    store.dispose()


def test_repos_round_trip_domain_objects(tmp_path: Path, db_backend: DbBackend) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="r.sqlite3"))
    d = date(2025, 3, 3)
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
        profile = Profile(
            birth_year=1962,
            sex=Sex.FEMALE,
            resting_hr_bpm=58,
            max_hr_bpm=172,
            conditions=(Condition.LUMBAR_SPINAL_STENOSIS,),
            past_injuries=("hamstring strain 2019",),
            experience=Experience.RETURNING,
        )
        ProfileRepo(s).save(athlete, profile)
        ScreeningRepo(s).add(athlete, Screening(d, {"chest-discomfort": True}))
        ClearanceRepo(s).add(athlete, Clearance(on=d, by="Dr J", restrictions="flat"))
        entry = PainEntry(
            day=d,
            when=PainWhen.NEXT_MORNING,
            score=4,
            where=(PainSite.LOW_BACK, PainSite.LEG_LEFT),
            feels=(PainFeel.STIFFNESS,),
            walking_leg_symptoms=True,
            red_flags=(RedFlag.NIGHT_PAIN,),
            notes="stiff",
        )
        entry_id = PainRepo(s).add(athlete, entry)
        RedFlagSeenRepo(s).add(athlete, SeenRecord(RedFlag.NIGHT_PAIN, d, "GP"))
        SelfTestRepo(s).add(athlete, SelfTestResult(SelfTestName.SIT_AND_REACH, d, 31.5))
        shoe_id = ShoeRepo(s).add(athlete, Shoe("Blue", start_km=10))
        ShoeRepo(s).set_default(athlete, "run", shoe_id)
    with store.session() as s:
        assert ProfileRepo(s).get(athlete) == profile
        latest = ScreeningRepo(s).latest(athlete)
        assert latest is not None and latest.answers == {"chest-discomfort": True}
        assert ClearanceRepo(s).list(athlete)[0].restrictions == "flat"
        got = PainRepo(s).get(athlete, entry_id)
        assert got.id == entry_id and (got.day, got.when, got.score) == (d, entry.when, 4)
        assert got.notes == "stiff"
        assert (got.where, got.feels, got.red_flags) == (entry.where, entry.feels, entry.red_flags)
        assert got.walking_leg_symptoms and not got.eases_sitting
        assert RedFlagSeenRepo(s).list(athlete)[0].by == "GP"
        assert SelfTestRepo(s).list(athlete)[0].value == 31.5
        shoe = ShoeRepo(s).get(athlete, "BLUE")
        assert (shoe.name, shoe.start_km, shoe.default_for) == ("Blue", 10.0, ("run",))
        assert ShoeRepo(s).defaults(athlete) == {"run": "Blue"}
        with pytest.raises(NotFoundError):
            PainRepo(s).get(athlete, 999)
    store.dispose()


def test_shoe_names_are_unique_per_athlete_in_the_database(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    store = Store(db_backend.new_url(tmp_path, filename="u.sqlite3"))
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
        ShoeRepo(s).add(athlete, Shoe("Blue"))
    with pytest.raises(StorageError):
        with store.session() as s:
            ShoeRepo(s).add(athlete, Shoe("blue"))
    store.dispose()


def test_the_red_flag_reads_keep_every_entry_that_reports_one(
    tmp_path: Path, db_backend: DbBackend
) -> None:
    """The emergency notice and the professional's list read only the entries that report
    a red flag: exactly those, and the open red flags come out the same as from all."""
    store = Store(db_backend.new_url(tmp_path, filename="f.sqlite3"))
    d = date(2025, 3, 3)
    kinds = [
        (),
        (RedFlag.NIGHT_PAIN,),
        (),
        (RedFlag.FEVER, RedFlag.BLADDER_CHANGE),
        (),
    ]
    with store.session() as s:
        athlete = AthleteRepo(s).get_or_create_default()
        for i, flags in enumerate(kinds):
            PainRepo(s).add(
                athlete,
                PainEntry(
                    day=d + timedelta(days=i),
                    when=PainWhen.REST_DAY,
                    score=i,
                    red_flags=flags,
                    ruled_out=(RedFlag.FEVER,) if not flags else (),
                ),
            )
    with store.session() as s:
        everything = PainRepo(s).list(athlete)
        flagged = PainRepo(s).list(athlete, red_flags_only=True)
        many = PainRepo(s).list_many([athlete], red_flags_only=True)
    assert flagged == [e for e in everything if e.red_flags] and len(flagged) == 2
    assert many == {athlete: flagged}
    assert open_red_flags(flagged, []) == open_red_flags(everything, [])
    store.dispose()
