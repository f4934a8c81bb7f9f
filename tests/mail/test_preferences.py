"""Turning optional mails off: on one's account page, or with one click in a mail (a
signed token, no sign-in, RFC 8058's POST); and the secretariat's outbox page."""

from __future__ import annotations

from sqlalchemy import select

from scbi.auth.models import User
from scbi.extensions import db
from scbi.mail import MailMessage, MailStatus
from scbi.mail.outbox import unsubscribe_token
from tests import factories
from tests.helpers import csrf_token, post_form
from tests.mail.conftest import deliver


def _flags(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.mail_events, user.mail_reminders, user.mail_digest


def test_the_account_page_turns_each_kind_on_and_off(app, client, login_as):
    user = login_as("coach")
    page = client.get("/account")
    assert page.status_code == 200 and "Weekly digest" in page.text
    response = post_form(client, "/account", {"mail_events": "y", "mail_digest": "y"})
    assert response.status_code == 302
    assert _flags(app, user.id) == (True, False, True)
    post_form(client, "/account", {"mail_reminders": "y", "status": "x", "active": ""})
    assert _flags(app, user.id) == (False, True, False)  # nothing else changes


def test_one_click_unsubscribe_needs_no_sign_in_and_no_csrf_token(app, client, make_user):
    user = make_user("mentee")
    with app.app_context():
        token = unsubscribe_token(user.id, "digest")
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "weekly digest" in page.text
    assert _flags(app, user.id) == (True, True, True)  # a GET changes nothing
    # what a mail client sends for List-Unsubscribe-Post (RFC 8058)
    done = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert _flags(app, user.id) == (True, True, False)


def test_a_changed_unsubscribe_token_is_refused(app, client, make_user):
    user = make_user("mentee")
    with app.app_context():
        token = unsubscribe_token(user.id, "event")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/unsubscribe/{forged}").status_code == 404
    assert _flags(app, user.id) == (True, True, True)


def test_an_event_mail_carries_the_unsubscribe_header_that_works(app, mail_on):
    world = factories.world(app)
    with app.app_context():
        db.session.execute(db.update(MailMessage).values(status=MailStatus.QUEUED))
        db.session.commit()
    deliver(app)
    message = next(m for m in mail_on.messages if m["To"] == world.a.mentee_user.email)
    header = message["List-Unsubscribe"]
    assert header.startswith("<https://scbi.example.org/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = mail_on.inbox.raw[mail_on.messages.index(message)]
    assert f"List-Unsubscribe: {header}\r\n".encode() in raw  # one plain URL, not encoded
    path = header.strip("<>").removeprefix("https://scbi.example.org")
    client = app.test_client()
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert _flags(app, world.a.mentee_user.id)[0] is False


def test_the_outbox_page_shows_messages_but_never_a_sign_in_link(app, client, login_as):
    from scbi.mail.outbox import Mail, queue

    login_as("secretariat")
    with app.app_context():
        queue(
            [
                Mail(
                    kind=kind,
                    to_address=f"{kind}@example.org",
                    subject=f"About {kind}",
                    template="notice",
                    context={
                        "full_name": "Ana",
                        "paragraphs": [f"secret-{kind}"],
                        "action": "Go",
                        "link": "https://x.example.org/a",
                    },
                )
                for kind in ("event", "invitation")
            ]
        )
        db.session.commit()
        ids = dict(db.session.execute(select(MailMessage.kind, MailMessage.id)).all())
    page = client.get("/mail")
    assert page.status_code == 200
    assert "About event" in page.text and "About invitation" in page.text
    assert "Mail is off" in page.text
    assert "secret-event" in client.get(f"/mail/{ids['event']}").text
    hidden = client.get(f"/mail/{ids['invitation']}").text
    assert "secret-invitation" not in hidden and "not shown here" in hidden
    assert client.get("/mail?status=held&q=event").text.count("About ") == 1


def test_a_failed_message_is_on_the_secretariat_s_home_and_sent_again_from_its_page(
    app, client, login_as
):
    from scbi.mail.outbox import Mail, queue

    login_as("secretariat")
    with app.app_context():
        queue([Mail("event", "x@example.org", "Hello", "notice", {"paragraphs": []})])
        db.session.execute(
            db.update(MailMessage).values(status=MailStatus.FAILED, last_error="550 unknown")
        )
        db.session.commit()
        message_id = db.session.scalar(select(MailMessage.id))
    assert "1 mail could not be delivered" in client.get("/").text
    page = client.get(f"/mail/{message_id}")
    assert "550 unknown" in page.text and "Send again" in page.text
    response = client.post(
        f"/mail/{message_id}/send-again", data={"csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(MailMessage, message_id).status == MailStatus.QUEUED
