"""The list of exchanges with its filters, the figures each listed row shows (a few
grouped queries per page, whatever the page's size), and the follow-up actions still
open across the exchanges a user may read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from scbi.auth.models import Role, User
from scbi.dates import today
from scbi.exchanges.models import (
    Exchange,
    ExchangeAction,
    ExchangeKind,
    ExchangeParticipant,
    ExchangeReflection,
    ExchangeState,
)
from scbi.exchanges.queries import figure_filters
from scbi.exchanges.queries.figures import open_on
from scbi.exchanges.queries.scope import in_sectors, own_mentee_ids, scope_exchanges
from scbi.extensions import db
from scbi.filters import day, whole_numbers
from scbi.loaders import count_by
from scbi.programme.models import Sector

# ``actions=``: the exchanges with follow-up actions not yet done, with some overdue, or
# with some the user owns.
ACTION_FILTERS = ("open", "overdue", "mine")
STATES = tuple(s.value for s in ExchangeState)
NEWEST_FIRST = (Exchange.starts_on.desc(), Exchange.id.desc())


def _open_actions(on: date, *conditions):
    """The exchange has follow-up actions open on ``on`` (and meeting ``conditions``)."""
    return (
        select(ExchangeAction.id)
        .where(ExchangeAction.exchange_id == Exchange.id, open_on(on))
        .where(*conditions)
        .exists()
    )


def _in_state(state: str, day: date):
    """The SQL of :meth:`Exchange.state_on` ``day`` being ``state``."""
    if state == ExchangeState.PLANNED:
        return Exchange.starts_on > day
    if state == ExchangeState.UNDER_WAY:
        return and_(Exchange.starts_on <= day, Exchange.ends_on >= day)
    return Exchange.ends_on < day


def exchange_list(user: User, args) -> Select:
    """The exchanges ``user`` may read, newest first, narrowed by the list's (or the
    API's, or the command line's) arguments: ``kind``, ``state`` (planned, under way or
    held today), ``sector_id``, ``from`` / ``to`` (held at some time in the period) and
    ``actions`` (``open``, ``overdue``, ``mine``). Nonsense in a filter is no filter (the
    API and the command line check their parameters first); so are a report's figure
    filters (scbi.exchanges.queries.figure_filters), but those are refused (422)."""
    found = figure_filters.figure_filters(args)
    query = scope_exchanges(select(Exchange), user).options(selectinload(Exchange.sectors))
    query = figure_filters.narrowed(query, found)
    if args.get("kind") in {k.value for k in ExchangeKind}:
        query = query.where(Exchange.kind == args["kind"])
    if args.get("state") in STATES:
        query = query.where(_in_state(args["state"], today()))
    if sectors := whole_numbers(args, "sector_id"):
        query = query.where(Exchange.id.in_(in_sectors(sectors)))
    if start := day(args, "from"):
        query = query.where(Exchange.ends_on >= start)
    if end := day(args, "to"):
        query = query.where(Exchange.starts_on <= end)
    actions = args.get("actions")
    on = found.on  # the day the actions stand on: today, or a report's as-of date
    if actions == "open":
        query = query.where(_open_actions(on))
    elif actions == "overdue":
        query = query.where(_open_actions(on, ExchangeAction.due_on < on))
    elif actions == "mine":
        query = query.where(_open_actions(on, ExchangeAction.owner_id == user.id))
    return query.order_by(*NEWEST_FIRST)


def filter_words(args) -> list[tuple[tuple[str, ...], str]]:
    """The list's filters in words, for its chips (scbi.filters.chips)."""
    words = []
    if args.get("kind") in {k.value for k in ExchangeKind}:
        words.append((("kind",), ExchangeKind(args["kind"]).label))
    if args.get("state") in STATES:
        words.append((("state",), ExchangeState(args["state"]).label))
    if sectors := whole_numbers(args, "sector_id"):
        names = db.session.scalars(select(Sector.name).where(Sector.id.in_(sectors)))
        words.append((("sector_id",), _("Sectors: %(names)s", names=", ".join(names))))
    start, end = day(args, "from"), day(args, "to")
    if start or end:
        words.append((("from", "to"), _held_words(start, end)))
    actions = args.get("actions")
    if actions in ACTION_FILTERS:
        words.append((("actions",), action_filter_labels()[actions]))
    return words


def _held_words(start, end) -> str:
    if start and end:
        return _(
            "Held at some time from %(start)s to %(end)s",
            start=format_date(start),
            end=format_date(end),
        )
    if start:
        return _("Held on or after %(start)s", start=format_date(start))
    return _("Held on or before %(end)s", end=format_date(end))


def action_filter_labels() -> dict[str, str]:
    return {
        "open": _("With follow-up actions not yet done"),
        "overdue": _("With overdue follow-up actions"),
        "mine": _("With follow-up actions of mine not yet done"),
    }


@dataclass(frozen=True)
class Listed:
    """What a row of the list shows beside the exchange."""

    participants: int
    open_actions: int
    overdue_actions: int
    reflection_missing: bool  # the reader took part as a mentee and has not reflected yet


def listed(user: User, exchanges: list[Exchange], on: date | None = None) -> dict[int, Listed]:
    """Each listed exchange's participants, open and overdue actions (on ``on``, default
    today) and, for a participating mentee, whether their reflection is missing once it
    was held: three grouped queries for the page."""
    ids = [e.id for e in exchanges]
    if not ids:
        return {}
    day_ = today()
    on = on or day_
    people = count_by(ExchangeParticipant.exchange_id, ExchangeParticipant.exchange_id.in_(ids))
    open_ = open_on(on)
    actions = {
        ident: (n_open, n_overdue)
        for ident, n_open, n_overdue in db.session.execute(
            select(
                ExchangeAction.exchange_id,
                func.sum(case((open_, 1), else_=0)),
                func.sum(case((and_(open_, ExchangeAction.due_on < on), 1), else_=0)),
            )
            .where(ExchangeAction.exchange_id.in_(ids))
            .group_by(ExchangeAction.exchange_id)
        )
    }
    missing: set[int] = set()
    if user.has_role(Role.MENTEE):
        waiting = awaiting_reflection(user.id, day_).where(ExchangeParticipant.exchange_id.in_(ids))
        missing = set(db.session.scalars(waiting))
    return {
        e.id: Listed(
            participants=people.get(e.id, 0),
            open_actions=int(actions.get(e.id, (0, 0))[0] or 0),
            overdue_actions=int(actions.get(e.id, (0, 0))[1] or 0),
            reflection_missing=e.id in missing,
        )
        for e in exchanges
    }


def awaiting_reflection(user_id, day: date) -> Select:
    """``(exchange_id)`` of the exchanges the account ``user_id`` (an id, or a bind
    parameter) took part in as a mentee, ended before ``day``, without their reflection:
    what the home page counts and the list marks."""
    reflected = select(ExchangeReflection.id).where(
        ExchangeReflection.exchange_id == ExchangeParticipant.exchange_id,
        ExchangeReflection.mentee_id == ExchangeParticipant.mentee_id,
    )
    return (
        select(ExchangeParticipant.exchange_id)
        .join(Exchange, Exchange.id == ExchangeParticipant.exchange_id)
        .where(
            ExchangeParticipant.mentee_id.in_(own_mentee_ids(user_id)),
            Exchange.ends_on < day,
            ~reflected.exists(),
        )
    )


def open_actions(user: User, *, due_before: date | None = None, sector_ids=()) -> Select:
    """The follow-up actions not yet done of the exchanges ``user`` may read, the earliest
    due first (so the overdue ones lead), with their exchange: all of them, or those due
    before ``due_before``, of exchanges that concern one of ``sector_ids`` when given."""
    readable = scope_exchanges(select(Exchange.id), user)
    if sector_ids:
        readable = readable.where(Exchange.id.in_(in_sectors(list(sector_ids))))
    query = select(ExchangeAction).where(
        ExchangeAction.done_on.is_(None), ExchangeAction.exchange_id.in_(readable)
    )
    if due_before is not None:
        query = query.where(ExchangeAction.due_on < due_before)
    return query.options(joinedload(ExchangeAction.exchange)).order_by(
        ExchangeAction.due_on, ExchangeAction.exchange_id, ExchangeAction.id
    )
