"""Pages of skills transfer: pairings, plans, logs and their evidence."""

from scbi.transfer import needs  # noqa: F401  (answers the home page's needs)
from scbi.transfer.views import logs, pairings, parts, plans  # noqa: F401  (pages, answers)
from scbi.transfer.views.blueprint import bp

__all__ = ["bp"]
