"""The "what needs me now" panel: features register providers; the home page asks them.

A provider takes the signed-in user and returns the :class:`Need` items that user should
act on. Each provider must run a constant number of queries (counts, not row loops).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import LoginThrottle, Role, User
from scbi.database import utcnow
from scbi.extensions import db


@dataclass(frozen=True)
class Need:
    title: str
    count: int
    url: str
    hint: str = ""


Provider = Callable[[User], list[Need]]
_providers: list[Provider] = []


def provider(func: Provider) -> Provider:
    _providers.append(func)
    return func


def needs_for(user: User) -> list[Need]:
    return [need for p in _providers for need in p(user) if need.count]


@provider
def locked_accounts(user: User) -> list[Need]:
    """Secretariat: accounts locked after repeated failed sign-ins."""
    if not user.has_role(Role.SECRETARIAT):
        return []
    count = db.session.scalar(
        select(func.count())
        .select_from(User)
        .join(LoginThrottle, LoginThrottle.email == User.email)
        .where(LoginThrottle.locked_until > utcnow())
    )
    return [
        Need(
            title=ngettext(
                "%(num)d account locked after failed sign-ins",
                "%(num)d accounts locked after failed sign-ins",
                count,
            ),
            count=count,
            url=url_for("auth.users", state="active"),
            hint=_("Check with the person, then unlock the account or reset its password."),
        )
    ]


@provider
def unpaired_mentees(user: User) -> list[Need]:
    """Secretariat and coordinators: active mentees of their sectors without an open pairing."""
    from scbi.auth.permissions import scope_mentees
    from scbi.mentees.models import Mentee, MenteeStatus
    from scbi.transfer.models import OPEN_STATUSES, Pairing

    if not user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return []
    paired = select(Pairing.mentee_id).where(Pairing.status.in_([s.value for s in OPEN_STATUSES]))
    query = scope_mentees(select(func.count()).select_from(Mentee), user).where(
        Mentee.status == MenteeStatus.ACTIVE.value, Mentee.id.not_in(paired)
    )
    count = db.session.scalar(query)
    return [
        Need(
            title=ngettext(
                "%(num)d active mentee has no coach", "%(num)d active mentees have no coach", count
            ),
            count=count,
            url=url_for("mentees.index", unpaired=1),
            hint=_("Pair them with a coach of their sector."),
        )
    ]


@provider
def contracts_ending(user: User) -> list[Need]:
    """Secretariat: coaches whose contract ends within 60 days while they still coach."""
    from datetime import timedelta

    from scbi.coaches.models import Coach, CoachStatus
    from scbi.dates import today
    from scbi.transfer.models import Pairing, PairingStatus

    if not user.has_role(Role.SECRETARIAT):
        return []
    soon = today() + timedelta(days=60)
    count = db.session.scalar(
        select(func.count())
        .select_from(Coach)
        .where(
            Coach.status == CoachStatus.ACTIVE.value,
            Coach.contract_end <= soon,
            Coach.id.in_(
                select(Pairing.coach_id).where(Pairing.status == PairingStatus.ACTIVE.value)
            ),
        )
    )
    return [
        Need(
            title=ngettext(
                "%(num)d coach's contract ends within 60 days",
                "%(num)d coaches' contracts end within 60 days",
                count,
            ),
            count=count,
            url=url_for("coaches.index", ending=1),
            hint=_("Extend the contract or plan how their pairings end."),
        )
    ]


@provider
def sectors_without_coordinator(user: User) -> list[Need]:
    from scbi.programme.models import Sector, coordinator_sector

    if not user.has_role(Role.SECRETARIAT):
        return []
    count = db.session.scalar(
        select(func.count())
        .select_from(Sector)
        .where(Sector.active.is_(True), Sector.id.not_in(select(coordinator_sector.c.sector_id)))
    )
    return [
        Need(
            title=ngettext(
                "%(num)d sector has no coordinator", "%(num)d sectors have no coordinator", count
            ),
            count=count,
            url=url_for("programme.overview"),
            hint=_("Assign a coordinator on the sector's page."),
        )
    ]
