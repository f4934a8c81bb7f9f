"""Choosing the language: the account's choice, then this browser's, then Accept-Language,
then SCBI_DEFAULT_LANGUAGE; dates in the programme's territory, never US order."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import force_locale, format_date

from scbi.auth.models import User
from scbi.extensions import db
from tests.helpers import csrf_token, login

LANG = re.compile(r'<html lang="([a-z]+)">')


def _lang(response) -> str:
    return LANG.search(response.text).group(1)


def _switch(client, language, next_path="/login"):
    return client.post(
        "/language",
        data={"csrf_token": csrf_token(client, "/login"), "language": language, "next": next_path},
    )


def test_the_browser_s_language_is_used_until_one_is_chosen(client):
    assert _lang(client.get("/login")) == "en"
    assert _lang(client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "fr"
    assert _lang(client.get("/login", headers={"Accept-Language": "rw"})) == "rw"
    assert _lang(client.get("/login", headers={"Accept-Language": "de"})) == "en"


def test_the_switcher_works_without_javascript_and_before_signing_in(client):
    page = client.get("/login").text
    assert 'action="/language"' in page and 'value="fr"' in page and 'value="rw"' in page
    response = _switch(client, "fr", "/login?next=/mentees")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/mentees"
    assert _lang(client.get("/login", headers={"Accept-Language": "en"})) == "fr"


def test_a_signed_in_person_s_choice_is_saved_on_the_account(app, client, make_user):
    user = make_user("coach")
    login(client, user)
    _switch(client, "rw", "/")
    with app.app_context():
        assert db.session.get(User, user.id).language == "rw"
    other = app.test_client()  # another browser, another Accept-Language: still theirs
    login(other, user)
    assert _lang(other.get("/", headers={"Accept-Language": "fr"})) == "rw"


def test_an_unknown_language_or_a_foreign_next_changes_nothing(app, client, make_user):
    user = make_user("coach")
    login(client, user)
    response = _switch(client, "xx", "https://evil.example/")
    assert response.headers["Location"] == "/"
    with app.app_context():
        assert db.session.get(User, user.id).language is None


def test_dates_follow_the_territory_day_first(app):
    with app.test_request_context(), force_locale("en_RW"):
        assert format_date(date(2026, 2, 1), "short") == "01/02/2026"
        assert format_date(date(2026, 2, 1)) == "1 Feb 2026"
    with app.test_request_context(), force_locale("fr_RW"):
        assert format_date(date(2026, 2, 1), "short") == "01/02/2026"


def test_the_api_answers_its_errors_in_the_language_asked_for(client):
    english = client.get("/api/v1/me").json["error"]["message"]
    french = client.get("/api/v1/me", headers={"Accept-Language": "fr"}).json["error"]
    kinyarwanda = client.get("/api/v1/me", headers={"Accept-Language": "rw"}).json["error"]
    assert french["code"] == kinyarwanda["code"] == "unauthenticated"  # codes stay
    assert len({english, french["message"], kinyarwanda["message"]}) == 3
    assert "jeton" in french["message"]


def test_a_mail_is_written_in_its_recipient_s_language(app):
    from sqlalchemy import select

    from scbi.mail import MailMessage
    from scbi.transfer.models import Pairing
    from scbi.transfer.services import pause_pairing
    from tests import factories

    world = factories.world(app)
    with app.app_context():
        db.session.get(User, world.a.mentee_user.id).language = "fr"
        db.session.get(User, world.a.coach_user.id).language = "rw"
        db.session.commit()
        pairing = db.session.get(Pairing, world.a.pairing_id)
        last = db.session.scalar(select(MailMessage.id).order_by(MailMessage.id.desc()).limit(1))
        pause_pairing(pairing, by=factories.admin(), version=pairing.version)
        db.session.commit()
        mails = {
            m.to_address: m
            for m in db.session.scalars(select(MailMessage).where(MailMessage.id > last))
        }
    french = mails[world.a.mentee_user.email]
    assert french.subject.startswith("Votre binôme avec") and '<html lang="fr">' in french.html_body
    kinyarwanda = mails[world.a.coach_user.email]
    assert '<html lang="rw">' in kinyarwanda.html_body
    assert kinyarwanda.subject != french.subject


def test_the_form_library_s_own_messages_speak_the_page_s_language(client):
    """WTForms' "This field is required." comes from SCBI's catalogue (WTForms has no
    Kinyarwanda of its own)."""
    for language, required in (("fr", "Ce champ est obligatoire."), ("rw", "Iki gice kigomba")):
        headers = {"Accept-Language": language}
        token = csrf_token(client, "/login")
        page = client.post(
            "/login", data={"csrf_token": token, "email": "", "password": ""}, headers=headers
        ).text
        assert required in page and "This field is required." not in page
