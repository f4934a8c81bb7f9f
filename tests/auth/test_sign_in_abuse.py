"""Sign-in abuse: guesses from elsewhere cannot lock the owner out, one address cannot
spray every account, throttle rows are pruned, and no lock is held during the check."""

from __future__ import annotations

import contextlib
import random
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from scbi.auth import services
from scbi.auth.models import LoginClientThrottle, LoginThrottle
from scbi.database import utcnow
from scbi.extensions import db
from tests.helpers import PASSWORD, csrf_token

OWNER, ATTACKER = "10.0.0.1", "203.0.113.9"
WRONG = "not the password at all"


def token(client, email, password, address):
    return client.post(
        "/api/v1/tokens",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def web_sign_in(client, email, password, address):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": address},
    )


def lock(app, client, email, address=ATTACKER):
    for _ in range(app.config["LOGIN_LOCK_AFTER"]):
        assert token(client, email, WRONG, address).status_code == 401


@pytest.fixture
def no_slow_down(app, monkeypatch):
    """Lock at the LOGIN_LOCK_AFTER-th failure with no waits before (a patient attacker),
    and no per-address limit in the way."""
    monkeypatch.setitem(app.config, "LOGIN_SLOW_AFTER", app.config["LOGIN_LOCK_AFTER"])
    monkeypatch.setitem(app.config, "LOGIN_CLIENT_LIMIT", 1000)


def test_anonymous_guesses_cannot_lock_out_the_owner_from_a_known_client(
    app, client, make_user, no_slow_down
):
    user = make_user("coach")
    assert token(client, user.email, PASSWORD, OWNER).status_code == 201  # seen before
    lock(app, client, user.email)
    # from anywhere else, even the right password waits for the lock
    refused = token(client, user.email, PASSWORD, ATTACKER)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    fresh = token(client, user.email, PASSWORD, "198.51.100.7")
    assert fresh.status_code == 429
    # from the owner's address, the right password passes, on the web …
    assert web_sign_in(app.test_client(), user.email, PASSWORD, OWNER).status_code == 302
    with app.app_context():
        assert db.session.get(LoginThrottle, user.email) is None  # and ends the count
    # … and through the API
    lock(app, client, user.email)
    assert token(client, user.email, WRONG, OWNER).status_code == 401  # still checked
    assert token(client, user.email, PASSWORD, OWNER).status_code == 201
    # an e-mail without an account has no known client: its lock holds everyone out
    lock(app, client, "ghost@example.org")
    assert token(client, "ghost@example.org", PASSWORD, OWNER).status_code == 429


def test_one_address_is_limited_across_accounts_with_retry_after(
    app, client, make_user, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_CLIENT_LIMIT", 5)
    user = make_user("mentee")
    for n in range(5):  # one guess at each of five e-mails
        assert token(client, f"person{n}@example.org", WRONG, ATTACKER).status_code == 401
    for response in (
        token(client, user.email, PASSWORD, ATTACKER),
        web_sign_in(client, user.email, PASSWORD, ATTACKER),
    ):
        assert response.status_code == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 15 * 60
        assert "from your network" in response.get_data(as_text=True)
    # another address is not held back; a success gives its failure back
    assert token(client, user.email, PASSWORD, OWNER).status_code == 201
    assert token(client, "person9@example.org", WRONG, OWNER).status_code == 401
    assert token(client, user.email, PASSWORD, OWNER).status_code == 201
    with app.app_context():
        assert db.session.get(LoginClientThrottle, OWNER).failures == 1
        assert db.session.get(LoginClientThrottle, ATTACKER).failures == 5


def test_answers_for_unknown_and_known_emails_stay_identical(app, client, make_user):
    user = make_user("coach")

    def answers(email):
        out = []
        for _ in range(app.config["LOGIN_SLOW_AFTER"] + 1):
            response = token(client, email, WRONG, ATTACKER)
            body = re.sub(r"\d+", "N", response.get_data(as_text=True))
            out.append((response.status_code, body, "Retry-After" in response.headers))
        return out

    known, unknown = answers(user.email), answers("nobody-here@example.org")
    assert known == unknown
    assert [status for status, _body, _retry in known][-1] == 429


def test_throttle_rows_are_pruned(app, client):
    now = utcnow()
    with app.app_context():
        old, day = now - timedelta(hours=25), now - timedelta(minutes=30)
        db.session.add_all(
            [
                LoginThrottle(email="quiet@example.org", failures=2, last_failure_at=old),
                LoginThrottle(
                    email="locked@example.org",
                    failures=12,
                    last_failure_at=old,
                    locked_until=now + timedelta(minutes=5),
                ),
                LoginThrottle(email="recent@example.org", failures=1, last_failure_at=day),
                LoginClientThrottle(address="192.0.2.1", failures=3, window_started_at=day),
                LoginClientThrottle(address="192.0.2.2", failures=1, window_started_at=now),
            ]
        )
        db.session.commit()
    token(client, "someone@example.org", WRONG, ATTACKER)
    with app.app_context():
        emails = set(db.session.scalars(select(LoginThrottle.email)))
        addresses = set(db.session.scalars(select(LoginClientThrottle.address)))
    assert emails == {"locked@example.org", "recent@example.org", "someone@example.org"}
    assert addresses == {"192.0.2.2", ATTACKER}


def test_no_lock_is_held_while_the_password_is_checked(app, make_user, monkeypatch):
    """Another connection can write to the throttle row at once during the check (SQLite:
    BEGIN IMMEDIATE without waiting; PostgreSQL: FOR UPDATE NOWAIT)."""
    user = make_user("coach")
    probes: list[bool] = []
    real_verify = services.verify_password

    def probe() -> bool:
        with app.app_context():
            url = db.engine.url
        if url.get_backend_name() == "sqlite":
            other = sqlite3.connect(url.database, timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                return True
            except sqlite3.OperationalError:
                return False
            finally:
                other.close()
        with app.app_context(), db.engine.connect() as other:
            try:
                other.execute(
                    text("SELECT 1 FROM login_throttle WHERE email = :e FOR UPDATE NOWAIT"),
                    {"e": user.email},
                )
                return True
            except OperationalError:  # psycopg's LockNotAvailable
                return False

    def verify(stored, password):
        probes.append(probe())
        return real_verify(stored, password)

    monkeypatch.setattr(services, "verify_password", verify)
    for password in (WRONG, WRONG, PASSWORD):
        with app.app_context():
            with contextlib.suppress(services.LoginFailed):
                services.authenticate(user.email, password, client=OWNER)
            db.session.commit()
    assert probes == [True, True, True]


def test_parallel_right_and_wrong_sign_ins_from_two_addresses_never_fail(app, make_user):
    """Claims, successes and prunes at the same moment take rows in one order: no
    deadlock, no duplicate-key error, no 500."""
    users = [make_user("coach") for _ in range(3)]
    plan = random.Random(11)
    attempts = [
        (
            plan.choice([*[u.email for u in users], "ghost@example.org"]),
            PASSWORD if plan.random() < 0.4 else WRONG,
            plan.choice([OWNER, ATTACKER]),
        )
        for _ in range(120)
    ]

    def attempt(args):
        return token(app.test_client(), *args).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, attempts))
    assert set(statuses) <= {201, 401, 429}
    assert {201, 401} <= set(statuses)
