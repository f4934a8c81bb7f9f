"""log_month: each pairing's counted logs by calendar month (how many, their minutes, the
minutes the mentee led), kept for the reports' hours since the programme began instead of
reading every counted log (issue 13)

Filled here from the logs with the rule of scbi.transfer.log_months (the application
keeps it from now on, in the transaction of each change to a counted log; ``flask --app
wsgi scbi derived`` checks it).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-08 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO log_month (pairing_id, month, logs, minutes, led_minutes)
SELECT pairing_id, {month}, count(*), sum(minutes),
       sum(CASE WHEN mentee_role = 'led' THEN minutes ELSE 0 END)
FROM transfer_log
WHERE status IN ('acknowledged', 'verified')
GROUP BY pairing_id, {month}
"""


def upgrade() -> None:
    op.create_table(
        "log_month",
        sa.Column("pairing_id", sa.Integer(), sa.ForeignKey("pairing.id"), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("logs", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("led_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("pairing_id", "month"),
    )
    if op.get_bind().dialect.name == "postgresql":
        month = "to_char(activity_date, 'YYYY-MM')"
    else:
        month = "strftime('%Y-%m', activity_date)"
    op.execute(FILL.format(month=month))
    op.execute("ANALYZE log_month")  # the planners learn the new table now


def downgrade() -> None:
    op.drop_table("log_month")
