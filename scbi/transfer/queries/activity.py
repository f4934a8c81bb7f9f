"""Coaches' activity, for the follow-up page: who logs, how much, and who has gone silent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

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


def coach_activity(coach_query):
    """Per active coach of ``coach_query``: last activity logged (out of draft), hours
    acknowledged in the last 30 days, active pairings, and whether they are silent."""
    since = today() - timedelta(days=30)
    coach_ids = (
        coach_query.with_only_columns(Coach.id).where(Coach.status == CoachStatus.ACTIVE).subquery()
    )
    last = (
        select(
            Pairing.coach_id.label("coach_id"),
            func.max(TransferLog.activity_date).label("last_date"),
        )
        .join(TransferLog, TransferLog.pairing_id == Pairing.id)
        .where(TransferLog.status != LogStatus.DRAFT)
        .group_by(Pairing.coach_id)
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
        .where(Coach.id.in_(select(coach_ids.c.id)))
        .outerjoin(last, last.c.coach_id == Coach.id)
        .outerjoin(hours, hours.c.coach_id == Coach.id)
        .outerjoin(active, active.c.coach_id == Coach.id)
        .order_by(last.c.last_date.is_(None).desc(), last.c.last_date, Coach.id)
    )


def is_silent(last_date, active_pairings: int) -> bool:
    """A coach with active pairings and no log for more than 14 days."""
    return active_pairings > 0 and (
        last_date is None or last_date < today() - timedelta(days=SILENT_DAYS)
    )


@coach_queries.activity.answer
def _follow_up(coach_query) -> list[tuple]:
    return [
        (coach, last, minutes / 60, active, is_silent(last, active))
        for coach, last, minutes, active in db.session.execute(coach_activity(coach_query))
    ]
