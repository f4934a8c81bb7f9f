"""Who may read and record the follow-ups after the programme (pure rules, no query).

The follow-ups are about people after they left: the mentee themself, the secretariat,
and the coordinators of the mentee's sector read them; coaches and partners never do. The
mentee answers their own current follow-up; the secretariat records any that has fallen
due, for any mentee (an answer given on the phone, a missed one learnt later).
"""

from __future__ import annotations

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.mentees.models import Mentee
from scbi.retention.models import FollowUpState

READERS = (Role.SECRETARIAT, Role.COORDINATOR, Role.MENTEE)  # the routes' roles


def is_own(user: User, mentee: Mentee) -> bool:
    return user.has_role(Role.MENTEE) and mentee.user_id == user.id


def can_read_follow_ups(user: User, mentee: Mentee) -> bool:
    """The mentee themself, the secretariat, a coordinator of the mentee's sector."""
    if not user.is_authenticated:
        return False
    if is_own(user, mentee):
        return True
    if not user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return False
    ids = managed_sector_ids(user)
    return ids is None or mentee.sector_id in ids


def can_record_for_others(user: User) -> bool:
    """The secretariat records answers for any mentee."""
    return user.is_authenticated and user.has_role(Role.SECRETARIAT)


def can_answer(user: User, mentee: Mentee, state: FollowUpState, *, current: bool) -> bool:
    """Record (or correct) the answer of one follow-up: the secretariat, once it has
    fallen due; the mentee, their own current one (the latest that has fallen due)."""
    if state == FollowUpState.UPCOMING:
        return False
    if can_record_for_others(user):
        return True
    return is_own(user, mentee) and current
