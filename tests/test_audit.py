"""The audit trail: recorded with who, when, what and from where; append-only in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from scbi import audit
from scbi.audit import AuditEvent
from scbi.extensions import db
from tests.helpers import api_token, audit_actions, csrf_token, login, post_form


def events(app, action=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'rewritten'",
        "DELETE FROM audit_event",
    ],
)
def test_the_database_refuses_to_change_audit_events(app, statement):
    with app.app_context():
        audit.record("test.event", entity=("user", 1), after={"x": 1})
        db.session.commit()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent.action)) == "test.event"


def test_postgresql_refuses_truncate_too(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("TRUNCATE exists only on PostgreSQL")
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("TRUNCATE audit_event"))
        db.session.rollback()


def test_sign_in_ok_failed_and_out_are_recorded_with_origin(app, client, make_user):
    user = make_user("coach")
    login(client, user, password="wrong password here")
    login(client, user)
    client.post(
        "/logout",
        data={"csrf_token": csrf_token(client, "/")},
        headers={"User-Agent": "pytest-browser"},
    )
    failed, ok, out = events(app)
    assert failed.action == "auth.login_failed"
    assert failed.actor_id is None
    assert failed.actor_email == user.email
    assert ok.action == "auth.login"
    assert ok.actor_id == user.id
    assert out.action == "auth.logout"
    assert out.user_agent == "pytest-browser"
    for event in (failed, ok, out):
        assert event.ip == "127.0.0.1"
        assert event.source == "web"
        assert event.request_id
        assert event.occurred_at is not None


def test_role_change_records_before_and_after(app, client, make_user, login_as):
    login_as("secretariat")
    target = make_user("coordinator")
    post_form(
        client,
        f"/users/{target.id}",
        {
            "full_name": "Changed Name",
            "roles": ["coordinator", "secretariat"],
            "active": "y",
            "version": "1",
        },
    )
    (event,) = events(app, "user.update")
    assert event.entity_type == "user"
    assert event.entity_id == target.id
    assert event.before["roles"] == ["coordinator"]
    assert event.after["roles"] == ["coordinator", "secretariat"]
    assert event.after["full_name"] == "Changed Name"


def test_denied_access_is_recorded(app, client, login_as):
    user = login_as("coach")
    assert client.get("/users").status_code == 403
    (event,) = events(app, "access.denied")
    assert event.actor_id == user.id
    assert event.after == {"path": "/users", "method": "GET"}


def test_api_calls_are_recorded_as_api(app, client, make_user):
    api_token(client, make_user("mentee"))
    assert audit_actions(app) == ["auth.login", "token.issue"]
    assert {e.source for e in events(app)} == {"api"}


def test_cli_events_have_no_request(app):
    with app.app_context():
        event = audit.record("test.cli")
        db.session.commit()
        assert event.source == "cli"
        assert event.ip is None
