"""mentee follow-ups after the programme (retention, issue 18 item 3): follow_up, one
answer per mentee and milestone (6, 12 or 24 months after the exit date); when each falls
due is derived, never stored (new table only)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_up",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("in_public_service", sa.Boolean(), nullable=False),
        sa.Column("same_institution", sa.Boolean(), nullable=True),
        sa.Column("same_sector", sa.Boolean(), nullable=True),
        sa.Column("promoted", sa.Boolean(), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("coaching_others", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_as", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("months IN (6, 12, 24)", name=op.f("ck_follow_up_months_known")),
        sa.CheckConstraint(
            "recorded_as IN ('mentee', 'secretariat')",
            name=op.f("ck_follow_up_recorded_as_known"),
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["mentee.id"], name=op.f("fk_follow_up_mentee_id_mentee")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_follow_up_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("mentee_id", "months", name=op.f("uq_follow_up_mentee_id_months")),
    )


def downgrade() -> None:
    op.drop_table("follow_up")
