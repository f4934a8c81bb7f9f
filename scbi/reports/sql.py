"""SQL building blocks the report queries share: the few expressions that differ between
SQLite and PostgreSQL, and the period conditions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Float, and_, case, or_

from scbi.coaches.models import Coach
from scbi.dates import day_start
from scbi.reports.periods import Period
from scbi.sql import portable
from scbi.transfer.models import Pairing

# Days (fractional) from one timestamp column to another.
days_between = portable(
    "days_between",
    Float(),
    sqlite="(julianday({1}) - julianday({0}))",
    postgresql="(EXTRACT(EPOCH FROM {1} - {0}) / 86400.0)",
)


def pairing_overlaps(period: Period):
    """A pairing active at some point of the period (its dates overlap it)."""
    return and_(
        Pairing.start_date <= period.end,
        or_(Pairing.end_date.is_(None), Pairing.end_date >= period.start),
    )


def contract_overlaps(period: Period):
    """A coach whose contract overlaps the period."""
    return and_(Coach.contract_start <= period.end, Coach.contract_end >= period.start)


def instants(period: Period) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the start of its first day to the start of the day
    after its last, in the programme's time zone."""
    return day_start(period.start), day_start(period.end + timedelta(days=1))


def date_in(column, periods: list[Period]):
    """The index in ``periods`` of the one a date column falls in, NULL outside them all,
    and the condition that keeps the rows from the first day of any to the last of any
    (the periods a report compares are adjacent: one statement reads them all)."""
    index = case(*((and_(column >= p.start, column <= p.end), i) for i, p in enumerate(periods)))
    return index, and_(
        column >= min(p.start for p in periods), column <= max(p.end for p in periods)
    )


def instant_in(column, periods: list[Period]):
    """:func:`date_in` for a timestamp column, each period read as its UTC instants."""
    bounds = [instants(p) for p in periods]
    index = case(*((and_(column >= s, column < e), i) for i, (s, e) in enumerate(bounds)))
    return index, and_(column >= min(s for s, _e in bounds), column < max(e for _s, e in bounds))
