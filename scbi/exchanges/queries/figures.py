"""What the reports and the lessons register read of peer exchanges, as SELECTs (not
results): a report folds them into a statement it already sends (a UNION ALL of its
figures), the register into its search. None runs a query of its own.

- :func:`held_between` — the exchanges held at some time in a period, of some sectors;
- :func:`participant_rows` — each participant's kind, gender and country (by gender: a
  mentee's from their profile, someone from outside's as given, a coach's not recorded);
- :func:`country_rows` — the countries each exchange involved: its host's abroad, and
  those of the participants from outside;
- :func:`open_action_rows` — the follow-up actions still open on a day (:func:`open_on`),
  overdue or not;
- :func:`learnt_rows` — what each exchange taught, with its kind and dates (the sectors
  and competencies it is tagged with are ``exchange_sector`` and ``exchange_competency``).

:func:`report_parts` shapes the first four as parts of the UNION ALL that reads the
mentees' dated statuses (scbi.reports.queries.statuses_and_follow_ups), and
:func:`read_report_rows` reads them back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)

from scbi.dates import day_start
from scbi.exchanges.models import (
    Exchange,
    ExchangeAction,
    ExchangeParticipant,
    ParticipantKind,
    exchange_sector,
)
from scbi.exchanges.queries.scope import in_sectors
from scbi.mentees.models import Mentee
from scbi.sql import blank, row_kind


def held_between(start: date, end: date, sector_ids=None) -> Select:
    """``(id)`` of the exchanges held at some time from ``start`` to ``end`` (both
    included) that concern one of ``sector_ids`` (a list or a select; None: any)."""
    query = select(Exchange.id).where(Exchange.starts_on <= end, Exchange.ends_on >= start)
    if sector_ids is not None:
        query = query.where(Exchange.id.in_(in_sectors(sector_ids)))
    return query


def participant_rows(exchange_ids=None) -> Select:
    """``(exchange_id, kind, gender, country)`` of each participant of ``exchange_ids``
    (None: of every exchange); gender is a Gender value or NULL (not recorded), country an
    ISO code or NULL (the programme's own people)."""
    taking_part = ExchangeParticipant
    kind = case(
        (taking_part.mentee_id.is_not(None), literal(ParticipantKind.MENTEE.value)),
        (taking_part.coach_id.is_not(None), literal(ParticipantKind.COACH.value)),
        else_=literal(ParticipantKind.EXTERNAL.value),
    )
    query = select(
        taking_part.exchange_id.label("exchange_id"),
        kind.label("kind"),
        func.coalesce(Mentee.gender, taking_part.gender).label("gender"),
        taking_part.country.label("country"),
    ).outerjoin(Mentee, Mentee.id == taking_part.mentee_id)
    if exchange_ids is not None:
        query = query.where(taking_part.exchange_id.in_(exchange_ids))
    return query


def country_rows(exchange_ids=None):
    """``(exchange_id, country)``: the host's country of an exchange hosted outside the
    programme's institutions, and each participant from outside's, of ``exchange_ids``
    (None: of every exchange; repeats included: count them distinct)."""
    hosts = select(Exchange.id.label("exchange_id"), Exchange.host_country.label("country")).where(
        Exchange.host_country.is_not(None)
    )
    guests = select(
        ExchangeParticipant.exchange_id.label("exchange_id"),
        ExchangeParticipant.country.label("country"),
    ).where(ExchangeParticipant.country.is_not(None))
    if exchange_ids is not None:
        hosts = hosts.where(Exchange.id.in_(exchange_ids))
        guests = guests.where(ExchangeParticipant.exchange_id.in_(exchange_ids))
    return union_all(hosts, guests)


def open_on(day: date):
    """A follow-up action still open on ``day``: recorded by then and not done by then
    (done later, or not yet) — an action recorded later leaves a past day's count alone."""
    return and_(
        ExchangeAction.created_at < day_start(day + timedelta(days=1)),
        or_(ExchangeAction.done_on.is_(None), ExchangeAction.done_on > day),
    )


def open_action_rows(exchange_ids, day: date) -> Select:
    """``(id, exchange_id, overdue)`` of the follow-up actions of ``exchange_ids`` not
    done on ``day`` (done later, or not yet); overdue: due before ``day``."""
    return select(
        ExchangeAction.id.label("id"),
        ExchangeAction.exchange_id.label("exchange_id"),
        (ExchangeAction.due_on < day).label("overdue"),
    ).where(ExchangeAction.exchange_id.in_(exchange_ids), open_on(day))


def learnt_rows(exchange_ids=None) -> Select:
    """``(id, kind, title, starts_on, ends_on, learnt)`` of the exchanges (of
    ``exchange_ids`` when given) whose learning is recorded, newest first."""
    query = select(
        Exchange.id,
        Exchange.kind,
        Exchange.title,
        Exchange.starts_on,
        Exchange.ends_on,
        Exchange.learnt,
    )
    if exchange_ids is not None:
        query = query.where(Exchange.id.in_(exchange_ids))
    return query.where(Exchange.learnt != "").order_by(
        Exchange.starts_on.desc(), Exchange.id.desc()
    )


# --- in a report ---------------------------------------------------------------------------


def report_parts(sector_ids, start: date, as_of: date) -> list[Select]:
    """The exchange rows of a report of ``sector_ids`` for the period from ``start`` whose
    figures are read on ``as_of``, in the columns of the UNION ALL of the mentees' dated
    statuses (``kind, day, ident, mentee_id, sector_id, status, gender, institution_id``;
    the kinds start with "p"):

    - "ph" an exchange held at some time from ``start`` to ``as_of`` that concerns one of
      the sectors, once for each of them: ident = its id, sector_id, status = its kind;
    - "pp" each participant of those: ident = the exchange, status = the participant's
      kind, gender = theirs (NULL: not recorded);
    - "pc" each country they involved: ident = the exchange, status = the ISO code;
    - "pa" each follow-up action open on ``as_of`` of an exchange of the sectors begun by
      then, once for each of its sectors: ident = the exchange, mentee_id = the action,
      sector_id, institution_id = 1 when it is overdue that day.
    """
    sector_ids = list(sector_ids)
    held = held_between(start, as_of, sector_ids)
    held_part = (
        select(
            row_kind("ph"),
            Exchange.starts_on,
            Exchange.id,
            blank(Integer),
            exchange_sector.c.sector_id,
            cast(Exchange.kind, String),
            blank(String),
            blank(Integer),
        )
        .join(exchange_sector, exchange_sector.c.exchange_id == Exchange.id)
        .where(Exchange.id.in_(held), exchange_sector.c.sector_id.in_(sector_ids))
    )
    people = participant_rows(held).subquery("people")
    people_part = select(
        row_kind("pp"),
        blank(Date),
        people.c.exchange_id,
        blank(Integer),
        blank(Integer),
        cast(people.c.kind, String),
        cast(people.c.gender, String),
        blank(Integer),
    )
    places = country_rows(held).subquery("places")
    places_part = select(
        row_kind("pc"),
        blank(Date),
        places.c.exchange_id,
        blank(Integer),
        blank(Integer),
        places.c.country,
        blank(String),
        blank(Integer),
    )
    begun = select(Exchange.id).where(
        Exchange.starts_on <= as_of, Exchange.id.in_(in_sectors(sector_ids))
    )
    actions = open_action_rows(begun, as_of).subquery("open_actions")
    actions_part = (
        select(
            row_kind("pa"),
            blank(Date),
            actions.c.exchange_id,
            actions.c.id,
            exchange_sector.c.sector_id,
            blank(String),
            blank(String),
            cast(actions.c.overdue, Integer),
        )
        .join(exchange_sector, exchange_sector.c.exchange_id == actions.c.exchange_id)
        .where(exchange_sector.c.sector_id.in_(sector_ids))
    )
    return [held_part, people_part, places_part, actions_part]


NOT_RECORDED = "not_recorded"  # a participant's gender unknown (a coach's, or not given)


@dataclass
class ExchangeRows:
    """The rows of :func:`report_parts`, read: which exchanges each sector held, and each
    exchange's kind, participants and countries; each sector's open actions."""

    sectors: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    kind: dict[int, str] = field(default_factory=dict)
    people: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    countries: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    # sector -> {action id: overdue}
    actions: dict[int, dict[int, bool]] = field(default_factory=lambda: defaultdict(dict))


def read_report_rows(rows) -> ExchangeRows:
    """The rows of :func:`report_parts` (rows of other kinds are left alone)."""
    found = ExchangeRows()
    for kind, _day, ident, action, sector, status, gender, flag in rows:
        if kind == "ph":
            found.sectors[sector].add(ident)
            found.kind[ident] = status
        elif kind == "pp":
            found.people[ident].append((status, gender or NOT_RECORDED))
        elif kind == "pc":
            found.countries[ident].add(status)
        elif kind == "pa":
            found.actions[sector][action] = bool(flag)
    return found
