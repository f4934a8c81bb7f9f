"""peer exchanges (issue 19 item 1): exchange with its sectors, competencies and priority
results, participants, follow-up actions, reflections and plan links (new tables), and
transfer_log.exchange_id

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _link_table(name: str, column: str, target: str) -> None:
    """``exchange_<x>``: the exchange's set of ``target`` rows."""
    op.create_table(
        name,
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f(f"fk_{name}_exchange_id_exchange"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{name}_{column}_{target}")
        ),
        sa.PrimaryKeyConstraint("exchange_id", column, name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_{column}"), name, [column])


def upgrade() -> None:
    op.create_table(
        "exchange",
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("host_institution_id", sa.Integer(), nullable=True),
        sa.Column("host_country", sa.String(length=2), nullable=True),
        sa.Column("host_organisation", sa.String(length=200), nullable=True),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("learnt", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "kind IN ('study_visit', 'peer_review', 'exchange_workshop', 'community_of_practice')",
            name=op.f("ck_exchange_kind_known"),
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_exchange_ends_after_start")),
        sa.CheckConstraint(
            "(host_institution_id IS NULL) <> (host_organisation IS NULL)",
            name=op.f("ck_exchange_one_host"),
        ),
        sa.CheckConstraint(
            "(host_organisation IS NULL) = (host_country IS NULL)",
            name=op.f("ck_exchange_host_country_named"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_exchange_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["host_institution_id"],
            ["institution.id"],
            name=op.f("fk_exchange_host_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange")),
    )
    op.create_index("ix_exchange_starts_on_id", "exchange", ["starts_on", "id"])
    op.create_index(op.f("ix_exchange_host_institution_id"), "exchange", ["host_institution_id"])
    _link_table("exchange_sector", "sector_id", "sector")
    _link_table("exchange_competency", "competency_id", "competency")
    _link_table("exchange_result", "priority_result_id", "priority_result")
    op.create_table(
        "exchange_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=True),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN mentee_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN coach_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN name IS NULL THEN 0 ELSE 1 END = 1",
            name=op.f("ck_exchange_participant_one_kind"),
        ),
        sa.CheckConstraint(
            "name IS NULL OR (organisation IS NOT NULL AND country IS NOT NULL)",
            name=op.f("ck_exchange_participant_external_named"),
        ),
        sa.CheckConstraint(
            "gender IN ('female', 'male', 'other', 'undisclosed')",
            name=op.f("ck_exchange_participant_gender_known"),
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["coach.id"], name=op.f("fk_exchange_participant_coach_id_coach")
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f("fk_exchange_participant_exchange_id_exchange"),
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["mentee.id"], name=op.f("fk_exchange_participant_mentee_id_mentee")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_participant")),
        sa.UniqueConstraint(
            "exchange_id", "mentee_id", name=op.f("uq_exchange_participant_exchange_id_mentee_id")
        ),
        sa.UniqueConstraint(
            "exchange_id", "coach_id", name=op.f("uq_exchange_participant_exchange_id_coach_id")
        ),
    )
    op.create_index(
        op.f("ix_exchange_participant_mentee_id"), "exchange_participant", ["mentee_id"]
    )
    op.create_index(op.f("ix_exchange_participant_coach_id"), "exchange_participant", ["coach_id"])
    op.create_table(
        "exchange_action",
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "(owner_id IS NULL) <> (owner_name IS NULL)", name=op.f("ck_exchange_action_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"], ["exchange.id"], name=op.f("fk_exchange_action_exchange_id_exchange")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_exchange_action_owner_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_action")),
    )
    op.create_index(
        "ix_exchange_action_owner_done_due", "exchange_action", ["owner_id", "done_on", "due_on"]
    )
    op.create_index("ix_exchange_action_exchange_id", "exchange_action", ["exchange_id"])
    op.create_table(
        "exchange_reflection",
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f("fk_exchange_reflection_exchange_id_exchange"),
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["mentee.id"], name=op.f("fk_exchange_reflection_mentee_id_mentee")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_reflection")),
        sa.UniqueConstraint(
            "exchange_id", "mentee_id", name=op.f("uq_exchange_reflection_exchange_id_mentee_id")
        ),
    )
    op.create_index(op.f("ix_exchange_reflection_mentee_id"), "exchange_reflection", ["mentee_id"])
    op.create_table(
        "exchange_plan_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f("fk_exchange_plan_link_exchange_id_exchange"),
        ),
        sa.ForeignKeyConstraint(
            ["linked_by_id"], ["user.id"], name=op.f("fk_exchange_plan_link_linked_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["transfer_plan.id"],
            name=op.f("fk_exchange_plan_link_plan_id_transfer_plan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_plan_link")),
        sa.UniqueConstraint(
            "exchange_id", "plan_id", name=op.f("uq_exchange_plan_link_exchange_id_plan_id")
        ),
    )
    op.create_index(op.f("ix_exchange_plan_link_plan_id"), "exchange_plan_link", ["plan_id"])
    # ADD COLUMN … REFERENCES: in place on both databases (no copy of transfer_log, which
    # at a million logs would take minutes); SQLite's is written out, Alembic refuses it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE transfer_log ADD COLUMN exchange_id INTEGER "
            "CONSTRAINT fk_transfer_log_exchange_id_exchange REFERENCES exchange (id)"
        )
    else:
        op.add_column("transfer_log", sa.Column("exchange_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_transfer_log_exchange_id_exchange"),
            "transfer_log",
            "exchange",
            ["exchange_id"],
            ["id"],
        )
    op.create_index("ix_transfer_log_exchange_id", "transfer_log", ["exchange_id"])


def downgrade() -> None:
    op.drop_index("ix_transfer_log_exchange_id", table_name="transfer_log")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in a foreign key only by copying the table: with the keys
        # off, so that dropping the old copy deletes nothing that refers to it.
        op.execute("PRAGMA foreign_keys=OFF")
        with op.batch_alter_table("transfer_log") as table:
            table.drop_column("exchange_id")
        op.execute("PRAGMA foreign_keys=ON")
    else:
        op.drop_constraint(
            op.f("fk_transfer_log_exchange_id_exchange"), "transfer_log", type_="foreignkey"
        )
        op.drop_column("transfer_log", "exchange_id")
    op.drop_index(op.f("ix_exchange_plan_link_plan_id"), table_name="exchange_plan_link")
    op.drop_table("exchange_plan_link")
    op.drop_index(op.f("ix_exchange_reflection_mentee_id"), table_name="exchange_reflection")
    op.drop_table("exchange_reflection")
    op.drop_index("ix_exchange_action_exchange_id", table_name="exchange_action")
    op.drop_index("ix_exchange_action_owner_done_due", table_name="exchange_action")
    op.drop_table("exchange_action")
    op.drop_index(op.f("ix_exchange_participant_coach_id"), table_name="exchange_participant")
    op.drop_index(op.f("ix_exchange_participant_mentee_id"), table_name="exchange_participant")
    op.drop_table("exchange_participant")
    for name, column in (
        ("exchange_result", "priority_result_id"),
        ("exchange_competency", "competency_id"),
        ("exchange_sector", "sector_id"),
    ):
        op.drop_index(op.f(f"ix_{name}_{column}"), table_name=name)
        op.drop_table(name)
    op.drop_index(op.f("ix_exchange_host_institution_id"), table_name="exchange")
    op.drop_index("ix_exchange_starts_on_id", table_name="exchange")
    op.drop_table("exchange")
