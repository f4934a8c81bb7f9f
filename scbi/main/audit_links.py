"""The records the audit trail names, in one map: for each ``entity_type`` (the record's
table, as ``audit.record`` writes it) the name a reader sees and, where the record has a
page of its own, that page. A type with no page (an API token, a piece of evidence, an
assessment) is named and not linked; a type not in the map is shown as stored."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class RecordType:
    label: str
    endpoint: str | None = None  # the record's page
    argument: str | None = None  # the page's id argument


RECORD_TYPES: dict[str, RecordType] = {
    "user": RecordType(_l("Account"), "auth.user_edit", "user_id"),
    "api_token": RecordType(_l("API token")),
    "phase": RecordType(_l("Phase"), "programme.phase_edit", "phase_id"),
    "sector": RecordType(_l("Sector"), "programme.sector", "sector_id"),
    "institution": RecordType(_l("Institution"), "programme.institution", "institution_id"),
    "priority_result": RecordType(_l("Priority result"), "programme.result", "result_id"),
    "competency_framework": RecordType(_l("Framework"), "programme.framework", "framework_id"),
    "competency": RecordType(_l("Competency"), "programme.competency_edit", "competency_id"),
    "coach": RecordType(_l("Coach"), "coaches.detail", "coach_id"),
    "mentee": RecordType(_l("Mentee"), "mentees.detail", "mentee_id"),
    "pairing": RecordType(_l("Pairing"), "transfer.pairing", "pairing_id"),
    "transfer_plan": RecordType(_l("Transfer plan"), "transfer.plan", "plan_id"),
    "transfer_log": RecordType(_l("Log"), "transfer.log", "log_id"),
    "log_session": RecordType(_l("Group session"), "transfer.session", "session_id"),
    "evidence": RecordType(_l("Evidence")),
    "assessment": RecordType(_l("Assessment")),
    "published_report": RecordType(_l("Publication"), "reports.published", "report_id"),
    "mail_message": RecordType(_l("Mail message"), "notify.message", "message_id"),
    "partner": RecordType(_l("Partner"), "partners.edit", "partner_id"),
    "exchange_rate": RecordType(_l("Exchange rate"), "partners.rate_edit", "rate_id"),
    "indicator": RecordType(_l("Indicator"), "programme.indicator_edit", "indicator_id"),
    "indicator_value": RecordType(_l("Indicator value")),
    "follow_up": RecordType(_l("Follow-up after the programme")),
    "engagement": RecordType(_l("Short engagement"), "engagements.detail", "engagement_id"),
    "exchange": RecordType(_l("Peer exchange"), "exchanges.detail", "exchange_id"),
    "exchange_participant": RecordType(_l("Exchange participant")),
    "exchange_action": RecordType(_l("Follow-up action of an exchange")),
    "exchange_reflection": RecordType(_l("Reflection on an exchange")),
    "exchange_plan_link": RecordType(_l("Link from an exchange to a plan")),
}
# Refusals audited before scbi.errors named these records by their table named them by the
# URL's argument; the trail cannot be rewritten, so they are read as their tables.
ALIASES = {"message": "mail_message", "session": "log_session", "report": "published_report"}


def record_type(entity_type: str | None) -> RecordType | None:
    return RECORD_TYPES.get(ALIASES.get(entity_type or "", entity_type or ""))


def record_label(entity_type: str) -> str:
    """The name a reader sees for a type of record (the stored type when it has none)."""
    known = record_type(entity_type)
    return str(known.label) if known else entity_type


def record_type_choices(entity_types: list[str]) -> list[tuple[str, str]]:
    """The record filter's choices: (stored type, name shown), by name."""
    return sorted(((t, record_label(t)) for t in entity_types), key=lambda c: c[1].lower())


def record_url(event) -> str | None:
    """The address of the page of the record ``event`` names, or None when its type has
    no page (or the event names no record)."""
    known = record_type(event.entity_type)
    if known is None or known.endpoint is None or event.entity_id is None:
        return None
    return url_for(known.endpoint, **{known.argument: event.entity_id})
