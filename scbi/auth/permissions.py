"""Authorisation in two layers: ``role_required`` on routes, and object rules here.

``can_*(user, obj)`` are small pure functions; ``*_or_404(user, id)`` loaders return the
object only when the user may see it, and raise NotFound otherwise, so a record that is
not yours looks exactly like one that does not exist.
"""

from __future__ import annotations

from functools import wraps

from flask_login import login_required

from scbi.auth.current import acting_user, in_api
from scbi.auth.models import Role, User
from scbi.errors import NotAllowed, NotAuthenticated, NotFound
from scbi.extensions import db


def role_required(*roles: Role):
    """Refuse (403) a signed-in user holding none of ``roles``; anonymous users sign in."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = acting_user()
            if not user.is_authenticated:
                raise NotAuthenticated
            if not user.has_role(*roles):
                raise NotAllowed
            return view(*args, **kwargs)

        wrapped.roles = frozenset(roles)
        # Anonymous web users are sent to the sign-in page rather than shown a 401.
        return wrapped if _is_api(view) else login_required(wrapped)

    return decorator


def _is_api(view) -> bool:
    return view.__module__.startswith("scbi.api")


def can_manage_users(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SECRETARIAT)


def user_or_404(user: User, user_id: int) -> User:
    """An account, for the secretariat only (others never learn whether it exists)."""
    target = db.session.get(User, user_id)
    if target is None or not can_manage_users(user):
        raise NotFound
    return target


__all__ = ["can_manage_users", "in_api", "role_required", "user_or_404"]
