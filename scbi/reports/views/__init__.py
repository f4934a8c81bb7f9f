"""Pages of the reports: the programme overview, sector reports and their publications."""

from scbi.reports.views import lists, publications, reports  # noqa: F401  (pages register on bp)
from scbi.reports.views.blueprint import bp

__all__ = ["bp"]
