"""the partner role and partner accounts (issue 18 item 2): ``user_role`` admits
'partner'; ``partner_account`` links a partner's account to its development partner

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

ROLES = "'secretariat', 'coordinator', 'coach', 'mentee'"


def _roles(known: str) -> None:
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_role_role_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_user_role_role_known"), f"role IN ({known})")


def upgrade() -> None:
    _roles(f"{ROLES}, 'partner'")
    op.create_table(
        "partner_account",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partner.id"], name=op.f("fk_partner_account_partner_id_partner")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_partner_account_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_partner_account")),
    )
    with op.batch_alter_table("partner_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_account_partner_id"), ["partner_id"], unique=False
        )


def downgrade() -> None:
    op.execute("DELETE FROM user_role WHERE role = 'partner'")
    with op.batch_alter_table("partner_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_account_partner_id"))
    op.drop_table("partner_account")
    _roles(ROLES)
