"""mentees: staff numbers unique ignoring case, in the database

The rule was checked by a query on lower(staff_number) that scanned every mentee (a
5,000-person import read 5,000 × 5,000 rows) and that two parallel registrations could
both pass. A unique index on the expression answers the query and enforces the rule.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(staff_number) FROM mentee GROUP BY lower(staff_number) "
                "HAVING count(*) > 1 ORDER BY 1"
            )
        )
        .scalars()
        .all()
    )
    if clashes:
        raise RuntimeError(
            "Mentees share staff numbers that differ only in case: "
            + ", ".join(clashes[:20])
            + ". Give each mentee their own (the mentee's edit page), then upgrade again."
        )
    op.create_index(
        "uq_mentee_staff_number_lower", "mentee", [sa.text("lower(staff_number)")], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_mentee_staff_number_lower", table_name="mentee")
