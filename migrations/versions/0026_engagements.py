"""short brokered engagements (issue 19 item 2): the tables engagement (the request, the
practitioner and span, the close-out), engagement_objective (with each outcome),
engagement_member (the counterpart team), engagement_check_in and engagement_progress (a
check-in's word on an objective) — new tables only

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engagement",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("requested_by_role", sa.String(length=200), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("hoped_result", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("expert_name", sa.String(length=200), nullable=False),
        sa.Column("expert_organisation", sa.String(length=200), nullable=False),
        sa.Column("expert_country", sa.String(length=80), nullable=False),
        sa.Column("expert_email", sa.String(length=254), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("team_can_now", sa.Text(), nullable=False),
        sa.Column("longer_pairing", sa.Boolean(), nullable=True),
        sa.Column("longer_pairing_note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "coach_id IS NULL OR expert_name = ''", name=op.f("ck_engagement_one_practitioner")
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'brokered', 'active', 'closed', 'declined', 'withdrawn')",
            name=op.f("ck_engagement_status_known"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_engagement_ends_after_start"),
        ),
        sa.CheckConstraint(
            "weeks IS NULL OR weeks BETWEEN 1 AND 26", name=op.f("ck_engagement_weeks_in_span")
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coach.id"], name=op.f("fk_engagement_coach_id_coach")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_engagement_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_engagement_recorded_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_engagement_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement")),
    )
    op.create_index(op.f("ix_engagement_coach_id"), "engagement", ["coach_id"], unique=False)
    op.create_index(
        op.f("ix_engagement_institution_id"), "engagement", ["institution_id"], unique=False
    )
    op.create_index(op.f("ix_engagement_sector_id"), "engagement", ["sector_id"], unique=False)
    op.create_index(
        "ix_engagement_status_end_date", "engagement", ["status", "end_date"], unique=False
    )
    op.create_table(
        "engagement_check_in",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_engagement_check_in_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_engagement_check_in_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_check_in")),
    )
    op.create_index(
        op.f("ix_engagement_check_in_engagement_id"),
        "engagement_check_in",
        ["engagement_id"],
        unique=False,
    )
    op.create_table(
        "engagement_member",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_engagement_member_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["mentee.id"], name=op.f("fk_engagement_member_mentee_id_mentee")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_member")),
    )
    op.create_index(
        op.f("ix_engagement_member_engagement_id"),
        "engagement_member",
        ["engagement_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_engagement_member_mentee_id"), "engagement_member", ["mentee_id"], unique=False
    )
    op.create_table(
        "engagement_objective",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('achieved', 'partly', 'not')",
            name=op.f("ck_engagement_objective_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_engagement_objective_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_objective")),
        sa.UniqueConstraint(
            "engagement_id", "number", name=op.f("uq_engagement_objective_engagement_id_number")
        ),
    )
    op.create_index(
        op.f("ix_engagement_objective_engagement_id"),
        "engagement_objective",
        ["engagement_id"],
        unique=False,
    )
    op.create_table(
        "engagement_progress",
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("progress", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "progress IN ('on_track', 'at_risk', 'stalled')",
            name=op.f("ck_engagement_progress_progress_known"),
        ),
        sa.ForeignKeyConstraint(
            ["check_in_id"],
            ["engagement_check_in.id"],
            name=op.f("fk_engagement_progress_check_in_id_engagement_check_in"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["engagement_objective.id"],
            name=op.f("fk_engagement_progress_objective_id_engagement_objective"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_progress")),
        sa.UniqueConstraint(
            "check_in_id",
            "objective_id",
            name=op.f("uq_engagement_progress_check_in_id_objective_id"),
        ),
    )
    op.create_index(
        op.f("ix_engagement_progress_check_in_id"),
        "engagement_progress",
        ["check_in_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_engagement_progress_objective_id"),
        "engagement_progress",
        ["objective_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_engagement_progress_objective_id"), table_name="engagement_progress")
    op.drop_index(op.f("ix_engagement_progress_check_in_id"), table_name="engagement_progress")
    op.drop_table("engagement_progress")
    op.drop_index(op.f("ix_engagement_objective_engagement_id"), table_name="engagement_objective")
    op.drop_table("engagement_objective")
    op.drop_index(op.f("ix_engagement_member_mentee_id"), table_name="engagement_member")
    op.drop_index(op.f("ix_engagement_member_engagement_id"), table_name="engagement_member")
    op.drop_table("engagement_member")
    op.drop_index(op.f("ix_engagement_check_in_engagement_id"), table_name="engagement_check_in")
    op.drop_table("engagement_check_in")
    op.drop_index("ix_engagement_status_end_date", table_name="engagement")
    op.drop_index(op.f("ix_engagement_sector_id"), table_name="engagement")
    op.drop_index(op.f("ix_engagement_institution_id"), table_name="engagement")
    op.drop_index(op.f("ix_engagement_coach_id"), table_name="engagement")
    op.drop_table("engagement")
