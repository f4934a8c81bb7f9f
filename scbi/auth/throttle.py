"""Failed sign-ins, counted in the database so every worker sees them.

Two counts, both of failures:

- per e-mail typed (``login_throttle``), known account or not, so an unknown e-mail is
  slowed and locked exactly like a real one: from the ``LOGIN_SLOW_AFTER``-th failure each
  attempt waits 5 s, 10 s, 20 s …, and from the ``LOGIN_LOCK_AFTER``-th the e-mail is locked
  for ``LOGIN_LOCK_MINUTES``. Both apply only to clients the account has not signed in from
  (within ``LOGIN_KNOWN_CLIENT_DAYS``, by the audit trail's ``auth.login`` events): the
  right password from an address the owner used before still passes, so guesses from
  elsewhere cannot lock the owner out;
- per client address (``login_client_throttle``), across every e-mail: at most
  ``LOGIN_CLIENT_LIMIT`` failures in a ``LOGIN_CLIENT_WINDOW_MINUTES`` window, then 429 until
  the window ends, for everyone at that address.

An attempt is counted as a failure *before* its password is checked, in a short
transaction committed at once (``claim``, which therefore commits the session: it comes
first in a sign-in, before anything else is changed), and given back if the password
proves right (``succeeded``, in the caller's transaction). So guesses sent in parallel are
each counted before the next is let through, no lock (SQLite's write lock, a PostgreSQL
row lock) is held during the argon2 check, and a sign-in uses one connection. Rows of
e-mails without a failure for ``LOGIN_FORGET_HOURS`` and ended client windows are pruned
at every attempt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Connection, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from scbi.audit import AuditEvent
from scbi.auth.models import LoginClientThrottle, LoginThrottle, User
from scbi.extensions import db

EMAILS = LoginThrottle.__table__
CLIENTS = LoginClientThrottle.__table__
CLAIM_TRIES = 5  # each failure means another attempt committed: some attempt always goes on


class Wait(Exception):
    """The attempt may not be checked yet: ``seconds`` to wait, ``scope`` "email" or
    "client" (which count holds it back)."""

    def __init__(self, seconds: int, scope: str):
        self.seconds, self.scope = max(1, seconds), scope
        super().__init__(scope)


def _config(name: str):
    return current_app.config[name]


def claim(email: str, client: str | None, now: datetime) -> None:
    """Count one attempt as failed before its password is checked, or raise Wait.

    Commits: first the pruning, then the claim, which a parallel first attempt on the
    same e-mail or address can make fail on the primary key (PostgreSQL): it is tried
    again. A Wait leaves nothing behind (rolled back).
    """
    _committed(now, lambda connection: _claim(connection, email, client, now))


def claim_client(client: str | None, now: datetime) -> None:
    """Count one request from ``client`` against its ``LOGIN_CLIENT_LIMIT`` (a request that
    may probe for accounts, such as a password reset, spends the budget of a failed
    sign-in), or raise Wait past it. Commits, like :func:`claim`."""
    if client:
        _committed(
            now,
            lambda connection: _add_client_failure(
                connection, client, _client_row(connection, client, now), now
            ),
        )


def _committed(now: datetime, count) -> None:
    """Prune, then ``count(connection)`` in a transaction of its own, committed; tried
    again when a parallel first attempt inserted the same row (its primary key)."""
    prune(now)
    for attempt in range(1, CLAIM_TRIES + 1):
        try:
            count(db.session.connection())
        except IntegrityError:  # another attempt inserted the row first: it exists now
            db.session.rollback()
            if attempt == CLAIM_TRIES:
                raise
        except Wait:
            db.session.rollback()
            raise
        else:
            db.session.commit()
            return


def prune(now: datetime) -> None:
    """Delete the rows of e-mails quiet for LOGIN_FORGET_HOURS (unless locked) and of ended
    client windows, each in a short transaction (committed)."""
    quiet = now - timedelta(hours=_config("LOGIN_FORGET_HOURS"))
    window = timedelta(minutes=_config("LOGIN_CLIENT_WINDOW_MINUTES"))
    for statement in (
        delete(EMAILS).where(
            EMAILS.c.last_failure_at < quiet,
            or_(EMAILS.c.locked_until.is_(None), EMAILS.c.locked_until < now),
        ),
        delete(CLIENTS).where(CLIENTS.c.window_started_at <= now - window),
    ):
        db.session.execute(statement)
        db.session.commit()


def _held(connection: Connection, table, key_column, key: str):
    """The row for ``key``, locked for this transaction: the no-op UPDATE takes SQLite's
    write lock (it has no row locks), FOR UPDATE the row's lock on PostgreSQL."""
    connection.execute(update(table).where(key_column == key).values(failures=table.c.failures))
    return connection.execute(select(table).where(key_column == key).with_for_update()).first()


def _claim(connection, email: str, client: str | None, now) -> None:
    # The e-mail's row is always taken (locked, or inserted) before the client's, here and
    # in ``succeeded``, and each pruning transaction touches one table: attempts never
    # wait on each other in a circle.
    row = _held(connection, EMAILS, EMAILS.c.email, email)
    if row is None:
        connection.execute(EMAILS.insert().values(email=email, failures=0, last_failure_at=now))
    from_client = _client_row(connection, client, now) if client else None
    held_back = row is not None and row.locked_until is not None and row.locked_until > now
    if held_back and not known_client(connection, email, client, now):
        raise Wait(_seconds(row.locked_until - now), "email")

    failures = (row.failures if row is not None else 0) + 1
    connection.execute(
        update(EMAILS)
        .where(EMAILS.c.email == email)
        .values(failures=failures, last_failure_at=now, locked_until=_until(failures, now))
    )
    if client:
        _add_client_failure(connection, client, from_client, now)


def _client_row(connection, client: str, now):
    """The client's row in its current window (locked), None if it has none; raises Wait
    when the window's failures reached the limit."""
    window = timedelta(minutes=_config("LOGIN_CLIENT_WINDOW_MINUTES"))
    row = _held(connection, CLIENTS, CLIENTS.c.address, client)
    if row is not None and row.window_started_at + window <= now:
        row = None  # an ended window that pruning has not reached: start anew
        connection.execute(delete(CLIENTS).where(CLIENTS.c.address == client))
    if row is not None and row.failures >= _config("LOGIN_CLIENT_LIMIT"):
        raise Wait(_seconds(row.window_started_at + window - now), "client")
    return row


def _add_client_failure(connection, client: str, row, now) -> None:
    if row is None:
        connection.execute(
            CLIENTS.insert().values(address=client, failures=1, window_started_at=now)
        )
    else:
        connection.execute(
            update(CLIENTS)
            .where(CLIENTS.c.address == client)
            .values(failures=CLIENTS.c.failures + 1)
        )


def _until(failures: int, now: datetime) -> datetime | None:
    slow_after, lock_after = _config("LOGIN_SLOW_AFTER"), _config("LOGIN_LOCK_AFTER")
    if failures >= lock_after:
        return now + timedelta(minutes=_config("LOGIN_LOCK_MINUTES"))
    if failures >= slow_after:
        return now + timedelta(seconds=5 * 2 ** (failures - slow_after))  # 5 s, 10 s, 20 s …
    return None


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds()) + 1


def known_client(connection, email: str, client: str | None, now) -> bool:
    """Whether the account of ``email`` signed in from ``client`` within
    LOGIN_KNOWN_CLIENT_DAYS (an e-mail without an account has no known client)."""
    if not client:
        return False
    since = now - timedelta(days=_config("LOGIN_KNOWN_CLIENT_DAYS"))
    found = connection.execute(
        select(AuditEvent.id)
        .join(User, User.id == AuditEvent.actor_id)
        .where(
            User.email == email,
            AuditEvent.action == "auth.login",
            AuditEvent.ip == client,
            AuditEvent.occurred_at >= since,
        )
        .limit(1)
    ).first()
    return found is not None


def succeeded(email: str, client: str | None) -> None:
    """The password was right: the e-mail's count ends, the client's failure is given
    back (in the caller's transaction)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email == email))
    if client:
        db.session.execute(
            update(LoginClientThrottle)
            .where(LoginClientThrottle.address == client, LoginClientThrottle.failures > 0)
            .values(failures=LoginClientThrottle.failures - 1)
        )
