"""Which reports a user reaches: the read side of scbi.reports.permissions.

The sectors whose reports a user may read, the scoped sector loader the pages, files and
API answers go through, and the publications they may read. A sector out of reach looks
exactly like a missing one.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.extensions import db
from scbi.loaders import hidden
from scbi.partners.models import PartnerAccount
from scbi.partners.queries import account_partner_id, funded_sectors
from scbi.programme.models import Sector
from scbi.reports.models import PublishedReport
from scbi.reports.permissions import can_read_sector_reports, can_see_people


def _in_scope(user: User, column):
    """The condition on a sector id ``column`` of the reports ``user`` reads (None: all,
    the secretariat): a coordinator's sectors, or the sectors a partner account's partner
    funds (a subquery: no statement of its own)."""
    if user.has_role(Role.PARTNER):
        return column.in_(funded_sectors(user.id))
    ids = managed_sector_ids(user)
    return None if ids is None else column.in_(ids)


def _scoped(query: Select, user: User, column) -> Select:
    condition = _in_scope(user, column)
    return query if condition is None else query.where(condition)


def visible_sectors(user: User, *, active_only: bool = True) -> list[Sector]:
    """The sectors whose reports ``user`` may read, by name (active ones unless told)."""
    query = _scoped(select(Sector).order_by(Sector.name), user, Sector.id)
    if active_only:
        query = query.where(Sector.active.is_(True))
    return list(db.session.scalars(query))


def sector_or_404(user: User, sector_id: int) -> Sector:
    """The sector, when ``user`` may read its reports. Raises NotFound naming the sector
    when it is missing or another's, so the refusal is audited as ``access.denied``."""
    return sector_and_partner_or_404(user, sector_id)[0]


def sector_and_partner_or_404(user: User, sector_id: int) -> tuple[Sector, int | None]:
    """:func:`sector_or_404` and, for a partner account, its partner, read in the same
    statement (a report page has no statement to spare): ``(sector, partner_id)``."""
    partner_id = None
    if user.has_role(Role.PARTNER):
        query = _scoped(
            select(Sector, PartnerAccount.partner_id)
            .join(PartnerAccount, PartnerAccount.user_id == user.id)
            .where(Sector.id == sector_id),
            user,
            Sector.id,
        )
        sector, partner_id = db.session.execute(query).first() or (None, None)
    else:  # the rule first: a coordinator's sectors, read for it, are in the identity map
        readable = can_read_sector_reports(user, sector_id)
        sector = db.session.get(Sector, sector_id) if readable else None
    if sector is None:
        raise hidden("sector", sector_id)
    return sector, partner_id


def scope_publications(query: Select, user: User) -> Select:
    """``query`` on PublishedReport narrowed to the publications ``user`` may read."""
    return _scoped(query, user, PublishedReport.sector_id)


def as_read_by(user: User, report: dict, partner_id: int | None = None) -> dict:
    """``report`` (a sector's or the overview, live or published) as ``user`` may read it:
    a development partner's account gets aggregates only — the overdue plan items without
    the mentee or the item, the coaches' follow-up without their names, the value for
    money of its own partner only among the funders (``partner_id``, read here when the
    caller has not) — and ``people_hidden``."""
    if can_see_people(user):
        return report
    out = {**report, "people_hidden": True}
    if "plans" in out:
        overdue = [_without(o, "mentee", "plan_item_id") for o in out["plans"]["overdue"]]
        out["plans"] = {**out["plans"], "overdue": overdue}
    if "coaches" in out:
        out["coaches"] = [_without(c, "name", "coach_id") for c in out["coaches"]]
    value = out.get("value_for_money")
    if value and "by_partner" in value:
        own = partner_id if partner_id is not None else account_partner_id(user.id)
        mine = [row for row in value["by_partner"] if row.get("partner_id") == own]
        out["value_for_money"] = {**value, "by_partner": mine}
    return out


def reader_partner(user: User) -> int | None:
    """The partner a partner account reads for (one statement), None for anyone else: what
    :func:`as_read_by` needs, read once where a page shows several reports."""
    return account_partner_id(user.id) if user.has_role(Role.PARTNER) else None


def _without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}
