"""each activity's time zone and where it came from (the place, the file, the setting)

Revision ID: 0009
Revises: 0008

Activities stored before this revision keep their local day (the UTC day, or the file's own
offset) and have no zone; ``backstride activity fix-days`` works their days out again from
the place, the file's offset or the time-zone setting (docs/metrics.md, "Local days").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("time_zone_source", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("time_zone_source")
        batch_op.drop_column("time_zone")
