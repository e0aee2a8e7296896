"""row-level security on the athlete (PostgreSQL only)

Revision ID: 0013
Revises: 0012

A second wall behind the repositories' own ``athlete_id`` filters (docs/server.md,
"Row-level security"): on PostgreSQL every table with an ``athlete_id`` column gets a policy
that shows and accepts only the rows of the transaction's athlete, read from the setting
``backstride.athlete_id`` that the server sets with ``SET LOCAL`` (``set_config(...,
true)``) on each of a request's transactions (``Store.scoped``). A transaction that sets no
athlete (the command line, migrations, the login and sharing checks, which read across
athletes by design) sees every row. ``FORCE`` makes the policies hold for the tables'
owner too, which is the role backstride connects as. SQLite has no row-level security: this
revision does nothing there.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ATHLETE_TABLES = (
    "activities",
    "import_records",
    "profiles",
    "screenings",
    "clearances",
    "pain_entries",
    "red_flag_seen",
    "selftest_results",
    "shoes",
    "shoe_defaults",
    "original_files",
    "outcome_measures",
    "report_notes",
    "activity_metrics",
    "plans",
    "routine_log",
    "routes",
    "grants",
    "audit_events",
    "care_notes",
)
POLICY = "athlete_isolation"
SETTING = "NULLIF(current_setting('backstride.athlete_id', true), '')"
CONDITION = f"{SETTING} IS NULL OR athlete_id = {SETTING}::integer"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ATHLETE_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} USING ({CONDITION}) WITH CHECK ({CONDITION})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ATHLETE_TABLES:
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
