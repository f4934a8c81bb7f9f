"""Delivering the outbox: what ``flask --app wsgi scbi send-mail`` runs.

A worker *claims* a batch of due messages (its id and a lease time written on them, in a
short transaction; on PostgreSQL the rows are read ``FOR UPDATE SKIP LOCKED``, and the
claim's UPDATE re-checks that nobody holds them, so several workers never take the same
message), then sends them over one SMTP connection, recording each result as it goes.

A message the server refuses for good (a 5xx answer: no such mailbox) fails at once; a
4xx answer to it (or a fault of ours) is retried after 1, 5, 15, 60 minutes, then 3, 6
and 12 hours, and after ``MAIL_MAX_ATTEMPTS`` it shows as failed at /mail, where the
secretariat can send it again. The server unreachable fails nothing: every message waits,
retried on the same delays (then every 12 hours), until it is back. A worker renews its
claim on each message just before sending it, so a batch slower than the claim's lease
never sends what another worker took over; a worker that dies mid-batch leaves its claim
to run out (``LEASE``), and the messages it had not recorded are sent by another.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from scbi import audit
from scbi.database import utcnow
from scbi.errors import InvalidTransition
from scbi.extensions import db
from scbi.mail.models import MailMessage, MailStatus

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)
DELAYS = (1, 5, 15, 60, 180, 360, 720)  # minutes before each further attempt
BATCH = 50
DELIVERED = "(removed once delivered: it held a sign-in link)"
NOT_DELIVERED = "(removed: it held a sign-in link, and could not be delivered)"
EXPIRED = "The sign-in link expired before the message could be delivered."
# Header lines up to RFC 5322's limit: a long List-Unsubscribe address must stay one plain
# URL, never folded into encoded words that mail clients cannot follow.
POLICY = SMTP.clone(max_line_length=998)


@dataclass
class Round:
    """What one round of delivery did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed


class Permanent(Exception):
    """The server refused the message for good (a 5xx answer)."""


def worker_id() -> str:
    return uuid.uuid4().hex


def claim(worker: str, now: datetime, limit: int = BATCH) -> list[MailMessage]:
    """Claim up to ``limit`` due messages for ``worker`` and return them (committed: the
    claim holds no lock while the messages are sent)."""
    free = or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now)
    due = (
        select(MailMessage.id)
        .where(
            MailMessage.status == MailStatus.QUEUED,
            MailMessage.next_attempt_at <= now,
            free,
        )
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(due))
    if ids:
        db.session.execute(
            update(MailMessage)
            .where(MailMessage.id.in_(ids), MailMessage.status == MailStatus.QUEUED, free)
            .values(claimed_by=worker, claimed_until=now + LEASE)
        )
    db.session.commit()
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(MailMessage)
            .where(MailMessage.id.in_(ids), MailMessage.claimed_by == worker)
            .order_by(MailMessage.id)
        )
    )


def deliver_due(*, worker: str | None = None, now: datetime | None = None) -> Round:
    """Send every message due now, batch after batch, and record each result."""
    worker = worker or worker_id()
    done = Round()
    while True:
        at = now or utcnow()
        messages = claim(worker, at)
        if not messages:
            return done
        _send_batch(messages, worker, at, done)


def _send_batch(messages: list[MailMessage], worker: str, now: datetime, done: Round) -> None:
    try:
        smtp = connect()
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            _wait_for_server(message, now, _describe(error), done)
        db.session.commit()
        return
    try:
        for message in messages:
            if not _still_mine(message, worker, now):
                continue  # the claim ran out and another worker took the message
            try:
                if _link_expired(message, now):
                    raise Permanent(EXPIRED)
                _send(smtp, message)
            except Permanent as error:
                _fail(message, str(error), done)
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
                _retry_later(message, now, _describe(error), done)  # a 4xx answer to it
            except OSError as error:  # the connection (smtplib's other errors are OSErrors)
                _wait_for_server(message, now, _describe(error), done)
            except Exception as error:  # a fault of ours: counted, retried, never stuck
                log.exception("mail %s could not be sent", message.id)
                _retry_later(message, now, _describe(error), done)
            else:
                _delivered(message, done)
            db.session.commit()  # each result kept as soon as known
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _still_mine(message: MailMessage, worker: str, now: datetime) -> bool:
    """Renew this worker's claim on the message just before sending it, or find it lost
    (a batch slower than the claim's lease): then another worker has it, and this one must
    not send it too."""
    renewed = db.session.execute(
        update(MailMessage)
        .where(
            MailMessage.id == message.id,
            MailMessage.claimed_by == worker,
            MailMessage.status == MailStatus.QUEUED,
        )
        .values(claimed_until=max(now, utcnow()) + LEASE)
    )
    db.session.commit()
    return renewed.rowcount == 1


def _link_expired(message: MailMessage, now: datetime) -> bool:
    """A sign-in link that would arrive dead (the server was down longer than it lives)."""
    config = current_app.config
    lifetime = {
        "invitation": timedelta(days=config["INVITATION_DAYS"]),
        "password_reset": timedelta(minutes=config["RESET_MINUTES"]),
    }.get(message.kind)
    return lifetime is not None and message.created_at + lifetime <= now


def connect() -> smtplib.SMTP:
    """An SMTP connection as configured (``MAIL_SECURITY``: starttls, ssl or none), signed
    in when a user name is set."""
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_SECURITY"] == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config["MAIL_SECURITY"] == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def email_message(message: MailMessage) -> EmailMessage:
    """The message as sent: plain text and HTML alternatives; ``List-Unsubscribe`` (one
    click, RFC 8058) on a mail its reader may turn off; a Message-ID made from the row, so
    a copy delivered twice would show as the same message."""
    config = current_app.config
    sender = config["MAIL_FROM"]
    email = EmailMessage(policy=POLICY)
    email["From"] = formataddr((config["MAIL_SENDER_NAME"], sender))
    try:
        email["To"] = Address(addr_spec=message.to_address)
    except ValueError as error:  # the header would name another mailbox, or none
        raise Permanent(f"Not a single valid address: {message.to_address}") from error
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = f"<scbi.mail.{message.id}@{sender.rpartition('@')[2]}>"
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    return email


def _send(smtp: smtplib.SMTP, message: MailMessage) -> None:
    try:
        refused = smtp.send_message(email_message(message), to_addrs=[message.to_address])
    except smtplib.SMTPRecipientsRefused as error:
        code, reason = next(iter(error.recipients.values()))
        if 500 <= code < 600:
            raise Permanent(f"{code} {_text(reason)}") from error
        raise
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
        if 500 <= error.smtp_code < 600:
            raise Permanent(f"{error.smtp_code} {_text(error.smtp_error)}") from error
        raise
    if refused:  # one recipient only: a refusal raises above, but be exact
        raise Permanent(str(refused))


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reason = next(iter(error.recipients.values()))
        return f"{code} {_text(reason)}"
    return f"{type(error).__name__}: {error}"[:1000]


def _delivered(message: MailMessage, done: Round) -> None:
    message.status = MailStatus.SENT
    message.sent_at = utcnow()
    message.attempts += 1
    message.claimed_by = message.claimed_until = None
    message.last_error = ""
    if message.sensitive:  # the link has done its work; the outbox keeps no copy of it
        message.text_body = message.html_body = DELIVERED
    done.sent += 1


def _retry_later(message: MailMessage, now: datetime, error: str, done: Round) -> None:
    """The server refused this message for now (or we failed it): tried again later, and
    shown as failed after ``MAIL_MAX_ATTEMPTS``."""
    if message.attempts + 1 >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        _fail(message, error, done)
        return
    _wait_for_server(message, now, error, done)


def _wait_for_server(message: MailMessage, now: datetime, error: str, done: Round) -> None:
    """Try again after the next delay (up to 12 hours). The server unreachable is no fault
    of the message: it waits however long the outage lasts, and goes when the server is
    back (the secretariat's home page says mail is waiting)."""
    message.attempts += 1
    message.last_error = error
    message.claimed_by = message.claimed_until = None
    delay = DELAYS[min(message.attempts, len(DELAYS)) - 1]
    message.next_attempt_at = now + timedelta(minutes=delay)
    done.retrying += 1


def _fail(message: MailMessage, error: str, done: Round) -> None:
    message.attempts += 1
    message.status = MailStatus.FAILED
    message.last_error = error
    message.claimed_by = message.claimed_until = None
    if message.sensitive:  # a sign-in link is not kept for a message that will not go
        message.text_body = message.html_body = NOT_DELIVERED
    done.failed += 1


def purge(now: datetime | None = None) -> int:
    """Delete sent and held messages older than ``MAIL_KEEP_DAYS`` (failed ones stay until
    someone deals with them). Returns how many went."""
    before = (now or utcnow()) - timedelta(days=current_app.config["MAIL_KEEP_DAYS"])
    result = db.session.execute(
        delete(MailMessage).where(
            MailMessage.status.in_([MailStatus.SENT, MailStatus.HELD]),
            MailMessage.created_at < before,
        )
    )
    db.session.commit()
    return result.rowcount or 0


def send_again(message: MailMessage, *, by) -> None:
    """Queue a failed message once more, with its attempts counted afresh."""
    if message.status != MailStatus.FAILED:
        raise InvalidTransition(_("Only a failed message can be sent again."))
    if message.sensitive:
        raise InvalidTransition(
            _(
                "This message held a sign-in link, which is not kept. Send a new invitation "
                "from the person's account page, or ask them to use \"Forgot your "
                'password?" on the sign-in page.'
            )
        )
    message.status = MailStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_by = message.claimed_until = None
    db.session.flush()
    audit.record("mail.send_again", by=by, entity=message, before={"error": message.last_error})
