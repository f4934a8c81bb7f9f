"""The rules that record an exchange: creating it and changing it (what was learnt
included), validated, audited and flushed (the caller commits). The web forms, the API
and the demo all call them; participants, follow-up actions, reflections and plan links
have their own modules beside this one.

Refused, naming the field: a kind, a title, a start date or a sector missing; an end
before the start, or more than ``MAX_DAYS`` days after it; no host, or two (an
institution of the programme, or an organisation named with its country); a sector the
user does not coordinate (a coordinator keeps the others an exchange has, and cannot
remove them); a competency or priority result outside the exchange's sectors (competencies
may also be cross-cutting); what was learnt, before the exchange has begun.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from scbi import audit
from scbi.auth.models import User
from scbi.auth.permissions import managed_sector_ids
from scbi.dates import today
from scbi.errors import NotAllowed, check_version
from scbi.exchanges.countries import checked_country
from scbi.exchanges.models import EXCHANGE, MAX_DAYS, Exchange, ExchangeKind
from scbi.exchanges.permissions import can_create_exchange, require_manager
from scbi.exchanges.queries.choices import choosable_sector_ids, competencies_of, results_of
from scbi.extensions import db
from scbi.programme.models import Competency, Institution, PriorityResult, Sector
from scbi.validation import Errors

FIELDS = (
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "host_institution_id",
    "host_country",
    "host_organisation",
    "questions",
    "learnt",
    "sector_ids",
    "competency_ids",
    "result_ids",
)


def content(exchange: Exchange) -> dict:
    """The exchange as its forms, the API and the audit trail read it."""
    return audit.snapshot(exchange, *FIELDS)


def id_list(errors: Errors, field: str, value) -> list[int]:
    """A list of ids (whole numbers), or [] with the reason."""
    if value is None or value == "":
        return []
    if not isinstance(value, list | tuple) or any(
        isinstance(v, bool) or not str(v).isdecimal() for v in value
    ):
        errors.add(field, _("Give a list of ids."))
        return []
    return sorted({int(v) for v in value})


def _dates(errors: Errors, data: dict):
    starts = errors.date("starts_on", data.get("starts_on"))
    ends = errors.date("ends_on", data.get("ends_on"), required=False) or starts
    if starts and ends:
        if ends < starts:
            errors.add("ends_on", _("The exchange cannot end before it starts."))
        elif ends > starts + timedelta(days=MAX_DAYS - 1):
            errors.add(
                "ends_on",
                _("An exchange lasts at most %(n)d days: check the dates.", n=MAX_DAYS),
            )
    return starts, ends


def _host(errors: Errors, data: dict) -> dict:
    """An institution of the programme, or an organisation named with its country."""
    institution = errors.ref(
        "host_institution_id",
        Institution,
        data.get("host_institution_id"),
        required=False,
        label=_l("institution"),
    )
    organisation = errors.text(
        "host_organisation", data.get("host_organisation"), **EXCHANGE["host_organisation"].check()
    )
    sent_country = data.get("host_country")
    if institution is not None:
        if organisation:
            errors.add(
                "host_organisation",
                _("An institution of the programme hosts it: leave the organisation empty."),
            )
        if sent_country:
            errors.add(
                "host_country",
                _("An institution of the programme hosts it: leave the country empty."),
            )
        return {
            "host_institution_id": institution.id,
            "host_organisation": None,
            "host_country": None,
        }
    country = None
    if organisation:
        country = checked_country(errors, "host_country", sent_country)
    elif "host_institution_id" not in errors.fields:
        errors.add(
            "host_institution_id",
            _("Choose the host institution, or name the host organisation and its country."),
        )
    return {
        "host_institution_id": None,
        "host_organisation": organisation or None,
        "host_country": country,
    }


def _sectors(errors: Errors, by: User, ids: list[int], current: list[int]) -> list[Sector]:
    """The exchange's sectors: at least one; a coordinator sets only theirs, keeps the
    others it has (they are other coordinators' to remove) and keeps one of theirs."""
    if not ids:
        errors.add("sector_ids", _("Choose at least one sector."))
        return []
    found = list(db.session.scalars(select(Sector).where(Sector.id.in_(ids))))
    if len(found) != len(ids):
        errors.add("sector_ids", _("Some of these sectors do not exist."))
        return []
    managed = managed_sector_ids(by)
    if managed is None:
        return found
    if not set(ids) <= choosable_sector_ids(by, current):
        errors.add("sector_ids", _("You can add only the sectors you coordinate."))
    elif removed := (set(current) - set(ids)) - managed:
        names = sorted(
            s.name for s in db.session.scalars(select(Sector).where(Sector.id.in_(removed)))
        )
        errors.add(
            "sector_ids",
            _(
                "Only the secretariat or their coordinators remove these sectors: %(names)s.",
                names=", ".join(names),
            ),
        )
    elif not set(ids) & managed:
        errors.add("sector_ids", _("Keep at least one sector you coordinate."))
    return found


def _named(errors: Errors, field: str, query, model, ids: list[int], message: str) -> list:
    if not ids:
        return []
    found = list(db.session.scalars(query.where(model.id.in_(ids))))
    if len(found) != len(ids):
        errors.add(field, message)
    return found


def _kind(errors: Errors, value) -> ExchangeKind | None:
    chosen = errors.choice("kind", value, ExchangeKind)
    return ExchangeKind(chosen) if chosen else None


def _values(by: User, data: dict, current: dict) -> dict:
    errors = Errors()
    starts, ends = _dates(errors, data)
    values = {
        "kind": _kind(errors, data.get("kind")),
        "title": errors.text("title", data.get("title"), **EXCHANGE["title"].check()),
        "starts_on": starts,
        "ends_on": ends,
        **_host(errors, data),
        "questions": errors.text(
            "questions", data.get("questions"), **EXCHANGE["questions"].check()
        ),
        "learnt": errors.text("learnt", data.get("learnt"), **EXCHANGE["learnt"].check()),
    }
    if values["learnt"] and starts and starts > today():
        errors.add(
            "learnt",
            _(
                "What was learnt is recorded once the exchange has begun (it starts on %(day)s).",
                day=format_date(starts, "long"),
            ),
        )
    sector_ids = id_list(errors, "sector_ids", data.get("sector_ids"))
    sectors = _sectors(errors, by, sector_ids, current.get("sector_ids", []))
    values["sectors"] = sectors
    values["competencies"] = _named(
        errors,
        "competency_ids",
        competencies_of(sector_ids),
        Competency,
        id_list(errors, "competency_ids", data.get("competency_ids")),
        _("Choose competencies of the exchange's sectors' frameworks or cross-cutting ones."),
    )
    values["results"] = _named(
        errors,
        "result_ids",
        results_of(sector_ids),
        PriorityResult,
        id_list(errors, "result_ids", data.get("result_ids")),
        _("Choose priority results of the exchange's sectors."),
    )
    errors.raise_if_any()
    return values


def create_exchange(*, by: User, **data) -> Exchange:
    """Record a new exchange (the secretariat; a coordinator, in their sectors)."""
    if not can_create_exchange(by):
        raise NotAllowed
    values = _values(by, data, {})
    exchange = Exchange(created_by_id=by.id, **values)
    return audit.add_created(exchange, *FIELDS, by=by, action="exchange.create")


def update_exchange(exchange: Exchange, *, by: User, version, **data) -> Exchange:
    """Change the exchange under the ``version`` read (a stale one: 409, nothing
    changed); fields not sent keep their values (what was learnt is written here once
    the exchange has begun)."""
    require_manager(by, exchange)
    check_version(exchange, version)
    before = content(exchange)
    values = _values(by, {**before, **data}, before)
    for name, value in values.items():
        setattr(exchange, name, value)
    db.session.flush()
    after = content(exchange)
    changed = [name for name in FIELDS if before[name] != after[name]]
    if changed:
        audit.record(
            "exchange.update",
            by=by,
            entity=exchange,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return exchange
