"""level_change: the days each mentee's level changes on a competency, kept for the
critical mass instead of replaying every assessment and plan baseline

Filled here from the history with the rule of scbi.competencies.level_changes (the
application keeps it from now on, in the transaction of each assessment and plan
approval; ``flask --app wsgi scbi derived`` checks it).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO level_change (mentee_id, competency_id, kind, ident, day, at, level)
WITH stream AS (
    SELECT a.mentee_id, a.competency_id, 1 AS kind, a.id AS ident, a.assessed_on AS day,
           CAST(NULL AS {timestamp}) AS at, a.level
    FROM assessment a WHERE a.assessor_role <> 'self'
    UNION ALL
    SELECT p.mentee_id, i.competency_id, 0, t.id, {decided_day}, t.decided_at, i.baseline_level
    FROM plan_item i JOIN transfer_plan t ON t.id = i.plan_id JOIN pairing p ON p.id = t.pairing_id
    WHERE t.status IN ('approved', 'superseded') AND t.decided_at IS NOT NULL
), seen AS (
    SELECT stream.*, sum(kind) OVER (PARTITION BY mentee_id, competency_id
        ORDER BY day, kind, at, ident ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        AS assessed_before
    FROM stream
), counted AS (
    SELECT * FROM seen WHERE kind = 1 OR assessed_before = 0
), flagged AS (
    SELECT counted.*, lag(level, 1, 0) OVER (PARTITION BY mentee_id, competency_id
        ORDER BY day, kind, at, ident) AS before
    FROM counted
)
SELECT mentee_id, competency_id, kind, ident, day, at, level FROM flagged WHERE level <> before
"""


def upgrade() -> None:
    op.create_table(
        "level_change",
        sa.Column("mentee_id", sa.Integer(), sa.ForeignKey("mentee.id"), nullable=False),
        sa.Column("competency_id", sa.Integer(), sa.ForeignKey("competency.id"), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.Column("ident", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mentee_id", "competency_id", "kind", "ident"),
    )
    op.create_index("ix_level_change_day", "level_change", ["day"])
    op.create_index(
        "ix_level_change_pair_order",
        "level_change",
        ["mentee_id", "competency_id", "day", "kind", "at", "ident", "level"],
    )
    if op.get_bind().dialect.name == "postgresql":
        sql = FILL.format(
            timestamp="TIMESTAMP WITH TIME ZONE",
            decided_day="CAST(timezone('UTC', t.decided_at) AS DATE)",
        )
    else:
        sql = FILL.format(timestamp="DATETIME", decided_day="date(t.decided_at)")
    op.execute(sql)
    op.execute("ANALYZE level_change")  # the planners learn the new table now


def downgrade() -> None:
    op.drop_index("ix_level_change_pair_order", table_name="level_change")
    op.drop_index("ix_level_change_day", table_name="level_change")
    op.drop_table("level_change")
