"""The programme's calendar: "today" is the date where the programme runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"] if has_app_context() else "Africa/Kigali")


def today() -> date:
    return datetime.now(_zone()).date()


def local_day(moment: datetime) -> date:
    """The programme's date at a stored (UTC) moment."""
    return moment.astimezone(_zone()).date()


def as_day(value) -> date | None:
    """A date column read back from a UNION (SQLite's loses the column's type and gives
    text): the date, or None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def day_start(day: date) -> datetime:
    """The UTC moment the programme's ``day`` begins (its midnight in the programme's time
    zone): the moments of days ``a`` to ``b`` are ``day_start(a) <= t < day_start(b + 1)``."""
    return datetime.combine(day, time(), tzinfo=_zone()).astimezone(UTC)


def fiscal_quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of quarter ``quarter`` (1–4) of fiscal year ``year``, named
    by the calendar year it starts in, under the ``FISCAL_YEAR_START_MONTH`` setting (the
    reports' own periods, scbi.reports.periods, count the same way)."""
    index = year * 12 + current_app.config["FISCAL_YEAR_START_MONTH"] - 1 + 3 * (quarter - 1)
    first = date(index // 12, index % 12 + 1, 1)
    index += 3
    last = date.fromordinal(date(index // 12, index % 12 + 1, 1).toordinal() - 1)
    return first, last


def fiscal_quarter_of(day: date) -> tuple[int, int]:
    """``(fiscal year, quarter)`` of ``day``, as :func:`fiscal_quarter_dates` names them."""
    months = day.year * 12 + day.month - current_app.config["FISCAL_YEAR_START_MONTH"]
    return months // 12, months % 12 // 3 + 1


def fiscal_label(year: int, quarter: int | None = None) -> str:
    """A fiscal year ("FY 2025/26", or "FY 2025" when it is the calendar year) or one of its
    quarters ("FY 2025/26 Q3"), as the reports name their periods."""
    if current_app.config["FISCAL_YEAR_START_MONTH"] == 1:
        name = _("FY %(year)s", year=year)
    else:
        span = f"{year}/{(year + 1) % 100:02d}"
        name = _("FY %(year)s", year=span)
    return _("%(year)s Q%(quarter)s", year=name, quarter=quarter) if quarter else name
