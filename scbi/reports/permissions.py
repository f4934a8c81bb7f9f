"""Who may read which report: pure rules, no queries.

Coordinators read their sectors' reports and publications only (another sector's answers
404, as if it did not exist); the secretariat reads every sector's, and alone sees the
cascade (former mentees now coaching) on the programme overview.
"""

from __future__ import annotations

from scbi.auth.models import Role, User
from scbi.auth.permissions import can_manage_sector


def can_read_sector_reports(user: User, sector_id: int | None) -> bool:
    """The sector's report, its files and publications: the sector's coordinators and the
    secretariat."""
    return can_manage_sector(user, sector_id)


def can_see_cascade(user: User) -> bool:
    """The programme overview's cascade: the secretariat."""
    return user.has_role(Role.SECRETARIAT)
