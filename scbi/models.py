"""Every feature's models, imported in one place (what Alembic compares against)."""

from scbi.audit import AuditEvent
from scbi.auth.models import ApiToken, LoginThrottle, User, UserRole
from scbi.coaches.models import Coach
from scbi.database import Base
from scbi.mentees.models import Mentee, MenteeStatusChange
from scbi.programme.models import (
    Competency,
    CompetencyFramework,
    Institution,
    Phase,
    PriorityResult,
    PriorityResultStatus,
    Sector,
    coordinator_sector,
)
from scbi.transfer.models import Pairing

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "Coach",
    "Competency",
    "CompetencyFramework",
    "Institution",
    "LoginThrottle",
    "Mentee",
    "MenteeStatusChange",
    "Pairing",
    "Phase",
    "PriorityResult",
    "PriorityResultStatus",
    "Sector",
    "User",
    "UserRole",
    "coordinator_sector",
]
