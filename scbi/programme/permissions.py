"""Who may do what with the programme's records, record by record (pure rules, no query).

Programme records (phases, sectors, institutions, priority results, frameworks) are read by
everyone in the programme and configured by the secretariat (scbi.auth.permissions). A
priority result's indicators and their actual values are read by whoever reads the result,
and managed by the secretariat and the coordinators of the result's sector.
"""

from __future__ import annotations

from scbi.auth.models import User
from scbi.auth.permissions import can_manage_sector, is_manager
from scbi.programme.models import PriorityResult


def can_manage_indicators(user: User, result: PriorityResult) -> bool:
    """Add, edit and delete the result's indicators and record, correct and delete their
    actual values: the secretariat, and the coordinators of the result's sector."""
    return is_manager(user) and can_manage_sector(user, result.sector_id)
