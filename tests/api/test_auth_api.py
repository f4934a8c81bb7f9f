"""API tokens, /me, /health, and the JSON error format."""

from __future__ import annotations

import json
from datetime import timedelta

from scbi.auth.models import ApiToken, User
from scbi.database import utcnow
from scbi.extensions import db
from tests.helpers import api_token, audit_actions, bearer, csrf_token, login


def test_token_then_me_then_revoke(client, make_user):
    user = make_user("coordinator")
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": user.password})
    assert response.status_code == 201
    token = response.json["token"]
    assert response.json["expires_at"]
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json == {
        "id": user.id,
        "email": user.email,
        "full_name": me.json["full_name"],
        "roles": ["coordinator"],
        "coach_id": None,
        "mentee_id": None,
        "sector_ids": [],
    }
    assert client.delete("/api/v1/tokens/current", headers=bearer(token)).status_code == 204
    gone = client.get("/api/v1/me", headers=bearer(token))
    assert gone.status_code == 401
    assert gone.json["error"]["code"] == "invalid_token"
    assert gone.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_are_stored_hashed(app, client, make_user):
    token = api_token(client, make_user("coach"))
    with app.app_context():
        stored = db.session.scalar(db.select(ApiToken.token_hash))
    assert token not in stored
    assert len(stored) == 64


def test_a_lone_surrogate_in_a_password_is_a_wrong_password_not_a_500(client, make_user):
    user = make_user("coach")
    body = json.dumps({"email": user.email, "password": "\ud800 not text"})  # sent as \ud800
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code == 401


def test_bad_credentials_get_one_answer_and_then_429(app, client, make_user):
    user = make_user("coach")
    wrong = client.post("/api/v1/tokens", json={"email": user.email, "password": "nope nope nope"})
    unknown = client.post(
        "/api/v1/tokens", json={"email": "ghost@example.org", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json
    for _ in range(app.config["LOGIN_SLOW_AFTER"]):
        client.post("/api/v1/tokens", json={"email": user.email, "password": "nope nope nope"})
    throttled = client.post("/api/v1/tokens", json={"email": user.email, "password": user.password})
    assert throttled.status_code == 429
    assert throttled.json["error"]["code"] == "throttled"
    assert int(throttled.headers["Retry-After"]) >= 1


def test_expired_token_is_refused(app, client, make_user):
    token = api_token(client, make_user("coach"))
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken))
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_web_logout_ends_api_tokens_too(client, make_user):
    user = make_user("coach")
    token = api_token(client, user)
    login(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_the_api_ignores_session_cookies(client, make_user):
    """A signed-in browser cannot call the API with its cookie (the API has no CSRF)."""
    login(client, make_user("secretariat"))
    assert client.get("/api/v1/me").status_code == 401


def test_malformed_json_is_a_400_that_changes_nothing(app, client, api_as):
    _, headers = api_as("secretariat")
    before = audit_actions(app)
    for body, content_type in (
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("email=x", "application/x-www-form-urlencoded"),
    ):
        response = client.post(
            "/api/v1/users", data=body, content_type=content_type, headers=headers
        )
        assert response.status_code == 400, body
        assert response.json["error"]["message"]
    assert audit_actions(app) == before


def test_an_oversized_body_is_a_413(app, client, api_as):
    _, headers = api_as("secretariat")
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/api/v1/users", data=big, content_type="application/json", headers=headers
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_unknown_paths_and_methods_answer_in_json(client, api_as):
    _, headers = api_as("coach")
    missing = client.get("/api/v1/nothing-here", headers=headers)
    assert missing.status_code == 404
    assert missing.json["error"]["code"] == "not_found"
    wrong = client.put("/api/v1/me", headers=headers)
    assert wrong.status_code == 405
    assert wrong.json["error"]["code"] == "method_not_allowed"


def test_health_answers_without_a_token(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_deactivated_users_tokens_stop_working(app, client, make_user, api_as):
    _, admin = api_as("secretariat")
    user = make_user("coordinator")
    token = api_token(client, user)
    with app.app_context():
        version = db.session.get(User, user.id).version
    response = client.patch(
        f"/api/v1/users/{user.id}", json={"active": False, "version": version}, headers=admin
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    again = client.post("/api/v1/tokens", json={"email": user.email, "password": user.password})
    assert again.status_code == 401
