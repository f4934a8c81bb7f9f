"""Database behaviour: SQLite pragmas, UTC timestamps, optimistic locking."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from scbi.auth.models import User
from scbi.extensions import db


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        conn = db.session.connection()
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_timestamps_come_back_in_utc(app, make_user):
    user = make_user("mentee")
    with app.app_context():
        loaded = db.session.get(User, user.id)
        assert loaded.created_at.utcoffset().total_seconds() == 0


def test_a_concurrent_update_of_the_same_version_is_refused(app, make_user):
    """Two sessions read version 1; the second writer's UPDATE matches no row."""
    user = make_user("coordinator")
    with app.app_context():
        first = db.session.get(User, user.id)
        other = db.Session(bind=db.engine)  # a second, independent session
        try:
            second = other.get(User, user.id)
            first.full_name = "First writer"
            db.session.commit()
            second.full_name = "Second writer"
            with pytest.raises(StaleDataError):
                other.commit()
        finally:
            other.close()
        assert db.session.get(User, user.id).full_name == "First writer"
        assert db.session.get(User, user.id).version == 2


@pytest.fixture
def endings(app):
    """How each transaction on the engine ends: "commit" or "rollback", in order."""
    from sqlalchemy import event

    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def commit(conn):
        seen.append("commit")

    def rollback(conn):
        seen.append("rollback")

    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    yield seen
    event.remove(engine, "commit", commit)
    event.remove(engine, "rollback", rollback)


def test_a_page_that_only_reads_ends_its_transaction_with_commit(app, client, make_user, endings):
    """psycopg forgets its prepared statements at a ROLLBACK, so a read-only request
    that rolled back would have its statements planned anew each time."""
    from tests.helpers import login

    user = make_user("mentee")
    login(client, user)
    endings.clear()
    assert client.get("/").status_code == 200
    assert endings == ["commit"]


def test_a_transaction_that_wrote_without_committing_still_rolls_back(app, make_user, endings):
    user = make_user("mentee", full_name="Kept As Committed")
    endings.clear()
    with app.app_context():
        db.session.get(User, user.id).full_name = "Changed But Not Committed"
        db.session.flush()
    with app.app_context():
        db.session.execute(text("UPDATE \"user\" SET full_name = 'Core, not committed'"))
    with app.app_context():
        from scbi import audit

        db.session.get(User, user.id)
        audit.record("test.pending")  # written only by a commit someone asked for
    assert endings == ["rollback", "rollback", "rollback"]
    with app.app_context():
        assert db.session.get(User, user.id).full_name == "Kept As Committed"
        assert (
            "test.pending" not in db.session.scalars(text("SELECT action FROM audit_event")).all()
        )


def test_a_context_whose_flush_failed_ends_cleanly_even_without_a_rollback(app, make_user):
    """A failed flush leaves the transaction inactive until someone rolls back: ending the
    context must not raise (nor keep the broken session for the next one)."""
    from sqlalchemy.exc import IntegrityError

    user = make_user("mentee")
    with app.app_context():
        twin = db.session.get(User, user.id)
        db.session.add(User(email=twin.email, full_name="Twin", password_hash="x"))
        with pytest.raises(IntegrityError):
            db.session.flush()
    with app.app_context():
        assert db.session.get(User, user.id).email == user.email


def test_sequence_functions_count_as_writes(app, endings):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("sequences are PostgreSQL's")
        db.session.execute(text("SELECT nextval(pg_get_serial_sequence('user', 'id'))"))
    assert endings == ["rollback"]


def _stored(table: str, columns: list[str], where: str) -> list[tuple]:
    """Rows as the database holds them (JSON and times as text on both databases)."""
    cells = ", ".join(f"CAST({c} AS TEXT)" for c in columns)
    query = f'SELECT {cells} FROM "{table}" WHERE {where} ORDER BY 1, 2'  # noqa: S608
    return [tuple(row) for row in db.session.execute(text(query))]


def test_insert_rows_stores_what_sqlalchemy_would(app):
    """The batch insert processes values itself (issue 13): times in UTC, enums as their
    values, JSON (None as JSON null, as SQLAlchemy stores it), booleans, and the defaults
    of the columns the rows leave out, the same as SQLAlchemy's own executemany."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy import insert

    from scbi.audit.models import AuditEvent
    from scbi.auth.models import Role, UserRole
    from scbi.database import insert_rows

    kigali = timezone(timedelta(hours=2))
    with app.app_context():
        people = [
            {
                "email": f"{n}@example.org",
                "full_name": f"Person {n}",
                "password_hash": "x",
                "must_change_password": n % 2 == 0,
                "created_at": datetime(2026, 3, 1, 8, 30, n, 250, tzinfo=kigali),
                "updated_at": datetime(2026, 3, 1, 6, 30, tzinfo=UTC),
            }
            for n in range(3)
        ]  # active, session_epoch and version left to their defaults
        ours = insert_rows(db.session, User, people, key="email")
        db.session.execute(
            insert(User.__table__), [p | {"email": "sa" + p["email"]} for p in people]
        )
        theirs = [
            i
            for (i,) in db.session.execute(
                text("SELECT id FROM \"user\" WHERE email LIKE 'sa%' ORDER BY id")
            )
        ]
        columns = [c.name for c in User.__table__.columns if c.name not in ("id", "email")]
        assert _stored("user", columns, f"id IN ({', '.join(map(str, ours))})") == _stored(
            "user", columns, f"id IN ({', '.join(map(str, theirs))})"
        )
        roles = [{"user_id": i, "role": Role.COACH} for i in ours]
        insert_rows(db.session, UserRole, roles)
        db.session.execute(
            insert(UserRole.__table__), [{"user_id": i, "role": Role.COACH} for i in theirs]
        )
        for user_id in (ours[0], theirs[0]):
            stored = _stored("user_role", ["role", "user_id"], f"user_id = {user_id}")
            assert stored == [("coach", str(user_id))]
        events = [
            {
                "occurred_at": datetime(2026, 3, 1, 9, 0, tzinfo=kigali),
                "actor_id": None,
                "actor_email": None,
                "action": f"test.{n}",
                "entity_type": "user",
                "entity_id": n,
                "before": None,
                "after": {"name": "Élise", "roles": ["coach"], "n": n},
                "ip": None,
                "user_agent": None,
                "request_id": None,
                "client_request_id": None,
                "source": "cli",
                "prev_hash": "0" * 64,
                "hash": "0" * 64,
            }
            for n in range(2)
        ]
        insert_rows(db.session, AuditEvent, events)
        db.session.execute(
            insert(AuditEvent.__table__), [e | {"action": "sa." + e["action"]} for e in events]
        )
        columns = ["entity_id", "occurred_at", "before", "after", "source"]
        assert _stored("audit_event", columns, "action LIKE 'test.%'") == _stored(
            "audit_event", columns, "action LIKE 'sa.test.%'"
        )
        db.session.rollback()
