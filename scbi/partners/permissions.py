"""Who may see or change partners and the funding of coach contracts."""

from __future__ import annotations

from scbi.auth.models import Role, User
from scbi.auth.permissions import can_configure, managed_sector_ids
from scbi.coaches.models import Coach


def can_manage_partners(user: User) -> bool:
    """Partners and contract funding are the secretariat's to write."""
    return can_configure(user)


def can_see_funding(user: User, coach: Coach) -> bool:
    """The secretariat, and the coordinators of the coach's sector; never coaches or
    mentees (a contract's cost is not theirs to read)."""
    if not user.is_authenticated or not user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return False
    ids = managed_sector_ids(user)
    return ids is None or coach.sector_id in ids
