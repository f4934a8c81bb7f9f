"""Demo dates that fall in the current fiscal quarter, so that the reports' default period
(this quarter) shows what the demo tells of, whatever the day it is built."""

from __future__ import annotations

from datetime import date, timedelta

from scbi.dates import fiscal_quarter_dates, fiscal_quarter_of, today


def this_quarter(days_ago: int) -> date:
    """``days_ago`` days before today, or the quarter's first day if that is later."""
    first, _last = fiscal_quarter_dates(*fiscal_quarter_of(today()))
    return max(today() - timedelta(days=days_ago), first)
