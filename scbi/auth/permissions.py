"""Authorisation in two layers: ``role_required`` on routes, and object rules here.

``can_*(user, obj)`` are small pure functions; ``*_or_404(user, id)`` loaders return the
object only when the user may see it, and raise NotFound otherwise, so a record that is
not yours looks exactly like one that does not exist. Their NotFound names the record
asked for, so the refusal is audited (``access.denied``, scbi/errors.py) whether the record
exists or not. ``scope_*(query, user)`` filter lists the same way, so lists, filters,
detail pages and the API agree.
"""

from __future__ import annotations

from functools import wraps

from flask_login import login_required
from sqlalchemy import Select, false, select

from scbi.actor import acting_user
from scbi.auth.models import Role, User
from scbi.errors import NotAllowed, NotAuthenticated, NotFound
from scbi.extensions import db


def role_required(*roles: Role):
    """Refuse (403) a signed-in user holding none of ``roles``; anonymous users sign in."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require_roles(roles)
            return view(*args, **kwargs)

        wrapped.roles = frozenset(roles)
        # Anonymous web users are sent to the sign-in page rather than shown a 401.
        return wrapped if view.__module__.startswith("scbi.api") else login_required(wrapped)

    return decorator


def require_roles(roles) -> None:
    """Refuse an anonymous caller (401) or one holding none of ``roles`` (403)."""
    user = acting_user()
    if not user.is_authenticated:
        raise NotAuthenticated
    if not user.has_role(*roles):
        raise NotAllowed


SIGNED_IN = tuple(Role)  # role_required(*SIGNED_IN): any signed-in user


# --- sectors -------------------------------------------------------------------------------


def managed_sector_ids(user: User) -> set[int] | None:
    """Sectors ``user`` manages: None means all (secretariat); a set for a coordinator."""
    if user.has_role(Role.SECRETARIAT):
        return None
    if user.has_role(Role.COORDINATOR):
        return {s.id for s in user.sectors}
    return set()


def can_manage_sector(user: User, sector_id: int | None) -> bool:
    ids = managed_sector_ids(user)
    return ids is None or (sector_id is not None and sector_id in ids)


def can_configure(user: User) -> bool:
    """Programme configuration (phases, sectors, institutions, frameworks): secretariat."""
    return user.has_role(Role.SECRETARIAT)


def can_manage_users(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT)


def hidden(table: str, ident: int) -> NotFound:
    """The 404 of a scoped loader: missing or not visible, naming the record asked for."""
    return NotFound(entity=(table, ident))


def user_or_404(user: User, user_id: int) -> User:
    """An account, for the secretariat only (others never learn whether it exists)."""
    target = db.session.get(User, user_id)
    if target is None or not can_manage_users(user):
        raise hidden("user", user_id)
    return target


# --- people and pairings -------------------------------------------------------------------


def scope_pairings(query: Select, user: User) -> Select:
    """Pairings ``user`` may see: all, their sectors', or their own as coach or mentee."""
    from scbi.coaches.models import Coach
    from scbi.mentees.models import Mentee
    from scbi.transfer.models import Pairing

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
    return query.where(_any(conditions))


def scope_mentees(query: Select, user: User) -> Select:
    """Mentees ``user`` may see: their sectors', their own coachees (any pairing), or self."""
    from scbi.coaches.models import Coach
    from scbi.mentees.models import Mentee
    from scbi.transfer.models import Pairing

    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = []
    if ids:
        conditions.append(Mentee.sector_id.in_(ids))
    if user.has_role(Role.COACH):
        conditions.append(
            Mentee.id.in_(
                select(Pairing.mentee_id)
                .join(Coach, Coach.id == Pairing.coach_id)
                .where(Coach.user_id == user.id)
            )
        )
    if user.has_role(Role.MENTEE):
        conditions.append(Mentee.user_id == user.id)
    return query.where(_any(conditions))


def scope_coaches(query: Select, user: User) -> Select:
    """Coaches ``user`` may see: their sectors', themself, or the coaches of their pairings."""
    from scbi.coaches.models import Coach
    from scbi.mentees.models import Mentee
    from scbi.transfer.models import Pairing

    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = []
    if ids:
        conditions.append(Coach.sector_id.in_(ids))
    if user.has_role(Role.COACH):
        conditions.append(Coach.user_id == user.id)
    if user.has_role(Role.MENTEE):
        conditions.append(
            Coach.id.in_(
                select(Pairing.coach_id)
                .join(Mentee, Mentee.id == Pairing.mentee_id)
                .where(Mentee.user_id == user.id)
            )
        )
    return query.where(_any(conditions))


def _any(conditions):
    from sqlalchemy import or_

    return or_(*conditions) if conditions else false()


def _visible(model, scope, user: User, ident: int):
    obj = db.session.scalar(scope(select(model).where(model.id == ident), user))
    if obj is None:
        raise hidden(model.__tablename__, ident)
    return obj


def pairing_or_404(user: User, pairing_id: int):
    from scbi.transfer.models import Pairing

    return _visible(Pairing, scope_pairings, user, pairing_id)


def mentee_or_404(user: User, mentee_id: int):
    from scbi.mentees.models import Mentee

    return _visible(Mentee, scope_mentees, user, mentee_id)


def coach_or_404(user: User, coach_id: int):
    from scbi.coaches.models import Coach

    return _visible(Coach, scope_coaches, user, coach_id)


def require_sector(user: User, sector_id: int | None) -> None:
    """Refuse (403) a change in a sector the user does not manage."""
    if not can_manage_sector(user, sector_id):
        raise NotAllowed


def require_configure(user: User) -> None:
    if not can_configure(user):
        raise NotAllowed


# --- plans and logs ------------------------------------------------------------------------


def is_coach_of(user: User, pairing) -> bool:
    return user.is_authenticated and pairing.coach.user_id == user.id


def is_mentee_of(user: User, pairing) -> bool:
    return user.is_authenticated and pairing.mentee.user_id == user.id


def can_decide(user: User, pairing) -> bool:
    """Approve plans and verify logs: the secretariat and the sector's coordinators."""
    return user.has_role(Role.SECRETARIAT, Role.COORDINATOR) and can_manage_sector(
        user, pairing.sector_id
    )


def can_read_log(user: User, log) -> bool:
    """A draft is the coach's own until submitted; after that, whoever sees the pairing."""
    return log.status != "draft" or log.author_id == user.id


def plan_or_404(user: User, plan_id: int):
    from scbi.transfer.models import TransferPlan

    plan = db.session.get(TransferPlan, plan_id)
    if plan is None or not _sees_pairing(user, plan.pairing_id):
        raise hidden("transfer_plan", plan_id)
    if plan.status == "draft" and not is_coach_of(user, plan.pairing):
        raise hidden("transfer_plan", plan_id)  # a draft plan is the coach's until submitted
    return plan


def _sees_pairing(user: User, pairing_id: int) -> bool:
    try:
        pairing_or_404(user, pairing_id)
    except NotFound:
        return False
    return True


def log_or_404(user: User, log_id: int):
    from scbi.transfer.models import TransferLog

    log = db.session.get(TransferLog, log_id)
    if log is None or not can_read_log(user, log) or not _sees_pairing(user, log.pairing_id):
        raise hidden("transfer_log", log_id)
    return log


def evidence_or_404(user: User, evidence_id: int):
    from scbi.transfer.models import Evidence

    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None:
        raise hidden("evidence", evidence_id)
    try:
        log_or_404(user, evidence.log_id)
    except NotFound:
        raise hidden("evidence", evidence_id) from None
    return evidence
