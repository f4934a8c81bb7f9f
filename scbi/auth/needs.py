"""What needs the secretariat now about accounts: locked sign-ins."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import LoginThrottle, Role, User
from scbi.database import utcnow
from scbi.extensions import db
from scbi.needs import Need, needs


@needs.answer
def locked_accounts(user: User) -> list[Need]:
    """Secretariat: accounts locked after repeated failed sign-ins."""
    if not user.has_role(Role.SECRETARIAT):
        return []
    count = db.session.scalar(
        select(func.count())
        .select_from(User)
        .join(LoginThrottle, LoginThrottle.email == User.email)
        .where(LoginThrottle.locked_until > utcnow())
    )
    return [
        Need(
            title=ngettext(
                "%(num)d account locked after failed sign-ins",
                "%(num)d accounts locked after failed sign-ins",
                count,
            ),
            count=count,
            url=url_for("auth.users", state="active"),
            hint=_("Check with the person, then unlock the account or reset its password."),
        )
    ]
