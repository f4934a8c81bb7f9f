"""Who may read and change peer exchanges (pure rules on loaded records, no query).

- The secretariat reads and manages every exchange; a coordinator those that concern at
  least one of their sectors, and creates exchanges in their sectors.
- A coach reads the exchanges they took part in and those a mentee they coach took part
  in (to link it to that mentee's plan); a mentee those they took part in. Neither creates
  nor edits an exchange: an exchange commits a sector's budget and hosts, so the sector's
  coordinator (or the secretariat) records it — a coach asks them to.
- Partners never read an exchange (its people are named).
- A participating mentee writes their own reflection once the exchange has begun; it is
  read by them, by those who manage the exchange and by their coaches.
- A follow-up action is marked done by its owner or by those who manage the exchange.
"""

from __future__ import annotations

from datetime import date

from scbi.auth.models import Role, User
from scbi.auth.permissions import SIGNED_IN, managed_sector_ids
from scbi.errors import NotAllowed
from scbi.exchanges.models import (
    Exchange,
    ExchangeAction,
    ExchangeParticipant,
    ExchangePlanLink,
    ExchangeReflection,
)
from scbi.transfer.permissions import is_coach_of

READERS = SIGNED_IN  # the routes' roles: each reads what the scope lets them
MANAGERS = (Role.SECRETARIAT, Role.COORDINATOR)


def can_create_exchange(user: User) -> bool:
    """The secretariat, and a coordinator of at least one sector."""
    if not user.is_authenticated or not user.has_role(*MANAGERS):
        return False
    ids = managed_sector_ids(user)
    return ids is None or bool(ids)


def can_manage_exchange(user: User, exchange: Exchange) -> bool:
    """Edit the exchange, its participants and its follow-up actions: the secretariat, a
    coordinator of one of its sectors."""
    if not user.is_authenticated or not user.has_role(*MANAGERS):
        return False
    ids = managed_sector_ids(user)
    return ids is None or bool(ids & set(exchange.sector_ids))


def require_manager(user: User, exchange: Exchange) -> None:
    if not can_manage_exchange(user, exchange):
        raise NotAllowed


def own_participation(user: User, exchange: Exchange) -> ExchangeParticipant | None:
    """The user's own part in the exchange as a mentee (None if they took none)."""
    if not user.is_authenticated or not user.has_role(Role.MENTEE):
        return None
    for participant in exchange.participants:
        if participant.mentee is not None and participant.mentee.user_id == user.id:
            return participant
    return None


def can_reflect(user: User, exchange: Exchange, day: date) -> bool:
    """A participating mentee, once the exchange has begun."""
    return own_participation(user, exchange) is not None and day >= exchange.starts_on


def can_read_reflection(
    user: User, reflection: ExchangeReflection, exchange: Exchange, coached: set[int]
) -> bool:
    """The mentee themself, those who manage the exchange, the mentee's coaches
    (``coached``: the ids of the mentees the user coaches)."""
    return (
        reflection.mentee.user_id == user.id
        or can_manage_exchange(user, exchange)
        or reflection.mentee_id in coached
    )


def can_mark_done(user: User, action: ExchangeAction, exchange: Exchange) -> bool:
    """An open action, by its owner or by those who manage the exchange."""
    if action.done_on is not None or not user.is_authenticated:
        return False
    return action.owner_id == user.id or can_manage_exchange(user, exchange)


def can_unlink(user: User, link: ExchangePlanLink, manages: bool) -> bool:
    """Remove a plan link: the coach of the plan's pairing, or those who manage the
    exchange (``manages``)."""
    return manages or is_coach_of(user, link.plan.pairing)


def can_link_plans(user: User, coached_participants: set[int]) -> bool:
    """A coach of at least one of the participating mentees (``coached_participants``)."""
    return user.is_authenticated and user.has_role(Role.COACH) and bool(coached_participants)
