"""Who may read and change a short engagement (pure rules, no query).

The secretariat handles every engagement; a coordinator does the same for the engagements
of their sectors (as with pairings: record the request, broker, start, check in, close,
decline). The brokered coach reads their engagement, starts it and records its check-ins
and close-out. A mentee of the counterpart team reads it. Anyone else — another coach or
mentee, a development partner — does not see it (404).
"""

from __future__ import annotations

from scbi.auth.models import Role, User
from scbi.auth.permissions import SIGNED_IN, can_manage_sector
from scbi.engagements.models import NOT_STARTED, Engagement, EngagementStatus

READERS = SIGNED_IN  # the routes' roles; the record's own rules below narrow them
MANAGERS = (Role.SECRETARIAT, Role.COORDINATOR)
RUNNERS = (Role.SECRETARIAT, Role.COORDINATOR, Role.COACH)  # start, check in, close


def can_record_requests(user: User) -> bool:
    """Record a request: the secretariat, and coordinators (for their sectors)."""
    return user.is_authenticated and user.has_role(*MANAGERS)


def can_manage(user: User, engagement: Engagement) -> bool:
    """The secretariat, and the coordinators of the engagement's sector."""
    return can_record_requests(user) and can_manage_sector(user, engagement.sector_id)


def is_practitioner(user: User, engagement: Engagement) -> bool:
    """The coach brokered for the engagement (an external expert has no account)."""
    coach = engagement.coach
    return (
        user.is_authenticated
        and coach is not None
        and user.has_role(Role.COACH)
        and coach.user_id == user.id
    )


def is_counterpart(user: User, engagement: Engagement) -> bool:
    """A mentee of the programme in the counterpart team."""
    return (
        user.is_authenticated
        and user.has_role(Role.MENTEE)
        and any(m.mentee is not None and m.mentee.user_id == user.id for m in engagement.members)
    )


def can_read(user: User, engagement: Engagement) -> bool:
    return (
        can_manage(user, engagement)
        or is_practitioner(user, engagement)
        or is_counterpart(user, engagement)
    )


def can_edit_request(user: User, engagement: Engagement) -> bool:
    """The request and its objectives change until the engagement starts: it is judged
    against the objectives agreed when it began."""
    return engagement.status in NOT_STARTED and can_manage(user, engagement)


def can_edit_team(user: User, engagement: Engagement) -> bool:
    """The counterpart team changes while the engagement is open (people move)."""
    return engagement.is_open and can_manage(user, engagement)


def can_broker(user: User, engagement: Engagement) -> bool:
    """Broker a practitioner (or another one, or another span) until it starts."""
    return engagement.status in NOT_STARTED and can_manage(user, engagement)


def can_end_request(user: User, engagement: Engagement) -> bool:
    """Decline a request, or record that the institution withdrew it, until it starts."""
    return engagement.status in NOT_STARTED and can_manage(user, engagement)


def may_run(user: User, engagement: Engagement) -> bool:
    """Whoever may ever start, check in or close this engagement (whatever its state): its
    managers and the brokered coach."""
    return can_manage(user, engagement) or is_practitioner(user, engagement)


def can_start(user: User, engagement: Engagement) -> bool:
    return engagement.status == EngagementStatus.BROKERED and may_run(user, engagement)


def can_check_in(user: User, engagement: Engagement) -> bool:
    return engagement.status == EngagementStatus.ACTIVE and may_run(user, engagement)


def can_close(user: User, engagement: Engagement) -> bool:
    return engagement.status == EngagementStatus.ACTIVE and may_run(user, engagement)
