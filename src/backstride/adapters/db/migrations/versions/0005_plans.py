"""run/walk plans (weeks, marks, events) and the routine adherence log

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _fk(
    table: str, column: str, target: str, *, ondelete: str = "CASCADE"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.String(length=8), nullable=False),
        sa.Column("variant", sa.String(length=16), nullable=False),
        sa.Column("days", sa.String(length=32), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paused_on", sa.Date(), nullable=True),
        sa.Column("pause_reason", sa.Text(), nullable=True),
        sa.Column("gate_paused_on", sa.Date(), nullable=True),
        sa.Column("gate_reasons", sa.Text(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("plans", "athlete_id", "athletes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index("ix_plans_athlete_status", ["athlete_id", "status"])

    op.create_table(
        "plan_weeks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("template_week", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("cut_on", sa.Date(), nullable=True),
        sa.Column("rest_day_on", sa.Date(), nullable=True),
        sa.Column("paused_from", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        _fk("plan_weeks", "plan_id", "plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_weeks")),
        sa.UniqueConstraint("plan_id", "seq", name="uq_plan_weeks_plan_seq"),
    )

    op.create_table(
        "plan_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("plan_marks", "plan_id", "plans"),
        _fk("plan_marks", "activity_id", "activities", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_marks")),
        sa.UniqueConstraint("plan_id", "day", name="uq_plan_marks_plan_day"),
    )
    with op.batch_alter_table("plan_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_marks_activity_id"), ["activity_id"])

    op.create_table(
        "plan_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("week_seq", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("plan_events", "plan_id", "plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_events")),
    )
    with op.batch_alter_table("plan_events", schema=None) as batch_op:
        batch_op.create_index("ix_plan_events_plan_day", ["plan_id", "day"])

    op.create_table(
        "routine_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("routine", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("routine_log", "athlete_id", "athletes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routine_log")),
    )
    with op.batch_alter_table("routine_log", schema=None) as batch_op:
        batch_op.create_index("ix_routine_log_athlete_day", ["athlete_id", "day"])


def downgrade() -> None:
    with op.batch_alter_table("routine_log", schema=None) as batch_op:
        batch_op.drop_index("ix_routine_log_athlete_day")
    op.drop_table("routine_log")
    with op.batch_alter_table("plan_events", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_events_plan_day")
    op.drop_table("plan_events")
    with op.batch_alter_table("plan_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_marks_activity_id"))
    op.drop_table("plan_marks")
    op.drop_table("plan_weeks")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_athlete_status")
    op.drop_table("plans")
