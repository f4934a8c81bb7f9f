"""A one-time password is for the web's change-password page only, never an API token."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from scbi.auth.models import ApiToken, User
from scbi.extensions import db
from tests.helpers import api_token, bearer, login


def reset(app, target_id: int, by_id: int) -> str:
    from scbi.auth.services import reset_password

    with app.app_context():
        password = reset_password(db.session.get(User, target_id), by=db.session.get(User, by_id))
        db.session.commit()
        return password


def test_one_time_password_is_refused_a_token_with_password_change_required(app, client, make_user):
    admin, user = make_user("secretariat"), make_user("coach")
    one_time = reset(app, user.id, admin.id)
    for _ in range(2):
        response = client.post("/api/v1/tokens", json={"email": user.email, "password": one_time})
        assert response.status_code == 403
        error = response.json["error"]
        assert error["code"] == "password_change_required"
        assert "Sign in on the web" in error["message"] and "new password" in error["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
        assert db.session.get(User, user.id).must_change_password is True
    # The right one-time password is no failure: the web sign-in still takes it at once.
    response = login(client, user, password=one_time)
    assert response.status_code == 302 and "/account/password" in client.get("/").location


def test_existing_token_is_refused_on_every_api_route_while_password_must_change(
    app, client, make_user
):
    user = make_user("secretariat")
    token = bearer(api_token(client, user))
    with app.app_context():
        db.session.get(User, user.id).must_change_password = True
        db.session.commit()
        rules = [
            (rule, method)
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/")
            and not getattr(app.view_functions[rule.endpoint], "public", False)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ]
    assert len(rules) > 40
    for rule, method in rules:
        path = re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)
        response = client.open(path, method=method, headers=token, json={})
        assert response.status_code == 403, (method, path, response.status_code)
        assert response.json["error"]["code"] == "password_change_required", (method, path)
    # Public routes take no token and answer as ever.
    assert client.get("/api/v1/health", headers=token).status_code == 200
