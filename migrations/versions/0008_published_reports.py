"""reports: published sector reports, immutable in the database

A sector report for an ended fiscal quarter or year is frozen with its narrative; later
differences are answered with numbered addenda (number 2, 3 …), never by changing a row.
Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), as on the audit trail.
The figures are JSON text, kept byte for byte as published.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "published_report"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("went_badly", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_published_report_number_positive")),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_published_report_period_ordered")
        ),
        sa.CheckConstraint(
            "quarter IS NULL OR quarter BETWEEN 1 AND 4",
            name=op.f("ck_published_report_quarter_known"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["user.id"], name=op.f("fk_published_report_published_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_published_report_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_report")),
        sa.UniqueConstraint(
            "sector_id",
            "period_start",
            "period_end",
            "number",
            name="uq_published_report_number",
        ),
    )
    op.create_index("ix_published_report_fiscal_year", TABLE, ["fiscal_year", "quarter"])
    op.create_index("ix_published_report_published_by_id", TABLE, ["published_by_id"])
    _make_immutable()


def _make_immutable() -> None:
    """The table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION published_report_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'published_report is immutable'; END $$"
        )
        op.execute(
            "CREATE TRIGGER published_report_no_change BEFORE UPDATE OR DELETE ON "
            "published_report FOR EACH ROW EXECUTE FUNCTION published_report_immutable()"
        )
        op.execute(
            "CREATE TRIGGER published_report_no_truncate BEFORE TRUNCATE ON published_report "
            "FOR EACH STATEMENT EXECUTE FUNCTION published_report_immutable()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER published_report_no_{event.lower()} BEFORE {event} ON "
                "published_report BEGIN SELECT RAISE(ABORT, 'published_report is immutable'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER published_report_no_truncate ON published_report")
        op.execute("DROP TRIGGER published_report_no_change ON published_report")
        op.execute("DROP FUNCTION published_report_immutable()")
    op.drop_index("ix_published_report_published_by_id", table_name=TABLE)
    op.drop_index("ix_published_report_fiscal_year", table_name=TABLE)
    op.drop_table(TABLE)
