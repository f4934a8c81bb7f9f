"""transfer_log: the client's key for the log it sent, unique per author

A phone that sends a quick log again (a retry after a dropped connection, a double tap, an
entry kept offline and sent twice) sends the same key, and gets back the log the first
sending made instead of a second one. A unique index, not a constraint: no copy of the
table on SQLite.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("transfer_log", sa.Column("client_key", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_transfer_log_author_client_key",
        "transfer_log",
        ["author_id", "client_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_transfer_log_author_client_key", table_name="transfer_log")
    op.drop_column("transfer_log", "client_key")  # SQLite 3.35+ drops a plain column in place
