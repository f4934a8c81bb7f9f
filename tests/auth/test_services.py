"""Account rules: sign-in throttle, one answer for unknown e-mails, session epochs, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scbi.auth import services
from scbi.auth.models import LoginThrottle, Role, User
from scbi.database import utcnow
from scbi.errors import Conflict, Throttled, ValidationFailed
from scbi.extensions import db
from tests.helpers import PASSWORD, audit_actions


def attempt(app, email, password):
    """One sign-in attempt, committed as the views commit it; returns the outcome."""
    with app.app_context():
        try:
            user = services.authenticate(email, password)
            outcome = ("ok", user.id)
        except services.LoginFailed:
            outcome = ("failed", None)
        except Throttled as error:
            outcome = ("throttled", error.retry_after)
        db.session.commit()
        return outcome


def test_correct_password_signs_in_and_is_audited(app, make_user):
    user = make_user("coach")
    assert attempt(app, user.email.upper(), PASSWORD) == ("ok", user.id)
    assert audit_actions(app) == ["auth.login"]


def test_unknown_email_and_wrong_password_get_the_same_answer(app, make_user):
    user = make_user("coach")
    assert attempt(app, user.email, "wrong password here") == ("failed", None)
    assert attempt(app, "nobody@example.org", "wrong password here") == ("failed", None)
    assert audit_actions(app) == ["auth.login_failed", "auth.login_failed"]


def test_inactive_account_cannot_sign_in(app, make_user):
    user = make_user("coach", active=False)
    assert attempt(app, user.email, PASSWORD) == ("failed", None)


def test_failures_slow_then_lock_for_known_and_unknown_emails_alike(app, make_user):
    user = make_user("mentee")
    slow, lock = app.config["LOGIN_SLOW_AFTER"], app.config["LOGIN_LOCK_AFTER"]
    for email in (user.email, "ghost@example.org"):
        outcomes = []
        for n in range(1, lock + 1):
            outcomes.append(attempt(app, email, "wrong password here")[0])
            # Let any slow-down pass, as a patient attacker would.
            with app.app_context():
                row = db.session.get(LoginThrottle, email)
                if n < lock and row.locked_until:
                    row.locked_until = utcnow() - timedelta(seconds=1)
                    db.session.commit()
        assert outcomes == ["failed"] * lock
        with app.app_context():
            row = db.session.get(LoginThrottle, email)
            assert row.failures == lock
            left = (row.locked_until - utcnow()).total_seconds()
            assert left > (app.config["LOGIN_LOCK_MINUTES"] - 1) * 60
        # Locked: even the right password is not checked.
        outcome, retry_after = attempt(app, email, PASSWORD)
        assert outcome == "throttled"
        assert retry_after > 60
    assert slow < lock


def test_slowing_down_starts_after_a_few_failures(app, make_user):
    user = make_user("mentee")
    slow = app.config["LOGIN_SLOW_AFTER"]
    for _ in range(slow):
        assert attempt(app, user.email, "wrong password here")[0] == "failed"
    outcome, retry_after = attempt(app, user.email, PASSWORD)
    assert outcome == "throttled"
    assert 1 <= retry_after <= 6


def test_success_clears_the_failure_count(app, make_user):
    user = make_user("mentee")
    attempt(app, user.email, "wrong password here")
    assert attempt(app, user.email, PASSWORD)[0] == "ok"
    with app.app_context():
        assert db.session.get(LoginThrottle, user.email) is None


def test_create_user_reports_every_bad_field(app, make_user):
    existing = make_user("secretariat")
    with app.app_context(), pytest.raises(ValidationFailed) as caught:
        services.create_user(
            by=None,
            email=existing.email.upper(),
            full_name=" ",
            password="short",
            roles=["coach"],
        )
    fields = caught.value.fields
    assert set(fields) == {"email", "full_name", "password", "roles"}
    assert "already exists" in fields["email"][0]


def test_role_change_and_deactivation_end_sessions(app, make_user):
    admin = make_user("secretariat")
    target = make_user("coordinator")
    with app.app_context():
        by = db.session.get(User, admin.id)
        user = db.session.get(User, target.id)
        epoch = user.session_epoch
        services.update_user(user, by=by, version=user.version, roles=["secretariat"])
        db.session.commit()
        assert user.roles == {Role.SECRETARIAT}
        assert user.session_epoch == epoch + 1
        services.update_user(user, by=by, version=user.version, active=False)
        db.session.commit()
        assert user.session_epoch == epoch + 2
        services.update_user(user, by=by, version=user.version, full_name="Renamed Person")
        db.session.commit()
        assert user.session_epoch == epoch + 2  # a new name ends nothing


def test_update_refuses_a_stale_version(app, make_user):
    admin = make_user("secretariat")
    target = make_user("coordinator")
    with app.app_context():
        by = db.session.get(User, admin.id)
        user = db.session.get(User, target.id)
        with pytest.raises(Conflict) as caught:
            services.update_user(user, by=by, version=user.version - 1, active=False)
        assert caught.value.code == "stale_version"


def test_the_last_active_secretariat_cannot_be_removed(app, make_user):
    admin = make_user("secretariat")
    with app.app_context():
        user = db.session.get(User, admin.id)
        with pytest.raises(Conflict) as caught:
            services.update_user(user, by=user, version=user.version, active=False)
        assert caught.value.code == "last_secretariat"
        with pytest.raises(Conflict):
            services.update_user(user, by=user, version=user.version, roles=["coordinator"])


def test_coach_and_mentee_roles_are_not_given_through_account_admin(app, make_user):
    admin = make_user("secretariat")
    target = make_user("mentee")
    with app.app_context():
        by = db.session.get(User, admin.id)
        user = db.session.get(User, target.id)
        with pytest.raises(ValidationFailed) as caught:
            services.update_user(user, by=by, version=user.version, roles=["coach"])
        assert "roles" in caught.value.fields
        # Adding a staff role keeps the mentee role that came with the profile.
        services.update_user(user, by=by, version=user.version, roles=["coordinator"])
        assert user.roles == {Role.MENTEE, Role.COORDINATOR}


def test_reset_password_gives_a_one_time_password_and_unlocks(app, make_user):
    admin = make_user("secretariat")
    target = make_user("coordinator")
    for _ in range(app.config["LOGIN_SLOW_AFTER"]):
        attempt(app, target.email, "wrong password here")
    with app.app_context():
        by = db.session.get(User, admin.id)
        user = db.session.get(User, target.id)
        password = services.reset_password(user, by=by)
        db.session.commit()
        assert user.must_change_password
        assert db.session.get(LoginThrottle, target.email) is None
    assert attempt(app, target.email, password)[0] == "ok"


def test_generated_passwords_pass_the_rules(app):
    with app.app_context():
        for _ in range(20):
            assert services.password_problems(services.generate_password()) == []
