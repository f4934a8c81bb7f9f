"""Pages of the programme's set-up: phases, sectors, institutions, priority results (with
their indicators) and competency frameworks (with their import)."""

from scbi.programme import needs  # noqa: F401  (answers the home page's needs)
from scbi.programme.views import (  # noqa: F401  (pages)
    framework_import,
    frameworks,
    indicators,
    setup,
)
from scbi.programme.views.blueprint import bp

__all__ = ["bp"]
