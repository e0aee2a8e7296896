"""Alembic environment: uses the engine handed over by backstride (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

import backstride.adapters.db.account_tables  # noqa: F401  (registers accounts and sharing)
import backstride.adapters.db.body_tables  # noqa: F401  (registers the body tables)
import backstride.adapters.db.data_tables  # noqa: F401  (registers originals, measures, notes)
import backstride.adapters.db.metrics_tables  # noqa: F401  (registers the metrics cache)
import backstride.adapters.db.plan_tables  # noqa: F401  (registers the plan tables)
import backstride.adapters.db.route_tables  # noqa: F401  (registers the saved routes)
from backstride.adapters.db.job_tables import is_ours  # (registers the background jobs)
from backstride.adapters.db.tables import Base

config = context.config
target_metadata = Base.metadata


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=is_ours,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        # A connection in a transaction that holds the database's write or migration lock
        # (``engine.migrate``): migrate in that transaction; the caller commits.
        _migrate(given)
        return
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        _migrate(connection)
        connection.commit()


run_migrations()
