"""Who receives a mail: the accounts behind the programme's roles, read in few queries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from scbi.auth.models import Role, User, UserRole
from scbi.extensions import db
from scbi.programme.models import coordinator_sector


def coordinators(sector_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active coordinators of each sector."""
    found: dict[int, list[User]] = {}
    ids = sorted(set(sector_ids))
    if not ids:
        return found
    query = (
        select(coordinator_sector.c.sector_id, User)
        .join(User, User.id == coordinator_sector.c.user_id)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.COORDINATOR))
        .where(coordinator_sector.c.sector_id.in_(ids), User.active.is_(True))
        .order_by(User.id)
    )
    for sector_id, user in db.session.execute(query):
        found.setdefault(sector_id, []).append(user)
    return found


def secretariat() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.SECRETARIAT, User.active.is_(True))
            .order_by(User.id)
        )
    )


def deciders(sector_id: int) -> list[User]:
    """Who decides a sector's plans and hears of them: its coordinators, or the
    secretariat when the sector has none."""
    return coordinators([sector_id]).get(sector_id) or secretariat()


def wanting(users: Iterable[User | None], preference: str, *, besides: int | None) -> list[User]:
    """The active accounts among ``users`` that keep ``preference`` on, each once, other
    than ``besides`` (whoever acted: nobody is mailed about their own step)."""
    seen: set[int] = set()
    chosen = []
    for user in users:
        if user is None or user.id in seen or user.id == besides:
            continue
        seen.add(user.id)
        if user.active and getattr(user, preference):
            chosen.append(user)
    return chosen
