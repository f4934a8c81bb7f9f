"""A sector's coordinators, from the sector's page: give it an existing coordinator
account, or create one for it.

The same rules as the sector form's coordinator list (``set_sector_coordinators``) and
the account page (``links.create_account``: an invitation by mail when mail is on, else a
one-time password to show once), so the audit trail reads the same whichever page did it.
Both steps compare the sector's version the page was read at: the sector form's list of
coordinators, open elsewhere, must not silently undo them.
"""

from __future__ import annotations

from flask_babel import gettext as _

from scbi.auth import links
from scbi.auth.models import Role, User
from scbi.auth.permissions import require_configure
from scbi.errors import check_version
from scbi.programme.models import Sector
from scbi.programme.services import set_sector_coordinators
from scbi.validation import Errors


def assign_coordinator(sector: Sector, *, by: User, version, user_id) -> User:
    """Make an existing account one more coordinator of ``sector``: an active account that
    holds the coordinator role and does not coordinate it yet. Raises NotAllowed for
    anyone but the secretariat, Conflict when the sector changed since it was read,
    ValidationFailed (``user_id``) otherwise."""
    require_configure(by)
    check_version(sector, version)
    errors = Errors()
    user = errors.ref("user_id", User, user_id, label=_("coordinator"))
    if user is not None:
        if not user.active or not user.has_role(Role.COORDINATOR):
            errors.add("user_id", _("Choose an active account that holds the coordinator role."))
        elif user in sector.coordinators:
            errors.add(
                "user_id", _("%(name)s already coordinates this sector.", name=user.full_name)
            )
    errors.raise_if_any()
    set_sector_coordinators(sector, [*(u.id for u in sector.coordinators), user.id], by=by)
    return user


def create_coordinator(
    sector: Sector, *, by: User, version, email: str, full_name: str
) -> tuple[User, str | None]:
    """A new coordinator account for ``sector``, made as on the account page: invited by
    mail when mail is on (the password returned is None), else given a one-time password,
    returned to be shown once. Raises as ``assign_coordinator``, and ValidationFailed on
    the e-mail or the name."""
    require_configure(by)
    check_version(sector, version)
    user, password = links.create_account(
        by=by, email=email, full_name=full_name, roles=[Role.COORDINATOR.value]
    )
    set_sector_coordinators(sector, [*(u.id for u in sector.coordinators), user.id], by=by)
    return user, password
