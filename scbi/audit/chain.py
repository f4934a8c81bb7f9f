"""The audit trail's hash chain: each event carries the hash of the one before it.

``hash = SHA-256(prev_hash + "\\n" + canonical content)``, the first event's ``prev_hash``
being 64 zeros. The canonical content is the same bytes on SQLite and PostgreSQL: the
event's columns (all but ``id`` and the two hashes) as JSON with sorted keys, no spaces
and ASCII escapes; the timestamp in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; ids as
integers; ``before``/``after`` as stored (their numbers are integers, anything else is text:
see ``scbi.audit._jsonable``). Migration 0009 carries a copy of :func:`canonical` (revisions
stand alone); tests/test_audit_chain.py checks that the two agree.

Writers serialise on one row, ``audit_chain_head`` (the chain's last event and hash): the
commit that writes events first updates that row, which takes PostgreSQL's row lock and
SQLite's write lock, so two transactions never chain onto the same event. Event ids are
handed out after that lock, so the chain runs in id order.

The chain shows a change made behind the append-only triggers' back (a dropped trigger, a
superuser's UPDATE); someone able to rewrite every later event and the head could forge it
anew, which is why ``audit-verify`` prints the head's hash: note it outside the database
(docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from scbi.audit.models import AuditChainHead, AuditEvent
from scbi.database import insert_rows

GENESIS = "0" * 64
FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_email",
    "action",
    "entity_type",
    "entity_id",
    "before",
    "after",
    "ip",
    "user_agent",
    "request_id",
    "client_request_id",
    "source",
)
BATCH = 1000


def canonical(values: Mapping) -> bytes:
    """The event's content as the chain hashes it (``values`` maps FIELDS to values)."""
    content = {name: values[name] for name in FIELDS}
    content["occurred_at"] = _timestamp(content["occurred_at"])
    for name in ("actor_id", "entity_id"):
        if content[name] is not None:
            content[name] = int(content[name])
    return _CANONICAL.encode(content).encode("ascii")


# one encoder for every event (json.dumps with these options would make one a call)
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
)


@lru_cache(maxsize=64)  # a batch's events share their time
def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:  # stored in UTC without a zone (SQLite)
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link(prev_hash: str, values: Mapping) -> str:
    """The hash of an event whose predecessor's hash is ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(values)).hexdigest()


# --- writing -------------------------------------------------------------------------------

_head = AuditChainHead.__table__


def _lock_head(session: Session) -> tuple[int | None, str]:
    """The chain's last event id and hash, with the head row locked until commit."""
    lock = (
        update(_head)
        .where(_head.c.id == 1)
        .values(event_id=_head.c.event_id)
        .returning(_head.c.event_id, _head.c.hash)
    )
    row = session.execute(lock).first()
    if row is None:  # a new database (or one restored without events): the head starts
        last = session.execute(
            select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).first()
        start = {"id": 1, "event_id": None, "hash": GENESIS}
        if last is not None:
            start.update(event_id=last.id, hash=last.hash or GENESIS)
        session.execute(_insert_ignoring_conflict(session).values(**start))
        row = session.execute(lock).first()
    return row.event_id, row.hash


def _insert_ignoring_conflict(session: Session):
    """An INSERT of the head row that a concurrent first writer may already have made."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(_head).on_conflict_do_nothing(index_elements=["id"])
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(_head).on_conflict_do_nothing(index_elements=["id"])
    return insert(_head)


def append(session: Session, events: list) -> None:
    """Chain ``events`` (in order; objects with the FIELDS as attributes) onto the trail
    and write them, one row a statement in one round of statements, the last returning its
    id; called at commit.

    Each row's id is the next one (no other writer holds the head), in the events' order,
    so the last written is the new head."""
    _last_id, prev = _lock_head(session)
    rows = []
    for event in events:
        row = vars(event)
        row["prev_hash"] = prev
        row["hash"] = prev = link(prev, row)
        rows.append(row)
    table = AuditEvent.__table__
    if len(rows) > 1:
        insert_rows(session, AuditEvent, rows[:-1])
    last_id = session.scalar(insert(table).values(rows[-1]).returning(table.c.id))
    session.execute(update(_head).where(_head.c.id == 1).values(event_id=last_id, hash=prev))


# --- verifying -----------------------------------------------------------------------------


@dataclass
class Verdict:
    """What a walk of the chain found: the events read, and the first broken link."""

    events: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.reason


def verify(session: Session) -> Verdict:
    """Walk the trail in id order; stop at the first event whose link does not hold."""
    verdict = Verdict()
    columns = [getattr(AuditEvent, name) for name in FIELDS]
    query = select(AuditEvent.id, AuditEvent.prev_hash, AuditEvent.hash, *columns).order_by(
        AuditEvent.id
    )
    expected, previous_id = GENESIS, None
    for row in session.execute(query.execution_options(yield_per=BATCH)):
        values = row._mapping
        if row.hash is None or row.prev_hash is None:
            return _broken(
                verdict,
                row.id,
                f"event {row.id} has no hash: it was written outside the application.",
            )
        if row.prev_hash != expected:
            after = f"event {previous_id}" if previous_id is not None else "the start"
            return _broken(
                verdict,
                row.id,
                f"event {row.id} does not follow {after}: an event there was removed, "
                "inserted or changed (with its hash) after it was written.",
            )
        if link(row.prev_hash, values) != row.hash:
            return _broken(
                verdict,
                row.id,
                f"event {row.id} ({row.action}) no longer matches its hash: it was changed "
                "after it was written.",
            )
        expected, previous_id = row.hash, row.id
        verdict.events += 1
    verdict.head_id, verdict.head_hash = previous_id, expected
    head = session.execute(select(_head.c.event_id, _head.c.hash).where(_head.c.id == 1)).first()
    if head is None:
        if previous_id is not None:
            verdict.reason = "the chain's head record (audit_chain_head) is missing."
    elif (head.event_id, head.hash) != (previous_id, expected):
        verdict.broken_at = head.event_id
        verdict.reason = (
            f"the chain's head says it ends at event {head.event_id}, but the last event is "
            f"{previous_id}: events at the end were removed, or the head was changed."
        )
    return verdict


def _broken(verdict: Verdict, event_id: int, reason: str) -> Verdict:
    verdict.broken_at, verdict.reason = event_id, reason
    return verdict
