"""one row per activity of a file, and the data version every process reads

Revision ID: 0014
Revises: 0013

``activities.file_part`` numbers the activities of one imported file (0, 1, ...), so that
``(athlete_id, content_hash, file_part)`` can be unique: the same file is stored once per
athlete even when two imports run at once on PostgreSQL. Rows stored before get their number
in the order of their start. ``data_versions`` counts the changes of each athlete's data
(athlete 0: changes of everyone's), bumped by every writing transaction; the page caches of
every worker process read it (``backstride.web.cache``).
"""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _number_parts() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, athlete_id, content_hash FROM activities "
            "WHERE content_hash IS NOT NULL ORDER BY athlete_id, content_hash, start_at, id"
        )
    ).all()
    updates = [
        {"id": row.id, "part": part}
        for _key, group in groupby(rows, key=lambda r: (r.athlete_id, r.content_hash))
        for part, row in enumerate(group)
    ]
    if updates:
        conn.execute(sa.text("UPDATE activities SET file_part = :part WHERE id = :id"), updates)


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_part", sa.Integer(), nullable=True))
    _number_parts()
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_athlete_hash")
        batch_op.create_index(
            "uq_activities_athlete_hash_part",
            ["athlete_id", "content_hash", "file_part"],
            unique=True,
        )
    op.create_table(
        "data_versions",
        sa.Column("athlete_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("athlete_id", name=op.f("pk_data_versions")),
    )


def downgrade() -> None:
    op.drop_table("data_versions")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("uq_activities_athlete_hash_part")
        batch_op.create_index("ix_activities_athlete_hash", ["athlete_id", "content_hash"])
        batch_op.drop_column("file_part")
