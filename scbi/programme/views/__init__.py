"""Pages of the programme's set-up: phases, sectors, institutions, priority results and
competency frameworks (with their import)."""

from scbi.programme import needs  # noqa: F401  (answers the home page's needs)
from scbi.programme.views import framework_import, frameworks, setup  # noqa: F401  (pages)
from scbi.programme.views.blueprint import bp

__all__ = ["bp"]
