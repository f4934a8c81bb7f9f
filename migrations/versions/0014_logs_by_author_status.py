"""transfer_log: indexes that answer a coach's home from themselves

A coach's home counts their drafts and their disputed logs on every visit; with the
author alone indexed, that read every log the coach ever wrote (thousands after a few
years). With (author_id, status, pairing_id) each count reads only what it counts, from
the index; the foreign key to the author is still served by the index's first column.
The home also sums each open pairing's acknowledged hours and finds its last activity:
the index on (pairing_id, activity_date) now carries status and minutes, so that too is
read from the index alone (and the reports' reads by pairing and date keep using it).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_transfer_log_author_status", "transfer_log", ["author_id", "status", "pairing_id"]
    )
    op.drop_index("ix_transfer_log_author_id", table_name="transfer_log")
    op.drop_index("ix_transfer_log_pairing_date", table_name="transfer_log")
    op.create_index(
        "ix_transfer_log_pairing_date",
        "transfer_log",
        ["pairing_id", "activity_date", "status", "minutes"],
    )
    op.execute("ANALYZE transfer_log")


def downgrade() -> None:
    op.drop_index("ix_transfer_log_pairing_date", table_name="transfer_log")
    op.create_index("ix_transfer_log_pairing_date", "transfer_log", ["pairing_id", "activity_date"])
    op.create_index("ix_transfer_log_author_id", "transfer_log", ["author_id"])
    op.drop_index("ix_transfer_log_author_status", table_name="transfer_log")
