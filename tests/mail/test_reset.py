"""'Forgot your password?': the same answer whether or not the address has an account, a
single-use link valid one hour, throttled per address and per client; using it ends every
other session and API token of the account; audited."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from scbi.auth.models import AccountLink, ApiToken
from scbi.database import utcnow
from scbi.extensions import db
from tests.helpers import PASSWORD, api_token, audit_actions, bearer, csrf_token, login
from tests.mail.conftest import links_in

NEW = "seven blue kites over lake kivu"


def _ask(client, email: str):
    return client.post(
        "/password/forgot",
        data={"csrf_token": csrf_token(client, "/password/forgot"), "email": email},
    )


def _send(app):
    assert app.test_cli_runner().invoke(args=["scbi", "send-mail", "--once"]).exit_code == 0


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, client, make_user, mail_on):
    user = make_user("coach")
    known = _ask(client, user.email)
    unknown = _ask(app.test_client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 200

    def page(response, email):  # without the address typed and this browser's CSRF token
        return re.sub(r'csrf_token" value="[^"]+"', "", response.text.replace(email, "X"))

    assert page(known, user.email) == page(unknown, "nobody@example.org")
    _send(app)
    assert [m["To"] for m in mail_on.messages] == [user.email]
    assert audit_actions(app).count("auth.reset_requested") == 2


def test_a_reset_link_sets_the_password_ends_other_sessions_and_works_once(
    app, client, make_user, mail_on
):
    user = make_user("coach")
    elsewhere = app.test_client()
    login(elsewhere, user)
    token = api_token(app.test_client(), user)
    _ask(client, user.email)
    _send(app)
    [message] = mail_on.messages
    assert message["Subject"] == "Reset your SCBI password"
    [path] = [p for p in links_in(message) if p.startswith("/password/reset/")]

    person = app.test_client()
    done = person.post(path, data={"csrf_token": csrf_token(person, path), "password": NEW})
    assert done.status_code == 302
    assert person.get("/").status_code == 200  # signed in
    assert elsewhere.get("/").status_code == 302  # the other session has ended
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(ApiToken.revoked_at)) is not None
    assert (
        login(app.test_client(), type("P", (), {"email": user.email, "password": NEW})).status_code
        == 302
    )
    assert login(app.test_client(), user).status_code == 401  # the old password is gone

    again = app.test_client()
    assert again.get(path).status_code == 410
    assert "user.reset_by_link" in audit_actions(app)


def test_a_reset_link_expires_after_an_hour(app, client, make_user, mail_on):
    user = make_user("mentee")
    _ask(client, user.email)
    _send(app)
    [path] = [p for p in links_in(mail_on.messages[0]) if p.startswith("/password/reset/")]
    with app.app_context():
        link = db.session.scalar(select(AccountLink))
        assert link.expires_at - link.created_at == timedelta(hours=1)
        db.session.execute(update(AccountLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    refused = app.test_client().get(path)
    assert refused.status_code == 410 and "Ask for a new link" in refused.text


def test_changing_the_password_otherwise_ends_an_open_reset_link(app, client, make_user, mail_on):
    from scbi.auth.models import User
    from scbi.auth.services import change_password

    user = make_user("mentee")
    _ask(client, user.email)
    _send(app)
    [path] = [p for p in links_in(mail_on.messages[0]) if p.startswith("/password/reset/")]
    with app.app_context():
        change_password(db.session.get(User, user.id), current=PASSWORD, new=NEW)
        db.session.commit()
    assert app.test_client().get(path).status_code == 410


def test_one_address_gets_at_most_three_links_an_hour(app, make_user, mail_on):
    user = make_user("coach")
    for _request in range(5):
        assert _ask(app.test_client(), user.email).status_code == 200
    _send(app)
    assert len(mail_on.messages) == 3


def test_one_client_is_throttled_across_addresses(app, client, make_user, mail_on):
    app.config["LOGIN_CLIENT_LIMIT"] = 4
    try:
        answers = [_ask(client, f"probe{i}@example.org").status_code for i in range(6)]
    finally:
        app.config["LOGIN_CLIENT_LIMIT"] = 30
    assert answers[:4] == [200] * 4 and answers[4:] == [429, 429]


def test_with_mail_off_the_page_sends_people_to_the_secretariat(app, client, make_user):
    user = make_user("coach")
    assert "Forgot your password?" not in client.get("/login").text
    page = client.post(
        "/password/forgot",
        data={"csrf_token": csrf_token(client, "/login"), "email": user.email},
    )
    assert page.status_code == 200 and "Ask the programme secretariat" in page.text
    with app.app_context():
        assert db.session.scalar(select(AccountLink)) is None


def test_the_sign_in_page_offers_the_reset_when_mail_is_on(client, mail_on):
    assert 'href="/password/forgot"' in client.get("/login").text


def _reset_token(app, client, user, mail_on) -> str:
    _ask(client, user.email)
    _send(app)
    [path] = [p for p in links_in(mail_on.messages[-1]) if p.startswith("/password/reset/")]
    return path.rsplit("/", 1)[1]


def test_two_requests_with_one_link_set_one_password(app, client, make_user, mail_on, monkeypatch):
    """The second finds the link open when it reads it, used when it claims it: refused."""
    import pytest

    from scbi.auth import links
    from scbi.auth.models import LinkPurpose

    user = make_user("coach")
    token = _reset_token(app, client, user, mail_on)
    with app.app_context():
        read_before = links.open_link(token, LinkPurpose.RESET)
        links.use_link(token, LinkPurpose.RESET, NEW)  # the first request
        db.session.commit()
        monkeypatch.setattr(links, "open_link", lambda *_args: read_before)
        with pytest.raises(links.LinkRefused):
            links.use_link(token, LinkPurpose.RESET, "another password entirely here")
        db.session.rollback()
    assert login(app.test_client(), type("P", (), {"email": user.email, "password": NEW}))


def test_deactivating_an_account_ends_its_open_links(app, client, make_user, mail_on):
    from scbi.auth.models import User
    from scbi.auth.services import update_user
    from tests import factories

    user = make_user("coordinator")
    token = _reset_token(app, client, user, mail_on)
    with app.app_context():
        account = db.session.get(User, user.id)
        update_user(account, by=factories.admin(), version=account.version, active=False)
        db.session.commit()
        update_user(account, by=factories.admin(), version=account.version, active=True)
        db.session.commit()
    assert app.test_client().get(f"/password/reset/{token}").status_code == 410
