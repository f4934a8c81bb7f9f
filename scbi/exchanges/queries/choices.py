"""The choices of the exchange forms, one query each. Each is also what the rules accept:
the services check a sent id against the same reads, so a form never offers what would
be refused, and nothing else is accepted (scbi.exchanges.services)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role, User, UserRole
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches.models import Coach
from scbi.coaches.queries import scope_coaches
from scbi.exchanges.models import Exchange, ExchangeParticipant, ExchangePlanLink
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.mentees.queries import scope_mentees
from scbi.programme.models import (
    Competency,
    CompetencyFramework,
    PriorityResult,
    Sector,
    coordinator_sector,
)
from scbi.programme.queries import choices
from scbi.transfer.models import OPEN_PLAN_STATUSES, Pairing, PlanStatus, TransferPlan


def choosable_sector_ids(user: User, keep: Iterable[int] = ()) -> set[int] | None:
    """The sectors ``user`` may set on an exchange (None: all), with ``keep`` (those it
    already has, which stay offered)."""
    ids = managed_sector_ids(user)
    return None if ids is None else ids | set(keep)


def sector_choices(user: User, keep: Iterable[int] = ()) -> list[SelectChoice]:
    return choices.sectors(None, choosable_sector_ids(user, keep))


def institution_choices() -> list[SelectChoice]:
    return choices.institutions(_("None: an organisation named below hosts it"))


def competencies_of(sector_ids: Iterable[int] | None):
    """The competencies an exchange of ``sector_ids`` may name: their frameworks' and the
    cross-cutting ones (None: every framework's)."""
    query = select(Competency).join(CompetencyFramework)
    if sector_ids is not None:
        query = query.where(
            or_(
                CompetencyFramework.sector_id.in_(list(sector_ids)),
                CompetencyFramework.sector_id.is_(None),
            )
        )
    return query


def competency_choices(sector_ids: Iterable[int] | None) -> list[SelectChoice]:
    """Grouped by framework, the sectors' frameworks first."""
    found = db.session.scalars(
        competencies_of(sector_ids)
        .options(joinedload(Competency.framework))
        .order_by(
            CompetencyFramework.sector_id.is_(None), CompetencyFramework.name, Competency.sort_order
        )
    ).all()
    return [
        SelectChoice(c.id, f"{c.short_name} ({c.idnumber})", optgroup=c.framework.name)
        for c in found
    ]


def results_of(sector_ids: Iterable[int] | None):
    query = select(PriorityResult)
    if sector_ids is not None:
        query = query.where(PriorityResult.sector_id.in_(list(sector_ids)))
    return query


def result_choices(sector_ids: Iterable[int] | None) -> list[SelectChoice]:
    found = db.session.scalars(
        results_of(sector_ids).join(Sector).order_by(Sector.name, PriorityResult.title)
    ).all()
    return [SelectChoice(r.id, r.title, optgroup=r.sector.name) for r in found]


def _participating(exchange: Exchange, column) -> set[int]:
    return {getattr(p, column.key) for p in exchange.participants} - {None}


def addable_mentees(user: User, exchange: Exchange):
    """The mentees ``user`` may see who do not take part yet."""
    query = scope_mentees(select(Mentee), user)
    taken = _participating(exchange, ExchangeParticipant.mentee_id)
    return query.where(Mentee.id.not_in(taken)) if taken else query


def addable_coaches(user: User, exchange: Exchange):
    query = scope_coaches(select(Coach), user)
    taken = _participating(exchange, ExchangeParticipant.coach_id)
    return query.where(Coach.id.not_in(taken)) if taken else query


def mentee_choices(user: User, exchange: Exchange) -> list[SelectChoice]:
    found = db.session.execute(
        addable_mentees(user, exchange)
        .with_only_columns(Mentee, User.full_name)
        .join(User, User.id == Mentee.user_id)
        .options(joinedload(Mentee.institution), joinedload(Mentee.sector))
        .order_by(User.full_name)
    ).all()
    return [SelectChoice("", _("Choose a mentee"))] + [
        SelectChoice(m.id, f"{name} — {m.institution.acronym} ({m.sector.code})")
        for m, name in found
    ]


def coach_choices(user: User, exchange: Exchange) -> list[SelectChoice]:
    found = db.session.execute(
        addable_coaches(user, exchange)
        .with_only_columns(Coach, User.full_name)
        .join(User, User.id == Coach.user_id)
        .order_by(User.full_name)
    ).all()
    return [SelectChoice("", _("Choose a coach"))] + [
        SelectChoice(c.id, f"{name} — {c.organisation}") for c, name in found
    ]


def owners(exchange: Exchange) -> dict[int, str]:
    """Who may own a follow-up action, by account: the exchange's mentees and coaches,
    the coordinators of its sectors and the secretariat (active accounts), by name."""
    taking_part = (
        select(Mentee.user_id)
        .join(ExchangeParticipant, ExchangeParticipant.mentee_id == Mentee.id)
        .where(ExchangeParticipant.exchange_id == exchange.id)
        .union(
            select(Coach.user_id)
            .join(ExchangeParticipant, ExchangeParticipant.coach_id == Coach.id)
            .where(ExchangeParticipant.exchange_id == exchange.id)
        )
    )
    coordinating = (
        select(coordinator_sector.c.user_id)
        .join(UserRole, UserRole.user_id == coordinator_sector.c.user_id)
        .where(
            coordinator_sector.c.sector_id.in_(exchange.sector_ids),
            UserRole.role == Role.COORDINATOR,
        )
    )
    secretariat = select(UserRole.user_id).where(UserRole.role == Role.SECRETARIAT)
    rows = db.session.execute(
        select(User.id, User.full_name)
        .where(
            User.active.is_(True),
            or_(
                User.id.in_(taking_part),
                User.id.in_(coordinating),
                User.id.in_(secretariat),
            ),
        )
        .order_by(User.full_name, User.id)
    )
    return dict(rows.all())


def owner_choices(exchange: Exchange, keep: int | None = None) -> list[SelectChoice]:
    """The owners offered (``keep``: an action's owner, offered even if no longer one)."""
    found = owners(exchange)
    if keep is not None and keep not in found:
        found[keep] = db.session.get(User, keep).full_name
    return [SelectChoice("", _("Someone from outside the programme (name below)"))] + [
        SelectChoice(ident, name) for ident, name in found.items()
    ]


def linkable_plans(user: User, exchange: Exchange) -> list[TransferPlan]:
    """The plans ``user`` may link the exchange to: of each pairing they coach whose
    mentee took part, the plan in force (approved) or being written, not linked yet."""
    mentee_ids = _participating(exchange, ExchangeParticipant.mentee_id)
    if not mentee_ids:
        return []
    linked = select(ExchangePlanLink.plan_id).where(ExchangePlanLink.exchange_id == exchange.id)
    return list(
        db.session.scalars(
            select(TransferPlan)
            .join(Pairing, Pairing.id == TransferPlan.pairing_id)
            .join(Coach, Coach.id == Pairing.coach_id)
            .where(
                Coach.user_id == user.id,
                Pairing.mentee_id.in_(mentee_ids),
                TransferPlan.status.in_([PlanStatus.APPROVED, *OPEN_PLAN_STATUSES]),
                TransferPlan.id.not_in(linked),
            )
            .order_by(Pairing.id, TransferPlan.number)
        )
    )


def plan_choices(plans: list[TransferPlan]) -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a plan"))] + [
        SelectChoice(
            p.id,
            _(
                "Plan #%(n)d of %(mentee)s (%(status)s)",
                n=p.number,
                mentee=p.pairing.mentee.full_name,
                status=p.status.label,
            ),
        )
        for p in plans
    ]
