"""indexes for the activity list's sort keys (distance, duration, climb, heart rate, sport)

Revision ID: 0006
Revises: 0005

The Activities list pages through the history sorted by any of these columns; without an
index SQLite reads and sorts every row for each page. Each index ends, as every SQLite index
does, with the row id, which is the list's tie-break, so a page is a short index walk.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_activities_athlete_distance": "distance_m",
    "ix_activities_athlete_duration": "duration_s",
    "ix_activities_athlete_elevation": "elevation_gain_m",
    "ix_activities_athlete_hr": "avg_hr_bpm",
    "ix_activities_athlete_sport": "sport",
}


def upgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        for name, column in INDEXES.items():
            batch_op.create_index(name, ["athlete_id", column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
