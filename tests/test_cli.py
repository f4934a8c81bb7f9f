"""The command line: create-admin (flags or prompts) and ensure-login."""

from __future__ import annotations

from scbi.auth.models import Role, User
from scbi.extensions import db
from tests.helpers import count_rows


def test_create_admin_with_flags(app):
    result = app.test_cli_runner().invoke(
        args=[
            "scbi",
            "create-admin",
            "--email",
            "Admin@NCBS.gov.rw",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.email == "admin@ncbs.gov.rw"
        assert user.roles == {Role.SECRETARIAT}
        assert user.must_change_password is False


def test_create_admin_prompts_for_what_is_missing(app):
    result = app.test_cli_runner().invoke(
        args=["scbi", "create-admin"],
        input="prompted@ncbs.gov.rw\na long enough passphrase\na long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert count_rows(app, User) == 1


def test_create_admin_refuses_a_weak_password_and_stores_nothing(app):
    result = app.test_cli_runner().invoke(
        args=["scbi", "create-admin", "--email", "a@b.org", "--password", "password123"]
    )
    assert result.exit_code == 1
    assert "password:" in result.output
    assert count_rows(app, User) == 0


def test_ensure_login_creates_one_account_and_prints_it_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["scbi", "ensure-login"])
    assert first.exit_code == 0
    assert "password:" in first.output
    second = runner.invoke(args=["scbi", "ensure-login"])
    assert "password:" not in second.output
    assert "secretariat@scbi.example" in second.output
    assert count_rows(app, User) == 1
