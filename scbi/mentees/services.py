"""Mentee registration, profile changes and dated status changes (secretariat)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import Role, User
from scbi.auth.permissions import require_configure
from scbi.auth.profiles import create_profile_account
from scbi.database import utcnow
from scbi.dates import today
from scbi.errors import check_version
from scbi.extensions import db
from scbi.hooks import Hook
from scbi.mentees.models import (
    EXIT_STATUSES,
    MENTEE,
    MENTEE_STATUS,
    Gender,
    Mentee,
    MenteeStatus,
    MenteeStatusChange,
)
from scbi.programme.models import Institution, Phase, Sector
from scbi.validation import Errors

exit_checks = Hook(
    "mentees.exit_checks",
    "(errors, mentee, day) -> None: refuse (errors.add on status_date) an exit dated before "
    "what features above recorded for the mentee, such as a log sent to them after it.",
    required=True,
)
exited = Hook(
    "mentees.exited",
    "(mentee, *, by, status, day, note) -> None: end what the mentee's exit ends, in the "
    "same transaction (their open pairings).",
    required=True,
)

PROFILE_FIELDS = (
    "staff_number",
    "gender",
    "position",
    "institution_id",
    "sector_id",
    "phase_id",
    "joined_on",
)


def _profile_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    sector = errors.ref("sector_id", Sector, data.get("sector_id"), label=_("sector"))
    institution = errors.ref(
        "institution_id", Institution, data.get("institution_id"), label=_("institution")
    )
    phase = errors.ref("phase_id", Phase, data.get("phase_id"), required=False, label=_("phase"))
    values = {
        "staff_number": errors.text(
            "staff_number", data.get("staff_number"), **MENTEE["staff_number"].check()
        ),
        "gender": errors.choice("gender", data.get("gender"), Gender),
        "position": errors.text("position", data.get("position"), **MENTEE["position"].check()),
        "institution_id": institution.id if institution else None,
        "sector_id": sector.id if sector else None,
        "phase_id": phase.id if phase else None,
        "joined_on": errors.date("joined_on", data.get("joined_on")),
    }
    if values["staff_number"]:
        query = select(Mentee.id).where(
            # the database's lower() on both sides: the rule its unique index holds
            func.lower(Mentee.staff_number) == func.lower(values["staff_number"])
        )
        if exclude_id is not None:
            query = query.where(Mentee.id != exclude_id)
        if db.session.scalar(query) is not None:
            errors.add("staff_number", _("Another mentee has this staff number."))
    return values


def register_mentee(
    *,
    by: User,
    email: str,
    full_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    must_change_password: bool = True,
    **data,
) -> tuple[Mentee, str]:
    """Create a mentee's account and profile (status ``active`` from ``joined_on``)."""
    require_configure(by)
    errors = Errors()
    values = _profile_values(errors, data)
    user, password = create_profile_account(
        errors,
        by=by,
        role=Role.MENTEE,
        email=email,
        full_name=full_name,
        password=password,
        password_hash=password_hash,
        must_change_password=must_change_password,
    )
    errors.raise_if_any()
    mentee = Mentee(
        user_id=user.id,
        status=MenteeStatus.ACTIVE,
        status_changed_on=values["joined_on"],
        **values,
    )
    db.session.add(mentee)
    db.session.flush()
    _record_status(mentee, values["joined_on"], "", by)
    audit.record("mentee.create", by=by, entity=mentee, after=snapshot(mentee, *PROFILE_FIELDS))
    return mentee, password


def update_mentee(mentee: Mentee, *, by: User, version, **data) -> Mentee:
    require_configure(by)
    check_version(mentee, version)
    errors = Errors()
    values = _profile_values(errors, {**snapshot(mentee, *PROFILE_FIELDS), **data}, mentee.id)
    errors.raise_if_any()
    before = snapshot(mentee, *PROFILE_FIELDS)
    for key, value in values.items():
        setattr(mentee, key, value)
    db.session.flush()
    changed = [k for k in PROFILE_FIELDS if before[k] != values[k]]
    if changed:
        audit.record(
            "mentee.update",
            by=by,
            entity=mentee,
            before={k: before[k] for k in changed},
            after={k: values[k] for k in changed},
        )
    return mentee


def change_status(
    mentee: Mentee, *, by: User, version, status, status_date, note: str = ""
) -> Mentee:
    """Set the mentee's status from ``status_date`` on; the dated history is kept.

    The date may not be in the future, nor before the current status's date (history is
    written forwards). Graduating, withdrawing or leaving the public service ends each
    open pairing of the mentee on that date (completed for a graduate, terminated
    otherwise), in the same transaction; so the date may not be earlier than the last
    activity of a log sent to the mentee (a wrong log is disputed while the mentee is
    still active, and corrected by the coach).
    """
    require_configure(by)
    check_version(mentee, version)
    errors = Errors()
    status = errors.choice("status", status, MenteeStatus)
    when = errors.date("status_date", status_date)
    note = errors.text("note", note, **MENTEE_STATUS["note"].check())
    if when and when > today():
        errors.add("status_date", _("The date must not be in the future."))
    elif when and when < mentee.status_changed_on:
        errors.add(
            "status_date",
            _(
                "The current status dates from %(day)s; a change cannot be earlier.",
                day=mentee.status_changed_on.isoformat(),
            ),
        )
    elif when and status in EXIT_STATUSES:
        exit_checks.ask(errors, mentee, when)
    if status and status == mentee.status and not errors:
        errors.add("status", _("The mentee already has this status."))
    errors.raise_if_any()
    before = {"status": mentee.status, "status_changed_on": mentee.status_changed_on}
    mentee.status = status
    mentee.status_changed_on = when
    db.session.flush()
    _record_status(mentee, when, note, by)
    audit.record(
        "mentee.status",
        by=by,
        entity=mentee,
        before=before,
        after={"status": status, "status_changed_on": when, "note": note},
    )
    if status in EXIT_STATUSES:
        exited.ask(mentee, by=by, status=MenteeStatus(status), day=when, note=note)
    return mentee


def exit_reason(status: MenteeStatus, note: str) -> str:
    """Why a pairing ended with the mentee's exit, as a sentence (the note, if any)."""
    label = status.label
    if status == MenteeStatus.GRADUATED:
        if note:
            return _("Mentee graduated: %(note)s", note=note)
        return _("Mentee graduated.")
    if note:
        return _("Mentee left (%(status)s): %(note)s", status=label, note=note)
    return _("Mentee left (%(status)s).", status=label)


def _record_status(mentee: Mentee, when: date, note: str, by: User) -> None:
    db.session.add(
        MenteeStatusChange(
            mentee_id=mentee.id,
            status=mentee.status,
            status_on=when,
            note=note,
            recorded_by_id=by.id if by else None,
            recorded_at=utcnow(),
        )
    )
    db.session.flush()
