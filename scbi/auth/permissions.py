"""Who may do what, by role: the route decorator and the rules about sectors.

Authorisation has two layers. ``role_required`` guards every route; then each feature's
``permissions.py`` holds the pure ``can_*(user, record)`` rules for its records, and its
``queries.py`` the scoped ``*_or_404`` loaders and ``scope_*`` filters built on them, so a
record that is not yours looks exactly like one that does not exist. This module holds
what every feature shares: roles, and which sectors a person manages.
"""

from __future__ import annotations

from functools import wraps

from flask_login import login_required

from scbi.actor import acting_user
from scbi.auth.models import Role, User
from scbi.errors import NotAllowed, NotAuthenticated, OutOfScope, requested_entity


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
        if user.has_role(Role.PARTNER):  # to a funder, what is not theirs does not exist
            raise OutOfScope(entity=requested_entity())
        raise NotAllowed


# role_required(*SIGNED_IN): anyone in the programme. A development partner's account is
# not: it reads reports (the routes that name Role.PARTNER) and its own account only.
SIGNED_IN = (Role.SECRETARIAT, Role.COORDINATOR, Role.COACH, Role.MENTEE)


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
    """Programme configuration (phases, sectors, institutions, frameworks) and the people
    registers: the secretariat."""
    return user.is_authenticated and user.has_role(Role.SECRETARIAT)


def can_manage_users(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT)


def can_reset_password(user: User, account: User) -> bool:
    """The secretariat resets another account's password; one's own is changed on the
    change-password page."""
    return can_manage_users(user) and account.id != user.id


def is_manager(user: User) -> bool:
    """The secretariat or a sector coordinator: those who set up pairings and decide."""
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.COORDINATOR)


def require_sector(user: User, sector_id: int | None) -> None:
    """Refuse (403) a change in a sector the user does not manage."""
    if not can_manage_sector(user, sector_id):
        raise NotAllowed


def require_configure(user: User) -> None:
    if not can_configure(user):
        raise NotAllowed
