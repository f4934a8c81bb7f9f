"""Every feature's models, imported in one place (what Alembic compares against)."""

from scbi.audit import AuditEvent
from scbi.auth.models import ApiToken, LoginThrottle, User, UserRole
from scbi.database import Base

__all__ = ["ApiToken", "AuditEvent", "Base", "LoginThrottle", "User", "UserRole"]
