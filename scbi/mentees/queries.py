"""The read side of mentees: who sees which mentee, the scoped loader, the mentee list."""

from __future__ import annotations

from sqlalchemy import Select, false, or_

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.hooks import Hook
from scbi.loaders import load_or_404
from scbi.mentees.models import Mentee

visibility = Hook(
    "mentees.visibility",
    "SQL conditions on Mentee under which ``user`` also sees a mentee, beyond the mentees "
    "of the sectors they manage and their own profile (a list, maybe empty; OR-ed).",
)


def scope_mentees(query: Select, user: User) -> Select:
    """Mentees ``user`` may see: their sectors', themself, or what a feature above adds
    (a coach's coachees, of any pairing)."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = [Mentee.sector_id.in_(ids)] if ids else []
    if user.has_role(Role.MENTEE):
        conditions.append(Mentee.user_id == user.id)
    conditions += [c for answer in visibility.ask(user) for c in answer]
    return query.where(or_(*conditions) if conditions else false())


def mentee_or_404(user: User, mentee_id: int, *, options=()) -> Mentee:
    return load_or_404(Mentee, mentee_id, scope=lambda q: scope_mentees(q, user), options=options)
