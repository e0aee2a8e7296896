"""a second data version: changes of anything but the pain diary

Revision ID: 0017
Revises: 0016

``data_versions.version`` counts every change of an athlete's data; the new
``non_diary_version`` counts the changes that touched anything but the diary (check-ins, red
flags seen, self-tests, screenings, clearances). The page caches keep answers that never read
the diary (the training load, an activity's analysis and charts) with the second count, so a
check-in makes only the answers that read the diary compute again. Rows stored before start
at 0: caches live in memory, so no answer was kept with a count from before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("data_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("non_diary_version", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("data_versions", schema=None) as batch_op:
        batch_op.drop_column("non_diary_version")
