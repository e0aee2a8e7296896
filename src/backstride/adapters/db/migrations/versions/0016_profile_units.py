"""the runner's units (km or mi) in the profile

Revision ID: 0016
Revises: 0015

``profiles.units`` is the runner's own choice of kilometres or miles; NULL (every profile
stored before) means not chosen, so the settings decide as before (docs/units.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("units", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("units")
