"""Who may read which report: pure rules, no queries.

Coordinators read their sectors' reports and publications only (another sector's answers
404, as if it did not exist); the secretariat reads every sector's, and alone sees the
cascade (former mentees now coaching) on the programme overview. A development partner's
account reads the reports of the sectors its partner funds (scbi.reports.access), as
aggregate figures: no person's name.
"""

from __future__ import annotations

from scbi.auth.models import Role, User
from scbi.auth.permissions import can_manage_sector


def can_read_sector_reports(user: User, sector_id: int | None) -> bool:
    """The sector's report, its files and publications: the sector's coordinators and the
    secretariat. (A partner account's sectors are those its partner funds, which only a
    query knows: scbi.reports.access reads them with the sector.)"""
    return can_manage_sector(user, sector_id)


def can_see_people(user: User) -> bool:
    """The names in a report (overdue plan items' mentees, the coaches' follow-up): the
    programme's own staff; a development partner reads aggregate figures only."""
    return not user.has_role(Role.PARTNER)


def can_see_cascade(user: User) -> bool:
    """The programme overview's cascade: the secretariat."""
    return user.has_role(Role.SECRETARIAT)


# The roles that read reports (each within its scope): the routes' role_required.
READERS = (Role.SECRETARIAT, Role.COORDINATOR, Role.PARTNER)
