"""safety: what the clinician said after a red flag, warning signs ruled out, the nerve-root
question (leg pain worse on coughing), and the profile's spine procedures and pregnancy

Revision ID: 0008
Revises: 0007

Visits recorded before this revision have no outcome (NULL): they are read as "not yet known
whether you may train" until the runner records what the clinician said (docs/body.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("red_flag_seen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
    with op.batch_alter_table("pain_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("worse_coughing", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("ruled_out_flags", sa.Text(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spine_surgery_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("spine_injection_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("pregnant_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("pregnant_since")
        batch_op.drop_column("spine_injection_on")
        batch_op.drop_column("spine_surgery_on")
    with op.batch_alter_table("pain_entries", schema=None) as batch_op:
        batch_op.drop_column("ruled_out_flags")
        batch_op.drop_column("worse_coughing")
    with op.batch_alter_table("red_flag_seen", schema=None) as batch_op:
        batch_op.drop_column("outcome")
