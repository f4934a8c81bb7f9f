"""Pages of peer exchanges: the list, an exchange's page and forms, its participants, its
follow-up actions, a mentee's reflection and a coach's plan links."""

from scbi.exchanges import needs  # noqa: F401  (answers the home page's needs)
from scbi.exchanges.queries import detail  # noqa: F401  (answers transfer.log_exchanges)
from scbi.exchanges.views import actions, exchanges, people  # noqa: F401  (pages)
from scbi.exchanges.views.blueprint import bp

__all__ = ["bp"]
