"""Issue 11, finding 9: the audit trail is tamper-evident. Every event is chained to the one
before it by a hash, `scbi audit-verify` walks the chain and names the first broken link,
and concurrent writers never fork it."""

from __future__ import annotations

import importlib.util
import itertools
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from scbi import audit
from scbi.audit import AuditChainHead, AuditEvent
from scbi.audit.chain import GENESIS, canonical, link, verify
from scbi.extensions import db
from tests.helpers import api_token, login

MIGRATION = Path(__file__).resolve().parent.parent / "migrations/versions/0010_audit_chain.py"


def write_events(app, n: int = 3) -> list[int]:
    with app.app_context():
        events = [
            audit.record(f"test.event{i}", entity=("user", i), after={"n": i, "t": "é"})
            for i in range(n)
        ]
        db.session.commit()
        ids = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(n))
        assert len(events) == n
        return sorted(ids)


def audit_verify(app):
    return app.test_cli_runner().invoke(args=["scbi", "audit-verify"])


@contextmanager
def behind_the_triggers(app):
    """A connection on which the append-only triggers do not fire, as an attacker with
    the schema owner's rights would have (PostgreSQL: replica mode for this transaction;
    SQLite: the triggers dropped, then made again)."""
    with app.app_context(), db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            yield conn
            return
        conn.execute(text("DROP TRIGGER audit_event_no_update"))
        conn.execute(text("DROP TRIGGER audit_event_no_delete"))
        yield conn
        for event in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON "
                    "audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
                )
            )


def test_finding9_each_event_is_chained_to_the_one_before(app, client, make_user):
    api_token(client, make_user("coach"))  # auth.login and token.issue, through the app
    write_events(app)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        head = db.session.get(AuditChainHead, 1)
        assert len(events) == 5
        assert events[0].prev_hash == GENESIS
        for before, event in itertools.pairwise(events):
            assert event.prev_hash == before.hash
        for event in events:
            assert event.hash == link(event.prev_hash, vars(event))
        assert (head.event_id, head.hash) == (events[-1].id, events[-1].hash)
        assert verify(db.session).ok


def test_finding9_audit_verify_passes_an_intact_trail_and_prints_its_head(app):
    write_events(app)
    result = audit_verify(app)
    assert result.exit_code == 0, result.output
    with app.app_context():
        last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert "3 events" in result.output
    assert last.hash in result.output


def test_finding9_audit_verify_passes_an_empty_trail(app):
    result = audit_verify(app)
    assert result.exit_code == 0, result.output
    assert "0 events" in result.output


def test_finding9_an_event_changed_behind_the_triggers_is_named(app):
    _first, second, _third = write_events(app)
    with behind_the_triggers(app) as conn:
        conn.execute(
            text("UPDATE audit_event SET actor_email = 'someone@else.org' WHERE id = :id"),
            {"id": second},
        )
    result = audit_verify(app)
    assert result.exit_code == 1
    assert f"event {second} (test.event1) no longer matches its hash" in result.output


def test_finding9_a_removed_event_breaks_the_link_of_the_next(app):
    first, second, third = write_events(app)
    with behind_the_triggers(app) as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": second})
    result = audit_verify(app)
    assert result.exit_code == 1
    assert f"event {third} does not follow event {first}" in result.output


def test_finding9_a_rewritten_hash_breaks_the_next_link(app):
    """An event changed with its hash recomputed: the next event no longer follows it."""
    _first, second, third = write_events(app)
    with app.app_context():
        event = db.session.get(AuditEvent, second)
        forged = vars(event) | {"action": "test.forged"}
        forged_hash = link(event.prev_hash, forged)
    with behind_the_triggers(app) as conn:
        conn.execute(
            text("UPDATE audit_event SET action = 'test.forged', hash = :h WHERE id = :id"),
            {"h": forged_hash, "id": second},
        )
    result = audit_verify(app)
    assert result.exit_code == 1
    assert f"event {third} does not follow event {second}" in result.output


def test_finding9_events_removed_from_the_end_show_at_the_head(app):
    _first, second, third = write_events(app)
    with behind_the_triggers(app) as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": third})
    result = audit_verify(app)
    assert result.exit_code == 1
    assert f"head says it ends at event {third}, but the last event is {second}" in (result.output)


def test_finding9_a_rolled_back_transaction_writes_no_event_and_keeps_the_chain(app):
    write_events(app, 1)
    with app.app_context():
        audit.record("test.rolled_back")
        db.session.rollback()
        db.session.commit()
        assert db.session.scalars(select(AuditEvent.action)).all() == ["test.event0"]
    write_events(app, 1)
    assert audit_verify(app).exit_code == 0


def test_finding9_concurrent_writers_do_not_fork_the_chain(app):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with app.app_context():
                for i in range(8):
                    audit.record("test.concurrent", entity=("user", n), after={"i": i})
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        verdict = verify(db.session)
        assert verdict.ok, verdict.reason
        assert verdict.events == 32


def test_finding9_the_canonical_form_is_the_migrations_and_fixed(app):
    """Migration 0009 chains existing events with its own copy of the canonical form."""
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    values = {
        "occurred_at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "actor_id": 7,
        "actor_email": "a@b.org",
        "action": "log.update",
        "entity_type": "transfer_log",
        "entity_id": 9,
        "before": {"b": 1, "a": ["x", None]},
        "after": {"title": "Łódź"},
        "ip": "127.0.0.1",
        "user_agent": None,
        "request_id": "0123456789abcdef",
        "client_request_id": "ref-1",
        "source": "api",
    }
    assert migration.canonical(values) == canonical(values)
    assert migration.link(GENESIS, values) == link(GENESIS, values)
    naive = values | {"occurred_at": datetime(2026, 1, 2, 3, 4, 5, 6)}  # SQLite's reading
    assert canonical(naive) == canonical(values)
    assert canonical(values) == (
        b'{"action":"log.update","actor_email":"a@b.org","actor_id":7,'
        b'"after":{"title":"\\u0141\\u00f3d\\u017a"},"before":{"a":["x",null],"b":1},'
        b'"client_request_id":"ref-1","entity_id":9,"entity_type":"transfer_log",'
        b'"ip":"127.0.0.1","occurred_at":"2026-01-02T03:04:05.000006Z",'
        b'"request_id":"0123456789abcdef","source":"api","user_agent":null}'
    )


def test_finding9_numbers_that_are_not_integers_are_recorded_as_text(app):
    from decimal import Decimal

    with app.app_context():
        event = audit.record("test.numbers", after={"hours": Decimal("1.25"), "f": 0.1})
        db.session.commit()
        assert event.after == {"hours": "1.25", "f": "0.1"}
    assert audit_verify(app).exit_code == 0


def test_finding9_sign_in_through_the_web_keeps_the_chain(app, client, make_user):
    user = make_user("mentee")
    login(client, user, password="a wrong password here")
    login(client, user)
    assert audit_verify(app).exit_code == 0


def test_finding9_a_missing_head_is_reported(app):
    write_events(app, 2)
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_chain_head"))
    result = audit_verify(app)
    assert result.exit_code == 1
    assert "head record (audit_chain_head) is missing" in result.output
