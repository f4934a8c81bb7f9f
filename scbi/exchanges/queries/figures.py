"""What the reports and the lessons register read of peer exchanges, as SELECTs (not
results): a report folds them into a statement it already sends (a UNION ALL of its
figures), the register into its search. None runs a query of its own.

- :func:`held_between` — the exchanges held at some time in a period, of some sectors;
- :func:`participant_rows` — each participant's kind, gender and country (by gender: a
  mentee's from their profile, someone from outside's as given, a coach's not recorded);
- :func:`country_rows` — the countries each exchange involved: its host's abroad, and
  those of the participants from outside;
- :func:`open_action_rows` — the follow-up actions still open on a day, overdue or not;
- :func:`learnt_rows` — what each exchange taught, with its kind and dates (the sectors
  and competencies it is tagged with are ``exchange_sector`` and ``exchange_competency``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, case, func, literal, or_, select, union_all

from scbi.exchanges.models import (
    Exchange,
    ExchangeAction,
    ExchangeParticipant,
    ParticipantKind,
)
from scbi.exchanges.queries.scope import in_sectors
from scbi.mentees.models import Mentee


def held_between(start: date, end: date, sector_ids=None) -> Select:
    """``(id)`` of the exchanges held at some time from ``start`` to ``end`` (both
    included) that concern one of ``sector_ids`` (a list or a select; None: any)."""
    query = select(Exchange.id).where(Exchange.starts_on <= end, Exchange.ends_on >= start)
    if sector_ids is not None:
        query = query.where(Exchange.id.in_(in_sectors(sector_ids)))
    return query


def participant_rows(exchange_ids) -> Select:
    """``(exchange_id, kind, gender, country)`` of each participant of ``exchange_ids``;
    gender is a Gender value or NULL (not recorded), country an ISO code or NULL (the
    programme's own people)."""
    taking_part = ExchangeParticipant
    kind = case(
        (taking_part.mentee_id.is_not(None), literal(ParticipantKind.MENTEE.value)),
        (taking_part.coach_id.is_not(None), literal(ParticipantKind.COACH.value)),
        else_=literal(ParticipantKind.EXTERNAL.value),
    )
    return (
        select(
            taking_part.exchange_id.label("exchange_id"),
            kind.label("kind"),
            func.coalesce(Mentee.gender, taking_part.gender).label("gender"),
            taking_part.country.label("country"),
        )
        .outerjoin(Mentee, Mentee.id == taking_part.mentee_id)
        .where(taking_part.exchange_id.in_(exchange_ids))
    )


def country_rows(exchange_ids):
    """``(exchange_id, country)``: the host's country of an exchange hosted outside the
    programme's institutions, and each participant from outside's (repeats included:
    count them distinct)."""
    hosts = select(Exchange.id.label("exchange_id"), Exchange.host_country.label("country"))
    guests = select(
        ExchangeParticipant.exchange_id.label("exchange_id"),
        ExchangeParticipant.country.label("country"),
    )
    return union_all(
        hosts.where(Exchange.id.in_(exchange_ids), Exchange.host_country.is_not(None)),
        guests.where(
            ExchangeParticipant.exchange_id.in_(exchange_ids),
            ExchangeParticipant.country.is_not(None),
        ),
    )


def open_action_rows(exchange_ids, day: date) -> Select:
    """``(id, exchange_id, overdue)`` of the follow-up actions of ``exchange_ids`` not
    done on ``day`` (done later, or not yet); overdue: due before ``day``."""
    return select(
        ExchangeAction.id.label("id"),
        ExchangeAction.exchange_id.label("exchange_id"),
        (ExchangeAction.due_on < day).label("overdue"),
    ).where(
        ExchangeAction.exchange_id.in_(exchange_ids),
        or_(ExchangeAction.done_on.is_(None), ExchangeAction.done_on > day),
    )


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
