"""Who reads the register and who tags its entries (pure rules, no query).

The register is a tool of those who prepare engagements: the secretariat and the sectors'
coordinators. Each reads the entries whose source they may open (the sources' own scopes:
scbi.lessons.queries.search) — in practice the secretariat all of them, a coordinator
those of their sectors. The secretariat tags any entry, a coordinator the entries of one
of their sectors.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.errors import NotAllowed

READERS = (Role.SECRETARIAT, Role.COORDINATOR)


def can_read_register(user: User) -> bool:
    return user.is_authenticated and user.has_role(*READERS)


def can_tag(user: User, sector_ids: Iterable[int]) -> bool:
    """Add or remove a tag of an entry of ``sector_ids``: the secretariat; a coordinator of
    one of them."""
    if not can_read_register(user):
        return False
    managed = managed_sector_ids(user)
    return managed is None or bool(managed & set(sector_ids))


def require_tagger(user: User, sector_ids: Iterable[int]) -> None:
    """Refuse (403) who may not tag an entry of ``sector_ids`` (:func:`can_tag`)."""
    if not can_tag(user, sector_ids):
        raise NotAllowed(
            _("Only the secretariat and the coordinators of the entry's sectors tag it.")
        )
