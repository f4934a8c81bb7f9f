"""Coaches' activity, for the follow-up page: who logs, how much, and who has gone silent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from scbi.coaches import queries as coach_queries
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.extensions import db
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    LogStatus,
    Pairing,
    PairingStatus,
    TransferLog,
)

SILENT_DAYS = 14


def last_log_date(coach_id, up_to: date | None = None):
    """The activity date of the newest log sent (out of draft) of the coach ``coach_id``
    (a column of the enclosing query), on or before ``up_to`` if given, as a scalar
    subquery (NULL: none yet). Read per pairing from the end of
    ``ix_transfer_log_pairing_date`` (one probe a pairing of that coach), never by grouping
    every coach's logs."""
    theirs = aliased(Pairing)
    conditions = [TransferLog.pairing_id == theirs.id, TransferLog.status != LogStatus.DRAFT]
    if up_to is not None:
        conditions.append(TransferLog.activity_date <= up_to)
    newest = (
        select(TransferLog.activity_date)
        .where(*conditions)
        .order_by(TransferLog.activity_date.desc())
        .limit(1)
        .correlate(theirs)
        .scalar_subquery()
    )
    return select(func.max(newest)).where(theirs.coach_id == coach_id).scalar_subquery()


def silent_since() -> date:
    """A coach whose newest log is older than this (or who has none) is silent."""
    return today() - timedelta(days=SILENT_DAYS)


def coach_activity(coach_query):
    """Per active coach of ``coach_query``: last activity logged (out of draft), hours
    acknowledged in the last 30 days, active pairings, and whether they are silent."""
    since = today() - timedelta(days=30)
    coach_ids = (
        coach_query.with_only_columns(Coach.id).where(Coach.status == CoachStatus.ACTIVE).subquery()
    )
    last = (
        select(Coach.id.label("coach_id"), last_log_date(Coach.id).label("last_date"))
        .where(Coach.id.in_(select(coach_ids.c.id)))
        .subquery()
    )
    hours = (
        select(Pairing.coach_id.label("coach_id"), func.sum(TransferLog.minutes).label("minutes"))
        .join(TransferLog, TransferLog.pairing_id == Pairing.id)
        .where(
            TransferLog.status.in_(COUNTED_LOG_STATUSES),
            TransferLog.activity_date >= since,
        )
        .group_by(Pairing.coach_id)
        .subquery()
    )
    active = (
        select(Pairing.coach_id.label("coach_id"), func.count().label("n"))
        .where(Pairing.status == PairingStatus.ACTIVE)
        .group_by(Pairing.coach_id)
        .subquery()
    )
    return (
        select(
            Coach, last.c.last_date, func.coalesce(hours.c.minutes, 0), func.coalesce(active.c.n, 0)
        )
        .join(last, last.c.coach_id == Coach.id)
        .outerjoin(hours, hours.c.coach_id == Coach.id)
        .outerjoin(active, active.c.coach_id == Coach.id)
        .order_by(last.c.last_date.is_(None).desc(), last.c.last_date, Coach.id)
    )


def is_silent(last_date, active_pairings: int) -> bool:
    """A coach with active pairings and no log for more than 14 days."""
    return active_pairings > 0 and (last_date is None or last_date < silent_since())


@coach_queries.activity.answer
def _follow_up(coach_query) -> list[tuple]:
    return [
        (coach, last, minutes / 60, active, is_silent(last, active))
        for coach, last, minutes, active in db.session.execute(coach_activity(coach_query))
    ]
