"""body diary: profile, screening, clearances, pain diary, red-flag reviews, self-tests, shoes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:17:40
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _athlete_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["athlete_id"],
        ["athletes.id"],
        name=op.f(f"fk_{table}_athlete_id_athletes"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("resting_hr_bpm", sa.Integer(), nullable=True),
        sa.Column("max_hr_bpm", sa.Integer(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("past_injuries", sa.Text(), nullable=False),
        sa.Column("experience", sa.String(length=16), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _athlete_fk("profiles"),
        sa.PrimaryKeyConstraint("athlete_id", name=op.f("pk_profiles")),
    )

    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _athlete_fk("screenings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.create_index("ix_screenings_athlete_day", ["athlete_id", "answered_on"])

    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("cleared_on", sa.Date(), nullable=False),
        sa.Column("cleared_by", sa.String(length=500), nullable=False),
        sa.Column("restrictions", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _athlete_fk("clearances"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.create_index("ix_clearances_athlete_day", ["athlete_id", "cleared_on"])

    op.create_table(
        "pain_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("moment", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("sites", sa.Text(), nullable=False),
        sa.Column("feels", sa.Text(), nullable=False),
        sa.Column("walking_leg_symptoms", sa.Boolean(), nullable=False),
        sa.Column("eases_sitting", sa.Boolean(), nullable=False),
        sa.Column("red_flags", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_pain_entries_activity_id_activities"),
            ondelete="SET NULL",
        ),
        _athlete_fk("pain_entries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_entries")),
    )
    with op.batch_alter_table("pain_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pain_entries_activity_id"), ["activity_id"])
        batch_op.create_index("ix_pain_entries_athlete_day", ["athlete_id", "day"])

    op.create_table(
        "red_flag_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=32), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("seen_by", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _athlete_fk("red_flag_seen"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flag_seen")),
    )
    with op.batch_alter_table("red_flag_seen", schema=None) as batch_op:
        batch_op.create_index("ix_red_flag_seen_athlete_flag", ["athlete_id", "flag"])

    op.create_table(
        "selftest_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("test", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _athlete_fk("selftest_results"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selftest_results")),
    )
    with op.batch_alter_table("selftest_results", schema=None) as batch_op:
        batch_op.create_index("ix_selftest_results_athlete_test", ["athlete_id", "test", "day"])

    op.create_table(
        "shoes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("start_km", sa.Float(), nullable=False),
        sa.Column("inspect_km", sa.Float(), nullable=False),
        sa.Column("retire_km", sa.Float(), nullable=False),
        sa.Column("bought_on", sa.Date(), nullable=True),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _athlete_fk("shoes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoes")),
        sa.UniqueConstraint("athlete_id", "name_key", name="uq_shoes_athlete_name"),
    )

    op.create_table(
        "shoe_defaults",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("shoe_id", sa.Integer(), nullable=False),
        _athlete_fk("shoe_defaults"),
        sa.ForeignKeyConstraint(
            ["shoe_id"],
            ["shoes.id"],
            name=op.f("fk_shoe_defaults_shoe_id_shoes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "sport", name=op.f("pk_shoe_defaults")),
    )
    with op.batch_alter_table("shoe_defaults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shoe_defaults_shoe_id"), ["shoe_id"])


def downgrade() -> None:
    with op.batch_alter_table("shoe_defaults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shoe_defaults_shoe_id"))
    op.drop_table("shoe_defaults")
    op.drop_table("shoes")
    with op.batch_alter_table("selftest_results", schema=None) as batch_op:
        batch_op.drop_index("ix_selftest_results_athlete_test")
    op.drop_table("selftest_results")
    with op.batch_alter_table("red_flag_seen", schema=None) as batch_op:
        batch_op.drop_index("ix_red_flag_seen_athlete_flag")
    op.drop_table("red_flag_seen")
    with op.batch_alter_table("pain_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_pain_entries_athlete_day")
        batch_op.drop_index(batch_op.f("ix_pain_entries_activity_id"))
    op.drop_table("pain_entries")
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.drop_index("ix_clearances_athlete_day")
    op.drop_table("clearances")
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_index("ix_screenings_athlete_day")
    op.drop_table("screenings")
    op.drop_table("profiles")
