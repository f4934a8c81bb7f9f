"""Reads about pairings and logs, aggregated in SQL (one query whatever the page size)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select

from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.extensions import db
from scbi.transfer.models import COUNTED_LOG_STATUSES, Pairing, PairingStatus, TransferLog

SILENT_DAYS = 14


def active_pairing_counts(coach_ids: list[int]) -> dict[int, int]:
    """Active pairings per coach, for the given coaches."""
    if not coach_ids:
        return {}
    rows = db.session.execute(
        select(Pairing.coach_id, func.count())
        .where(Pairing.coach_id.in_(coach_ids), Pairing.status == PairingStatus.ACTIVE.value)
        .group_by(Pairing.coach_id)
    )
    return dict(rows.all())


def coach_activity(coach_query):
    """Per active coach of ``coach_query``: last activity logged (out of draft), hours
    acknowledged in the last 30 days, active pairings, and whether they are silent."""
    since = today() - timedelta(days=30)
    coach_ids = (
        coach_query.with_only_columns(Coach.id)
        .where(Coach.status == CoachStatus.ACTIVE.value)
        .subquery()
    )
    last = (
        select(
            Pairing.coach_id.label("coach_id"),
            func.max(TransferLog.activity_date).label("last_date"),
        )
        .join(TransferLog, TransferLog.pairing_id == Pairing.id)
        .where(TransferLog.status != "draft")
        .group_by(Pairing.coach_id)
        .subquery()
    )
    hours = (
        select(Pairing.coach_id.label("coach_id"), func.sum(TransferLog.minutes).label("minutes"))
        .join(TransferLog, TransferLog.pairing_id == Pairing.id)
        .where(
            TransferLog.status.in_([s.value for s in COUNTED_LOG_STATUSES]),
            TransferLog.activity_date >= since,
        )
        .group_by(Pairing.coach_id)
        .subquery()
    )
    active = (
        select(Pairing.coach_id.label("coach_id"), func.count().label("n"))
        .where(Pairing.status == PairingStatus.ACTIVE.value)
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


def pairing_progress(pairing_ids: list[int]) -> dict[int, dict]:
    """Per pairing: the plan's state, hours acknowledged, logs waiting, last activity.

    Three grouped queries whatever the number of pairings.
    """
    from scbi.transfer.models import LogStatus, TransferPlan

    if not pairing_ids:
        return {}
    result = {i: {"plan": None, "hours": 0.0, "waiting": 0, "last": None} for i in pairing_ids}
    for pairing_id, status in db.session.execute(
        select(TransferPlan.pairing_id, TransferPlan.status)
        .where(TransferPlan.pairing_id.in_(pairing_ids), TransferPlan.status != "superseded")
        .order_by(TransferPlan.number)
    ):
        result[pairing_id]["plan"] = status  # the newest plan's state wins
    counted = [s.value for s in COUNTED_LOG_STATUSES]
    for pairing_id, minutes, waiting, last in db.session.execute(
        select(
            TransferLog.pairing_id,
            func.sum(case((TransferLog.status.in_(counted), TransferLog.minutes), else_=0)),
            func.sum(case((TransferLog.status == LogStatus.SUBMITTED.value, 1), else_=0)),
            func.max(TransferLog.activity_date),
        )
        .where(TransferLog.pairing_id.in_(pairing_ids), TransferLog.status != "draft")
        .group_by(TransferLog.pairing_id)
    ):
        result[pairing_id].update(hours=(minutes or 0) / 60, waiting=waiting or 0, last=last)
    return result
