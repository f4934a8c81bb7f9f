"""skills transfer: plans, logs, evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 18:41:00.086687
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfer_log",
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("activity_type", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("mentee_role", sa.String(length=12), nullable=False),
        sa.Column("off_plan_reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mentee_comment", sa.Text(), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "activity_type IN ('on_the_job', 'shadowing', 'joint_delivery', 'formal_training', 'review_feedback', 'peer_exchange', 'self_study')",
            name=op.f("ck_transfer_log_activity_type_known"),
        ),
        sa.CheckConstraint(
            "mentee_role IN ('observed', 'assisted', 'co_led', 'led')",
            name=op.f("ck_transfer_log_mentee_role_known"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'acknowledged', 'disputed', 'verified')",
            name=op.f("ck_transfer_log_status_known"),
        ),
        sa.CheckConstraint(
            "minutes BETWEEN 15 AND 1440", name=op.f("ck_transfer_log_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_transfer_log_author_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"], ["pairing.id"], name=op.f("fk_transfer_log_pairing_id_pairing")
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"], ["user.id"], name=op.f("fk_transfer_log_verified_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_log")),
    )
    with op.batch_alter_table("transfer_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_log_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_transfer_log_pairing_date", ["pairing_id", "activity_date"], unique=False
        )
        batch_op.create_index(
            "ix_transfer_log_status_date", ["status", "activity_date"], unique=False
        )

    op.create_table(
        "transfer_plan",
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'returned', 'superseded')",
            name=op.f("ck_transfer_plan_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user.id"], name=op.f("fk_transfer_plan_decided_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"], ["pairing.id"], name=op.f("fk_transfer_plan_pairing_id_pairing")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_plan")),
        sa.UniqueConstraint(
            "pairing_id", "number", name=op.f("uq_transfer_plan_pairing_id_number")
        ),
    )
    with op.batch_alter_table("transfer_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfer_plan_pairing_id"), ["pairing_id"], unique=False
        )
        batch_op.create_index(
            "uq_transfer_plan_open",
            ["pairing_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('draft', 'submitted', 'returned')"),
            postgresql_where=sa.text("status IN ('draft', 'submitted', 'returned')"),
        )

    op.create_table(
        "evidence",
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("stored_name", sa.String(length=64), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(stored_name IS NULL) <> (url IS NULL)", name=op.f("ck_evidence_file_or_link")
        ),
        sa.ForeignKeyConstraint(
            ["log_id"], ["transfer_log.id"], name=op.f("fk_evidence_log_id_transfer_log")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user.id"], name=op.f("fk_evidence_uploaded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_evidence_stored_name")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_log_id"), ["log_id"], unique=False)

    op.create_table(
        "log_competency",
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_log_competency_competency_id_competency"),
        ),
        sa.ForeignKeyConstraint(
            ["log_id"],
            ["transfer_log.id"],
            name=op.f("fk_log_competency_log_id_transfer_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("log_id", "competency_id", name=op.f("pk_log_competency")),
    )
    with op.batch_alter_table("log_competency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_log_competency_competency_id"), ["competency_id"], unique=False
        )

    op.create_table(
        "log_event",
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_log_event_by_id_user")),
        sa.ForeignKeyConstraint(
            ["log_id"],
            ["transfer_log.id"],
            name=op.f("fk_log_event_log_id_transfer_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_event")),
    )
    with op.batch_alter_table("log_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_log_event_log_id"), ["log_id"], unique=False)

    op.create_table(
        "plan_item",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("baseline_level", sa.Integer(), nullable=False),
        sa.Column("target_level", sa.Integer(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("methods", sa.JSON(), nullable=False),
        sa.Column("expected_evidence", sa.Text(), nullable=False),
        sa.Column("priority_result_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "baseline_level BETWEEN 0 AND 3", name=op.f("ck_plan_item_baseline_on_scale")
        ),
        sa.CheckConstraint(
            "target_level BETWEEN 1 AND 4 AND target_level > baseline_level",
            name=op.f("ck_plan_item_target_above_baseline"),
        ),
        sa.ForeignKeyConstraint(
            ["competency_id"], ["competency.id"], name=op.f("fk_plan_item_competency_id_competency")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["transfer_plan.id"],
            name=op.f("fk_plan_item_plan_id_transfer_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["priority_result_id"],
            ["priority_result.id"],
            name=op.f("fk_plan_item_priority_result_id_priority_result"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_item")),
        sa.UniqueConstraint(
            "plan_id", "competency_id", name=op.f("uq_plan_item_plan_id_competency_id")
        ),
    )
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_item_competency_id"), ["competency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_item_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_item_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_item_competency_id"))

    op.drop_table("plan_item")
    with op.batch_alter_table("log_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_event_log_id"))

    op.drop_table("log_event")
    with op.batch_alter_table("log_competency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_competency_competency_id"))

    op.drop_table("log_competency")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_log_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("transfer_plan", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_transfer_plan_open",
            sqlite_where=sa.text("status IN ('draft', 'submitted', 'returned')"),
            postgresql_where=sa.text("status IN ('draft', 'submitted', 'returned')"),
        )
        batch_op.drop_index(batch_op.f("ix_transfer_plan_pairing_id"))

    op.drop_table("transfer_plan")
    with op.batch_alter_table("transfer_log", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_log_status_date")
        batch_op.drop_index("ix_transfer_log_pairing_date")
        batch_op.drop_index(batch_op.f("ix_transfer_log_author_id"))

    op.drop_table("transfer_log")
