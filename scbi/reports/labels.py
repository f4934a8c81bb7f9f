"""Names people read for the report's figures, and the quarter-on-quarter comparison
rows the page, the PDF and the workbook print from the metrics dict."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scbi.enums import Labelled
from scbi.i18n import number
from scbi.mentees.models import Gender, MenteeStatus
from scbi.programme.models import ResultStatus
from scbi.retention.models import MILESTONE_KEYS
from scbi.transfer.models import ActivityType, MenteeRole

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


def _decimal(value) -> str:
    """In the reader's language (3,1 in French), at most two decimals."""
    return number(value)


def sign(value) -> str:
    """A change as people write it: +12, −3 (a minus sign), ±0; — when unknown."""
    if not _number(value):
        return "—"
    if value == 0:
        return "±0"
    return f"+{_decimal(value)}" if value > 0 else f"−{_decimal(-value)}"


def figure(value, path: str = "") -> str:
    """A figure in a table: numbers without trailing zeros, yes or no, a status by its
    label (``path`` the figure's, ending in its key), — when unknown."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return _decimal(value)
    if isinstance(value, str):
        return str(cell(path.rpartition(".")[2], value))
    if isinstance(value, int):
        return str(value)
    return "—"


# The workbook's column and figure names, in the reader's language (the keys stay in the
# API and CSV, where programs read them). A key missing here is shown as it is.
COLUMNS = {
    **HEADLINE,
    "experts": _l("National experts"),
    "national_experts": EXPERTS,
    "target": _l("Expert target"),
    "expert_target": _l("Expert target"),
    "progress": _l("Progress towards the target"),
    "target_date": _l("Target date"),
    "forecast_date": _l("Forecast date"),
    "on_track": _l("On track"),
    "trend_per_month": _l("Trend, experts a month"),
    "core_competencies": _l("Core competencies"),
    "expert_level": _l("Expert level"),
    "sectors_on_track": _l("Sectors on track"),
    "pipeline_0": _l("Pipeline: experts (no core competency below the expert level)"),
    "pipeline_1": _l("Pipeline: one core competency below the expert level"),
    "pipeline_2": _l("Pipeline: two core competencies below the expert level"),
    "pipeline_3+": _l("Pipeline: three or more core competencies below the expert level"),
    "sector": _l("Sector"),
    "code": _l("Code"),
    "period": _l("Period"),
    "from": _l("From"),
    "to": _l("To"),
    "figures_as_of": _l("Figures as of"),
    "previous_period": _l("Previous period"),
    "previous_from": _l("Previous period from"),
    "previous_to": _l("Previous period to"),
    "version": _l("Version"),
    "published_at": _l("Published on"),
    "published_by": _l("Published by"),
    "what_went_well": _l("What went well"),
    "what_did_not_go_well": _l("What did not go well"),
    "what_comes_next": _l("What comes next"),
    "id": _l("Id"),
    "competency_id": _l("Competency id"),
    "plan_item_id": _l("Plan item id"),
    "institution_id": _l("Institution id"),
    "coach_id": _l("Coach id"),
    "competency": _l("Competency"),
    "items": _l("Plan items"),
    "achieved": _l("Achieved"),
    "overdue": _l("Overdue"),
    "mentee": _l("Mentee"),
    "current_level": _l("Current level"),
    "target_level": _l("Target level"),
    "days_overdue": _l("Days overdue"),
    "mean_baseline": _l("Mean baseline level"),
    "mean_current": _l("Mean current level"),
    "mean_gain": _l("Mean gain"),
    "items_below_target": _l("Items below target"),
    "mean_gap": _l("Mean gap"),
    "month": _l("Month"),
    "total": _l("Total"),
    "led_share": _l("Share led by the mentee"),
    "gender": _l("Gender"),
    "led_hours": _l("Hours led by the mentee"),
    "acronym": _l("Acronym"),
    "name": _l("Name"),
    "mentees": _l("Mentees"),
    "hours": _l("Hours"),
    "last_log_date": _l("Last log"),
    "days_since_last_log": _l("Days since the last log"),
    "silent": _l("Silent over 14 days"),
    "title": _l("Title"),
    "institution": _l("Institution"),
    "due_date": _l("Due date"),
    "status": _l("Status"),
    "note": _l("Note"),
    "coaching_since": _l("Coaching since"),
    "coaches_in": _l("Coaches in"),
    "mentored_in": _l("Mentored in"),
    "mentee_status": _l("Mentee status"),
    "status_since": _l("Status since"),
    # the results chain (section 8): what served each priority result, its indicators
    "logs": _l("Logs"),
    "plan_items": _l("Plan items served"),
    "indicators": _l("Indicators"),
    "result": _l("Priority result"),
    "result_id": _l("Priority result id"),
    "unit": _l("Unit"),
    "baseline_value": _l("Baseline"),
    "baseline_date": _l("Baseline date"),
    "target_value": _l("Target"),
    "latest_value": _l("Latest actual"),
    "latest_period": _l("Quarter of the latest actual"),
    "latest_fiscal_year": _l("Fiscal year of the latest actual"),
    "latest_quarter": _l("Quarter number of the latest actual"),
    "latest_period_end": _l("End of the latest actual's quarter"),
    # retention after the programme (scbi.reports.retention)
    "months": _l("Follow-up, months after the exit"),
    "due": _l("Follow-ups due"),
    "followed_up": _l("Followed up"),
    "retained": _l("Retained in public service"),
    "rate": _l("Retention rate"),
    "cascade": _l("Coaching or mentoring others"),
}


def _at_milestone(figure: str, months: int) -> str | None:
    """A retention figure at a milestone (``due_6``), by name (scbi.reports.retention)."""
    names = {
        "due": _("Follow-ups due at %(months)d months", months=months),
        "followed_up": _("Followed up at %(months)d months", months=months),
        "retained": _("Retained at %(months)d months", months=months),
        "rate": _("Retention rate at %(months)d months", months=months),
        "cascade": _("Coaching or mentoring others at %(months)d months", months=months),
    }
    return names.get(figure)


def column(key) -> str:
    """A workbook column's or figure's name people read: an activity type or a mentee's
    part by its label, the active mentees of a gender (``mentees_female``) as the
    publication's differences name them, a known key by its name, a previous period's
    figure after the figure's; any other (already words) as it is."""
    for kind in (ActivityType, MenteeRole):
        if key in kind._value2member_map_:
            return kind(key).label
    if key in COLUMNS:
        return str(COLUMNS[key])
    if not isinstance(key, str):
        return key
    if key.startswith("mentees_") and key[8:] in Gender._value2member_map_:
        return _("Active mentees, %(gender)s", gender=Gender(key[8:]).short)
    if key.startswith("previous_") and (figure := column(key[9:])) != key[9:]:
        return _("%(figure)s, previous period", figure=figure)
    figure, _sep, months = key.rpartition("_")
    if months in MILESTONE_KEYS and (name := _at_milestone(figure, int(months))):
        return name
    return key


# A figure that holds a stored value of an enumeration, by its key: read as its label.
VALUES: dict[str, type[Labelled]] = {"status": ResultStatus, "mentee_status": MenteeStatus}


def cell(key, stored):
    """A cell as people read it: a status's label for the keys of :data:`VALUES` (a
    priority result's ``at_risk`` → "At risk"); any other value as it is."""
    kind = VALUES.get(key)
    if kind is not None and isinstance(stored, str) and stored in kind._value2member_map_:
        return kind(stored).label
    return stored


def mentee_roles() -> tuple[MenteeRole, ...]:
    """The mentee's parts in their order, for the report's table of hours by part."""
    return tuple(MenteeRole)
