"""What an exchange's page (and ``scbi exchanges show``) shows beyond the exchange itself,
each read limited to what the reader may see: who hosts it in words, the reflections, the
plan links, the transfer logs that point at it; and the exchanges a transfer log may
point at (the answer to ``transfer.log_exchanges``)."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import or_, select, true

from scbi.auth.models import User
from scbi.exchanges.countries import country_name
from scbi.exchanges.models import (
    Exchange,
    ExchangeParticipant,
    ExchangePlanLink,
    ExchangeReflection,
)
from scbi.exchanges.permissions import can_manage_exchange
from scbi.exchanges.queries.scope import coached_mentee_ids, own_mentee_ids
from scbi.extensions import db
from scbi.transfer.models import Pairing, TransferLog, TransferPlan
from scbi.transfer.queries import visible_logs
from scbi.transfer.queries.logs import AS_LISTED, log_exchanges

# The exchange's page lists this many of its logs, newest first.
LOGS_SHOWN = 50


def host_label(exchange: Exchange) -> str:
    """Who hosts the exchange, in words: the institution, or the organisation and its
    country (in the reader's language)."""
    if exchange.host_institution is not None:
        institution = exchange.host_institution
        return f"{institution.acronym} — {institution.name}"
    return _(
        "%(organisation)s, %(country)s",
        organisation=exchange.host_organisation,
        country=country_name(exchange.host_country),
    )


def participants(exchange: Exchange) -> list[ExchangeParticipant]:
    """Mentees, then coaches, then those from outside, each by name."""
    order = {"mentee": 0, "coach": 1, "external": 2}
    return sorted(
        exchange.participants, key=lambda p: (order[p.kind.value], p.full_name.casefold())
    )


def _readable(user: User, exchange: Exchange, mentee_column):
    """The SQL of "the reader may read what is about this mentee": every mentee for those
    who manage the exchange, else the reader themself and the mentees they coach."""
    if can_manage_exchange(user, exchange):
        return true()
    return or_(
        mentee_column.in_(own_mentee_ids(user.id)), mentee_column.in_(coached_mentee_ids(user))
    )


def reflections(user: User, exchange: Exchange) -> list[ExchangeReflection]:
    """The reflections ``user`` may read (permissions.can_read_reflection), by name."""
    found = db.session.scalars(
        select(ExchangeReflection).where(
            ExchangeReflection.exchange_id == exchange.id,
            _readable(user, exchange, ExchangeReflection.mentee_id),
        )
    ).all()
    return sorted(found, key=lambda r: r.mentee.full_name.casefold())


def own_reflection(user: User, exchange: Exchange) -> ExchangeReflection | None:
    return db.session.scalar(
        select(ExchangeReflection).where(
            ExchangeReflection.exchange_id == exchange.id,
            ExchangeReflection.mentee_id.in_(own_mentee_ids(user.id)),
        )
    )


def plan_links(user: User, exchange: Exchange) -> list[ExchangePlanLink]:
    """The links to plans ``user`` may know of: all for those who manage the exchange,
    else those to their own plans and to the plans of the mentees they coach."""
    return list(
        db.session.scalars(
            select(ExchangePlanLink)
            .join(TransferPlan, TransferPlan.id == ExchangePlanLink.plan_id)
            .join(Pairing, Pairing.id == TransferPlan.pairing_id)
            .where(
                ExchangePlanLink.exchange_id == exchange.id,
                _readable(user, exchange, Pairing.mentee_id),
            )
            .order_by(ExchangePlanLink.id)
        )
    )


def logs(user: User, exchange: Exchange) -> list[TransferLog]:
    """The transfer logs that point at the exchange and ``user`` may read, newest first."""
    return list(
        db.session.scalars(
            visible_logs(user)
            .where(TransferLog.exchange_id == exchange.id)
            .options(*AS_LISTED)
            .order_by(TransferLog.activity_date.desc(), TransferLog.id.desc())
            .limit(LOGS_SHOWN)
        )
    )


@log_exchanges.answer
def mentee_exchanges(pairing: Pairing) -> list[tuple[int, str]]:
    """The exchanges the pairing's mentee took part in, newest first: what a peer-exchange
    log of the pairing may point at."""
    rows = db.session.execute(
        select(Exchange.id, Exchange.title, Exchange.starts_on)
        .join(ExchangeParticipant, ExchangeParticipant.exchange_id == Exchange.id)
        .where(ExchangeParticipant.mentee_id == pairing.mentee_id)
        .order_by(Exchange.starts_on.desc(), Exchange.id.desc())
    )
    return [(ident, f"{title} ({format_date(day)})") for ident, title, day in rows]
