"""Who sees which pairing, plan, log and evidence: the scope filters and the scoped loaders.

A record outside the user's scope looks exactly like a missing one (scbi/loaders.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, false, or_, select, true

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches import queries as coach_queries
from scbi.coaches.models import Coach
from scbi.errors import NotFound
from scbi.extensions import db
from scbi.loaders import hidden, load_or_404
from scbi.mentees import queries as mentee_queries
from scbi.mentees.models import Mentee
from scbi.sql import not_driving
from scbi.transfer.models import Evidence, LogStatus, Pairing, TransferLog, TransferPlan
from scbi.transfer.permissions import can_read_plan


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


def in_pairings(column, pairings: Select, *, sector_wide: bool):
    """``column`` (a pairing id) names one of ``pairings``. A sector's pairings hold a good
    share of all logs: a list then walks its own order's index and keeps the rows in the
    set (``not_driving``), rather than reading and sorting every log of those pairings to
    show 25; a person's few pairings drive the read."""
    return (not_driving(column) if sector_wide else column).in_(pairings)


def _in_scope(column, user: User):
    """``column`` (a pairing id) names a pairing ``user`` may see (anything, for those who
    see every pairing: no IN over all of them, which would steer the planner off the
    index the lists page by)."""
    ids = managed_sector_ids(user)
    if ids is None:
        return true()
    return in_pairings(column, scope_pairings(select(Pairing.id), user), sector_wide=bool(ids))


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


def plan_or_404(user: User, plan_id: int) -> TransferPlan:
    """A plan of a pairing ``user`` sees; a draft only to the pairing's coach
    (permissions.can_read_plan)."""
    plan = load_or_404(
        TransferPlan, plan_id, scope=lambda q: q.where(_in_scope(TransferPlan.pairing_id, user))
    )
    if not can_read_plan(user, plan):
        raise hidden(TransferPlan.__tablename__, plan_id)
    return plan


def _visible_log(user: User):
    """The SQL of permissions.can_read_log, and the pairing in scope: a draft is its
    author's own until submitted; after that, whoever sees the pairing reads it."""
    return _in_scope(TransferLog.pairing_id, user) & or_(
        TransferLog.status != LogStatus.DRAFT, TransferLog.author_id == user.id
    )


def visible_logs(user: User) -> Select:
    """Logs of the pairings ``user`` sees; drafts only to their author."""
    return select(TransferLog).where(_visible_log(user))


def logs_by_id(user: User, log_ids: Iterable[int]) -> list[TransferLog]:
    """Those of ``log_ids`` ``user`` may read (the others are as if they did not exist),
    with their pairings, in one query."""
    ids = set(log_ids)
    if not ids:
        return []
    return list(db.session.scalars(visible_logs(user).where(TransferLog.id.in_(ids))))


def readable_log_ids(user: User, log_ids: Iterable[int]) -> set[int]:
    """Which of ``log_ids`` ``user`` may read, and so open the evidence of (the rule of
    ``log_or_404`` and ``evidence_or_404``), in one query."""
    ids = set(log_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(TransferLog.id).where(TransferLog.id.in_(ids), _visible_log(user))
        )
    )


def log_or_404(user: User, log_id: int) -> TransferLog:
    return load_or_404(TransferLog, log_id, scope=lambda q: q.where(_visible_log(user)))


def session_logs_or_404(user: User, session_id: int) -> list[TransferLog]:
    """The logs of a group session that ``user`` may read (a mentee: their own), in
    order; NotFound when there is none."""
    logs = list(
        db.session.scalars(
            select(TransferLog)
            .where(TransferLog.session_id == session_id, _visible_log(user))
            .order_by(TransferLog.id)
        )
    )
    if not logs:
        raise NotFound
    return logs


def evidence_or_404(user: User, evidence_id: int) -> Evidence:
    """Evidence of a log ``user`` may read."""
    return load_or_404(
        Evidence,
        evidence_id,
        scope=lambda q: q.join(TransferLog, TransferLog.id == Evidence.log_id).where(
            _visible_log(user)
        ),
    )
