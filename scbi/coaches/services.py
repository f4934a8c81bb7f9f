"""Coach registration and profile changes (secretariat)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import Role, User
from scbi.auth.permissions import require_configure
from scbi.auth.profiles import Registration, register_profiles
from scbi.coaches.models import COACH, Coach, CoachStatus
from scbi.coaches.queries import active_mentee_counts
from scbi.errors import check_version
from scbi.extensions import db
from scbi.hooks import Hook
from scbi.programme.models import Institution, Sector
from scbi.validation import Errors

profile_checks = Hook(
    "coaches.profile_checks",
    "(errors, coach, values) -> None: refuse (errors.add on the field) a profile change "
    "that what features above recorded forbids, such as a contract no longer covering an "
    "open pairing.",
    required=True,
)

PROFILE_FIELDS = (
    "nationality",
    "organisation",
    "technical_expertise",
    "coaching_experience_years",
    "coaching_qualification",
    "sector_id",
    "host_institution_id",
    "contract_start",
    "contract_end",
    "max_mentees",
    "status",
)


def _default(value, default):
    return default if value is None or value == "" else value


def _profile_values(errors: Errors, data: dict) -> dict:
    sector = errors.ref("sector_id", Sector, data.get("sector_id"), label=_l("sector"))
    institution = errors.ref(
        "host_institution_id", Institution, data.get("host_institution_id"), label=_l("institution")
    )
    values = {
        "nationality": errors.text(
            "nationality", data.get("nationality"), **COACH["nationality"].check()
        ),
        "organisation": errors.text(
            "organisation", data.get("organisation"), **COACH["organisation"].check()
        ),
        "technical_expertise": errors.text(
            "technical_expertise",
            data.get("technical_expertise"),
            **COACH["technical_expertise"].check(),
        ),
        "coaching_experience_years": errors.integer(
            "coaching_experience_years",
            data.get("coaching_experience_years"),
            **COACH["coaching_experience_years"].check(),
        ),
        "coaching_qualification": errors.text(
            "coaching_qualification",
            data.get("coaching_qualification"),
            **COACH["coaching_qualification"].check(),
        ),
        "sector_id": sector.id if sector else None,
        "host_institution_id": institution.id if institution else None,
        "contract_start": errors.date("contract_start", data.get("contract_start")),
        "contract_end": errors.date("contract_end", data.get("contract_end")),
        "max_mentees": errors.integer(
            "max_mentees", _default(data.get("max_mentees"), 4), **COACH["max_mentees"].check()
        ),
        "status": errors.choice("status", data.get("status") or "active", CoachStatus),
    }
    start, end = values["contract_start"], values["contract_end"]
    if start and end and end < start:
        errors.add("contract_end", _("The contract must not end before it starts."))
    else:
        errors.span("contract_end", start, end)
    return values


def register_coach(*, by: User, **person) -> tuple[Coach, Registration]:
    """Create a coach's account and profile; the registration says the password to show
    once (None for a mentee's account that joins, or an invitation mailed; see
    :func:`register_coaches`)."""
    [registered] = register_coaches([person], by=by)
    return db.session.get(Coach, registered.id), registered


def register_coaches(people: list[dict], *, by: User) -> list[Registration]:
    """Register coaches: each person's account (``email``, ``full_name``, optionally
    ``password`` or ``password_hash`` and ``must_change_password``; without a password a
    one-time password is generated, to be changed at first sign-in) and profile.

    The e-mail of a mentee's account makes that mentee a coach too (the cascade): the
    profile joins their account, which keeps its password (None is returned) and whose
    sessions end. Every check runs once for the whole batch, then each table takes one
    multi-row insert. Raises PeopleRefused naming each refused person's fields; then
    nothing is written.
    """
    registered, _values = register_profiles(
        people,
        by=by,
        model=Coach,
        role=Role.COACH,
        joins=Role.MENTEE,
        profile_values=_profile_values,
    )
    return registered


def update_coach(coach: Coach, *, by: User, version, **data) -> Coach:
    """Change a coach's profile; capacity cannot drop below the coach's active pairings,
    and a new contract must still cover each open pairing (its start, its planned end and
    every log sent in it).

    The name and e-mail belong to the account (Accounts page), not to the profile.
    """
    require_configure(by)
    check_version(coach, version)
    errors = Errors()
    values = _profile_values(errors, {**snapshot(coach, *PROFILE_FIELDS), **data})
    active = active_mentee_counts([coach.id]).get(coach.id, 0)
    if values["max_mentees"] is not None and values["max_mentees"] < active:
        errors.add(
            "max_mentees", _("The coach has %(n)d active pairings; end some first.", n=active)
        )
    profile_checks.ask(errors, coach, values)
    errors.raise_if_any()
    return audit.apply_changes(coach, values, by=by, action="coach.update")
