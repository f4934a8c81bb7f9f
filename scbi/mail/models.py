"""The outbox: one row per message to one person."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scbi.database import Base, EnumText, IdMixin, enum_check, utcnow
from scbi.enums import Labelled


class MailStatus(Labelled):
    QUEUED = "queued", _l("Waiting to be sent"), "primary"
    SENT = "sent", _l("Sent"), "success"
    FAILED = "failed", _l("Failed"), "danger"
    HELD = "held", _l("Held, never sent"), "secondary"


class MailMessage(IdMixin, Base):
    __tablename__ = "mail_message"
    __table_args__ = (
        enum_check("status", MailStatus),
        # what the worker reads: the due messages, oldest first
        Index("ix_mail_message_due", "status", "next_attempt_at"),
    )

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # invitation, password_reset (essential: no unsubscribe), event, reminder, digest
    kind: Mapped[str] = mapped_column(String(32))
    to_address: Mapped[str] = mapped_column(String(254))
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(600))
    # Holds a sign-in link: its body is never shown, and is blanked once delivered.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MailStatus] = mapped_column(EnumText(MailStatus, 8), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    # A worker's claim: others skip the message until the claim runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]
    # A reminder or digest is sent once per occurrence: its key is unique.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class MailReminder(Base):
    """A reminder already mailed, one row per occurrence and person (a pairing silent since
    a day, a log waiting since its submission): the daily run mails only what is new."""

    __tablename__ = "mail_reminder"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
