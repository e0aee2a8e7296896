"""the device's timer time per activity (from the FIT file's timer start/stop events)

Revision ID: 0007
Revises: 0006

Activities imported before this revision have none; their timer time is then the recording
time of their samples (docs/metrics.md, "Timer time"). Re-importing a file does not change a
stored activity (duplicates are skipped), so the column stays empty for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_timer_s", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("device_timer_s")
