"""Programme configuration rules: phases, sectors, coordinators, institutions, results.

Only the secretariat configures (``require_configure``); every change is audited.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import Role, User
from scbi.auth.permissions import require_configure
from scbi.database import utcnow
from scbi.errors import check_version
from scbi.extensions import db
from scbi.programme import rules
from scbi.programme.models import (
    EARLIEST_DATE,
    INSTITUTION,
    PHASE,
    PRIORITY_RESULT,
    SECTOR,
    Institution,
    Phase,
    PriorityResult,
    PriorityResultStatus,
    ResultStatus,
    Sector,
)
from scbi.validation import Errors


def _unique(errors: Errors, field: str, model, column, value, exclude_id=None, message=None):
    if not value:
        return
    query = select(model.id).where(func.lower(column) == value.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        errors.add(field, message or _("This is already used by another record."))


# --- phases --------------------------------------------------------------------------------

PHASE_FIELDS = ("name", "start_date", "end_date", "description")


def _phase_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    values = {
        "name": errors.text("name", data.get("name"), **PHASE["name"].check()),
        "start_date": errors.date("start_date", data.get("start_date")),
        "end_date": errors.date("end_date", data.get("end_date"), required=False),
        "description": errors.text(
            "description", data.get("description"), **PHASE["description"].check()
        ),
    }
    _unique(
        errors,
        "name",
        Phase,
        Phase.name,
        values["name"],
        exclude_id,
        _("A phase with this name already exists."),
    )
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        errors.add("end_date", _("The end must not be before the start."))
    else:
        errors.span("end_date", values["start_date"], values["end_date"])
    return values


def create_phase(*, by: User, **data) -> Phase:
    require_configure(by)
    errors = Errors()
    values = _phase_values(errors, data)
    errors.raise_if_any()
    return audit.add_created(Phase(**values), *PHASE_FIELDS, by=by, action="phase.create")


def update_phase(phase: Phase, *, by: User, version, **data) -> Phase:
    require_configure(by)
    check_version(phase, version)
    errors = Errors()
    values = _phase_values(errors, {**snapshot(phase, *PHASE_FIELDS), **data}, phase.id)
    errors.raise_if_any()
    return _apply(phase, values, by, "phase.update")


def _apply(obj, values: dict, by: User, action: str):
    return audit.apply_changes(obj, values, by=by, action=action)


# --- sectors -------------------------------------------------------------------------------

SECTOR_FIELDS = ("code", "name", "active", "expert_target", "target_date", "expert_level")


def _sector_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    values = {
        "code": errors.text("code", data.get("code"), **SECTOR["code"].check()).upper(),
        "name": errors.text("name", data.get("name"), **SECTOR["name"].check()),
        "expert_target": errors.integer(
            "expert_target", data.get("expert_target"), **SECTOR["expert_target"].check()
        ),
        "target_date": errors.date("target_date", data.get("target_date")),
        "expert_level": errors.integer(
            "expert_level", data.get("expert_level", 3) or 3, **SECTOR["expert_level"].check()
        ),
        "active": bool(data.get("active", True)),
    }
    _unique(
        errors,
        "code",
        Sector,
        Sector.code,
        values["code"],
        exclude_id,
        _("Another sector has this code."),
    )
    _unique(
        errors,
        "name",
        Sector,
        Sector.name,
        values["name"],
        exclude_id,
        _("Another sector has this name."),
    )
    return values


def create_sector(*, by: User, **data) -> Sector:
    require_configure(by)
    errors = Errors()
    values = _sector_values(errors, data)
    errors.raise_if_any()
    sector = Sector(**values)
    db.session.add(sector)
    db.session.flush()
    # Nothing of the sector existed before: its first settings are in force from the start.
    rules.record_sector_rule(sector, by=by, effective_on=EARLIEST_DATE)
    audit.record("sector.create", by=by, entity=sector, after=snapshot(sector, *SECTOR_FIELDS))
    return sector


def update_sector(sector: Sector, *, by: User, version, effective_on=None, **data) -> Sector:
    """Edit a sector. A new expert level, target or target date is a dated change, in
    force from ``effective_on`` (default today; see scbi.programme.rules)."""
    require_configure(by)
    check_version(sector, version)
    errors = Errors()
    before = snapshot(sector, *SECTOR_FIELDS)
    values = _sector_values(errors, {**before, **data}, sector.id)
    dated = not errors and rules.rule_changed(before, values)
    if dated:
        effective_on = rules.effective_date(
            errors, effective_on, since=rules.latest_sector_rule(sector.id)
        )
    errors.raise_if_any()
    _apply(sector, values, by, "sector.update")
    if dated:
        rules.record_sector_rule(sector, by=by, effective_on=effective_on)
        audit.record(
            "sector.rule",
            by=by,
            entity=sector,
            before={k: before[k] for k in rules.RULE_FIELDS},
            after={**{k: values[k] for k in rules.RULE_FIELDS}, "effective_on": effective_on},
        )
    return sector


def _assigned_sectors(errors: Errors, is_coordinator: bool, sector_ids) -> list[Sector]:
    """The sectors a coordinator is assigned, by the rule: known sectors, coordinators
    only."""
    wanted = []
    for ident in sorted(set(sector_ids or ())):
        sector = errors.ref("sector_ids", Sector, ident, label=_("sector"))
        if sector is not None:
            wanted.append(sector)
    if wanted and not is_coordinator:
        errors.add("sector_ids", _("Only coordinators are assigned to sectors."))
    return wanted


def coordinator_sector_problems(_user: User | None, roles, sector_ids) -> dict[str, list[str]]:
    """What :func:`set_coordinator_sectors` would refuse for an account given ``roles``:
    checked with the account's own fields, so that every problem is named at once."""
    errors = Errors()
    _assigned_sectors(errors, Role.COORDINATOR.value in {str(r) for r in roles or ()}, sector_ids)
    return errors.fields


def set_coordinator_sectors(user: User, sector_ids, *, by: User) -> None:
    """Assign ``user`` (a coordinator) to exactly these sectors."""
    require_configure(by)
    errors = Errors()
    wanted = _assigned_sectors(errors, user.has_role(Role.COORDINATOR), sector_ids)
    errors.raise_if_any()
    before = sorted(s.id for s in user.sectors)
    after = sorted(s.id for s in wanted)
    if before == after:
        return
    for sector in db.session.scalars(select(Sector).where(Sector.id.in_(set(before) | set(after)))):
        if sector.id in after and user not in sector.coordinators:
            sector.coordinators.append(user)
        elif sector.id not in after and user in sector.coordinators:
            sector.coordinators.remove(user)
    db.session.flush()
    db.session.expire(user, ["sectors"])
    audit.record(
        "user.sectors",
        by=by,
        entity=user,
        before={"sector_ids": before},
        after={"sector_ids": after},
    )


# --- institutions --------------------------------------------------------------------------

INSTITUTION_FIELDS = ("name", "acronym", "sector_id")


def _institution_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    sector = errors.ref("sector_id", Sector, data.get("sector_id"), label=_("sector"))
    values = {
        "name": errors.text("name", data.get("name"), **INSTITUTION["name"].check()),
        "acronym": errors.text(
            "acronym", data.get("acronym"), **INSTITUTION["acronym"].check()
        ).upper(),
        "sector_id": sector.id if sector else None,
    }
    _unique(
        errors,
        "acronym",
        Institution,
        Institution.acronym,
        values["acronym"],
        exclude_id,
        _("Another institution has this acronym."),
    )
    return values


def create_institution(*, by: User, **data) -> Institution:
    require_configure(by)
    errors = Errors()
    values = _institution_values(errors, data)
    errors.raise_if_any()
    institution = Institution(**values)
    return audit.add_created(institution, *INSTITUTION_FIELDS, by=by, action="institution.create")


def update_institution(institution: Institution, *, by: User, version, **data) -> Institution:
    require_configure(by)
    check_version(institution, version)
    errors = Errors()
    current = snapshot(institution, *INSTITUTION_FIELDS)
    values = _institution_values(errors, {**current, **data}, institution.id)
    errors.raise_if_any()
    return _apply(institution, values, by, "institution.update")


# --- priority results ----------------------------------------------------------------------

RESULT_FIELDS = ("sector_id", "institution_id", "title", "due_date", "status")


def _result_values(errors: Errors, data: dict) -> dict:
    sector = errors.ref("sector_id", Sector, data.get("sector_id"), label=_("sector"))
    institution = errors.ref(
        "institution_id",
        Institution,
        data.get("institution_id"),
        required=False,
        label=_("institution"),
    )
    if sector and institution and institution.sector_id != sector.id:
        errors.add("institution_id", _("This institution belongs to another sector."))
    return {
        "sector_id": sector.id if sector else None,
        "institution_id": institution.id if institution else None,
        "title": errors.text("title", data.get("title"), **PRIORITY_RESULT["title"].check()),
        "due_date": errors.date("due_date", data.get("due_date")),
        "status": errors.choice("status", data.get("status") or "not_started", ResultStatus),
    }


def create_priority_result(
    *, by: User, status_note: str = "", status_on: date | None = None, **data
) -> PriorityResult:
    require_configure(by)
    errors = Errors()
    values = _result_values(errors, data)
    note = errors.text("status_note", status_note, **PRIORITY_RESULT["status_note"].check())
    errors.raise_if_any()
    result = PriorityResult(**values)
    db.session.add(result)
    db.session.flush()
    _record_status(result, note, status_on, by)
    audit.record(
        "priority_result.create", by=by, entity=result, after=snapshot(result, *RESULT_FIELDS)
    )
    return result


def update_priority_result(
    result: PriorityResult,
    *,
    by: User,
    version,
    status_note: str = "",
    status_on: date | None = None,
    **data,
) -> PriorityResult:
    """Edit a result; a new status (or a note) adds a dated entry to its history."""
    require_configure(by)
    check_version(result, version)
    errors = Errors()
    values = _result_values(errors, {**snapshot(result, *RESULT_FIELDS), **data})
    note = errors.text("status_note", status_note, **PRIORITY_RESULT["status_note"].check())
    errors.raise_if_any()
    status_changed = values["status"] != result.status
    _apply(result, values, by, "priority_result.update")
    if status_changed or note:
        _record_status(result, note, status_on, by)
    return result


def _record_status(result: PriorityResult, note: str, status_on: date | None, by: User) -> None:
    now = utcnow()
    db.session.add(
        PriorityResultStatus(
            result_id=result.id,
            status=result.status,
            status_on=status_on or now.date(),
            note=note,
            recorded_by_id=by.id,
            recorded_at=now,
        )
    )
    db.session.flush()


def set_sector_coordinators(sector: Sector, user_ids, *, by: User) -> None:
    """Make exactly these coordinators responsible for ``sector``."""
    require_configure(by)
    wanted = set(user_ids or ())
    users = db.session.scalars(select(User).where(User.id.in_(wanted))).all() if wanted else []
    errors = Errors()
    if len(users) != len(wanted) or any(not u.has_role(Role.COORDINATOR) for u in users):
        errors.add("coordinators", _("Choose accounts that hold the coordinator role."))
    errors.raise_if_any()
    before = sorted(u.id for u in sector.coordinators)
    after = sorted(wanted)
    if before == after:
        return
    sector.coordinators = sorted(users, key=lambda u: u.full_name)
    db.session.flush()
    for user in users:
        db.session.expire(user, ["sectors"])
    audit.record(
        "sector.coordinators",
        by=by,
        entity=sector,
        before={"coordinator_ids": before},
        after={"coordinator_ids": after},
    )
