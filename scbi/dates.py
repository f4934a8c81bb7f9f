"""The programme's calendar: "today" is the date where the programme runs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def today() -> date:
    zone = current_app.config["TIMEZONE"] if has_app_context() else "Africa/Kigali"
    return datetime.now(ZoneInfo(zone)).date()
