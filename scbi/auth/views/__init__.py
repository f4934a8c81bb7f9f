"""Pages of accounts: sign-in, sign-out, one's password, and the secretariat's account
administration."""

from scbi.auth import needs  # noqa: F401  (answers the home page's needs)
from scbi.auth.views import accounts, language, links, sign_in  # noqa: F401  (pages register on bp)
from scbi.auth.views.blueprint import bp

__all__ = ["bp"]
