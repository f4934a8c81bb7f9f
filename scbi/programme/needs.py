"""What needs the secretariat now about the programme: sectors without a coordinator."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import Role, User
from scbi.extensions import db
from scbi.needs import Need, needs
from scbi.programme.models import Sector, coordinator_sector


@needs.answer
def sectors_without_coordinator(user: User) -> list[Need]:
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
