"""Transfer log rules: the coach writes and submits; the mentee acknowledges or disputes;
the secretariat or the sector's coordinator verifies.

draft → submitted → acknowledged → verified, or submitted → disputed → (corrected)
→ submitted. Acknowledged and verified logs never change; every step is kept as a
LogEvent, with the content before each correction.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from scbi import audit
from scbi.auth.models import User
from scbi.database import utcnow
from scbi.dates import today
from scbi.errors import Conflict, InvalidTransition, NotAllowed, check_version
from scbi.extensions import db
from scbi.programme.models import Competency
from scbi.transfer import log_months  # noqa: F401  (kept in step with each flush)
from scbi.transfer.models import (
    LOG,
    LOG_RESPONSE,
    ActivityType,
    LogEvent,
    LogStatus,
    MenteeRole,
    Pairing,
    PairingStatus,
    TransferLog,
)
from scbi.transfer.permissions import can_decide, is_mentee_of, require_log_writer
from scbi.transfer.queries.logs import exchange_choices
from scbi.transfer.queries.plans import allowed_competencies, plan_competency_ids
from scbi.transfer.services.plans import served_result
from scbi.validation import Errors


def _minutes(errors: Errors, hours) -> int | None:
    if hours is None or hours == "":
        errors.add("hours", _("This field is required."))
        return None
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        errors.add("hours", _("Enter a number of hours, e.g. 1.5."))
        return None
    limit = LOG["hours"]
    low, high, step = (Decimal(str(n)) for n in (limit.min, limit.max, limit.step))
    if not value.is_finite() or not low <= value <= high:
        errors.add("hours", _("Between %(low)s and %(high)s hours.", low=low, high=high))
        return None
    if value % step:
        errors.add("hours", _("Use quarter hours (0.25, 0.5, 0.75 …)."))
        return None
    return int(value * 60)


def _exchange(errors: Errors, pairing: Pairing, activity_type, ident) -> int | None:
    """A peer-exchange log may point at an exchange its mentee took part in (an unknown
    one is refused alike, so no exchange's existence shows); no other log points at one."""
    if ident is None or ident == "":
        return None
    if activity_type != ActivityType.PEER_EXCHANGE:
        errors.add("exchange_id", _("Only a peer-exchange activity points at an exchange."))
    elif str(ident).isdecimal() and int(ident) in dict(exchange_choices(pairing)):
        return int(ident)
    else:
        name = pairing.mentee.full_name
        errors.add("exchange_id", _("Choose an exchange %(name)s took part in.", name=name))
    return None


def _values(pairing: Pairing, data: dict) -> dict:
    """Checked log fields (DESIGN.md: date not in the future, inside the pairing and the
    coach's contract, hours 0.25–24, competencies from the approved plan unless an
    off-plan reason is given)."""
    errors = Errors()
    day = errors.date("activity_date", data.get("activity_date"))
    end = pairing.end_date or pairing.planned_end_date
    if day and day > today():
        errors.add("activity_date", _("The activity date cannot be in the future."))
    elif day and not pairing.start_date <= day <= end:
        errors.add(
            "activity_date",
            _(
                "Choose a date inside the pairing (%(start)s to %(end)s).",
                start=pairing.start_date.isoformat(),
                end=end.isoformat(),
            ),
        )
    elif day and not pairing.coach.under_contract(day, day):
        errors.add(
            "activity_date",
            _(
                "Choose a date inside the coach's contract (%(start)s to %(end)s).",
                start=pairing.coach.contract_start.isoformat(),
                end=pairing.coach.contract_end.isoformat(),
            ),
        )
    values = {
        "activity_date": day,
        "activity_type": errors.choice("activity_type", data.get("activity_type"), ActivityType),
        "minutes": _minutes(errors, data.get("hours")),
        "title": errors.text("title", data.get("title"), **LOG["title"].check()),
        "description": errors.text(
            "description", data.get("description"), **LOG["description"].check()
        ),
        "mentee_role": errors.choice("mentee_role", data.get("mentee_role"), MenteeRole),
        "off_plan_reason": errors.text(
            "off_plan_reason", data.get("off_plan_reason"), **LOG["off_plan_reason"].check()
        ),
    }
    values["priority_result_id"] = served_result(
        errors, "priority_result_id", pairing, data.get("priority_result_id")
    )
    values["exchange_id"] = _exchange(
        errors, pairing, values["activity_type"], data.get("exchange_id")
    )
    ids = data.get("competency_ids") or []
    if not isinstance(ids, list) or not ids:
        errors.add("competency_ids", _("Choose the competencies this activity addressed."))
        ids = []
    try:
        ids = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        errors.add("competency_ids", _("Competencies are given by their ids."))
        ids = []
    planned = plan_competency_ids(pairing.id)
    off_plan = [i for i in ids if i not in planned]
    competencies = []
    if ids:
        competencies = db.session.scalars(
            allowed_competencies(pairing).where(Competency.id.in_(ids))
        ).all()
        if len(competencies) != len(ids):
            errors.add(
                "competency_ids",
                _("Some competencies are not in this sector's or a cross-cutting framework."),
            )
        elif off_plan and not values["off_plan_reason"]:
            errors.add(
                "off_plan_reason",
                ngettext(
                    "%(num)d of the competencies is not in the approved plan; say why this "
                    "activity addressed it.",
                    "%(num)d of the competencies are not in the approved plan; say why this "
                    "activity addressed them.",
                    len(off_plan),
                )
                if planned
                else _("The pairing has no approved plan yet; say why this activity comes first."),
            )
    errors.raise_if_any()
    values["competencies"] = competencies
    return values


def _event(
    log: TransferLog,
    action: str,
    by: User,
    comment: str = "",
    snapshot: dict | None = None,
    at: datetime | None = None,
) -> None:
    log.events.append(
        LogEvent(action=action, by_id=by.id, at=at or utcnow(), comment=comment, snapshot=snapshot)
    )


def content(log: TransferLog) -> dict:
    return {
        "activity_date": log.activity_date.isoformat(),
        "activity_type": log.activity_type,
        "hours": log.hours,
        "title": log.title,
        "description": log.description,
        "mentee_role": log.mentee_role,
        "off_plan_reason": log.off_plan_reason,
        "competency_ids": [c.id for c in log.competencies],
        "priority_result_id": log.priority_result_id,
        "exchange_id": log.exchange_id,
    }


def create_log(pairing: Pairing, *, by: User, client_key: str | None = None, **data) -> TransferLog:
    """A draft log of the pairing's coach (the pairing must be active); ``client_key`` is
    the sender's key for it (see :func:`create_log_once`)."""
    require_log_writer(by, pairing)
    _require_mentee_present(pairing)
    if pairing.status != PairingStatus.ACTIVE:
        raise InvalidTransition(_("Logs are written while the pairing is active."))
    values = _values(pairing, data)
    log = TransferLog(
        pairing_id=pairing.id,
        author_id=by.id,
        status=LogStatus.DRAFT,
        evidence=[],  # a new log has none: known, never read back
        client_key=client_key,
        **values,
    )
    db.session.add(log)
    _event(log, "created", by)
    db.session.flush()
    audit.record("log.create", by=by, entity=log, after=content(log))
    return log


def _require_open(pairing: Pairing) -> None:
    """An ended pairing's logs are history: they no longer change or go to the mentee."""
    if not pairing.is_open:
        raise InvalidTransition(_("This pairing has ended; its logs can no longer change."))


def _require_mentee_present(pairing: Pairing) -> None:
    """A mentee who left the programme keeps reading their logs, and nothing more: no log
    is written, changed, sent, acknowledged or disputed for them (so none counts)."""
    mentee = pairing.mentee
    if mentee.has_left:
        raise InvalidTransition(
            _(
                "%(name)s left the programme on %(day)s, so their logs can no longer be "
                "written, sent, acknowledged or disputed. If that exit is recorded wrongly, "
                "ask the secretariat to correct the mentee's status.",
                name=mentee.full_name,
                day=mentee.status_changed_on.isoformat(),
            )
        )


def update_log(log: TransferLog, *, by: User, version, **data) -> TransferLog:
    """Change a draft, or correct a disputed log (its earlier content stays in history)."""
    if log.author_id != by.id:
        raise NotAllowed(_("Only the log's author changes it."))
    check_version(log, version)
    if not log.editable:
        raise InvalidTransition(
            _(
                "Only a draft or a disputed log can be changed (this one is: %(status)s).",
                status=LogStatus(log.status).label,
            )
        )
    _require_mentee_present(log.pairing)
    _require_open(log.pairing)
    before = content(log)
    values = _values(log.pairing, {**before, **data})
    for key, value in values.items():
        setattr(log, key, value)
    after = content(log)
    if after != before:
        _event(
            log,
            "corrected" if log.status == LogStatus.DISPUTED else "edited",
            by,
            snapshot=before,
        )
        log.version += 1  # competencies and events are the log's content too
    db.session.flush()
    audit.record("log.update", by=by, entity=log, before=before, after=after)
    return log


def _transition(
    log: TransferLog,
    by: User,
    version,
    allowed: set[LogStatus],
    to: LogStatus,
    action: str,
    comment: str = "",
    *,
    stamp: tuple[str, ...] = (),
    changes: dict | None = None,
) -> TransferLog:
    """Move the log from one of ``allowed`` to ``to`` once the checks pass; only then are
    the ``stamp`` columns set to the step's time (the history event's own) and
    ``changes`` written, so a refused step leaves the log as it was."""
    if version is not None:
        check_version(log, version)
    if LogStatus(log.status) not in allowed:
        raise InvalidTransition(_REFUSALS[action] % {"status": LogStatus(log.status).label})
    at = utcnow()
    for name in stamp:
        setattr(log, name, at)
    for name, value in (changes or {}).items():
        setattr(log, name, value)
    before = log.status
    log.status = to
    _event(log, action, by, comment, at=at)
    db.session.flush()
    audit.record(
        f"log.{action}",
        by=by,
        entity=log,
        before={"status": before},
        after={"status": to.value, "comment": comment},
    )
    return log


# Why a step is refused, a whole sentence each (the status as a value, in its own words).
_REFUSALS = {
    "submitted": _l("Only a draft or a disputed log can be sent (this one is: %(status)s)."),
    "acknowledged": _l("Only a submitted log can be acknowledged (this one is: %(status)s)."),
    "disputed": _l("Only a submitted log can be disputed (this one is: %(status)s)."),
    "verified": _l("Only an acknowledged log can be verified (this one is: %(status)s)."),
}


def submit_log(log: TransferLog, *, by: User, version=None) -> TransferLog:
    """Send the log to the mentee (again, after a correction)."""
    if log.author_id != by.id:
        raise NotAllowed(_("Only the log's author submits it."))
    _require_mentee_present(log.pairing)
    _require_open(log.pairing)
    _values(log.pairing, content(log))  # still valid today (e.g. the plan has changed)
    first = () if log.first_submitted_at else ("first_submitted_at",)
    return _transition(
        log,
        by,
        version,
        {LogStatus.DRAFT, LogStatus.DISPUTED},
        LogStatus.SUBMITTED,
        "submitted",
        stamp=("submitted_at", *first),
    )


def acknowledge_log(log: TransferLog, *, by: User, version=None, comment: str = "") -> TransferLog:
    """The mentee confirms the log happened as written (it then never changes)."""
    if not is_mentee_of(by, log.pairing):
        raise NotAllowed(_("Only the pairing's mentee acknowledges its logs."))
    _require_mentee_present(log.pairing)
    errors = Errors()
    comment = errors.text("comment", comment, **LOG_RESPONSE["comment"].check())
    errors.raise_if_any()
    return _transition(
        log,
        by,
        version,
        {LogStatus.SUBMITTED},
        LogStatus.ACKNOWLEDGED,
        "acknowledged",
        comment,
        stamp=("responded_at", "acknowledged_at"),
        changes={"mentee_comment": comment},
    )


def dispute_log(log: TransferLog, *, by: User, version=None, comment: str = "") -> TransferLog:
    """The mentee says what is wrong; the coach corrects and resubmits."""
    if not is_mentee_of(by, log.pairing):
        raise NotAllowed(_("Only the pairing's mentee disputes its logs."))
    _require_mentee_present(log.pairing)
    errors = Errors()
    comment = errors.text("comment", comment, **LOG_RESPONSE["comment"].check(required=True))
    if not comment:
        errors.fields["comment"] = [_("Say what is wrong so the coach can correct it.")]
    errors.raise_if_any()
    return _transition(
        log,
        by,
        version,
        {LogStatus.SUBMITTED},
        LogStatus.DISPUTED,
        "disputed",
        comment,
        stamp=("responded_at",),
        changes={"mentee_comment": comment},
    )


def verify_log(log: TransferLog, *, by: User, version=None) -> TransferLog:
    """The secretariat or the sector's coordinator has checked the log and its evidence."""
    if not can_decide(by, log.pairing):
        raise NotAllowed
    return _transition(
        log,
        by,
        version,
        {LogStatus.ACKNOWLEDGED},
        LogStatus.VERIFIED,
        "verified",
        stamp=("verified_at",),
        changes={"verified_by_id": by.id},
    )


def verify_logs(
    picked: list[tuple[TransferLog, int | None]], *, by: User
) -> list[tuple[TransferLog, str]]:
    """Verify each (log, version read) of ``picked`` — a manager's choice from the
    verification queue, after reading them. A log someone changed since it was read, or
    that is no longer acknowledged, is left as it is: returned with the reason (the others
    are verified all the same)."""
    refused = []
    for log, version in picked:
        try:
            verify_log(log, by=by, version=version)
        except (Conflict, InvalidTransition, NotAllowed) as error:
            refused.append((log, error.message))
    return refused
