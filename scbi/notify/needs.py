"""What needs the secretariat now about mail: messages that could not be delivered, and
messages the mail server has not taken for a while (an outage: they wait, nothing is
lost, but someone should look)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from scbi.auth.models import Role, User
from scbi.loaders import counts
from scbi.mail import MailMessage, MailStatus
from scbi.needs import Need, needs

WAITING_AFTER = 4  # attempts: about 20 minutes of trying


@needs.answer
def mail_trouble(user: User) -> list[Need]:
    """Secretariat: mails that failed, and mails waiting on the server."""
    if not user.has_role(Role.SECRETARIAT):
        return []
    failed, waiting = counts(  # one statement, from the index on (status, next attempt)
        select(MailMessage.id).where(MailMessage.status == MailStatus.FAILED),
        select(MailMessage.id).where(
            MailMessage.status == MailStatus.QUEUED, MailMessage.attempts >= WAITING_AFTER
        ),
    )
    return [
        Need(
            title=ngettext(
                "%(num)d mail could not be delivered",
                "%(num)d mails could not be delivered",
                failed,
            ),
            count=failed,
            url=url_for("notify.outbox_page", status=MailStatus.FAILED.value),
            hint=_("Check the address or the mail server, then send them again."),
        ),
        Need(
            title=ngettext(
                "%(num)d mail waits: the mail server has not taken it for a while",
                "%(num)d mails wait: the mail server has not taken them for a while",
                waiting,
            ),
            count=waiting,
            url=url_for("notify.outbox_page", status=MailStatus.QUEUED.value),
            hint=_("They go by themselves once the server answers; its last answer is shown."),
        ),
    ]
