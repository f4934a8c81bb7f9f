"""Account administration pages: list, create with a one-time password, edit, reset, unlock."""

from __future__ import annotations

import re

from scbi.auth.models import User
from scbi.extensions import db
from tests.helpers import MISSING_ID, count_rows, csrf_token, login, post_form


def test_create_account_shows_a_one_time_password_that_works_once(app, client, login_as):
    login_as("secretariat")
    response = post_form(
        client,
        "/users/new",
        {
            "full_name": "Jean Claude Habimana",
            "email": "jc.habimana@minecofin.gov.rw",
            "roles": ["coordinator"],
        },
    )
    assert response.status_code == 200
    password = re.search(r'<code class="fs-5 user-select-all">([^<]+)</code>', response.text)[1]
    other = app.test_client()
    person = type("P", (), {"email": "jc.habimana@minecofin.gov.rw", "password": password})
    assert login(other, person).status_code == 302
    assert other.get("/").headers["Location"] == "/account/password"


def test_create_refusal_keeps_the_input_and_names_the_field(app, client, login_as, make_user):
    login_as("secretariat")
    taken = make_user("coordinator")
    before = count_rows(app, User)
    response = post_form(
        client,
        "/users/new",
        {"full_name": "Someone New", "email": taken.email, "roles": ["coordinator"]},
    )
    assert response.status_code == 422
    assert "An account with this e-mail already exists." in response.text
    assert 'value="Someone New"' in response.text
    assert count_rows(app, User) == before
    response = post_form(
        client, "/users/new", {"full_name": "X Y", "email": "x@y.org", "roles": ["coach"]}
    )
    assert response.status_code == 422
    assert "is not a valid choice" in response.text


def test_list_searches_and_filters(client, login_as, make_user):
    login_as("secretariat")
    make_user("coordinator", full_name="Aline Uwimana")
    make_user("coordinator", full_name="Patrick Nkurunziza")
    page = client.get("/users?q=aline").text
    assert "Aline Uwimana" in page
    assert "Patrick Nkurunziza" not in page
    page = client.get("/users?role=secretariat").text
    assert "Aline Uwimana" not in page
    page = client.get("/users?state=inactive").text
    assert "No accounts match." in page


def test_stale_edit_is_refused_with_the_input_kept(app, client, login_as, make_user):
    login_as("secretariat")
    target = make_user("coordinator")
    form = {"full_name": "First Edit", "roles": ["coordinator"], "active": "y", "version": "1"}
    assert post_form(client, f"/users/{target.id}", form).status_code == 302
    stale = post_form(client, f"/users/{target.id}", {**form, "full_name": "Second Edit"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text
    assert 'value="Second Edit"' in stale.text
    with app.app_context():
        assert db.session.get(User, target.id).full_name == "First Edit"


def test_deactivating_signs_the_person_out(app, client, login_as, make_user):
    login_as("secretariat")
    target = make_user("coordinator")
    theirs = app.test_client()
    login(theirs, target)
    assert theirs.get("/").status_code == 200
    post_form(
        client,
        f"/users/{target.id}",
        {"full_name": "Test", "roles": ["coordinator"], "version": "1"},
    )
    assert theirs.get("/").status_code == 302
    assert login(theirs, target).status_code == 401


def test_locked_account_shows_in_needs_and_can_be_unlocked(app, client, login_as, make_user):
    login_as("secretariat")
    target = make_user("coordinator")
    stranger = app.test_client()
    for _ in range(app.config["LOGIN_LOCK_AFTER"]):
        token = csrf_token(stranger, "/login")
        stranger.post(
            "/login",
            data={"email": target.email, "password": "wrong guess here", "csrf_token": token},
        )
        with app.app_context():
            from scbi.auth.models import LoginThrottle
            from scbi.database import utcnow

            row = db.session.get(LoginThrottle, target.email)
            if row.failures < app.config["LOGIN_LOCK_AFTER"]:
                row.locked_until = utcnow()
                db.session.commit()
    home = client.get("/").text
    assert "1 account locked after failed sign-ins" in home
    assert "Locked" in client.get("/users").text
    post_form(client, f"/users/{target.id}/unlock")
    assert login(stranger, target).status_code == 302
    assert "Nothing needs you right now." in client.get("/").text


def test_secretariat_cannot_reset_own_password_here(client, login_as):
    me = login_as("secretariat")
    response = post_form(client, f"/users/{me.id}/reset-password")
    assert response.status_code == 403


def test_unknown_account_is_404(client, login_as):
    login_as("secretariat")
    assert client.get(f"/users/{MISSING_ID}").status_code == 404


def test_a_coordinator_is_given_sectors_on_the_account_page(app, client, login_as):
    from scbi.auth.models import User
    from tests import factories

    with app.app_context():
        sector = factories.sector()
        db.session.commit()
        sector_id = sector.id
    login_as("secretariat")
    response = post_form(
        client,
        "/users/new",
        {
            "full_name": "Sylvie Uwamahoro",
            "email": "sylvie@ncbs.gov.rw",
            "roles": ["coordinator"],
            "sectors": [str(sector_id)],
        },
    )
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "sylvie@ncbs.gov.rw"))
        assert [s.id for s in user.sectors] == [sector_id]
    refused = post_form(
        client,
        "/users/new",
        {
            "full_name": "Not Coordinator",
            "email": "nc@ncbs.gov.rw",
            "roles": ["secretariat"],
            "sectors": [str(sector_id)],
        },
    )
    assert refused.status_code == 422
    assert "Only coordinators are assigned to sectors." in refused.text
