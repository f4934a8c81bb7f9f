"""mail: the outbox, single-use account links, and each person's mail preferences

``mail_message`` holds every message, written in the transaction of the event that
causes it and delivered by ``scbi send-mail``; ``mail_reminder`` the reminders already
mailed (once per occurrence); ``account_link`` the hashed tokens of
invitations and password resets; three flags on ``user`` say which optional mails the
person wants (all on for existing accounts).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

PREFERENCES = ("mail_events", "mail_reminders", "mail_digest")


def upgrade() -> None:
    op.create_table(
        "account_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('invitation', 'reset')", name=op.f("ck_account_link_purpose_known")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_account_link_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_link_token_hash")),
    )
    op.create_index(op.f("ix_account_link_user_id"), "account_link", ["user_id"])

    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.String(length=600), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'failed', 'held')",
            name=op.f("ck_mail_message_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"],
            ["user.id"],
            name=op.f("fk_mail_message_to_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_mail_message_dedupe_key")),
    )
    op.create_index(op.f("ix_mail_message_created_at"), "mail_message", ["created_at"])
    op.create_index("ix_mail_message_due", "mail_message", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_mail_message_to_user_id"), "mail_message", ["to_user_id"])

    op.create_table(
        "mail_reminder",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_mail_reminder")),
    )

    # Plain ADD COLUMN (no batch copy of "user": every table refers to it).
    for name in PREFERENCES:
        op.add_column(
            "user", sa.Column(name, sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    for name in PREFERENCES:  # SQLite 3.35+ drops a plain column in place, like PostgreSQL
        op.drop_column("user", name)
    op.drop_table("mail_reminder")
    op.drop_index(op.f("ix_mail_message_to_user_id"), table_name="mail_message")
    op.drop_index("ix_mail_message_due", table_name="mail_message")
    op.drop_index(op.f("ix_mail_message_created_at"), table_name="mail_message")
    op.drop_table("mail_message")
    op.drop_index(op.f("ix_account_link_user_id"), table_name="account_link")
    op.drop_table("account_link")
