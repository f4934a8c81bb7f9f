"""auth: failed sign-ins counted per client address too, and old throttle rows pruned

One address could try a password on every account with no limit: ``login_client_throttle``
counts its failures across e-mails in a fixed window. ``login_throttle`` gets an index on
``last_failure_at`` so that each sign-in can prune the rows of e-mails quiet for a day.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_client_throttle",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_login_client_throttle")),
    )
    op.create_index(
        op.f("ix_login_client_throttle_window_started_at"),
        "login_client_throttle",
        ["window_started_at"],
    )
    op.create_index(
        op.f("ix_login_throttle_last_failure_at"), "login_throttle", ["last_failure_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_login_throttle_last_failure_at"), table_name="login_throttle")
    op.drop_index(
        op.f("ix_login_client_throttle_window_started_at"), table_name="login_client_throttle"
    )
    op.drop_table("login_client_throttle")
