"""partner, contract_funding, funding_month: development partners and what each coach's
contract costs them (new tables only)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 10:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("acronym", sa.String(length=30), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner")),
        sa.UniqueConstraint("acronym", name=op.f("uq_partner_acronym")),
    )
    op.create_table(
        "contract_funding",
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "basis IN ('total', 'monthly')", name=op.f("ck_contract_funding_basis_known")
        ),
        sa.CheckConstraint(
            "amount IS NULL OR amount >= 0", name=op.f("ck_contract_funding_amount_not_negative")
        ),
        sa.CheckConstraint(
            "(basis = 'total') = (amount IS NOT NULL)",
            name=op.f("ck_contract_funding_amount_for_total_basis"),
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coach.id"], name=op.f("fk_contract_funding_coach_id_coach")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_contract_funding_partner_id_partner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_funding")),
    )
    op.create_index(op.f("ix_contract_funding_coach_id"), "contract_funding", ["coach_id"])
    op.create_index(op.f("ix_contract_funding_partner_id"), "contract_funding", ["partner_id"])
    op.create_table(
        "funding_month",
        sa.Column("funding_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_funding_month_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["funding_id"],
            ["contract_funding.id"],
            name=op.f("fk_funding_month_funding_id_contract_funding"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_month")),
        sa.UniqueConstraint("funding_id", "month", name=op.f("uq_funding_month_funding_id_month")),
    )
    op.create_index(op.f("ix_funding_month_funding_id"), "funding_month", ["funding_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_funding_month_funding_id"), table_name="funding_month")
    op.drop_table("funding_month")
    op.drop_index(op.f("ix_contract_funding_partner_id"), table_name="contract_funding")
    op.drop_index(op.f("ix_contract_funding_coach_id"), table_name="contract_funding")
    op.drop_table("contract_funding")
    op.drop_table("partner")
