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
