"""The reads of the pages of ``main`` that belong to no feature: the audit trail's list.

(The home page reads each feature's own queries.)
"""

from __future__ import annotations

from sqlalchemy import Select, select

from scbi.audit import AuditEvent


def audit_filters(args) -> tuple[str, str]:
    """The audit trail's filters: the start of an action, part of an actor's e-mail."""
    return (args.get("action") or "").strip(), (args.get("actor") or "").strip().lower()


def audit_events(args) -> Select:
    """Audit events, newest first, whose action starts with ``action`` and whose actor's
    e-mail contains ``actor`` (both taken literally)."""
    action, actor = audit_filters(args)
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if actor:
        query = query.where(AuditEvent.actor_email.contains(actor, autoescape=True))
    return query
