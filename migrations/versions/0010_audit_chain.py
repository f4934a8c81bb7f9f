"""audit: a hash chain over the trail, and the client's request id apart from the server's

Each event gets ``prev_hash`` (the hash of the event before it) and ``hash`` (SHA-256 over
``prev_hash`` and the event's canonical content), and the chain's last link is kept in one
row, ``audit_chain_head``, that writers lock. Existing events are chained here in id order.
``client_request_id`` keeps an ``X-Request-ID`` a client sent; ``request_id`` is now always
the server's own.

The append-only triggers are dropped for the backfill and made again (SQLite's batch mode
rebuilds the table, which drops them anyway).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BATCH = 1000
FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_email",
    "action",
    "entity_type",
    "entity_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "request_id",
    "client_request_id",
    "source",
)
_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def canonical(values) -> bytes:
    """A copy of scbi.audit.chain.canonical (revisions stand alone; a test compares them)."""
    content = {name: values[name] for name in FIELDS}
    stamp = content["occurred_at"]
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    content["occurred_at"] = stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for name in ("actor_id", "entity_id"):
        if content[name] is not None:
            content[name] = int(content[name])
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def link(prev_hash: str, values) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(values)).hexdigest()


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    _drop_append_only()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_request_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    _make_append_only()


def _chain_existing_events() -> None:
    conn = op.get_bind()
    events = sa.table(
        "audit_event",
        sa.column("id", sa.Integer()),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("actor_id", sa.Integer()),
        sa.column("actor_email", sa.String()),
        sa.column("action", sa.String()),
        sa.column("entity_type", sa.String()),
        sa.column("entity_id", sa.Integer()),
        sa.column("before", _JSON),
        sa.column("after", _JSON),
        sa.column("ip", sa.String()),
        sa.column("user_agent", sa.String()),
        sa.column("request_id", sa.String()),
        sa.column("client_request_id", sa.String()),
        sa.column("source", sa.String()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    read = [events.c.id, *(events.c[name] for name in FIELDS)]
    write = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("event_id"))
        .values(prev_hash=sa.bindparam("p"), hash=sa.bindparam("h"))
    )
    prev, last_id = GENESIS, 0
    while True:
        rows = conn.execute(
            sa.select(*read).where(events.c.id > last_id).order_by(events.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        changes = []
        for row in rows:
            digest = link(prev, row._mapping)
            changes.append({"event_id": row.id, "p": prev, "h": digest})
            prev, last_id = digest, row.id
        conn.execute(write, changes)
    if last_id:
        head = sa.table(
            "audit_chain_head",
            sa.column("id", sa.Integer()),
            sa.column("event_id", sa.Integer()),
            sa.column("hash", sa.String()),
        )
        conn.execute(sa.insert(head).values(id=1, event_id=last_id, hash=prev))


def downgrade() -> None:
    _drop_append_only()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("client_request_id")
    _make_append_only()
    op.drop_table("audit_chain_head")


def _drop_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER audit_event_no_change ON audit_event")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute("DROP TRIGGER audit_event_no_delete")


def _make_append_only() -> None:
    """The triggers of revision 0001 (the function stays on PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
            )
