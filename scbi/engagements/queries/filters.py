"""The engagement list's filters that a report's figure opens it with, so that the list
holds what the figure counts (docs/reports.md "Figures you can open"; the report's rows are
scbi.engagements.queries.reports):

- ``dated_by`` with ``from`` / ``to``: the requests ``received`` in the period, the
  engagements ``started`` in it (active or closed, by their start date), or those
  ``ended`` in it (closed, declined or withdrawn, by the day they ended);
- ``outcome`` (``achieved``, ``partly``, ``not``): the closed engagements with an objective
  of that outcome; the list sums those objectives (:func:`objectives`);
- ``longer_pairing=1``: the close-out recommends a longer pairing;
- ``sector_id``, repeated for several sectors (a report's total opens the list so).

A value of ``dated_by``, ``from``, ``to``, ``outcome`` or ``longer_pairing`` that is not one
of these is refused (422, naming the parameter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from scbi.engagements.models import Engagement, EngagementObjective, ObjectiveOutcome
from scbi.engagements.queries.reports import STARTED
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.filters import checked_choice, checked_day, whole_numbers
from scbi.programme.queries.choices import several_sectors

DATED_BY = ("received", "started", "ended")
# the filters the list's form has no field for: kept as hidden fields when it filters again
KEPT = ("dated_by", "from", "to", "outcome", "longer_pairing")


@dataclass(frozen=True)
class FigureFilters:
    dated_by: str  # the event ``start`` and ``end`` date
    start: date | None
    end: date | None
    outcome: str | None
    longer_pairing: bool
    sector_ids: list[int]


def figure_filters(args) -> FigureFilters:
    """The filters in ``args``; raises ValidationFailed naming each bad one."""
    fields: dict[str, list[str]] = {}
    dated_by = checked_choice(args, "dated_by", DATED_BY, fields) or "received"
    start, end = checked_day(args, "from", fields), checked_day(args, "to", fields)
    outcome = checked_choice(args, "outcome", [o.value for o in ObjectiveOutcome], fields)
    longer = checked_choice(args, "longer_pairing", ["1"], fields)
    if fields:
        raise ValidationFailed(fields=fields)
    sectors = whole_numbers(args, "sector_id")
    return FigureFilters(dated_by, start, end, outcome, longer == "1", sectors)


def _within(column, start: date | None, end: date | None) -> list:
    return [
        column.is_not(None),
        *([column >= start] if start else []),
        *([column <= end] if end else []),
    ]


def narrowed(query: Select, found: FigureFilters) -> Select:
    """``query`` (of engagements) narrowed by ``found``."""
    if found.sector_ids:
        query = query.where(Engagement.sector_id.in_(found.sector_ids))
    if found.start or found.end:
        if found.dated_by == "received":
            query = query.where(*_within(Engagement.received_on, found.start, found.end))
        elif found.dated_by == "started":
            query = query.where(
                Engagement.status.in_(STARTED),
                *_within(Engagement.start_date, found.start, found.end),
            )
        else:
            query = query.where(*_within(Engagement.ended_on, found.start, found.end))
    if found.outcome:
        query = query.where(Engagement.id.in_(_with_outcome(found.outcome)))
    if found.longer_pairing:
        query = query.where(Engagement.longer_pairing.is_(True))
    return query


def _with_outcome(outcome: str) -> Select:
    return select(EngagementObjective.engagement_id).where(EngagementObjective.outcome == outcome)


def objectives(listed: Select, outcome: str) -> int:
    """How many objectives of the engagements the list query ``listed`` holds (every page)
    have ``outcome``: one statement."""
    ids = listed.with_only_columns(Engagement.id).order_by(None)
    return db.session.scalar(
        select(func.count(EngagementObjective.id)).where(
            EngagementObjective.engagement_id.in_(ids), EngagementObjective.outcome == outcome
        )
    )


def filter_words(found: FigureFilters) -> list[tuple[tuple[str, ...], str]]:
    """The filters on, in words, for the list's chips (one sector its form shows)."""
    words = several_sectors(found.sector_ids)
    if found.start or found.end:
        words.append((("dated_by", "from", "to"), _period_words(found)))
    if found.outcome:
        outcome = ObjectiveOutcome(found.outcome).label
        words.append((("outcome",), _("With an objective: %(outcome)s", outcome=outcome)))
    if found.longer_pairing:
        words.append((("longer_pairing",), _("The close-out recommends a longer pairing")))
    return words


def _period_words(found: FigureFilters) -> str:
    what = {
        "received": _("Request received"),
        "started": _("Started"),
        "ended": _("Ended (closed, declined or withdrawn)"),
    }[found.dated_by]
    start = format_date(found.start) if found.start else ""
    end = format_date(found.end) if found.end else ""
    if start and end:
        return _("%(what)s from %(start)s to %(end)s", what=what, start=start, end=end)
    if start:
        return _("%(what)s on or after %(start)s", what=what, start=start)
    return _("%(what)s on or before %(end)s", what=what, end=end)
