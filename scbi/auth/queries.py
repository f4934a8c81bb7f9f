"""The read side of accounts: the scoped loader and the account list."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from scbi.auth.models import LoginThrottle, User, UserRole
from scbi.auth.permissions import can_manage_users
from scbi.database import utcnow
from scbi.extensions import db
from scbi.loaders import hidden


def user_or_404(user: User, user_id: int) -> User:
    """An account, for the secretariat only (others never learn whether it exists)."""
    target = db.session.get(User, user_id)
    if target is None or not can_manage_users(user):
        raise hidden("user", user_id)
    return target


def account_list(*, q: str = "", role: str = "", state: str = "", with_sectors: bool = False):
    """Accounts by name: ``q`` part of the name or e-mail, ``role`` one held, ``state``
    active or inactive; their roles (and a coordinator's sectors) loaded with them."""
    options = [selectinload(User.role_rows)]
    if with_sectors:
        options.append(selectinload(User.sectors))
    query = select(User).options(*options)
    if q := q.strip().lower():
        query = query.where(
            or_(User.email.contains(q, autoescape=True), User.full_name.ilike(f"%{q}%"))
        )
    if role:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if state in ("active", "inactive"):
        query = query.where(User.active.is_(state == "active"))
    return query


def locked_emails(emails: list[str]) -> set[str]:
    """Which of these accounts' sign-ins are locked now (one query)."""
    if not emails:
        return set()
    return set(
        db.session.scalars(
            select(LoginThrottle.email).where(
                LoginThrottle.email.in_(emails), LoginThrottle.locked_until > utcnow()
            )
        )
    )


def is_locked(user: User) -> bool:
    throttle = db.session.get(LoginThrottle, user.email)
    return bool(throttle and throttle.locked_until and throttle.locked_until > utcnow())


def session_user(user_id: int, epoch: int) -> User | None:
    """The account a session cookie names, while that session's epoch is still the
    account's and it is active (its roles loaded in the same statement: every page needs
    them)."""
    user = db.session.get(User, user_id, options=[joinedload(User.role_rows)])
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    return user
