"""Who sees which exchange (scbi.exchanges.permissions, in SQL) and the scoped loaders: an
exchange outside the user's scope looks exactly like a missing one (scbi/loaders.py)."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches.models import Coach
from scbi.exchanges.models import (
    Exchange,
    ExchangeAction,
    ExchangeParticipant,
    ExchangePlanLink,
    exchange_sector,
)
from scbi.extensions import db
from scbi.loaders import load_or_404
from scbi.mentees.models import Mentee
from scbi.transfer.models import Pairing


def own_mentee_ids(user_id) -> Select:
    """The mentee profile of the account ``user_id`` (an id, or a bind parameter)."""
    return select(Mentee.id).where(Mentee.user_id == user_id)


def coached_mentee_ids(user: User) -> Select:
    """The mentees of every pairing the user coaches, whatever its state."""
    return (
        select(Pairing.mentee_id)
        .join(Coach, Coach.id == Pairing.coach_id)
        .where(Coach.user_id == user.id)
    )


def in_sectors(sector_ids) -> Select:
    """The ids of the exchanges that concern one of ``sector_ids`` (a set or a select)."""
    return select(exchange_sector.c.exchange_id).where(exchange_sector.c.sector_id.in_(sector_ids))


def scope_exchanges(query: Select, user: User) -> Select:
    """Exchanges ``user`` may read: all (secretariat), their sectors' (coordinator), those
    they took part in and, for a coach, those a mentee they coach took part in."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    taking_part = ExchangeParticipant
    conditions = [Exchange.id.in_(in_sectors(ids))] if ids else []
    if user.has_role(Role.COACH):
        own_coach = select(Coach.id).where(Coach.user_id == user.id)
        conditions.append(
            Exchange.id.in_(
                select(taking_part.exchange_id).where(
                    or_(
                        taking_part.coach_id.in_(own_coach),
                        taking_part.mentee_id.in_(coached_mentee_ids(user)),
                    )
                )
            )
        )
    if user.has_role(Role.MENTEE):
        conditions.append(
            Exchange.id.in_(
                select(taking_part.exchange_id).where(
                    taking_part.mentee_id.in_(own_mentee_ids(user.id))
                )
            )
        )
    return query.where(or_(*conditions) if conditions else false())


def exchange_or_404(user: User, exchange_id: int) -> Exchange:
    return load_or_404(Exchange, exchange_id, scope=lambda q: scope_exchanges(q, user))


def action_or_404(user: User, action_id: int) -> ExchangeAction:
    """A follow-up action of an exchange ``user`` may read."""
    return load_or_404(
        ExchangeAction,
        action_id,
        scope=lambda q: q.where(
            ExchangeAction.exchange_id.in_(scope_exchanges(select(Exchange.id), user))
        ),
    )


def participant_or_404(exchange: Exchange, participant_id: int) -> ExchangeParticipant:
    """A participant of ``exchange`` (already loaded in the user's scope)."""
    return load_or_404(
        ExchangeParticipant,
        participant_id,
        scope=lambda q: q.where(ExchangeParticipant.exchange_id == exchange.id),
    )


def plan_link_or_404(user: User, link_id: int) -> ExchangePlanLink:
    """A plan link of an exchange ``user`` may read."""
    return load_or_404(
        ExchangePlanLink,
        link_id,
        scope=lambda q: q.where(
            ExchangePlanLink.exchange_id.in_(scope_exchanges(select(Exchange.id), user))
        ),
    )


def coached_among(user: User, mentee_ids: set[int]) -> set[int]:
    """Which of ``mentee_ids`` the user coaches (in a pairing of any state)."""
    if not mentee_ids or not user.has_role(Role.COACH):
        return set()
    return set(
        db.session.scalars(coached_mentee_ids(user).where(Pairing.mentee_id.in_(mentee_ids)))
    )
