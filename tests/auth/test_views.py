"""Sign-in, sign-out and password change in the web UI, as a person would do them."""

from __future__ import annotations

from scbi.auth.models import User
from scbi.extensions import db
from tests.helpers import PASSWORD, audit_actions, csrf_token, login, post_form

NEW_PASSWORD = "a brand new pass phrase"


def test_sign_in_lands_on_home_and_renews_the_session(client, make_user):
    user = make_user("coach")
    csrf_token(client, "/login")
    before = client.get_cookie("scbi_session").value
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    after = client.get_cookie("scbi_session").value
    assert after != before
    page = client.get("/")
    assert page.status_code == 200
    assert "What needs you now" in page.text


def test_session_cookie_flags(client, make_user):
    login(client, make_user("coach"))
    cookie = client.get_cookie("scbi_session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_bad_sign_in_says_so_keeps_the_email_and_stores_no_session(client, make_user):
    user = make_user("coach")
    response = login(client, user, password="not the right one")
    assert response.status_code == 401
    assert "The e-mail or password is not correct." in response.text
    assert f'value="{user.email}"' in response.text
    assert client.get("/").status_code == 302


def test_unknown_email_gets_the_same_page_as_a_wrong_password(client, make_user):
    user = make_user("coach")
    wrong = login(client, user, password="not the right one")
    unknown = login(client, type(user)(email="ghost@example.org", password="x" * 12))
    strip = lambda r: r.text.replace(user.email, "E").replace("ghost@example.org", "E")  # noqa: E731
    assert wrong.status_code == unknown.status_code == 401
    import re

    token = re.compile(r'value="[^"]{40,}"')
    assert token.sub("", strip(wrong)) == token.sub("", strip(unknown))


def test_redirects_back_to_the_page_asked_for_but_never_off_site(client, make_user):
    user = make_user("secretariat")
    assert client.get("/audit").headers["Location"].startswith("/login?next=")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/audit",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": "/audit"},
    )
    assert response.headers["Location"] == "/audit"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = csrf_token(client, "/login")
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": evil},
        )
        assert response.headers["Location"] == "/", evil
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def test_logout_needs_post_with_csrf(client, make_user):
    login(client, make_user("coach"))
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 400
    assert "nothing was saved" in response.text
    assert client.get("/").status_code == 200  # still signed in


def test_old_session_cookie_is_dead_after_logout(app, client, make_user):
    user = make_user("coach")
    login(client, user)
    stolen = client.get_cookie("scbi_session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    other = app.test_client()
    other.set_cookie("scbi_session", stolen)
    assert other.get("/").status_code == 302
    assert audit_actions(app)[-1] == "auth.logout"


def test_change_password_ends_other_sessions_but_keeps_this_one(app, client, make_user):
    user = make_user("mentee")
    elsewhere = app.test_client()
    login(elsewhere, user)
    login(client, user)
    response = post_form(
        client, "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, user).status_code == 401
    assert login(client, user, password=NEW_PASSWORD).status_code == 302


def test_change_password_refusals_are_shown_beside_the_fields(client, make_user):
    login(client, make_user("mentee"))
    response = post_form(
        client, "/account/password", {"current_password": "wrong one", "new_password": "short"}
    )
    assert response.status_code == 422
    assert "This is not your current password." in response.text
    assert "Use at least 12 characters." in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_one_time_password_must_be_changed_first(client, make_user):
    user = make_user("coordinator", must_change_password=True)
    login(client, user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"
    post_form(
        client, "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert client.get("/").status_code == 200


def test_missing_or_foreign_csrf_token_changes_nothing(app, client, make_user):
    user = make_user("mentee")
    login(client, user)
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400
    foreign = app.test_client()
    foreign_token = csrf_token(foreign, "/login")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "csrf_token": foreign_token,
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).password_changed_at is None


def test_throttled_sign_in_says_when_to_retry(app, client, make_user):
    user = make_user("coach")
    for _ in range(app.config["LOGIN_SLOW_AFTER"]):
        login(client, user, password="wrong password here")
    response = login(client, user)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
