"""The counted logs of each pairing by calendar month, kept as the table ``log_month``
(issue 13).

The value-for-money section divides what coaching has cost since the programme began by
the hours acknowledged since then: summing them from the logs reads every counted log
ever written (850,000 of a million for the programme overview). The months before the
as-of date's month are read from this table instead, the rest from the logs. Like
``level_change``, it is derived and never edited by hand:

- **in the same transaction** as what changes it: after each flush that writes a log that
  is counted (acknowledged or verified) or was, the months of the pairings it touches are
  computed again from their logs (:func:`refresh`), so a rolled-back request leaves
  nothing behind; a draft, a submission or a dispute costs nothing;
- **checked**: :func:`drift` compares the table with a recomputation of everything
  (``flask --app wsgi scbi derived``; the suite);
- **rebuildable**: :func:`rebuild` writes it again from the logs (``scbi derived
  --rebuild``, the migration that made it, and the benchmark's generator, whose bulk
  inserts no flush sees).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlalchemy import (
    and_,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from scbi import derived
from scbi.sql import batches, month_of
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    LogMonth,
    MenteeRole,
    Pairing,
    TransferLog,
)

COLUMNS = ("pairing_id", "month", "logs", "minutes", "led_minutes")


def month_key(day: date) -> str:
    """The table's month of ``day`` (``YYYY-MM``, as ``scbi.sql.month_of`` writes it)."""
    return f"{day:%Y-%m}"


def _bounds(key: str) -> tuple[date, date]:
    """The first day of the month ``key`` and of the month after it."""
    first = date(int(key[:4]), int(key[5:7]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def months(keys=None):
    """The table's rows computed from the logs, as a SELECT of :data:`COLUMNS`: every
    pairing's months, or those of ``keys`` (``(pairing_id, "YYYY-MM")`` pairs), each read
    as a range of the pairing's logs by date (their index)."""
    month = month_of(TransferLog.activity_date)
    led = case((TransferLog.mentee_role == MenteeRole.LED, TransferLog.minutes), else_=0)
    query = (
        select(
            TransferLog.pairing_id,
            month.label("month"),
            func.count().label("logs"),
            func.sum(TransferLog.minutes).label("minutes"),
            func.sum(led).label("led_minutes"),
        )
        .where(TransferLog.status.in_(COUNTED_LOG_STATUSES))
        .group_by(TransferLog.pairing_id, month)
    )
    if keys is None:
        return query
    ranges = []
    for pairing_id, key in keys:
        first, following = _bounds(key)
        ranges.append(
            and_(
                TransferLog.pairing_id == pairing_id,
                TransferLog.activity_date >= first,
                TransferLog.activity_date < following,
            )
        )
    return query.where(or_(*ranges))


def refresh(connection, keys) -> None:
    """Compute the months ``keys`` (``(pairing_id, "YYYY-MM")`` pairs) again from their
    logs: a month without counted logs leaves no row. On PostgreSQL the pairings' rows are
    locked first, so two transactions counting logs of one pairing at once compute in
    turn, the second seeing the first's log (SQLite has one writer at a time anyway)."""
    keys = sorted(set(keys))
    if connection.dialect.name == "postgresql":
        pairings = sorted({pairing_id for pairing_id, _month in keys})
        connection.execute(
            select(Pairing.id)
            .where(Pairing.id.in_(pairings))
            .order_by(Pairing.id)
            # NO KEY UPDATE: refreshes wait for each other, not for a transaction that
            # has just added a row pointing at the pairing (a log, a plan)
            .with_for_update(key_share=True)
        )
    for batch in batches(keys, 200):
        key = tuple_(LogMonth.pairing_id, LogMonth.month)
        connection.execute(delete(LogMonth).where(key.in_(batch)))
        connection.execute(insert(LogMonth).from_select(list(COLUMNS), months(batch)))


def rebuild() -> int:
    """Write the whole table again from the logs; the number of months."""
    return derived.rebuild(LogMonth, COLUMNS, months())


def drift() -> int:
    """Rows that differ between the table and a recomputation of everything (0 when kept)."""
    return derived.drift(LogMonth, COLUMNS, months())


@event.listens_for(Session, "after_flush")
def _keep_log_months(session, _context) -> None:
    """After a flush (whose lists still show what it wrote): the months of the logs whose
    part in them changed — counted or no longer, moved to another day or pairing (its old
    month too), another length or role — computed again. A verification, which leaves a
    counted log counted, a draft, a submission and a dispute change nothing here and
    lock nothing."""
    keys: set[tuple[int, str]] = set()
    new, deleted = set(session.new), set(session.deleted)
    for obj in (*new, *deleted, *session.dirty):
        if not isinstance(obj, TransferLog):
            continue
        state = inspect(obj)
        before = None if obj in new else _part(partial(_old, state))
        after = None if obj in deleted else _part(partial(getattr, obj))
        if before != after:
            keys.update(part[:2] for part in (before, after) if part is not None)
    if keys:
        refresh(session.connection(), keys)


def _old(state, name: str):
    """A log's value of ``name`` before the flush (``active_history`` keeps it)."""
    history = state.attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(state.obj(), name)


def _part(value) -> tuple | None:
    """What a log adds to its month, read through ``value(name)``: its pairing and month,
    minutes and role when it is counted, else None."""
    if value("status") not in COUNTED_LOG_STATUSES:
        return None
    day, pairing_id = value("activity_date"), value("pairing_id")
    if day is None or pairing_id is None:
        return None
    return pairing_id, month_key(day), value("minutes"), value("mentee_role")
