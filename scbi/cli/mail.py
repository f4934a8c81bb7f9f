"""Commands that deliver mail and queue reminders and the digest (docs/operations.md)."""

from __future__ import annotations

import logging
import signal
import time

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scbi.cli.groups import scbi_cli
from scbi.extensions import db
from scbi.mail import delivery, outbox
from scbi.notify.digest import digest
from scbi.notify.reminders import remind

log = logging.getLogger(__name__)


@scbi_cli.command("send-mail")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (cron, tests).")
@click.option("--interval", default=15, show_default=True, help="Seconds between rounds.")
@with_appcontext
def send_mail_command(once: bool, interval: int):
    """Deliver the outbox: every message due, retried with growing delays when the mail
    server is unreachable or refuses for now. Keeps running (a service) unless --once.
    Several workers may run at once on PostgreSQL; one is enough on SQLite."""

    if not outbox.enabled():
        raise click.ClickException(_("Mail is off: set SCBI_MAIL_SERVER and SCBI_MAIL_FROM."))
    worker = delivery.worker_id()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_args: stop.append(True))
    last_purge = 0.0
    while True:
        try:
            done = delivery.deliver_due(worker=worker)
        except Exception:  # the database away, say: log it and try again next round
            log.exception("mail delivery round failed")
            db.session.rollback()
            done = delivery.Round()
            if once:
                raise
        if done.total:
            click.echo(
                _(
                    "%(sent)d sent, %(retrying)d to retry, %(failed)d failed",
                    sent=done.sent,
                    retrying=done.retrying,
                    failed=done.failed,
                ),
                err=once,
            )
        if time.monotonic() - last_purge > 3600:
            delivery.purge()
            last_purge = time.monotonic()
        db.session.remove()
        if once or stop:
            return
        for _second in range(max(1, interval)):
            if stop:
                return
            time.sleep(1)


@scbi_cli.command("remind")
@with_appcontext
def remind_command():
    """Queue today's reminders (run daily): pairings without a submitted log for 14 and
    28 days, logs waiting a week for their acknowledgement. Each is mailed once. Also
    deletes sent and held messages older than SCBI_MAIL_KEEP_DAYS (mail on or off)."""

    count = remind()
    db.session.commit()
    click.echo(_("%(n)d reminder mails queued.", n=count))
    delivery.purge()  # daily, mail on or off: held and sent messages do not pile up


@scbi_cli.command("digest")
@with_appcontext
def digest_command():
    """Queue the weekly digest (run weekly): each person's "what needs me now", unless it
    is empty or they turned it off. Sent once a week at most."""

    count = digest()
    db.session.commit()
    click.echo(_("%(n)d digest mails queued.", n=count))
