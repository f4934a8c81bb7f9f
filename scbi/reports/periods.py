"""Reporting periods (DESIGN.md "Reports"): fiscal quarters, fiscal years, date ranges.

A fiscal year is named by the calendar year it starts in: with the default July start,
FY 2025 runs from 1 July 2025 to 30 June 2026 and its quarter 1 is July–September 2025
(shown as "FY 2025/26"). With a January start a fiscal year is the calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from scbi.dates import fiscal_label, fiscal_quarter_dates, fiscal_quarter_of, today
from scbi.errors import ValidationFailed
from scbi.limits import Number
from scbi.reports.models import PERIOD
from scbi.validation import EARLIEST_DATE, LATEST_DATE

MAX_DAYS = 366 * 12  # a report longer than twelve years is a typo
# Dates a report may name: the programme's calendar (scbi.validation); beyond is a typo
# (and month arithmetic near year 9999 would overflow).
EARLIEST, LATEST = EARLIEST_DATE, LATEST_DATE


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    fiscal_year: int | None = None
    quarter: int | None = None

    @property
    def as_of(self) -> date:
        """The date the period's standing figures are read at: its end, or today while it
        runs (nothing is known of the future)."""
        return min(self.end, today())

    def query(self) -> dict[str, str]:
        """The query-string that asks for this period again (links, downloads)."""
        if self.quarter:
            return {"fy": str(self.fiscal_year), "quarter": str(self.quarter)}
        if self.fiscal_year is not None:
            return {"fy": str(self.fiscal_year)}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def fiscal_year_of(day: date) -> int:
    return fiscal_quarter_of(day)[0]


def fiscal_year(year: int) -> Period:
    first, last = fiscal_quarter_dates(year, 1)[0], fiscal_quarter_dates(year, 4)[1]
    return Period(first, last, fiscal_label(year), fiscal_year=year)


def fiscal_quarter(year: int, quarter: int) -> Period:
    first, last = fiscal_quarter_dates(year, quarter)
    return Period(first, last, fiscal_label(year, quarter), fiscal_year=year, quarter=quarter)


def current_quarter(on: date | None = None) -> Period:
    return fiscal_quarter(*fiscal_quarter_of(on or today()))


def date_range(start: date, end: date) -> Period:
    return Period(start, end, f"{start.isoformat()} – {end.isoformat()}")


def parse(args) -> Period:
    """The period a request asks for: ``from``/``to``, or ``fy`` with an optional
    ``quarter``; by default the current fiscal quarter. Refusals name the parameter."""
    fields: dict[str, list[str]] = {}
    raw_from, raw_to = args.get("from", "").strip(), args.get("to", "").strip()
    raw_fy, raw_quarter = args.get("fy", "").strip(), args.get("quarter", "").strip()
    if raw_from or raw_to:
        if raw_fy or raw_quarter:
            fields["fy"] = [_("Ask for a date range or a fiscal period, not both.")]
        start, end = _date(raw_from, "from", fields), _date(raw_to, "to", fields)
        if start and end:
            if end < start:
                fields["to"] = [_("The end date must not be before the start date.")]
            elif (end - start).days > MAX_DAYS:
                fields["to"] = [_("A report covers at most twelve years.")]
        if fields:
            raise ValidationFailed(fields=fields)
        return date_range(start, end)
    if raw_quarter and not raw_fy:
        raise ValidationFailed(fields={"fy": [_("Give the fiscal year of the quarter.")]})
    if raw_fy:
        year = _integer(raw_fy, "fy", PERIOD["fy"], fields)
        quarter = (
            _integer(raw_quarter, "quarter", PERIOD["quarter"], fields) if raw_quarter else None
        )
        if fields:
            raise ValidationFailed(fields=fields)
        return fiscal_quarter(year, quarter) if quarter else fiscal_year(year)
    return current_quarter()


def _date(raw: str, name: str, fields) -> date | None:
    if not raw:
        fields[name] = [_("Give a date (YYYY-MM-DD).")]
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        fields[name] = [_("Not a date: use YYYY-MM-DD.")]
        return None
    if not EARLIEST <= day <= LATEST:
        fields[name] = [
            _(
                "Give a date from %(low)s to %(high)s.",
                low=EARLIEST.isoformat(),
                high=LATEST.isoformat(),
            )
        ]
        return None
    return day


def _integer(raw: str, name: str, limit: Number, fields) -> int | None:
    if raw.isascii() and raw.isdigit() and limit.min <= int(raw) <= limit.max:
        return int(raw)
    fields[name] = [
        _("Give a whole number from %(low)s to %(high)s.", low=limit.min, high=limit.max)
    ]
    return None


def fiscal_year_choices(on: date | None = None, back: int = 8) -> list[Period]:
    """The fiscal years to pick from, newest first: next year, this one and ``back``
    before it."""
    current = fiscal_year_of(on or today())
    return [fiscal_year(year) for year in range(current + 1, current - back - 1, -1)]


def month_starts(period: Period) -> list[date]:
    """The first day of each calendar month the period touches."""
    out, month = [], period.start.replace(day=1)
    while month <= period.end:
        out.append(month)
        month = (month + timedelta(days=31)).replace(day=1)
    return out


def previous(period: Period) -> Period:
    """The period a report is compared with: the fiscal quarter before a quarter, the
    fiscal year before a year, and for a date range the range of the same length that
    ends the day before it starts."""
    if period.quarter:
        if period.quarter > 1:
            return fiscal_quarter(period.fiscal_year, period.quarter - 1)
        return fiscal_quarter(period.fiscal_year - 1, 4)
    if period.fiscal_year is not None:
        return fiscal_year(period.fiscal_year - 1)
    end = period.start - timedelta(days=1)
    return date_range(end - (period.end - period.start), end)
