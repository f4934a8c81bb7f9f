"""E-mail through an outbox: a message is a row written in the transaction of the event
that causes it (:func:`scbi.mail.outbox.queue`), so a rolled-back request sends nothing;
``flask --app wsgi scbi send-mail`` delivers the rows (:mod:`scbi.mail.delivery`), retrying
with growing delays, so a message is never lost and never sent twice.

A kernel package: any feature may queue mail; none of it knows the features.
"""

from scbi.mail.models import MailMessage, MailReminder, MailStatus

__all__ = ["MailMessage", "MailReminder", "MailStatus"]
