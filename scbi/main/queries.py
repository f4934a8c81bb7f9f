"""The reads of the pages of ``main`` that belong to no feature: the audit trail's list,
its filters and its CSV file.

(The home page reads each feature's own queries.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, select

from scbi.audit import AuditEvent
from scbi.csv_export import csv_lines, neutralise
from scbi.dates import day_start
from scbi.downloads import Download
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.pagination import NumberedPage, numbered
from scbi.validation import MAX_ID, date_range_error

NEWEST_FIRST = (AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
# The suggestions and choices read from the table: a few dozen action names and record
# types in practice; the bound only keeps a runaway table from filling the page.
MOST_CHOICES = 500


@dataclass(frozen=True)
class AuditFilters:
    """The audit trail's filters, checked: each narrows the list when set."""

    action: str = ""  # the start of an action, taken literally
    actor: str = ""  # part of the actor's e-mail, lower case, taken literally
    entity_type: str = ""
    entity_id: int | None = None
    start: date | None = None  # the first day, in the programme's time zone
    end: date | None = None  # the last day (inclusive)


def audit_filters(args) -> AuditFilters:
    """The filters a request asks for (``action``, ``actor``, ``entity_type``,
    ``entity_id``, ``from``, ``to``). Raises ``ValidationFailed`` naming each wrong
    parameter: a date that is not YYYY-MM-DD or is outside the programme's calendar, a
    ``to`` before ``from``, an ``entity_id`` that is not a whole number or has no
    ``entity_type`` (the index on records starts with the type)."""
    fields: dict[str, list[str]] = {}
    start, end = _day(args, "from", fields), _day(args, "to", fields)
    if start and end and end < start:
        fields["to"] = [_("The end date must not be before the start date.")]
    entity_type = (args.get("entity_type") or "").strip()
    raw_id = (args.get("entity_id") or "").strip()
    entity_id = None
    if raw_id:
        if not (raw_id.isascii() and raw_id.isdigit() and 0 < int(raw_id) <= MAX_ID):
            fields["entity_id"] = [_("Must be a whole number.")]
        elif not entity_type:
            fields["entity_id"] = [_("Choose the record type of this id.")]
        else:
            entity_id = int(raw_id)
    if fields:
        raise ValidationFailed(fields=fields)
    return AuditFilters(
        action=(args.get("action") or "").strip(),
        actor=(args.get("actor") or "").strip().lower(),
        entity_type=entity_type,
        entity_id=entity_id,
        start=start,
        end=end,
    )


def _day(args, name: str, fields: dict) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        fields[name] = [_("Not a date: use YYYY-MM-DD.")]
        return None
    if refusal := date_range_error(day):
        fields[name] = [refusal]
        return None
    return day


def audit_events(filters: AuditFilters) -> Select:
    """Audit events, newest first (by time, then id), narrowed by ``filters``. The dates
    are a range of the index on ``occurred_at`` (from the start of the first day to the
    start of the day after the last, in the programme's time zone), which also gives the
    order; the record is the index on (type, id); the action and the person are matched
    as text (``LIKE``, wildcards escaped) among the rows the others keep."""
    query = select(AuditEvent).order_by(*NEWEST_FIRST)
    if filters.start:
        query = query.where(AuditEvent.occurred_at >= day_start(filters.start))
    if filters.end:
        query = query.where(AuditEvent.occurred_at < day_start(filters.end + timedelta(days=1)))
    if filters.action:
        query = query.where(AuditEvent.action.startswith(filters.action, autoescape=True))
    if filters.actor:
        query = query.where(AuditEvent.actor_email.contains(filters.actor, autoescape=True))
    if filters.entity_type:
        query = query.where(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        query = query.where(AuditEvent.entity_id == filters.entity_id)
    return query


def _distinct(column) -> list[str]:
    """The distinct values of an indexed column, in order, read by skipping through its
    index: one index lookup per value (a recursive query), however many rows share each,
    where ``SELECT DISTINCT`` would read every row of the table."""
    first = select(column).where(column.is_not(None)).order_by(column).limit(1)
    found = select(first.scalar_subquery().label("value")).cte("found", recursive=True)
    following = select(column).where(column > found.c.value).order_by(column).limit(1)
    found = found.union_all(select(following.scalar_subquery()).where(found.c.value.is_not(None)))
    query = select(found.c.value).where(found.c.value.is_not(None)).limit(MOST_CHOICES)
    return list(db.session.scalars(query))


def audit_actions() -> list[str]:
    """Every action the trail holds (the action filter's suggestions)."""
    return _distinct(AuditEvent.action)


def audit_entity_types() -> list[str]:
    """Every type of record the trail names (the record filter's choices)."""
    return _distinct(AuditEvent.entity_type)


@dataclass(frozen=True)
class Change:
    """One field an event changed, as shown: "—" where it had no value."""

    field: str
    before: str
    after: str

    def __str__(self) -> str:
        return _("%(field)s: %(before)s → %(after)s", **vars(self))


NO_VALUE = "—"


def _shown(value) -> str:
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields whose value differs between an event's ``before`` and ``after``, by
    name: a field only in ``after`` was set ("—" before), one only in ``before`` was
    cleared ("—" after); an empty value is no value (a new record's empty fields are no
    change). Names are sorted (PostgreSQL's jsonb keeps no order)."""
    before, after = before or {}, after or {}
    listed = []
    for name in sorted(before.keys() | after.keys()):
        was, now = _shown(before.get(name)), _shown(after.get(name))
        if was != now:
            listed.append(Change(name, was, now))
    return listed


def audit_csv_header() -> list[str]:
    return [
        _("When"),
        _("Who"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("From"),
        _("IP"),
        _("Changes"),
    ]


def audit_csv(filters: AuditFilters) -> Download:
    """The events ``filters`` keep, newest first, as a streamed CSV file: one row per
    event, its time in UTC (ISO 8601), its changes as "field: before → after; …", every
    text cell neutralised against spreadsheet formulas. The rows are read 1,000 at a time
    as the file is sent, so memory stays flat however many there are."""
    cells = audit_events(filters).with_only_columns(
        AuditEvent.occurred_at,
        AuditEvent.actor_email,
        AuditEvent.action,
        AuditEvent.entity_type,
        AuditEvent.entity_id,
        AuditEvent.source,
        AuditEvent.ip,
        AuditEvent.before,
        AuditEvent.after,
    )
    # each row's changes compare two JSON documents, which neither database writes alike
    lines = csv_lines(audit_csv_header(), cells, _csv_row)
    return Download("scbi-audit-trail.csv", "text/csv", lines)


def _csv_row(occurred_at, actor_email, action, entity_type, entity_id, source, ip, before, after):
    return (
        occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        neutralise(actor_email),
        neutralise(action),
        neutralise(entity_type),
        entity_id,
        neutralise(source),
        neutralise(ip),
        neutralise("; ".join(str(change) for change in changes(before, after))),
    )


def audit_page(filters: AuditFilters) -> NumberedPage:
    """The ``?page=`` of the events ``filters`` keep, newest first, 50 a page: the page's
    ids read from the index on ids, then its events; the count stops at
    ``scbi.pagination.CAP`` (the table holds millions of events)."""
    return numbered(audit_events(filters), AuditEvent, NEWEST_FIRST, default_per_page=50)
