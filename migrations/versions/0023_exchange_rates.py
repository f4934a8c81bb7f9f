"""exchange rates per fiscal quarter entered by the secretariat (issue 18 item 1): the
table exchange_rate (a new table only)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reporting_currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=20, scale=10), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rate_rate_positive")),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name=op.f("ck_exchange_rate_quarter_known")),
        sa.CheckConstraint(
            "currency <> reporting_currency", name=op.f("ck_exchange_rate_another_currency")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["user.id"], name=op.f("fk_exchange_rate_entered_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint(
            "fiscal_year",
            "quarter",
            "currency",
            "reporting_currency",
            name="uq_exchange_rate_period_currency",
        ),
    )
    op.create_index(op.f("ix_exchange_rate_entered_by_id"), "exchange_rate", ["entered_by_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_rate_entered_by_id"), table_name="exchange_rate")
    op.drop_table("exchange_rate")
