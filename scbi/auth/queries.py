"""The read side of accounts: the scoped loader and the account list."""

from __future__ import annotations

from scbi.auth.models import User
from scbi.auth.permissions import can_manage_users
from scbi.extensions import db
from scbi.loaders import hidden


def user_or_404(user: User, user_id: int) -> User:
    """An account, for the secretariat only (others never learn whether it exists)."""
    target = db.session.get(User, user_id)
    if target is None or not can_manage_users(user):
        raise hidden("user", user_id)
    return target
