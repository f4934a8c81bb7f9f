"""What needs a person now about peer exchanges: their follow-up actions past their due
date, and — for a mentee — the exchanges they took part in, ended, without their
reflection. One statement for both counts, whatever the number of exchanges."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Integer, Select, bindparam, select

from scbi.auth.models import Role, User
from scbi.auth.permissions import SIGNED_IN
from scbi.dates import today
from scbi.exchanges.models import ExchangeAction
from scbi.exchanges.queries.lists import awaiting_reflection
from scbi.loaders import read_tallies, tally_statement
from scbi.needs import Need, needs, opening


def _exchange_url(anchor: str = ""):
    return lambda exchange_id: url_for("exchanges.detail", exchange_id=exchange_id) + anchor


@lru_cache(maxsize=4)
def _tallies(day: date, mentee: bool) -> Select:
    """The statement of :func:`exchange_work` on ``day``, the user a parameter: built once a
    day, not on every home page."""
    user_id = bindparam("user_id", type_=Integer)
    overdue = select(ExchangeAction.exchange_id).where(
        ExchangeAction.owner_id == user_id,
        ExchangeAction.done_on.is_(None),
        ExchangeAction.due_on < day,
    )
    if not mentee:
        return tally_statement(overdue)
    return tally_statement(overdue, awaiting_reflection(user_id, day))


@needs.answer
def exchange_work(user: User) -> list[Need]:
    if not user.has_role(*SIGNED_IN):
        return []
    mentee = user.has_role(Role.MENTEE)
    counts = read_tallies(_tallies(today(), mentee), {"user_id": user.id})
    if not mentee:
        ((late, only),) = counts
        return [_overdue_need(late, only)]
    (late, only), (missing, one) = counts
    return [
        _overdue_need(late, only),
        Need(
            ngettext(
                "%(num)d exchange waiting for your reflection",
                "%(num)d exchanges waiting for your reflection",
                missing,
            ),
            missing,
            opening(
                one,
                lambda exchange_id: url_for("exchanges.reflection", exchange_id=exchange_id),
                url_for("exchanges.index"),
            ),
            _("What you saw and what you will try in your own work: a few lines each."),
        ),
    ]


def _overdue_need(count: int, only: int | None) -> Need:
    return Need(
        ngettext(
            "%(num)d follow-up action of yours is overdue",
            "%(num)d follow-up actions of yours are overdue",
            count,
        ),
        count,
        opening(only, _exchange_url("#actions"), url_for("exchanges.index", actions="mine")),
        _("Do them, or mark them done on the exchange's page."),
    )
