"""Issue 11, finding 9 (docs/deployment.md): on PostgreSQL the application runs as a role
that cannot change the schema, so it can neither drop the audit trail's triggers nor
rewrite an event; the tables' owner runs the migrations and `scbi grant-app-role`."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from scbi import create_app
from scbi.extensions import db
from tests import factories
from tests.conftest import engine_options
from tests.helpers import api_token, bearer


@pytest.fixture
def app_role(app):
    """A login role of the test database's own name (roles are the server's, shared by
    every database on it), made and dropped around the test."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("database roles are PostgreSQL's")
        url = db.engine.url
    role = f"scbi_app_{url.database}"[:63]
    owner = create_engine(url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{url.database}" TO "{role}"'))
        conn.execute(text(f'REVOKE CREATE ON SCHEMA public FROM PUBLIC, "{role}"'))
    result = app.test_cli_runner().invoke(args=["scbi", "grant-app-role", role])
    assert result.exit_code == 0, result.output
    yield role, url.set(username=role, password=None).render_as_string(hide_password=False)
    with owner.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :role"),
            {"role": role},
        )
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    owner.dispose()


def test_finding9_the_app_works_under_a_role_that_cannot_change_the_schema(app, app_role, tmp_path):
    _role, url = app_role
    world = factories.world(app)
    limited = create_app(
        {
            "CONFIG": "testing",
            "DATABASE_URL": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        }
    )
    try:
        client = limited.test_client()
        headers = bearer(api_token(client, world.secretariat))
        created = client.post(
            "/api/v1/phases",
            json={"name": "Phase under a limited role", "start_date": "2026-01-01"},
            headers=headers,
        )
        assert created.status_code == 201, created.json
        assert client.get(f"/api/v1/pairings/{world.a.pairing_id}", headers=headers).json["id"] == (
            world.a.pairing_id
        )
        coach = bearer(api_token(client, world.b.coach_user))
        assert client.get(f"/api/v1/logs/{world.log_id}", headers=coach).status_code == 404
        runner = limited.test_cli_runner()
        result = runner.invoke(args=["scbi", "audit-verify"])
        assert result.exit_code == 0, result.output
        backup = runner.invoke(args=["scbi", "backup", str(tmp_path / "programme.zip")])
        assert backup.exit_code == 0, backup.output  # docs/deployment.md: backups as the app
    finally:
        with limited.app_context():
            db.engine.dispose()

    engine = create_engine(make_url(url))
    try:
        for statement in (
            "UPDATE audit_event SET action = 'rewritten'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change",
            "DROP TRIGGER audit_event_no_change ON audit_event",
            "SET session_replication_role = replica",
            "CREATE TABLE intruder (id integer)",
            "UPDATE alembic_version SET version_num = 'x'",
        ):
            with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
                conn.execute(text(statement))
            assert refused.value.orig.sqlstate in ("42501", "42P01"), statement  # no privilege
    finally:
        engine.dispose()


def test_finding9_grant_app_role_refuses_a_name_that_is_not_plain(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("database roles are PostgreSQL's")
    result = app.test_cli_runner().invoke(args=["scbi", "grant-app-role", 'x"; DROP TABLE user'])
    assert result.exit_code != 0
    assert "not a plain PostgreSQL role name" in result.output
