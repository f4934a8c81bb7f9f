"""Invitations instead of printed passwords, with mail on and a real SMTP server: the
invitation arrives, its link sets the password and signs the person in, then refuses a
second use; an expired link says so; the secretariat can send a new one."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from scbi.auth.models import AccountLink, User
from scbi.database import utcnow
from scbi.extensions import db
from scbi.mail import MailMessage
from tests import factories
from tests.api.test_people_api import mentee_body
from tests.helpers import PASSWORD, api_token, audit_actions, bearer, csrf_token, login, post_form
from tests.mail.conftest import links_in

CHOSEN = "a river of green tea leaves"


def _send(app) -> None:
    result = app.test_cli_runner().invoke(args=["scbi", "send-mail", "--once"])
    assert result.exit_code == 0, result.output


def _invite_coordinator(app, client, login_as, email="jc.habimana@minecofin.gov.rw"):
    login_as("secretariat")
    response = post_form(
        client,
        "/users/new",
        {"full_name": "Jean Claude Habimana", "email": email, "roles": ["coordinator"]},
    )
    assert response.status_code == 302, response.text
    assert (
        "An invitation to choose a password was mailed"
        in client.get(response.headers["Location"]).text
    )
    _send(app)


def test_an_invitation_arrives_and_its_link_signs_the_person_in_once(
    app, client, login_as, mail_on
):
    _invite_coordinator(app, client, login_as)
    [message] = mail_on.inbox.to("jc.habimana@minecofin.gov.rw")
    assert message["Subject"] == "Choose your password to start using SCBI"
    assert message["List-Unsubscribe"] is None  # an invitation is not optional
    [path] = [p for p in links_in(message) if p.startswith("/invitation/")]

    person = app.test_client()
    page = person.get(path)
    assert page.status_code == 200 and "Jean Claude Habimana" in page.text
    short = person.post(path, data={"csrf_token": csrf_token(person, path), "password": "short"})
    assert short.status_code == 422 and "password" in short.text.lower()
    done = person.post(path, data={"csrf_token": csrf_token(person, path), "password": CHOSEN})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert person.get("/").status_code == 200  # signed in, no forced password change

    again = app.test_client()
    used = again.post(path, data={"csrf_token": csrf_token(again, "/login"), "password": CHOSEN})
    assert used.status_code == 410
    assert "already been used" in again.get(path).text
    who = type("P", (), {"email": "jc.habimana@minecofin.gov.rw", "password": CHOSEN})
    assert login(app.test_client(), who).status_code == 302
    assert "user.invitation_accept" in audit_actions(app)
    assert "auth.login" in audit_actions(app)[-1:]  # signed in: a known client from now on
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "jc.habimana@minecofin.gov.rw"))
        assert user.last_login_at is not None


def test_an_invited_account_cannot_sign_in_before_choosing_a_password(
    app, client, login_as, mail_on
):
    _invite_coordinator(app, client, login_as)
    with app.app_context():
        stored = db.session.scalar(
            select(User.password_hash).where(User.email == "jc.habimana@minecofin.gov.rw")
        )
    for guess in (stored, "!invited", "invited"):
        who = type("P", (), {"email": "jc.habimana@minecofin.gov.rw", "password": guess})
        assert login(app.test_client(), who).status_code == 401


def test_an_expired_invitation_says_so_and_the_secretariat_sends_a_new_one(
    app, client, login_as, mail_on
):
    _invite_coordinator(app, client, login_as)
    [path] = links_in(mail_on.messages[0])[:1]
    with app.app_context():
        db.session.execute(update(AccountLink).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        user_id = db.session.scalar(
            select(User.id).where(User.email == "jc.habimana@minecofin.gov.rw")
        )
    expired = app.test_client().get(path)
    assert expired.status_code == 410
    assert "expired" in expired.text and "new invitation" in expired.text

    page = client.get(f"/users/{user_id}")
    assert "Not accepted yet" in page.text and "Send a new invitation" in page.text
    assert post_form(client, f"/users/{user_id}/invite").status_code == 302
    _send(app)
    assert len(mail_on.inbox.to("jc.habimana@minecofin.gov.rw")) == 2
    new_path = next(p for p in links_in(mail_on.messages[-1]) if p.startswith("/invitation/"))
    assert new_path != path
    person = app.test_client()
    done = person.post(
        new_path, data={"csrf_token": csrf_token(person, new_path), "password": CHOSEN}
    )
    assert done.status_code == 302


def test_a_person_who_signed_in_gets_no_new_invitation(app, client, login_as, make_user, mail_on):
    login_as("secretariat")
    signed_in = make_user("coordinator")
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == signed_in.id).values(last_login_at=utcnow())
        )
        db.session.commit()
    assert post_form(client, f"/users/{signed_in.id}/invite").status_code == 409
    assert mail_on.messages == []


def test_registering_over_the_api_without_a_password_invites(app, client, mail_on):
    world = factories.world(app)
    headers = bearer(api_token(client, world.secretariat))
    response = client.post("/api/v1/mentees", headers=headers, json=mentee_body(world))
    assert response.status_code == 201, response.json
    assert response.json["invitation_sent"] is True
    assert response.json["one_time_password"] is None
    _send(app)
    assert len(mail_on.inbox.to("new.mentee@reg.rw")) == 1


def test_a_bulk_import_invites_everyone_in_one_go(app, client, login_as, mail_on):
    world = factories.world(app)
    with app.app_context():
        from scbi.programme.models import Institution, Sector

        sector = db.session.get(Sector, world.a.sector_id)
        institution = db.session.get(Institution, world.a.institution_id)
        codes = (sector.code, institution.acronym)
    rows = [
        "full_name,email,staff_number,gender,position,institution_acronym,sector_code,"
        "joined_on,phase_name"
    ]
    rows += [
        f"Person {i},person{i}@reg.rw,RW-8{i:03d},male,Analyst,{codes[1]},{codes[0]},2025-03-01,"
        for i in range(30)
    ]
    login(client, world.secretariat)
    response = client.post(
        "/people/import?kind=mentee",
        data={
            "csrf_token": csrf_token(client, "/people/import"),
            "kind": "mentee",
            "file": (io.BytesIO("\n".join(rows).encode()), "mentees.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text[:500]
    assert "Invitation mailed" in response.text and "<code" not in response.text
    _send(app)
    assert len({m["To"] for m in mail_on.messages if m["To"].endswith("@reg.rw")}) == 30


def test_with_mail_off_registration_shows_a_one_time_password_as_before(app, client, login_as):
    login_as("secretariat")
    response = post_form(
        client,
        "/users/new",
        {"full_name": "Ana Uwase", "email": "ana@reg.rw", "roles": ["coordinator"]},
    )
    assert response.status_code == 200 and "One-time password" in response.text
    with app.app_context():
        assert (
            db.session.scalar(select(MailMessage).where(MailMessage.kind == "invitation")) is None
        )


@pytest.mark.parametrize("token", ["x", "a" * 43, ""])
def test_an_unknown_link_is_refused_without_telling_more(app, client, token):
    response = client.get(f"/invitation/{token}" if token else "/invitation/%20")
    assert response.status_code == 404
    assert "not valid" in response.text
    assert PASSWORD not in response.text


def test_an_account_created_over_the_api_without_a_password_is_invited(
    app, client, make_user, mail_on
):
    headers = bearer(api_token(client, make_user("secretariat")))
    body = {"email": "ana@reg.rw", "full_name": "Ana Uwase", "roles": ["coordinator"]}
    response = client.post("/api/v1/users", headers=headers, json=body)
    assert response.status_code == 201, response.json
    assert response.json["invitation_sent"] is True
    assert response.json["one_time_password"] is None
    _send(app)
    assert len(mail_on.inbox.to("ana@reg.rw")) == 1


def test_with_mail_off_the_api_returns_a_one_time_password_once(app, client, make_user):
    headers = bearer(api_token(client, make_user("secretariat")))
    body = {"email": "ana@reg.rw", "full_name": "Ana Uwase", "roles": ["coordinator"]}
    response = client.post("/api/v1/users", headers=headers, json=body)
    assert response.status_code == 201
    assert response.json["invitation_sent"] is False
    who = type("P", (), {"email": "ana@reg.rw", "password": response.json["one_time_password"]})
    assert login(app.test_client(), who).status_code == 302
    again = client.get(f"/api/v1/users/{response.json['id']}", headers=headers).json
    assert "one_time_password" not in again
