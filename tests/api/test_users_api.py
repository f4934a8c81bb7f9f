"""POST /users and PATCH /users/{id}: validation, versions, no mass assignment, audit."""

from __future__ import annotations

import pytest

from scbi.auth.models import User
from scbi.extensions import db
from tests.helpers import MISSING_ID, api_token, audit_actions, bearer, count_rows

NEW = {
    "email": "Claudine.M@ncbs.gov.rw",
    "full_name": "Claudine Mukamana",
    "password": "umuganda every last saturday",
    "roles": ["coordinator"],
}


def test_secretariat_creates_a_coordinator_who_must_change_password(app, client, api_as):
    _, headers = api_as("secretariat")
    response = client.post("/api/v1/users", json=NEW, headers=headers)
    assert response.status_code == 201
    body = response.json
    assert body["email"] == "claudine.m@ncbs.gov.rw"
    assert body["roles"] == ["coordinator"]
    assert body["must_change_password"] is True
    assert body["version"] == 1
    assert response.headers["Location"] == f"/api/v1/users/{body['id']}"
    assert "user.create" in audit_actions(app)


def test_create_refuses_bad_fields_with_their_names(app, client, api_as):
    _, headers = api_as("secretariat")
    users_before = count_rows(app, User)
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "not-an-email", "full_name": "", "password": "short", "roles": ["mentee"]},
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {"email", "full_name", "password", "roles"}
    response = client.post("/api/v1/users", headers=headers, json={"email": 5, "roles": "x"})
    assert response.status_code == 422
    # without a password the account is invited (or given a one-time password): not a fault
    assert set(response.json["error"]["fields"]) == {"email", "full_name", "roles"}
    assert count_rows(app, User) == users_before


def test_duplicate_email_is_refused_case_insensitively(client, api_as):
    _, headers = api_as("secretariat")
    assert client.post("/api/v1/users", json=NEW, headers=headers).status_code == 201
    again = client.post(
        "/api/v1/users", json={**NEW, "email": NEW["email"].upper()}, headers=headers
    )
    assert again.status_code == 422
    assert "email" in again.json["error"]["fields"]


def test_extra_fields_change_nothing(app, client, api_as):
    _, headers = api_as("secretariat")
    response = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            **NEW,
            "id": MISSING_ID,
            "active": False,
            "version": 7,
            "must_change_password": False,
            "session_epoch": 99,
        },
    )
    assert response.status_code == 201
    body = response.json
    assert body["id"] != MISSING_ID
    assert body["active"] is True
    assert body["version"] == 1
    assert body["must_change_password"] is True
    patch = client.patch(
        f"/api/v1/users/{body['id']}",
        headers=headers,
        json={"version": 1, "email": "changed@example.org", "password_hash": "x", "id": 1},
    )
    assert patch.status_code == 200
    assert patch.json["email"] == body["email"]


def test_patch_needs_the_version_read(client, api_as):
    _, headers = api_as("secretariat")
    created = client.post("/api/v1/users", json=NEW, headers=headers).json
    missing = client.patch(
        f"/api/v1/users/{created['id']}", json={"active": False}, headers=headers
    )
    assert missing.status_code == 422
    assert "version" in missing.json["error"]["fields"]
    first = client.patch(
        f"/api/v1/users/{created['id']}",
        json={"roles": ["secretariat"], "version": 1},
        headers=headers,
    )
    assert first.status_code == 200
    assert first.json["version"] == 2
    stale = client.patch(
        f"/api/v1/users/{created['id']}", json={"active": False, "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "stale_version"
    current = client.get(f"/api/v1/users/{created['id']}", headers=headers).json
    assert current["active"] is True


def test_role_change_ends_the_users_tokens(app, client, make_user, api_as):
    _, headers = api_as("secretariat")
    user = make_user("coordinator")
    token = api_token(client, user)
    response = client.patch(
        f"/api/v1/users/{user.id}",
        json={"roles": ["secretariat", "coordinator"], "version": 1},
        headers=headers,
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    with app.app_context():
        assert {r.value for r in db.session.get(User, user.id).roles} == {
            "secretariat",
            "coordinator",
        }


@pytest.mark.parametrize("role", ["coordinator", "coach", "mentee"])
def test_only_the_secretariat_manages_accounts(app, client, api_as, make_user, role):
    _, headers = api_as(role)
    other = make_user("coordinator")
    assert client.post("/api/v1/users", json=NEW, headers=headers).status_code == 403
    response = client.patch(
        f"/api/v1/users/{other.id}", json={"active": False, "version": 1}, headers=headers
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(User, other.id).active is True


def test_unknown_user_is_404(client, api_as):
    _, headers = api_as("secretariat")
    response = client.patch(f"/api/v1/users/{MISSING_ID}", json={"version": 1}, headers=headers)
    assert response.status_code == 404


def test_users_list_is_paginated(client, api_as, make_user):
    _, headers = api_as("secretariat")
    for _ in range(5):
        make_user("coordinator")
    page = client.get("/api/v1/users?per_page=2&page=2", headers=headers).json
    assert page["page"] == 2
    assert page["per_page"] == 2
    assert page["total"] == 6
    assert len(page["items"]) == 2
    nonsense = client.get("/api/v1/users?per_page=abc&page=-3", headers=headers)
    assert nonsense.status_code == 200
    assert client.get("/api/v1/users?per_page=5000", headers=headers).json["per_page"] == 200
