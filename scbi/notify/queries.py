"""The outbox as the secretariat reads it."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from scbi.errors import NotFound
from scbi.extensions import db
from scbi.mail import MailMessage, MailStatus


def outbox(status: str = "", q: str = "") -> Select:
    """Messages, newest first: of one status, to an address containing ``q``."""
    query = select(MailMessage).order_by(MailMessage.id.desc())
    if status in MailStatus._value2member_map_:
        query = query.where(MailMessage.status == status)
    if q:
        query = query.where(MailMessage.to_address.contains(q.lower(), autoescape=True))
    return query


def status_counts() -> dict[MailStatus, int]:
    rows = db.session.execute(
        select(MailMessage.status, func.count()).group_by(MailMessage.status)
    ).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in MailStatus}


def message_or_404(message_id: int) -> MailMessage:
    message = db.session.get(MailMessage, message_id)
    if message is None:
        raise NotFound
    return message
