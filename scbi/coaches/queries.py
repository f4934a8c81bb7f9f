"""The read side of coaches: who sees which coach, the scoped loader, the coach list."""

from __future__ import annotations

from sqlalchemy import Select, false, or_

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches.models import Coach
from scbi.hooks import Hook
from scbi.loaders import load_or_404

visibility = Hook(
    "coaches.visibility",
    "SQL conditions on Coach under which ``user`` also sees a coach, beyond the coaches of "
    "the sectors they manage and their own profile (a list, maybe empty; OR-ed).",
)


def scope_coaches(query: Select, user: User) -> Select:
    """Coaches ``user`` may see: their sectors', themself, or what a feature above adds
    (the coaches of a mentee's pairings)."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = [Coach.sector_id.in_(ids)] if ids else []
    if user.has_role(Role.COACH):
        conditions.append(Coach.user_id == user.id)
    conditions += [c for answer in visibility.ask(user) for c in answer]
    return query.where(or_(*conditions) if conditions else false())


def coach_or_404(user: User, coach_id: int) -> Coach:
    return load_or_404(Coach, coach_id, scope=lambda q: scope_coaches(q, user))
