"""cached per-activity analysis

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_metrics",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("profile_key", sa.String(length=100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("moving_time_s", sa.Float(), nullable=True),
        sa.Column("load", sa.Float(), nullable=False),
        sa.Column("load_kind", sa.String(length=16), nullable=False),
        sa.Column("hard", sa.Boolean(), nullable=False),
        sa.Column("trimp", sa.Float(), nullable=True),
        sa.Column("elevation_gain_m", sa.Float(), nullable=True),
        sa.Column("elevation_loss_m", sa.Float(), nullable=True),
        sa.Column("steep_descent_m", sa.Float(), nullable=True),
        sa.Column("steep_descent_share", sa.Float(), nullable=True),
        sa.Column("longest_descent_drop_m", sa.Float(), nullable=True),
        sa.Column("cadence_spm", sa.Float(), nullable=True),
        sa.Column("surface", sa.String(length=16), nullable=True),
        sa.Column("analysis_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_metrics_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_activity_metrics_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_activity_metrics")),
    )
    with op.batch_alter_table("activity_metrics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_metrics_athlete_day", ["athlete_id", "day"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_metrics_athlete_day")
    op.drop_table("activity_metrics")
