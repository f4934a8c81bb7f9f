"""transfer_log: an index on (activity_date, id), the order the log lists page by

The managers' list and the API read logs newest first and page by that key (no OFFSET,
no sort of the whole table); both databases walk this index backwards.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_transfer_log_date_id", "transfer_log", ["activity_date", "id"])


def downgrade() -> None:
    op.drop_index("ix_transfer_log_date_id", table_name="transfer_log")
