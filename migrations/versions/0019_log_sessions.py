"""log_session: one activity with several of a coach's mentees, each pairing's log tied to it

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_log_session_author_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_session")),
    )
    op.create_index(op.f("ix_log_session_author_id"), "log_session", ["author_id"])
    # ADD COLUMN … REFERENCES: in place on both databases (no copy of transfer_log, which
    # at a million logs would take minutes); SQLite's is written out, Alembic refuses it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE transfer_log ADD COLUMN session_id INTEGER "
            "CONSTRAINT fk_transfer_log_session_id_log_session REFERENCES log_session (id)"
        )
    else:
        op.add_column("transfer_log", sa.Column("session_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_transfer_log_session_id_log_session"),
            "transfer_log",
            "log_session",
            ["session_id"],
            ["id"],
        )
    op.create_index(op.f("ix_transfer_log_session_id"), "transfer_log", ["session_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_transfer_log_session_id"), table_name="transfer_log")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in a foreign key only by copying the table: with the keys
        # off, so that dropping the old copy deletes nothing that refers to it.
        op.execute("PRAGMA foreign_keys=OFF")
        with op.batch_alter_table("transfer_log") as table:
            table.drop_column("session_id")
        op.execute("PRAGMA foreign_keys=ON")
    else:
        op.drop_constraint(
            op.f("fk_transfer_log_session_id_log_session"), "transfer_log", type_="foreignkey"
        )
        op.drop_column("transfer_log", "session_id")
    op.drop_index(op.f("ix_log_session_author_id"), table_name="log_session")
    op.drop_table("log_session")
