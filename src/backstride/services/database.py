"""``backstride db upgrade``: bring the database's schema to this version of backstride.

Every command migrates a database on first use anyway; a server whose database is shared by
several processes (uvicorn workers, job workers, hosts) runs ``db upgrade`` once before it
starts them. Several at once are safe: on PostgreSQL the migration holds an advisory lock, so
one process migrates and the others then find the schema up to date.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.adapters.db.engine import Store, current_revision, head_revision, migrate
from backstride.config import Settings, mask_password


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    database: str
    """The database URL, its password masked."""
    before: str | None
    """The schema revision found (None: an empty database)."""
    after: str | None
    """The schema revision now (this backstride's newest)."""
    migrated: bool
    """Whether this process ran the migration (False: already up to date)."""


def upgrade_database(settings: Settings) -> UpgradeResult:
    store = Store(settings.database_url, auto_migrate=False)
    try:
        store.require_writable()
        before = current_revision(store.engine)
        migrated = migrate(store.engine, path=store.path)
        after = current_revision(store.engine)
        if after != head_revision(store.engine):  # pragma: no cover - migrate raises first
            raise AssertionError("the schema is not at the newest revision after migrating")
    finally:
        store.dispose()
    return UpgradeResult(mask_password(settings.database_url), before, after, migrated)
