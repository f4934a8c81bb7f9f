"""transfer_log: the first submission and the acknowledgement kept on the log, read by the
reports pairing by pairing; log_event indexed by action first

The reports counted a period's first submissions and acknowledgements from the whole
history (an EXISTS per event, every sector's events read for one sector). The two times
are now columns, filled here from the history (scbi.transfer.services.derived keeps and
checks them), each indexed after the pairing like the counted logs; the median reads
the acknowledgement and last submission times from that index alone, so the index on
responded_at goes. Disputes still come from
the history, now read by action first; a log's history is indexed by log, action and time,
so its first submission and acknowledgement are read from the index alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FROM_HISTORY = """
UPDATE transfer_log SET
  first_submitted_at = (SELECT min(e.at) FROM log_event e
                        WHERE e.log_id = transfer_log.id AND e.action = 'submitted'),
  acknowledged_at = (SELECT max(e.at) FROM log_event e
                     WHERE e.log_id = transfer_log.id AND e.action = 'acknowledged')
"""


def upgrade() -> None:
    op.add_column("transfer_log", sa.Column("first_submitted_at", sa.DateTime(timezone=True)))
    op.add_column("transfer_log", sa.Column("acknowledged_at", sa.DateTime(timezone=True)))
    op.drop_index("ix_log_event_log_id", table_name="log_event")
    op.create_index("ix_log_event_log_action", "log_event", ["log_id", "action", "at"])
    op.execute(FROM_HISTORY)
    op.drop_index("ix_transfer_log_responded_at", table_name="transfer_log")
    op.create_index(
        "ix_transfer_log_pairing_first_submitted",
        "transfer_log",
        ["pairing_id", "first_submitted_at"],
    )
    op.create_index(
        "ix_transfer_log_pairing_acknowledged",
        "transfer_log",
        ["pairing_id", "acknowledged_at", "submitted_at"],
    )
    op.drop_index("ix_log_event_at_action", table_name="log_event")
    op.create_index("ix_log_event_action_at", "log_event", ["action", "at"])
    for table in ("transfer_log", "log_event"):  # the planners learn the new indexes now
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    op.drop_index("ix_log_event_action_at", table_name="log_event")
    op.create_index("ix_log_event_at_action", "log_event", ["at", "action"])
    op.drop_index("ix_log_event_log_action", table_name="log_event")
    op.create_index("ix_log_event_log_id", "log_event", ["log_id"])
    op.drop_index("ix_transfer_log_pairing_acknowledged", table_name="transfer_log")
    op.drop_index("ix_transfer_log_pairing_first_submitted", table_name="transfer_log")
    op.create_index("ix_transfer_log_responded_at", "transfer_log", ["responded_at"])
    with op.batch_alter_table("transfer_log") as table:
        table.drop_column("acknowledged_at")
        table.drop_column("first_submitted_at")
