"""What the reports read instead of the logs' whole history, kept derived and rebuildable.

A log's ``first_submitted_at`` (its first "submitted" event) and ``acknowledged_at`` (its
"acknowledged" event; an acknowledged log never changes) are written by the log services
in the same transaction as the event, with the event's own time. The history stays the
source: :func:`log_time_drift` counts the logs whose columns differ from it (the suite and
``flask --app wsgi scbi derived --check`` run it), :func:`rebuild_log_times` writes them
again from it (the migration that added them, and ``scbi derived --rebuild``).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select, update

from scbi.extensions import db
from scbi.transfer.models import LogEvent, TransferLog


def _first(action: str, aggregate):
    return (
        select(aggregate(LogEvent.at))
        .where(LogEvent.log_id == TransferLog.id, LogEvent.action == action)
        .correlate(TransferLog)
        .scalar_subquery()
    )


def _from_history():
    return {
        "first_submitted_at": _first("submitted", func.min),
        "acknowledged_at": _first("acknowledged", func.max),
    }


def _drifted():
    history = _from_history()
    return or_(*(getattr(TransferLog, name).is_distinct_from(history[name]) for name in history))


def log_time_drift() -> int:
    """The number of logs whose derived times differ from their history (0 when kept)."""
    return db.session.scalar(select(func.count()).select_from(TransferLog).where(_drifted()))


def rebuild_log_times() -> int:
    """Write the derived times of the logs that differ from their history; how many."""
    changed = db.session.execute(
        update(TransferLog).where(_drifted()).values(**_from_history()),
        execution_options={"synchronize_session": False},
    )
    return changed.rowcount
