"""indicators of priority results and the result a log served (issue 18 item 4):
indicator, indicator_value (new tables) and transfer_log.priority_result_id

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

VALUE = sa.Numeric(precision=15, scale=4)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("baseline_value", VALUE, nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=False),
        sa.Column("target_value", VALUE, nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "target_date >= baseline_date", name=op.f("ck_indicator_target_not_before_baseline")
        ),
        sa.CheckConstraint(
            "target_value <> baseline_value",
            name=op.f("ck_indicator_target_differs_from_baseline"),
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["priority_result.id"],
            name=op.f("fk_indicator_result_id_priority_result"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("result_id", "name", name=op.f("uq_indicator_result_id_name")),
    )
    op.create_index(op.f("ix_indicator_result_id"), "indicator", ["result_id"])
    op.create_table(
        "indicator_value",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", VALUE, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("stored_name", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_indicator_value_ends_after_start")
        ),
        sa.CheckConstraint(
            "quarter BETWEEN 1 AND 4", name=op.f("ck_indicator_value_quarter_known")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_value_indicator_id_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_indicator_value_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "indicator_id",
            "fiscal_year",
            "quarter",
            name=op.f("uq_indicator_value_indicator_id_fiscal_year_quarter"),
        ),
        sa.UniqueConstraint("stored_name", name=op.f("uq_indicator_value_stored_name")),
    )
    op.create_index(
        "ix_indicator_value_indicator_end", "indicator_value", ["indicator_id", "period_end"]
    )
    # ADD COLUMN … REFERENCES: in place on both databases (no copy of transfer_log, which
    # at a million logs would take minutes); SQLite's is written out, Alembic refuses it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE transfer_log ADD COLUMN priority_result_id INTEGER "
            "CONSTRAINT fk_transfer_log_priority_result_id_priority_result "
            "REFERENCES priority_result (id)"
        )
    else:
        op.add_column("transfer_log", sa.Column("priority_result_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_transfer_log_priority_result_id_priority_result"),
            "transfer_log",
            "priority_result",
            ["priority_result_id"],
            ["id"],
        )
    op.create_index(
        "ix_transfer_log_priority_result_date",
        "transfer_log",
        ["priority_result_id", "activity_date"],
    )


def downgrade() -> None:
    op.drop_index("ix_transfer_log_priority_result_date", table_name="transfer_log")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in a foreign key only by copying the table: with the keys
        # off, so that dropping the old copy deletes nothing that refers to it.
        op.execute("PRAGMA foreign_keys=OFF")
        with op.batch_alter_table("transfer_log") as table:
            table.drop_column("priority_result_id")
        op.execute("PRAGMA foreign_keys=ON")
    else:
        op.drop_constraint(
            op.f("fk_transfer_log_priority_result_id_priority_result"),
            "transfer_log",
            type_="foreignkey",
        )
        op.drop_column("transfer_log", "priority_result_id")
    op.drop_index("ix_indicator_value_indicator_end", table_name="indicator_value")
    op.drop_table("indicator_value")
    op.drop_index(op.f("ix_indicator_result_id"), table_name="indicator")
    op.drop_table("indicator")
