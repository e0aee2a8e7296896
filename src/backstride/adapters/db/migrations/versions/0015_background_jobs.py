"""background jobs: their progress and results, and procrastinate's queue (PostgreSQL)

Revision ID: 0015
Revises: 0014

``background_jobs`` holds, per athlete, each job of the server mode (an archive import, a
report to typeset): its progress, how it ended, and its result (the report's PDF), where
every server process reads it. On PostgreSQL it gets the row-level security policy of every
athlete table (migration 0013), and procrastinate's own schema (its queue: tables, functions,
triggers) is created here, from the installed procrastinate's ``schema.sql``, so that
``backstride db upgrade`` (or the server's start) makes the database ready for jobs in one
step, under the same lock as every migration. ``pyproject.toml`` pins procrastinate to one
minor version: a later one that brings schema changes (its ``sql/migrations/*.sql``) needs a
revision of ours that applies them. SQLite (the local mode, which runs imports in the
request) gets the table only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

POLICY = "athlete_isolation"
SETTING = "NULLIF(current_setting('backstride.athlete_id', true), '')"
CONDITION = f"{SETTING} IS NULL OR athlete_id = {SETTING}::integer"
PROCRASTINATE_TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)
PROCRASTINATE_TYPES = (
    "procrastinate_job_to_defer_v1",
    "procrastinate_job_event_type",
    "procrastinate_job_status",
)


def _run_script(sql: str) -> None:
    """Run a script of several statements as it is (no parameter markers on the way)."""
    raw = op.get_bind().connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def upgrade() -> None:
    op.create_table(
        "background_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("files_total", sa.Integer(), nullable=True),
        sa.Column("files_done", sa.Integer(), nullable=False),
        sa.Column("files_failed", sa.Integer(), nullable=False),
        sa.Column("activities_stored", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("hint", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("result_name", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_background_jobs_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_jobs")),
    )
    op.create_index(
        "ix_background_jobs_athlete_created",
        "background_jobs",
        ["athlete_id", "created_at"],
        unique=False,
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE background_jobs ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE background_jobs FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {POLICY} ON background_jobs USING ({CONDITION}) WITH CHECK ({CONDITION})"
    )
    from procrastinate.schema import SchemaManager

    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PROCRASTINATE_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        functions = op.get_bind().execute(
            sa.text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'"
            )
        )
        for (signature,) in functions.all():
            op.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
        for type_name in PROCRASTINATE_TYPES:
            op.execute(f"DROP TYPE IF EXISTS {type_name} CASCADE")
    op.drop_index("ix_background_jobs_athlete_created", table_name="background_jobs")
    op.drop_table("background_jobs")
