"""competency tracking: assessments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 19:08:53.331768
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("assessor_role", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("review_status", sa.String(length=20), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "assessor_role IN ('self', 'coach', 'coordinator', 'secretariat')",
            name=op.f("ck_assessment_assessor_role_known"),
        ),
        sa.CheckConstraint(
            "review_status IN ('none', 'waiting_for_review', 'in_review', 'resolved')",
            name=op.f("ck_assessment_review_status_known"),
        ),
        sa.CheckConstraint("level BETWEEN 0 AND 4", name=op.f("ck_assessment_level_on_scale")),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["user.id"], name=op.f("fk_assessment_assessor_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_assessment_competency_id_competency"),
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["mentee.id"], name=op.f("fk_assessment_mentee_id_mentee")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_resolved_by_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user.id"], name=op.f("fk_assessment_reviewer_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_assessor_id"), ["assessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_competency_id"), ["competency_id"], unique=False
        )
        batch_op.create_index(
            "ix_assessment_mentee_competency_date",
            ["mentee_id", "competency_id", "assessed_on"],
            unique=False,
        )

    op.create_table(
        "assessment_log",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_log_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["log_id"], ["transfer_log.id"], name=op.f("fk_assessment_log_log_id_transfer_log")
        ),
        sa.PrimaryKeyConstraint("assessment_id", "log_id", name=op.f("pk_assessment_log")),
    )
    with op.batch_alter_table("assessment_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_log_log_id"), ["log_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_log_log_id"))

    op.drop_table("assessment_log")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_mentee_competency_date")
        batch_op.drop_index(batch_op.f("ix_assessment_competency_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_assessor_id"))

    op.drop_table("assessment")
