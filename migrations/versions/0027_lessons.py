"""the lessons register (issue 19 item 3): lesson_tag, the problem and competency tags put
on the register's entries (the entries themselves are read from their sources) — a new
table only

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_tag",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("problem", sa.String(length=60), nullable=True),
        sa.Column("competency_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "source IN ('exchange', 'engagement', 'report')",
            name=op.f("ck_lesson_tag_source_known"),
        ),
        sa.CheckConstraint(
            "(problem IS NULL) <> (competency_id IS NULL)", name=op.f("ck_lesson_tag_one_tag")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["user.id"], name=op.f("fk_lesson_tag_added_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_lesson_tag_competency_id_competency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_tag")),
        sa.UniqueConstraint(
            "source",
            "source_id",
            "competency_id",
            name=op.f("uq_lesson_tag_source_source_id_competency_id"),
        ),
        sa.UniqueConstraint(
            "source", "source_id", "problem", name=op.f("uq_lesson_tag_source_source_id_problem")
        ),
    )
    op.create_index(
        op.f("ix_lesson_tag_competency_id"), "lesson_tag", ["competency_id"], unique=False
    )
    op.create_index("ix_lesson_tag_problem", "lesson_tag", ["problem"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lesson_tag_problem", table_name="lesson_tag")
    op.drop_index(op.f("ix_lesson_tag_competency_id"), table_name="lesson_tag")
    op.drop_table("lesson_tag")
