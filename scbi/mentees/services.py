"""Mentee registration, profile changes and dated status changes (secretariat)."""

from __future__ import annotations

import string
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import Role, User
from scbi.auth.permissions import require_configure
from scbi.auth.profiles import Registration, register_profiles
from scbi.database import insert_rows, utcnow
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
from scbi.sql import batches
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


def _profile_values(errors: Errors, data: dict) -> dict:
    sector = errors.ref("sector_id", Sector, data.get("sector_id"), label=_l("sector"))
    institution = errors.ref(
        "institution_id", Institution, data.get("institution_id"), label=_l("institution")
    )
    phase = errors.ref("phase_id", Phase, data.get("phase_id"), required=False, label=_l("phase"))
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
    return values


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _folded(number: str) -> set[str]:
    """A staff number as either database's ``lower()`` folds it: PostgreSQL's folds every
    letter (as Python does), SQLite's only A to Z."""
    return {number.lower(), number.translate(_ASCII_LOWER)}


def _check_staff_numbers(values: list[dict], errors: list[Errors], exclude_id=None) -> None:
    """Staff numbers are unique ignoring case (the rule the unique index on
    ``lower(staff_number)`` holds): one query a batch of people, and none twice in it."""
    numbers: dict[str, tuple[str, Errors]] = {}
    for value, problems in zip(values, errors, strict=True):
        number = value["staff_number"]
        if not number or "staff_number" in problems.fields:
            continue
        if number.lower() in numbers:
            problems.add("staff_number", _("An earlier row has this staff number."))
        else:
            numbers[number.lower()] = (number, problems)
    forms = {form: problems for number, problems in numbers.values() for form in _folded(number)}
    for batch in batches(sorted(forms)):
        query = select(Mentee.staff_number).where(func.lower(Mentee.staff_number).in_(batch))
        if exclude_id is not None:
            query = query.where(Mentee.id != exclude_id)
        for existing in db.session.scalars(query):
            for form in _folded(existing):
                problems = forms.get(form)
                if problems is not None and "staff_number" not in problems.fields:
                    problems.add("staff_number", _("Another mentee has this staff number."))


def register_mentee(*, by: User, **person) -> tuple[Mentee, Registration]:
    """Create a mentee's account and profile (status ``active`` from ``joined_on``); the
    registration says the password to show once, or that an invitation was mailed (see
    :func:`register_mentees`)."""
    [registered] = register_mentees([person], by=by)
    return db.session.get(Mentee, registered.id), registered


def register_mentees(people: list[dict], *, by: User) -> list[Registration]:
    """Register mentees: each person's account (``email``, ``full_name``, optionally
    ``password`` or ``password_hash`` and ``must_change_password``; without a password one
    is generated) and profile (``PROFILE_FIELDS``), active from ``joined_on``.

    Every check runs once for the whole batch, then each table takes one multi-row
    insert. Raises PeopleRefused naming each refused person's fields; then nothing is
    written.
    """
    registered, values = register_profiles(
        people,
        by=by,
        model=Mentee,
        role=Role.MENTEE,
        profile_values=_profile_values,
        checks=[_check_staff_numbers],
        columns=lambda value: {
            "status": MenteeStatus.ACTIVE,
            "status_changed_on": value["joined_on"],
        },
    )
    now = utcnow()
    insert_rows(
        db.session,
        MenteeStatusChange,
        [
            {
                "mentee_id": r.id,
                "status": MenteeStatus.ACTIVE,
                "status_on": value["joined_on"],
                "note": "",
                "recorded_by_id": by.id if by else None,
                "recorded_at": now,
            }
            for r, value in zip(registered, values, strict=True)
        ],
    )
    return registered


def update_mentee(mentee: Mentee, *, by: User, version, **data) -> Mentee:
    require_configure(by)
    check_version(mentee, version)
    errors = Errors()
    values = _profile_values(errors, {**snapshot(mentee, *PROFILE_FIELDS), **data})
    _check_staff_numbers([values], [errors], exclude_id=mentee.id)
    errors.raise_if_any()
    return audit.apply_changes(mentee, values, by=by, action="mentee.update")


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
