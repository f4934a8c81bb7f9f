"""programme set-up: phases, sectors, institutions, frameworks, coaches, mentees, pairings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:56:39.315425
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phase",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_phase_ends_after_start")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phase")),
        sa.UniqueConstraint("name", name=op.f("uq_phase_name")),
    )
    op.create_table(
        "sector",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("expert_target", sa.Integer(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("expert_level", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "expert_level BETWEEN 1 AND 4", name=op.f("ck_sector_expert_level_on_scale")
        ),
        sa.CheckConstraint("expert_target >= 0", name=op.f("ck_sector_expert_target_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector")),
        sa.UniqueConstraint("code", name=op.f("uq_sector_code")),
        sa.UniqueConstraint("name", name=op.f("uq_sector_name")),
    )
    op.create_table(
        "competency_framework",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("idnumber", sa.String(length=100), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_format", sa.Integer(), nullable=False),
        sa.Column("scale_values", sa.Text(), nullable=False),
        sa.Column("scale_configuration", sa.Text(), nullable=False),
        sa.Column("taxonomy", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_competency_framework_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_framework")),
        sa.UniqueConstraint("idnumber", name=op.f("uq_competency_framework_idnumber")),
    )
    with op.batch_alter_table("competency_framework", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competency_framework_sector_id"), ["sector_id"], unique=False
        )

    op.create_table(
        "coordinator_sector",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            ["sector.id"],
            name=op.f("fk_coordinator_sector_sector_id_sector"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_coordinator_sector_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "sector_id", name=op.f("pk_coordinator_sector")),
    )
    with op.batch_alter_table("coordinator_sector", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordinator_sector_sector_id"), ["sector_id"], unique=False
        )

    op.create_table(
        "institution",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("acronym", sa.String(length=20), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_institution_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("acronym", name=op.f("uq_institution_acronym")),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_sector_id"), ["sector_id"], unique=False)

    op.create_table(
        "coach",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nationality", sa.String(length=80), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("technical_expertise", sa.Text(), nullable=False),
        sa.Column("coaching_experience_years", sa.Integer(), nullable=False),
        sa.Column("coaching_qualification", sa.String(length=200), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("host_institution_id", sa.Integer(), nullable=False),
        sa.Column("contract_start", sa.Date(), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=False),
        sa.Column("max_mentees", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('active', 'inactive')", name=op.f("ck_coach_status_known")),
        sa.CheckConstraint(
            "coaching_experience_years >= 0", name=op.f("ck_coach_experience_not_negative")
        ),
        sa.CheckConstraint(
            "contract_end >= contract_start", name=op.f("ck_coach_contract_ends_after_start")
        ),
        sa.CheckConstraint("max_mentees BETWEEN 1 AND 50", name=op.f("ck_coach_max_mentees_range")),
        sa.ForeignKeyConstraint(
            ["host_institution_id"],
            ["institution.id"],
            name=op.f("fk_coach_host_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_coach_sector_id_sector")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_coach_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach")),
        sa.UniqueConstraint("user_id", name=op.f("uq_coach_user_id")),
    )
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coach_host_institution_id"), ["host_institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coach_sector_id"), ["sector_id"], unique=False)

    op.create_table(
        "competency",
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("idnumber", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_format", sa.Integer(), nullable=False),
        sa.Column("core", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("rule_type", sa.Text(), nullable=False),
        sa.Column("rule_outcome", sa.String(length=8), nullable=False),
        sa.Column("rule_config", sa.Text(), nullable=False),
        sa.Column("cross_references", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["competency_framework.id"],
            name=op.f("fk_competency_framework_id_competency_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["competency.id"], name=op.f("fk_competency_parent_id_competency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency")),
        sa.UniqueConstraint(
            "framework_id", "idnumber", name=op.f("uq_competency_framework_id_idnumber")
        ),
    )
    with op.batch_alter_table("competency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competency_framework_id"), ["framework_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_competency_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "mentee",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("staff_number", sa.String(length=40), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("status_changed_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "gender IN ('female', 'male', 'other', 'undisclosed')",
            name=op.f("ck_mentee_gender_known"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'graduated', 'withdrawn', 'left_public_service')",
            name=op.f("ck_mentee_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_mentee_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(["phase_id"], ["phase.id"], name=op.f("fk_mentee_phase_id_phase")),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_mentee_sector_id_sector")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_mentee_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentee")),
        sa.UniqueConstraint("staff_number", name=op.f("uq_mentee_staff_number")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentee_user_id")),
    )
    with op.batch_alter_table("mentee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentee_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mentee_phase_id"), ["phase_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentee_sector_id"), ["sector_id"], unique=False)

    op.create_table(
        "priority_result",
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('not_started', 'on_track', 'at_risk', 'delivered', 'dropped')",
            name=op.f("ck_priority_result_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_priority_result_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_priority_result_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_result")),
    )
    with op.batch_alter_table("priority_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_priority_result_sector_id"), ["sector_id"], unique=False
        )

    op.create_table(
        "mentee_status_change",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'graduated', 'withdrawn', 'left_public_service')",
            name=op.f("ck_mentee_status_change_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentee.id"],
            name=op.f("fk_mentee_status_change_mentee_id_mentee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_mentee_status_change_recorded_by_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentee_status_change")),
    )
    with op.batch_alter_table("mentee_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentee_status_change_mentee_id"), ["mentee_id"], unique=False
        )

    op.create_table(
        "pairing",
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("planned_end_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("cross_sector_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'paused', 'completed', 'terminated')",
            name=op.f("ck_pairing_status_known"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_pairing_ended_after_start")
        ),
        sa.CheckConstraint(
            "planned_end_date >= start_date", name=op.f("ck_pairing_ends_after_start")
        ),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"], name=op.f("fk_pairing_coach_id_coach")),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["mentee.id"], name=op.f("fk_pairing_mentee_id_mentee")
        ),
        sa.ForeignKeyConstraint(["phase_id"], ["phase.id"], name=op.f("fk_pairing_phase_id_phase")),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_pairing_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing")),
    )
    with op.batch_alter_table("pairing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pairing_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pairing_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pairing_phase_id"), ["phase_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pairing_sector_id"), ["sector_id"], unique=False)
        batch_op.create_index(
            "uq_pairing_open_pair",
            ["coach_id", "mentee_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('active', 'paused')"),
            postgresql_where=sa.text("status IN ('active', 'paused')"),
        )

    op.create_table(
        "priority_result_status",
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('not_started', 'on_track', 'at_risk', 'delivered', 'dropped')",
            name=op.f("ck_priority_result_status_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_priority_result_status_recorded_by_id_user"),
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["priority_result.id"],
            name=op.f("fk_priority_result_status_result_id_priority_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_result_status")),
    )
    with op.batch_alter_table("priority_result_status", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_priority_result_status_result_id"), ["result_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("priority_result_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_result_status_result_id"))

    op.drop_table("priority_result_status")
    with op.batch_alter_table("pairing", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_pairing_open_pair",
            sqlite_where=sa.text("status IN ('active', 'paused')"),
            postgresql_where=sa.text("status IN ('active', 'paused')"),
        )
        batch_op.drop_index(batch_op.f("ix_pairing_sector_id"))
        batch_op.drop_index(batch_op.f("ix_pairing_phase_id"))
        batch_op.drop_index(batch_op.f("ix_pairing_mentee_id"))
        batch_op.drop_index(batch_op.f("ix_pairing_coach_id"))

    op.drop_table("pairing")
    with op.batch_alter_table("mentee_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentee_status_change_mentee_id"))

    op.drop_table("mentee_status_change")
    with op.batch_alter_table("priority_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_result_sector_id"))

    op.drop_table("priority_result")
    with op.batch_alter_table("mentee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentee_sector_id"))
        batch_op.drop_index(batch_op.f("ix_mentee_phase_id"))
        batch_op.drop_index(batch_op.f("ix_mentee_institution_id"))

    op.drop_table("mentee")
    with op.batch_alter_table("competency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competency_parent_id"))
        batch_op.drop_index(batch_op.f("ix_competency_framework_id"))

    op.drop_table("competency")
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_sector_id"))
        batch_op.drop_index(batch_op.f("ix_coach_host_institution_id"))

    op.drop_table("coach")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_sector_id"))

    op.drop_table("institution")
    with op.batch_alter_table("coordinator_sector", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordinator_sector_sector_id"))

    op.drop_table("coordinator_sector")
    with op.batch_alter_table("competency_framework", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competency_framework_sector_id"))

    op.drop_table("competency_framework")
    op.drop_table("sector")
    op.drop_table("phase")
