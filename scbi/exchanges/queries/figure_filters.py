"""The exchange list's filters that a report's figure opens it with, and the sums the list
shows of the exchanges it holds (docs/reports.md "Figures you can open"): the figures of
peer exchanges count participants, countries and follow-up actions, not only exchanges,
so the list sums those, by the reports' own rules (scbi.exchanges.queries.figures):

- ``participant`` (``mentee``, ``coach``, ``external``) and ``gender`` (a mentee's or
  someone from outside's, or ``not_recorded``): the exchanges with such a participant;
  the participants summed are those only;
- ``country`` (an ISO 3166 code): the exchanges that involved it — hosted there (abroad),
  or with someone from there;
- ``on`` (a day; default today): the day the follow-up actions stand on, for the list's
  ``actions`` filter and its sums — open: not done by then; overdue: due before it.

A value that is none of these is refused (422, naming the parameter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, distinct, func, select

from scbi.dates import today
from scbi.errors import ValidationFailed
from scbi.exchanges.countries import CODES, country_name
from scbi.exchanges.models import Exchange, ExchangeAction, ParticipantKind
from scbi.exchanges.queries.figures import NOT_RECORDED, country_rows, open_on, participant_rows
from scbi.extensions import db
from scbi.filters import checked_choice, checked_day
from scbi.mentees.models import Gender

GENDERS = (*(g.value for g in Gender), NOT_RECORDED)
# the filters the list's form has no field for: kept as hidden fields when it filters again
KEPT = ("on", "participant", "gender", "country")
NOT_RECORDED_WORDS = _l("not recorded")


@dataclass(frozen=True)
class FigureFilters:
    participant: str | None
    gender: str | None
    country: str | None
    on: date  # the day the follow-up actions stand on
    dated: bool  # ``on`` was given


def figure_filters(args) -> FigureFilters:
    """The figure filters in ``args``; raises ValidationFailed naming each bad one."""
    fields: dict[str, list[str]] = {}
    on = checked_day(args, "on", fields)
    chosen = {
        "participant": checked_choice(
            args, "participant", [k.value for k in ParticipantKind], fields
        ),
        "gender": checked_choice(args, "gender", GENDERS, fields),
        "country": args.get("country") or None,
    }
    if chosen["country"] is not None and chosen["country"] not in CODES:
        fields["country"] = [_("Not a country's code (ISO 3166, two capital letters).")]
    if fields:
        raise ValidationFailed(fields=fields)
    return FigureFilters(on=on or today(), dated=on is not None, **chosen)


def _people(found: FigureFilters, exchange_ids=None) -> Select:
    """The participants (of ``exchange_ids``) of the kind and gender asked for."""
    rows = participant_rows(exchange_ids).subquery("people")
    query = select(rows.c.exchange_id)
    if found.participant:
        query = query.where(rows.c.kind == found.participant)
    if found.gender == NOT_RECORDED:
        query = query.where(rows.c.gender.is_(None))
    elif found.gender:
        query = query.where(rows.c.gender == found.gender)
    return query


def narrowed(query: Select, found: FigureFilters) -> Select:
    """``query`` (of exchanges) narrowed by the participant and country filters."""
    if found.participant or found.gender:
        query = query.where(Exchange.id.in_(_people(found)))
    if found.country:
        places = country_rows().subquery("places")
        query = query.where(
            Exchange.id.in_(select(places.c.exchange_id).where(places.c.country == found.country))
        )
    return query


@dataclass(frozen=True)
class Sums:
    """What the listed exchanges add up to (every page of them)."""

    participants: int  # of the kind and gender filtered by, if any
    countries: int  # distinct
    open_actions: int  # on the day the actions stand on
    overdue_actions: int


def sums(listed: Select, found: FigureFilters) -> Sums:
    """The sums of every exchange the list query ``listed`` holds, in one statement."""
    exchange_ids = listed.with_only_columns(Exchange.id).order_by(None)
    people = _people(found, exchange_ids).subquery("counted")
    places = country_rows(exchange_ids).subquery("places")
    actions = select(func.count(ExchangeAction.id)).where(
        ExchangeAction.exchange_id.in_(exchange_ids), open_on(found.on)
    )
    row = db.session.execute(
        select(
            select(func.count()).select_from(people).scalar_subquery(),
            select(func.count(distinct(places.c.country))).scalar_subquery(),
            actions.scalar_subquery(),
            actions.where(ExchangeAction.due_on < found.on).scalar_subquery(),
        )
    ).one()
    return Sums(*(int(n or 0) for n in row))


def filter_words(found: FigureFilters) -> list[tuple[tuple[str, ...], str]]:
    """The figure filters on, in words, for the list's chips."""
    words = []
    if found.participant:
        kind = ParticipantKind(found.participant).label
        words.append((("participant",), _("Participants: %(kind)s", kind=kind)))
    if found.gender:
        gender = (
            str(NOT_RECORDED_WORDS) if found.gender == NOT_RECORDED else Gender(found.gender).label
        )
        words.append((("gender",), _("Participant’s gender: %(gender)s", gender=gender)))
    if found.country:
        country = country_name(found.country)
        words.append((("country",), _("Involving %(country)s", country=country)))
    if found.dated:
        day = format_date(found.on)
        words.append((("on",), _("Follow-up actions as they stood on %(day)s", day=day)))
    return words
