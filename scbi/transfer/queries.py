"""The read side of pairings, plans, logs and evidence: who sees what, the scoped
loaders, and the lists and figures of the pages (aggregated in SQL: one query whatever the
page size)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, false, func, or_, select

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches import queries as coach_queries
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.errors import NotFound
from scbi.extensions import db
from scbi.loaders import hidden, load_or_404
from scbi.mentees import queries as mentee_queries
from scbi.mentees.models import Mentee
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    OPEN_STATUSES,
    Evidence,
    Pairing,
    PairingStatus,
    PlanStatus,
    TransferLog,
    TransferPlan,
)
from scbi.transfer.permissions import can_read_log, is_coach_of

SILENT_DAYS = 14


# --- who sees what -------------------------------------------------------------------------


def scope_pairings(query: Select, user: User) -> Select:
    """Pairings ``user`` may see: all, their sectors', or their own as coach or mentee."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = []
    if ids:
        conditions.append(Pairing.sector_id.in_(ids))
    if user.has_role(Role.COACH):
        conditions.append(Pairing.coach_id.in_(select(Coach.id).where(Coach.user_id == user.id)))
    if user.has_role(Role.MENTEE):
        conditions.append(Pairing.mentee_id.in_(select(Mentee.id).where(Mentee.user_id == user.id)))
    return query.where(or_(*conditions) if conditions else false())


@mentee_queries.visibility.answer
def coachees(user: User) -> list:
    """A coach sees the mentees of their pairings, whatever the pairing's state."""
    if not user.has_role(Role.COACH):
        return []
    return [
        Mentee.id.in_(
            select(Pairing.mentee_id)
            .join(Coach, Coach.id == Pairing.coach_id)
            .where(Coach.user_id == user.id)
        )
    ]


@coach_queries.visibility.answer
def own_coaches(user: User) -> list:
    """A mentee sees the coaches of their pairings."""
    if not user.has_role(Role.MENTEE):
        return []
    return [
        Coach.id.in_(
            select(Pairing.coach_id)
            .join(Mentee, Mentee.id == Pairing.mentee_id)
            .where(Mentee.user_id == user.id)
        )
    ]


def pairing_or_404(user: User, pairing_id: int, *, options=()) -> Pairing:
    return load_or_404(
        Pairing, pairing_id, scope=lambda q: scope_pairings(q, user), options=options
    )


def _sees_pairing(user: User, pairing_id: int) -> bool:
    try:
        pairing_or_404(user, pairing_id)
    except NotFound:
        return False
    return True


def plan_or_404(user: User, plan_id: int) -> TransferPlan:
    plan = db.session.get(TransferPlan, plan_id)
    if plan is None or not _sees_pairing(user, plan.pairing_id):
        raise hidden("transfer_plan", plan_id)
    if plan.status == PlanStatus.DRAFT and not is_coach_of(user, plan.pairing):
        raise hidden("transfer_plan", plan_id)  # a draft plan is the coach's until submitted
    return plan


def log_or_404(user: User, log_id: int) -> TransferLog:
    log = db.session.get(TransferLog, log_id)
    if log is None or not can_read_log(user, log) or not _sees_pairing(user, log.pairing_id):
        raise hidden("transfer_log", log_id)
    return log


def evidence_or_404(user: User, evidence_id: int) -> Evidence:
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None:
        raise hidden("evidence", evidence_id)
    try:
        log_or_404(user, evidence.log_id)
    except NotFound:
        raise hidden("evidence", evidence_id) from None
    return evidence


# --- figures -------------------------------------------------------------------------------


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


def pairings_of(user: User, *, coach: Coach | None = None, mentee: Mentee | None = None):
    """The pairings of a coach or a mentee that ``user`` may see, open ones first."""
    query = select(Pairing)
    if coach is not None:
        query = query.where(Pairing.coach_id == coach.id)
    if mentee is not None:
        query = query.where(Pairing.mentee_id == mentee.id)
    return db.session.scalars(
        scope_pairings(query, user).order_by(Pairing.status, Pairing.start_date.desc())
    ).all()


def active_pairings_per_sector() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Pairing.sector_id, func.count())
            .where(Pairing.status == PairingStatus.ACTIVE.value)
            .group_by(Pairing.sector_id)
        ).all()
    )


@coach_queries.active_mentees.answer
def _active_mentees(coach_ids: list[int]) -> dict[int, int]:
    return active_pairing_counts(coach_ids)


@mentee_queries.list_filters.answer
def _unpaired() -> list:
    return [
        mentee_queries.ListFilter(
            "unpaired",
            _l("Only mentees without a coach"),
            Mentee.id.not_in(
                select(Pairing.mentee_id).where(
                    Pairing.status.in_([s.value for s in OPEN_STATUSES])
                )
            ),
        )
    ]


@coach_queries.activity.answer
def _follow_up(coach_query) -> list[tuple]:
    return [
        (coach, last, minutes / 60, active, is_silent(last, active))
        for coach, last, minutes, active in db.session.execute(coach_activity(coach_query))
    ]
