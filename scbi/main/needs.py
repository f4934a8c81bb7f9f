"""The "what needs me now" panel: features register providers; the home page asks them.

A provider takes the signed-in user and returns the :class:`Need` items that user should
act on. Each provider must run a constant number of queries (counts, not row loops).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import LoginThrottle, Role, User
from scbi.database import utcnow
from scbi.extensions import db


@dataclass(frozen=True)
class Need:
    title: str
    count: int
    url: str
    hint: str = ""


Provider = Callable[[User], list[Need]]
_providers: list[Provider] = []


def provider(func: Provider) -> Provider:
    _providers.append(func)
    return func


def needs_for(user: User) -> list[Need]:
    return [need for p in _providers for need in p(user) if need.count]


@provider
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
