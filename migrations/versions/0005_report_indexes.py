"""reports: the indexes the period filters need

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # logs submitted / acknowledged / disputed in a period: the history by time
    op.create_index("ix_log_event_at_action", "log_event", ["at", "action"])
    # median days to acknowledge: the logs answered in a period
    op.create_index("ix_transfer_log_responded_at", "transfer_log", ["responded_at"])


def downgrade() -> None:
    op.drop_index("ix_transfer_log_responded_at", table_name="transfer_log")
    op.drop_index("ix_log_event_at_action", table_name="log_event")
