"""The programme's calendar: "today" is the date where the programme runs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"] if has_app_context() else "Africa/Kigali")


def today() -> date:
    return datetime.now(_zone()).date()


def local_day(moment: datetime) -> date:
    """The programme's date at a stored (UTC) moment."""
    return moment.astimezone(_zone()).date()
