"""What needs the secretariat now about mail: messages that could not be delivered."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import Role, User
from scbi.extensions import db
from scbi.mail import MailMessage, MailStatus
from scbi.needs import Need, needs


@needs.answer
def failed_mail(user: User) -> list[Need]:
    """Secretariat: mails that failed after every retry."""
    if not user.has_role(Role.SECRETARIAT):
        return []
    count = db.session.scalar(
        select(func.count()).select_from(MailMessage).where(MailMessage.status == MailStatus.FAILED)
    )
    return [
        Need(
            title=ngettext(
                "%(num)d mail could not be delivered", "%(num)d mails could not be delivered", count
            ),
            count=count,
            url=url_for("notify.outbox_page", status=MailStatus.FAILED.value),
            hint=_("Check the address or the mail server, then send them again."),
        )
    ]
