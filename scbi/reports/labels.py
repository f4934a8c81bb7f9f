"""Names people read for the report's figures, and the quarter-on-quarter comparison
rows the page, the PDF and the workbook print from the metrics dict."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

HEADLINE = {
    "active_pairings": _l("Active pairings"),
    "active_mentees": _l("Active mentees"),
    "active_coaches": _l("Active coaches"),
    "coaching_hours": _l("Coaching hours (acknowledged)"),
    "logs_submitted": _l("Logs submitted"),
    "logs_acknowledged": _l("Logs acknowledged"),
    "logs_disputed": _l("Logs disputed"),
    "median_days_to_acknowledge": _l("Median days to acknowledge"),
}
EXPERTS = _l("National experts at the end of the period")


def change(now, before) -> float | int | None:
    """``now - before``, or None when either is unknown (rounded as the figures are)."""
    if not _number(now) or not _number(before):
        return None
    diff = now - before
    return round(diff, 2) if isinstance(diff, float) else diff


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def compared(headline: dict, experts, previous: dict | None) -> list[dict]:
    """``[{key, label, before, now, change}]`` for each headline figure and the experts;
    empty when the dict has no ``previous`` (a report published before it existed)."""
    if not previous:
        return []
    before = previous.get("headline") or {}
    rows = [
        {"key": key, "label": label, "before": before.get(key), "now": headline.get(key)}
        for key, label in HEADLINE.items()
    ]
    rows.append(
        {"key": "experts", "label": EXPERTS, "before": previous.get("experts"), "now": experts}
    )
    for row in rows:
        row["change"] = change(row["now"], row["before"])
    return rows


def sign(value) -> str:
    """A change as people write it: +12, −3 (a minus sign), ±0; — when unknown."""
    if not _number(value):
        return "—"
    if value == 0:
        return "±0"
    return f"+{value:g}" if value > 0 else f"−{-value:g}"


def figure(value) -> str:
    """A figure in a table: numbers without trailing zeros, yes or no, — when unknown."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int | str):
        return str(value)
    return "—"
