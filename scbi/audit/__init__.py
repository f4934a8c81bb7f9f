"""The audit trail: an append-only table and :func:`record`, called in the same transaction.

The database itself refuses UPDATE and DELETE on ``audit_event`` (triggers created by the
migration on SQLite and PostgreSQL), so not even a bug in this code can rewrite history.
Each event is also chained to the one before it by a hash (:mod:`scbi.audit.chain`), so a
change made behind the triggers' back shows in ``flask --app wsgi scbi audit-verify``.

:func:`record` keeps the event with the session; it is written, chained, when the
transaction commits (and dropped with it on a rollback), so the chain's head is held only
for the moment of the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import SimpleNamespace
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from scbi.audit.chain import append
from scbi.audit.models import AuditChainHead, AuditEvent, JSONType
from scbi.database import utcnow
from scbi.extensions import db
from scbi.hooks import Hook

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "JSONType",
    "add_created",
    "apply_changes",
    "committing",
    "record",
    "snapshot",
]

committing = Hook(
    "audit.committing",
    "Told a transaction's events as it commits (the session, then the list of events, "
    "each with action, entity_type, entity_id, actor_id, before and after): an answer may "
    "write rows in the same transaction, which commit or roll back with the events (the "
    "mails the events cause).",
)


def snapshot(obj, *names: str) -> dict:
    """The named attributes of ``obj``, for an event's ``before`` and ``after``."""
    return {name: getattr(obj, name) for name in names}


def add_created(obj, *fields: str, by, action: str):
    """Add the new record ``obj`` to the session and record ``action`` with its ``fields``
    as they were stored (the one way a creation is audited)."""
    db.session.add(obj)
    db.session.flush()
    record(action, by=by, entity=obj, after=snapshot(obj, *fields))
    return obj


def apply_changes(obj, values: dict, *, by, action: str):
    """Set ``values`` on ``obj`` and, when any of them changed it, record ``action`` with
    the changed fields only, before and after (the one way an edit form's save is
    audited)."""
    before = snapshot(obj, *values)
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    after = snapshot(obj, *values)
    changed = [name for name in values if before[name] != after[name]]
    if changed:
        record(
            action,
            by=by,
            entity=obj,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return obj


def _jsonable(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
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
) -> SimpleNamespace:
    """Add an audit event to the current transaction: it is written, chained to the one
    before, when the transaction commits, and dropped if it rolls back. The event's
    fields are returned.

    ``by`` is the acting user (None for an anonymous attempt, whose typed e-mail goes in
    ``actor_email``); ``entity`` is the changed object, or a ``(type, id)`` pair.
    """
    is_user = by is not None and getattr(by, "is_authenticated", False)
    actor_email = by.email if is_user else (actor_email or "")[:254] or None
    [event] = _add(action, by.id if is_user else None, actor_email, [(entity, before, after)])
    return event


def record_all(action: str, *, by, changes: Iterable[tuple]) -> None:
    """Record ``action`` by ``by`` once for each ``(entity, after)`` of ``changes`` (a
    batch of new records): as many calls of :func:`record`, at the cost of one."""
    is_user = by is not None and getattr(by, "is_authenticated", False)
    _add(
        action,
        by.id if is_user else None,
        by.email if is_user else None,
        [(entity, None, after) for entity, after in changes],
    )


def _add(action: str, actor_id, actor_email, changes: list[tuple]) -> list[SimpleNamespace]:
    origin, occurred_at = _origin(), utcnow()
    events = []
    for entity, before, after in changes:
        entity_type = entity_id = None
        if isinstance(entity, tuple):
            entity_type, entity_id = entity
        elif entity is not None:
            entity_type, entity_id = entity.__tablename__, entity.id
        events.append(
            SimpleNamespace(
                occurred_at=occurred_at,
                actor_id=actor_id,
                actor_email=actor_email,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                before=_jsonable(before) if before is not None else None,
                after=_jsonable(after) if after is not None else None,
                **origin,
            )
        )
    session = db.session()
    session.flush()  # the change it records, as before
    session.connection()  # a transaction to belong to, so a rollback drops the event too
    session.info.setdefault(_PENDING, []).extend(events)
    return events


_PENDING = "scbi.audit.pending"


def pending_events(session: Session) -> list:
    """The events recorded in the session's transaction, to be written at its commit."""
    return session.info.get(_PENDING, [])


@sa_event.listens_for(Session, "before_commit")
def write_pending(session: Session) -> None:
    """Chain and write the transaction's events: at commit (a benchmark calls it to
    measure that work and roll back)."""
    pending = session.info.pop(_PENDING, None)
    if pending:
        committing.ask(session, pending)
        pending += session.info.pop(_PENDING, [])  # any an answer recorded
        append(session, pending)


@sa_event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: committed or rolled back
        session.info.pop(_PENDING, None)
