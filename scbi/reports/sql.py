"""SQL building blocks the report queries share: the few expressions that differ between
SQLite and PostgreSQL, and the period conditions."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Date, and_, cast, func, or_

from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.reports.periods import Period
from scbi.transfer.models import Pairing


def dialect() -> str:
    return db.session.get_bind().dialect.name


def month_of(column):
    """``YYYY-MM`` of a date column, on SQLite and PostgreSQL."""
    if dialect() == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def days_between(start, end):
    """Days (fractional) from one timestamp column to another."""
    if dialect() == "postgresql":
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


def utc_day(column):
    """The UTC calendar day of a timestamp column."""
    if dialect() == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


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
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime.combine(period.start, time(), tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
