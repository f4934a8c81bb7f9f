"""The audit trail: an append-only table and :func:`record`, called in the same transaction.

The database itself refuses UPDATE and DELETE on ``audit_event`` (triggers created by the
migration on SQLite and PostgreSQL), so not even a bug in this code can rewrite history.
Each event is also chained to the one before it by a hash (:mod:`scbi.audit_chain`), so a
change made behind the triggers' back shows in ``flask --app wsgi scbi audit-verify``.

:func:`record` keeps the event with the session; it is written, chained, when the
transaction commits (and dropped with it on a rollback), so the chain's head is held only
for the moment of the commit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from scbi.database import Base, utcnow
from scbi.extensions import db

# None is SQL NULL (not the JSON value null), the same whichever way the row was written.
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(JSONType)
    after: Mapped[dict | None] = mapped_column(JSONType)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(256))
    request_id: Mapped[str | None] = mapped_column(String(32))  # made by the server
    client_request_id: Mapped[str | None] = mapped_column(String(64))  # a client's X-Request-ID
    source: Mapped[str] = mapped_column(String(8))  # web, api or cli
    # The chain (scbi.audit_chain): the previous event's hash, and this event's own.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The chain's last link, in one row: writers lock it, so the chain never forks."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # always 1
    event_id: Mapped[int | None]
    hash: Mapped[str] = mapped_column(String(64))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        # As text: JSON numbers other than integers do not read back alike from SQLite's
        # text and PostgreSQL's jsonb, and the chain's hash needs the same content on both.
        return str(value)
    return value


def _origin() -> dict[str, str | None]:
    if not has_request_context():
        return {
            "ip": None,
            "user_agent": None,
            "request_id": None,
            "client_request_id": None,
            "source": "cli",
        }
    return {
        "ip": (request.remote_addr or "")[:64] or None,
        "user_agent": (request.user_agent.string or "")[:256] or None,
        "request_id": g.get("request_id"),
        "client_request_id": g.get("client_request_id"),
        "source": "api" if request.path.startswith("/api/") else "web",
    }


def record(
    action: str,
    *,
    by=None,
    entity=None,
    before: dict | None = None,
    after: dict | None = None,
    actor_email: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction: it is written, chained to the one
    before, when the transaction commits, and dropped if it rolls back.

    ``by`` is the acting user (None for an anonymous attempt, whose typed e-mail goes in
    ``actor_email``); ``entity`` is the changed object, or a ``(type, id)`` pair.
    """
    entity_type = entity_id = None
    if isinstance(entity, tuple):
        entity_type, entity_id = entity
    elif entity is not None:
        entity_type, entity_id = entity.__tablename__, entity.id
    is_user = by is not None and getattr(by, "is_authenticated", False)
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=by.id if is_user else None,
        actor_email=(by.email if is_user else (actor_email or "")[:254] or None),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        **_origin(),
    )
    db.session.flush()  # the change it records, as before
    db.session.connection()  # a transaction to belong to, so a rollback drops the event too
    db.session.info.setdefault(_PENDING, []).append(event)
    return event


_PENDING = "scbi.audit.pending"


@sa_event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    from scbi.audit_chain import append

    pending = session.info.pop(_PENDING, None)
    if pending:
        append(session, pending)


@sa_event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: committed or rolled back
        session.info.pop(_PENDING, None)
