"""Which reports a user reaches: the read side of scbi.reports.permissions.

The sectors whose reports a user may read, the scoped sector loader the pages, files and
API answers go through, and the publications they may read. A sector out of reach looks
exactly like a missing one.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from scbi.auth.models import User
from scbi.auth.permissions import managed_sector_ids
from scbi.extensions import db
from scbi.loaders import hidden
from scbi.programme.models import Sector
from scbi.reports.models import PublishedReport
from scbi.reports.permissions import can_read_sector_reports


def visible_sectors(user: User, *, active_only: bool = True) -> list[Sector]:
    """The sectors whose reports ``user`` may read, by name (active ones unless told)."""
    ids = managed_sector_ids(user)
    query = select(Sector).order_by(Sector.name)
    if active_only:
        query = query.where(Sector.active.is_(True))
    if ids is not None:
        query = query.where(Sector.id.in_(ids))
    return list(db.session.scalars(query))


def sector_or_404(user: User, sector_id: int) -> Sector:
    """The sector, when ``user`` may read its reports. Raises NotFound naming the sector
    when it is missing or another's, so the refusal is audited as ``access.denied``."""
    # the rule first: a coordinator's sectors, read for it, are then in the identity map
    sector = db.session.get(Sector, sector_id) if can_read_sector_reports(user, sector_id) else None
    if sector is None:
        raise hidden("sector", sector_id)
    return sector


def scope_publications(query: Select, user: User) -> Select:
    """``query`` on PublishedReport narrowed to the publications ``user`` may read."""
    ids = managed_sector_ids(user)
    return query if ids is None else query.where(PublishedReport.sector_id.in_(ids))
