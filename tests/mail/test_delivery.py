"""The outbox: written with the event, delivered once, kept through a mail server outage,
retried with growing delays, failed visibly, never sent twice by two workers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from scbi.database import utcnow
from scbi.extensions import db
from scbi.mail import MailMessage, MailStatus
from scbi.mail.delivery import DELIVERED, purge, send_again
from scbi.mail.outbox import Mail, queue
from tests import factories
from tests.mail.conftest import deliver


def _queue(app, n=1, **kw):
    with app.app_context():
        queue(
            [
                Mail(
                    kind=kw.get("kind", "event"),
                    to_address=f"person{i}@example.org",
                    subject=kw.get("subject", f"Message {i}"),
                    template="notice",
                    context={
                        "full_name": kw.get("name", f"Person {i}"),
                        "paragraphs": [kw.get("paragraph", "Something happened.")],
                        "action": "Open it",
                        "link": "https://scbi.example.org/logs/1",
                    },
                    to_user_id=kw.get("user_id"),
                )
                for i in range(n)
            ]
        )
        db.session.commit()


def _messages(app):
    with app.app_context():
        rows = db.session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
        db.session.expunge_all()
        return rows


def test_with_mail_off_a_message_is_held_and_never_sent(app, smtp):
    """Mail off: the message is kept, as held, for the secretariat to see; no worker sends it."""
    _queue(app)
    assert [m.status for m in _messages(app)] == [MailStatus.HELD]
    app.config["MAIL_SERVER"] = None
    assert deliver(app).total == 0
    assert smtp.messages == []


def test_a_queued_message_arrives_once_with_text_and_html(app, mail_on):
    _queue(app, subject="Line one\r\nBcc: intruder@example.org", name="<b>Ana</b>")
    assert deliver(app).sent == 1
    assert deliver(app).total == 0  # nothing is sent twice
    [message] = mail_on.messages
    assert message["To"] == "person0@example.org"
    assert message["From"] == "SCBI Rwanda <scbi@example.org>"
    assert message["Subject"] == "Line one Bcc: intruder@example.org"  # no header injection
    assert message["Bcc"] is None
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html and "<b>Ana</b>" not in html  # user text escaped
    assert "Hello <b>Ana</b>," in text  # the plain text is not HTML
    [row] = _messages(app)
    assert row.status == MailStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_with_the_server_down_nothing_is_lost_and_each_arrives_once_when_back(app, mail_on):
    """Down: every message waits with its error and a later attempt; back: each arrives once."""
    _queue(app, n=3)
    mail_on.stop()
    first = deliver(app)
    assert (first.sent, first.retrying) == (0, 3)
    rows = _messages(app)
    assert {r.status for r in rows} == {MailStatus.QUEUED}
    assert all(r.attempts == 1 and r.last_error for r in rows)
    assert all(r.next_attempt_at > utcnow() for r in rows)  # retried later, not at once
    assert deliver(app).total == 0  # not due yet

    mail_on.start()
    second = deliver(app, now=utcnow() + timedelta(minutes=2))
    assert second.sent == 3
    assert deliver(app, now=utcnow() + timedelta(hours=1)).total == 0
    assert sorted(m["To"] for m in mail_on.messages) == [
        "person0@example.org",
        "person1@example.org",
        "person2@example.org",
    ]


def test_an_outage_fails_nothing_however_long_it_lasts(app, mail_on):
    """Down for days: the message waits on growing delays (12 hours at most), never failed."""
    _queue(app)
    mail_on.stop()
    now, waits = utcnow(), []
    for _attempt in range(10):
        deliver(app, now=now)
        [row] = _messages(app)
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
    assert row.status == MailStatus.QUEUED and "ConnectionRefusedError" in row.last_error
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes == [1, 5, 15, 60, 180, 360, 720, 720, 720, 720]
    mail_on.start()
    assert deliver(app, now=now).sent == 1


def test_a_message_refused_for_now_is_retried_then_shows_as_failed(app, mail_on):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    try:
        _queue(app)
        mail_on.inbox.refuse = "451 Try again later"
        now = utcnow()
        for _attempt in range(3):
            deliver(app, now=now)
            [row] = _messages(app)
            now = row.next_attempt_at or now
        assert row.status == MailStatus.FAILED and row.attempts == 3
        assert row.last_error.startswith("451")
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = 8


def test_a_permanent_refusal_fails_at_once_and_can_be_sent_again(app, mail_on):
    _queue(app)
    mail_on.inbox.refuse = "550 No such mailbox"
    assert deliver(app).failed == 1
    [row] = _messages(app)
    assert row.status == MailStatus.FAILED and row.last_error.startswith("550")
    mail_on.inbox.refuse = None
    with app.app_context():
        send_again(db.session.get(MailMessage, row.id), by=factories.admin())
        db.session.commit()
    assert deliver(app).sent == 1
    assert len(mail_on.messages) == 1


def test_only_a_failed_message_is_sent_again(app):
    from scbi.errors import InvalidTransition

    _queue(app)
    with app.app_context():
        message = db.session.scalar(select(MailMessage))
        with pytest.raises(InvalidTransition):
            send_again(message, by=factories.admin())


def test_two_workers_never_send_a_message_twice(app, mail_on):
    """Two workers on the same outbox at once: each message arrives exactly once."""
    _queue(app, n=120)
    results, errors = [], []

    def work():
        try:
            results.append(deliver(app))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r.sent for r in results) == 120
    ids = [m["Message-ID"] for m in mail_on.messages]
    assert len(ids) == 120 and len(set(ids)) == 120


def test_a_worker_whose_claim_ran_out_does_not_send_what_another_took(app, mail_on):
    """A batch slower than the lease: the message went to another worker, not twice."""
    from scbi.mail.delivery import Round, _send_batch, claim

    _queue(app, n=2)
    with app.app_context():
        slow = [m.id for m in claim("slow", utcnow())]
        db.session.execute(update(MailMessage).values(claimed_until=utcnow()))  # ran out
        db.session.commit()
        assert deliver(app, now=utcnow() + timedelta(seconds=1)).sent == 2  # another worker
        messages = list(db.session.scalars(select(MailMessage).where(MailMessage.id.in_(slow))))
        _send_batch(messages, "slow", utcnow(), Round())  # the slow one goes on
    assert len(mail_on.messages) == 2


def test_a_claim_of_a_worker_that_died_runs_out_and_another_sends(app, mail_on):
    _queue(app)
    with app.app_context():
        db.session.execute(
            update(MailMessage).values(
                claimed_by="dead", claimed_until=utcnow() + timedelta(minutes=10)
            )
        )
        db.session.commit()
    assert deliver(app).total == 0  # still claimed
    assert deliver(app, now=utcnow() + timedelta(minutes=11)).sent == 1


def test_a_sign_in_link_is_not_kept_once_delivered(app, mail_on):
    _queue(app, kind="invitation")
    [row] = _messages(app)
    assert row.sensitive and row.unsubscribe_url is None
    deliver(app)
    [row] = _messages(app)
    assert row.text_body == row.html_body == DELIVERED
    assert "Something happened." in mail_on.messages[0].get_body(("plain",)).get_content()


def test_a_sign_in_link_is_dropped_when_it_cannot_be_delivered(app, mail_on):
    """Failed, or expired before the server came back: no copy of the link is kept, and it
    cannot be sent again (a new invitation or reset is the way)."""
    from scbi.errors import InvalidTransition

    _queue(app, kind="password_reset")
    mail_on.stop()
    deliver(app)
    mail_on.start()
    assert deliver(app, now=utcnow() + timedelta(hours=2)).failed == 1
    [row] = _messages(app)
    assert row.status == MailStatus.FAILED and "expired" in row.last_error
    assert "Something happened." not in row.text_body
    assert mail_on.messages == []
    with app.app_context(), pytest.raises(InvalidTransition):
        send_again(db.session.get(MailMessage, row.id), by=factories.admin())


def test_an_address_a_header_would_read_otherwise_is_refused_not_sent(app, mail_on):
    with app.app_context():
        queue([Mail("event", "x@reg.rw", "Hello", "notice", {"paragraphs": []})])
        db.session.execute(update(MailMessage).values(to_address="a,bob@evil.example"))
        db.session.commit()
    assert deliver(app).failed == 1
    assert mail_on.messages == []
    [row] = _messages(app)
    assert row.last_error.startswith("Not a single valid address")


def test_a_fault_of_ours_is_counted_and_retried_not_stuck(app, mail_on, monkeypatch):
    from scbi.mail import delivery

    _queue(app)
    monkeypatch.setattr(delivery, "email_message", lambda message: 1 / 0)
    assert deliver(app).retrying == 1
    [row] = _messages(app)
    assert row.claimed_by is None and row.attempts == 1 and "ZeroDivisionError" in row.last_error


def test_old_sent_and_held_messages_are_purged_failed_ones_stay(app):
    _queue(app, n=3)
    with app.app_context():
        ids = db.session.scalars(select(MailMessage.id).order_by(MailMessage.id)).all()
        old = utcnow() - timedelta(days=91)
        db.session.execute(update(MailMessage).values(created_at=old))
        db.session.execute(
            update(MailMessage).where(MailMessage.id == ids[0]).values(status=MailStatus.FAILED)
        )
        db.session.commit()
        assert purge() == 2
        assert db.session.scalar(select(func.count()).select_from(MailMessage)) == 1


def test_the_demo_s_made_up_history_mails_nobody(app, mail_on):
    result = app.test_cli_runner().invoke(args=["scbi", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        statuses = set(db.session.scalars(select(MailMessage.status).distinct()))
    assert statuses == {MailStatus.HELD}
    assert deliver(app).total == 0
