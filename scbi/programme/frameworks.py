"""Competency frameworks and their competencies, changed by the secretariat, and the
``core`` flag (``set_core``, the one place where core flags change).

The Moodle CSV file (export, and what its cells may hold) is in ``framework_file``; the
import in ``framework_import``; the proposal, bulk selections and the expert-rule warning
in ``core_choice``.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import inspect, select

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import User
from scbi.auth.permissions import require_configure
from scbi.errors import check_version
from scbi.extensions import db
from scbi.programme import rules
from scbi.programme.framework_file import refuse_formula
from scbi.programme.models import (
    COMPETENCY,
    FRAMEWORK,
    Competency,
    CompetencyFramework,
    Sector,
)
from scbi.validation import Errors

FRAMEWORK_FIELDS = ("name", "idnumber", "sector_id", "description")
COMPETENCY_FIELDS = ("idnumber", "short_name", "description", "parent_id", "core")


def _framework_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    sector = errors.ref(
        "sector_id", Sector, data.get("sector_id"), required=False, label=_("sector")
    )
    values = {
        "name": errors.text("name", data.get("name"), **FRAMEWORK["name"].check()),
        "idnumber": errors.text("idnumber", data.get("idnumber"), **FRAMEWORK["idnumber"].check()),
        "sector_id": sector.id if sector else None,
        "description": errors.text(
            "description", data.get("description"), **FRAMEWORK["description"].check()
        ),
    }
    for name in ("name", "idnumber", "description"):
        refuse_formula(errors, name, values[name])
    if values["idnumber"]:
        query = select(CompetencyFramework.id).where(
            CompetencyFramework.idnumber == values["idnumber"]
        )
        if exclude_id is not None:
            query = query.where(CompetencyFramework.id != exclude_id)
        if db.session.scalar(query) is not None:
            errors.add("idnumber", _("Another framework has this ID number."))
    return values


def create_framework(*, by: User, **data) -> CompetencyFramework:
    require_configure(by)
    errors = Errors()
    values = _framework_values(errors, data)
    errors.raise_if_any()
    framework = CompetencyFramework(**values)
    return audit.add_created(framework, *FRAMEWORK_FIELDS, by=by, action="framework.create")


def update_framework(
    framework: CompetencyFramework, *, by: User, version, effective_on=None, **data
) -> CompetencyFramework:
    """Edit a framework. Moving it to another sector moves its core competencies into that
    sector's expert rule from ``effective_on`` on (a dated change, scbi.programme.rules)."""
    require_configure(by)
    check_version(framework, version)
    errors = Errors()
    current = snapshot(framework, *FRAMEWORK_FIELDS)
    values = _framework_values(errors, {**current, **data}, framework.id)
    moved = not errors and values["sector_id"] != current["sector_id"]
    core = [c for c in framework.competencies if c.core]
    if moved:
        effective_on = rules.core_effective_date(errors, core, effective_on)
    errors.raise_if_any()
    for key, value in values.items():
        setattr(framework, key, value)
    db.session.flush()
    if moved:
        rules.record_core(core, by=by, effective_on=effective_on)
    changed = [k for k in values if current[k] != values[k]]
    if changed:
        audit.record(
            "framework.update",
            by=by,
            entity=framework,
            before={k: current[k] for k in changed},
            after={k: values[k] for k in changed}
            | ({"effective_on": effective_on} if moved else {}),
        )
    return framework


# --- competencies --------------------------------------------------------------------------


def _competency_values(
    errors: Errors, framework: CompetencyFramework, data: dict, competency: Competency | None = None
) -> dict:
    values = {
        "idnumber": errors.text("idnumber", data.get("idnumber"), **COMPETENCY["idnumber"].check()),
        "short_name": errors.text(
            "short_name", data.get("short_name"), **COMPETENCY["short_name"].check()
        ),
        "description": errors.text(
            "description", data.get("description"), **COMPETENCY["description"].check()
        ),
        "parent_id": None,
        "core": bool(data.get("core", False)),
    }
    for name in ("idnumber", "short_name", "description"):
        refuse_formula(errors, name, values[name])
    parent = errors.ref(
        "parent_id", Competency, data.get("parent_id"), required=False, label=_("parent competency")
    )
    if parent is not None:
        if parent.framework_id != framework.id:
            errors.add("parent_id", _("The parent must be in the same framework."))
        elif competency is not None and _is_descendant_or_self(parent, competency):
            errors.add(
                "parent_id", _("A competency cannot sit under itself or its own sub-competencies.")
            )
        else:
            values["parent_id"] = parent.id
    if values["idnumber"]:
        query = select(Competency.id).where(
            Competency.framework_id == framework.id, Competency.idnumber == values["idnumber"]
        )
        if competency is not None:
            query = query.where(Competency.id != competency.id)
        if db.session.scalar(query) is not None:
            errors.add("idnumber", _("Another competency of this framework has this ID number."))
    return values


def _is_descendant_or_self(candidate: Competency, competency: Competency) -> bool:
    node = candidate
    while node is not None:
        if node.id == competency.id:
            return True
        node = node.parent
    return False


def add_competency(
    framework: CompetencyFramework, *, by: User, effective_on=None, **data
) -> Competency:
    """A new competency at the end of the framework; its core flag goes through
    :func:`set_core` (``effective_on``: the day a core flag takes effect)."""
    require_configure(by)
    errors = Errors()
    values = _competency_values(errors, framework, data)
    day = rules.effective_date(errors, effective_on, since=None)
    errors.raise_if_any()
    core = values.pop("core")
    last = db.session.scalar(
        select(Competency.sort_order)
        .where(Competency.framework_id == framework.id)
        .order_by(Competency.sort_order.desc())
        .limit(1)
    )
    competency = Competency(
        framework_id=framework.id, sort_order=(last or 0) + 1, core=False, **values
    )
    db.session.add(competency)
    touch(framework)  # a new member of the tree makes an open core choice stale
    db.session.flush()
    if core:
        set_core(framework, [*core_ids_of(framework), competency.id], by=by, effective_on=day)
    audit.record(
        "competency.create",
        by=by,
        entity=competency,
        after=snapshot(competency, *COMPETENCY_FIELDS),
    )
    return competency


def update_competency(
    competency: Competency, *, by: User, version, effective_on=None, **data
) -> Competency:
    """Change a competency; a change of its core flag goes through :func:`set_core`."""
    require_configure(by)
    check_version(competency, version)
    errors = Errors()
    current = snapshot(competency, *COMPETENCY_FIELDS)
    values = _competency_values(errors, competency.framework, {**current, **data}, competency)
    day = None
    if not errors and values["core"] != competency.core:  # a dated change
        day = rules.core_effective_date(errors, [competency], effective_on)
    errors.raise_if_any()
    core = values.pop("core")
    for key, value in values.items():
        setattr(competency, key, value)
    db.session.flush()
    changed = [k for k in values if current[k] != values[k]]
    if changed:
        audit.record(
            "competency.update",
            by=by,
            entity=competency,
            before={k: current[k] for k in changed},
            after={k: values[k] for k in changed},
        )
    if core != competency.core:
        framework = competency.framework
        wanted = set(core_ids_of(framework)) ^ {competency.id}
        set_core(framework, wanted, by=by, effective_on=day)
    return competency


# --- core flags ----------------------------------------------------------------------------


def core_ids_of(framework: CompetencyFramework) -> list[int]:
    """The ids of the framework's core competencies, as stored now."""
    return list(
        db.session.scalars(
            select(Competency.id).where(
                Competency.framework_id == framework.id, Competency.core.is_(True)
            )
        )
    )


def touch(framework: CompetencyFramework) -> None:
    """Move the framework's version on once per change: its tree and core flags are its
    content too, so an open core choice or import preview becomes stale."""
    if not inspect(framework).attrs.version.history.has_changes():
        framework.version = (framework.version or 1) + 1


def set_core(
    framework: CompetencyFramework, core_ids: Iterable, *, by: User, effective_on=None
) -> list[Competency]:
    """Make exactly the competencies in ``core_ids`` core among the framework's (the others
    not) and return those whose flag changed. Every change of core flags goes through
    here: the import and re-import, the bulk choice, a competency's own form, the API.

    A change is dated (scbi.programme.rules): in force from ``effective_on`` (default
    today), written to the core history, so no figure for an earlier date changes.

    Refuses ids that are not competencies of the framework (422 ``core_ids``) and an
    ``effective_on`` in the future, before 1990 or before the latest change of a competency
    it changes (422 ``effective_on``). Audits one ``framework.core`` event with the core
    ids before and after, when something changed."""
    require_configure(by)
    errors = Errors()
    competencies = db.session.scalars(
        select(Competency)
        .where(Competency.framework_id == framework.id)
        .order_by(Competency.sort_order, Competency.id)
    ).all()
    known = {c.id for c in competencies}
    wanted: set[int] = set()
    unknown: list[str] = []
    for ident in core_ids:
        number = _as_id(ident)
        if number in known:
            wanted.add(number)
        else:
            unknown.append(str(ident))
    if unknown:
        errors.add(
            "core_ids",
            ngettext(
                "%(ids)s is not a competency of this framework.",
                "These are not competencies of this framework: %(ids)s.",
                len(unknown),
                ids=", ".join(unknown[:20]),
            ),
        )
    before = sorted(c.id for c in competencies if c.core)
    changed = [c for c in competencies if c.core != (c.id in wanted)]
    day = rules.core_effective_date(errors, changed, effective_on)
    errors.raise_if_any()
    for competency in changed:
        competency.core = competency.id in wanted
    if changed:
        touch(framework)
        db.session.flush()
        rules.record_core(changed, by=by, effective_on=day)
        audit.record(
            "framework.core",
            by=by,
            entity=framework,
            before={"core_ids": before},
            after={"core_ids": sorted(wanted), "effective_on": day.isoformat()},
        )
    return changed


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def choose_core(
    framework: CompetencyFramework, core_ids: Iterable, *, by: User, version, effective_on=None
) -> list[Competency]:
    """The bulk core choice of the framework page and ``PUT /frameworks/{id}/core``: the
    framework's ``version`` as read (409 when stale), then :func:`set_core`."""
    require_configure(by)
    check_version(framework, version)
    return set_core(framework, core_ids, by=by, effective_on=effective_on)
