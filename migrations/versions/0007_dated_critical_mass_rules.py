"""programme: dated critical-mass rules (core sets, expert levels and targets)

The critical mass of a date uses the core set, expert level and target in force on that
date, so a change never alters a figure for an earlier date. Two history tables hold them;
the existing flags and settings become their first rows, in force from the start
(1990-01-01, the earliest date SCBI accepts).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 18:45:00
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FROM_THE_START = date(1990, 1, 1)


def upgrade() -> None:
    sector_rule = op.create_table(
        "sector_rule",
        sa.Column("sector_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("expert_level", sa.Integer(), nullable=False),
        sa.Column("expert_target", sa.Integer(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "expert_level BETWEEN 1 AND 4", name=op.f("ck_sector_rule_expert_level_on_scale")
        ),
        sa.CheckConstraint(
            "expert_target >= 0", name=op.f("ck_sector_rule_expert_target_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_sector_rule_recorded_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"],
            ["sector.id"],
            name=op.f("fk_sector_rule_sector_id_sector"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector_rule")),
    )
    with op.batch_alter_table("sector_rule", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sector_rule_sector_effective", ["sector_id", "effective_on"], unique=False
        )

    core_change = op.create_table(
        "core_change",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.Column("core", sa.Boolean(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competency.id"],
            name=op.f("fk_core_change_competency_id_competency"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_core_change_recorded_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["sector_id"], ["sector.id"], name=op.f("fk_core_change_sector_id_sector")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_change")),
    )
    with op.batch_alter_table("core_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_core_change_competency_effective",
            ["competency_id", "effective_on"],
            unique=False,
        )
        batch_op.create_index("ix_core_change_sector", ["sector_id"], unique=False)

    # What is in force today has been in force from the start (a competency that has no
    # row has never been core).
    bind = op.get_bind()
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    sector = sa.table(
        "sector",
        sa.column("id"),
        sa.column("expert_level"),
        sa.column("expert_target"),
        sa.column("target_date"),
    )
    bind.execute(
        sector_rule.insert().from_select(
            [
                "sector_id",
                "effective_on",
                "expert_level",
                "expert_target",
                "target_date",
                "recorded_at",
            ],
            sa.select(
                sector.c.id,
                sa.literal(FROM_THE_START, sa.Date()),
                sector.c.expert_level,
                sector.c.expert_target,
                sector.c.target_date,
                sa.literal(now, sa.DateTime(timezone=True)),
            ).order_by(sector.c.id),
        )
    )
    competency = sa.table(
        "competency", sa.column("id"), sa.column("framework_id"), sa.column("core")
    )
    framework = sa.table("competency_framework", sa.column("id"), sa.column("sector_id"))
    bind.execute(
        core_change.insert().from_select(
            ["competency_id", "sector_id", "core", "effective_on", "recorded_at"],
            sa.select(
                competency.c.id,
                framework.c.sector_id,
                competency.c.core,
                sa.literal(FROM_THE_START, sa.Date()),
                sa.literal(now, sa.DateTime(timezone=True)),
            )
            .join(framework, framework.c.id == competency.c.framework_id)
            .where(competency.c.core.is_(True))  # no row: never core
            .order_by(competency.c.id),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("core_change", schema=None) as batch_op:
        batch_op.drop_index("ix_core_change_sector")
        batch_op.drop_index("ix_core_change_competency_effective")
    op.drop_table("core_change")
    with op.batch_alter_table("sector_rule", schema=None) as batch_op:
        batch_op.drop_index("ix_sector_rule_sector_effective")
    op.drop_table("sector_rule")
