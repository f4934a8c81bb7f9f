"""Competency frameworks: the tree, the ``core`` flag, Moodle CSV import and export.

The export is a Moodle file, so it is written exactly (no apostrophe before a leading
``=``) and every role may download it; instead, no text it carries may start as a
spreadsheet formula: such names and descriptions are refused when typed or imported, and
anything stored before that rule is neutralised on the way out (docs/security.md).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from scbi import audit
from scbi.auth.models import User
from scbi.auth.permissions import require_configure
from scbi.csv_export import FORMULA_START, neutralise
from scbi.errors import ValidationFailed, check_version
from scbi.extensions import db
from scbi.programme.models import Competency, CompetencyFramework, Sector
from scbi.programme.moodle import (
    CompetencyRow,
    FrameworkRow,
    MoodleCsvError,
    parse_framework_csv,
    render_framework_csv,
)
from scbi.programme.services import snapshot
from scbi.validation import Errors

FRAMEWORK_FIELDS = ("name", "idnumber", "sector_id", "description")
COMPETENCY_FIELDS = ("idnumber", "short_name", "description", "parent_id", "core")


def _framework_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    sector = errors.ref(
        "sector_id", Sector, data.get("sector_id"), required=False, label=_("sector")
    )
    values = {
        "name": errors.text("name", data.get("name"), max_length=200),
        "idnumber": errors.text("idnumber", data.get("idnumber"), max_length=100),
        "sector_id": sector.id if sector else None,
        "description": errors.text(
            "description", data.get("description"), max_length=20000, required=False
        ),
    }
    for name in ("name", "idnumber", "description"):
        _formula_free(errors, name, values[name])
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
    db.session.add(framework)
    db.session.flush()
    audit.record(
        "framework.create", by=by, entity=framework, after=snapshot(framework, *FRAMEWORK_FIELDS)
    )
    return framework


def update_framework(
    framework: CompetencyFramework, *, by: User, version, **data
) -> CompetencyFramework:
    require_configure(by)
    check_version(framework, version)
    errors = Errors()
    current = snapshot(framework, *FRAMEWORK_FIELDS)
    values = _framework_values(errors, {**current, **data}, framework.id)
    errors.raise_if_any()
    for key, value in values.items():
        setattr(framework, key, value)
    db.session.flush()
    changed = [k for k in values if current[k] != values[k]]
    if changed:
        audit.record(
            "framework.update",
            by=by,
            entity=framework,
            before={k: current[k] for k in changed},
            after={k: values[k] for k in changed},
        )
    return framework


# --- competencies --------------------------------------------------------------------------


def _competency_values(
    errors: Errors, framework: CompetencyFramework, data: dict, competency: Competency | None = None
) -> dict:
    values = {
        "idnumber": errors.text("idnumber", data.get("idnumber"), max_length=100),
        "short_name": errors.text("short_name", data.get("short_name"), max_length=100),
        "description": errors.text(
            "description", data.get("description"), max_length=20000, required=False
        ),
        "parent_id": None,
        "core": bool(data.get("core", False)),
    }
    for name in ("idnumber", "short_name", "description"):
        _formula_free(errors, name, values[name])
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


def add_competency(framework: CompetencyFramework, *, by: User, **data) -> Competency:
    require_configure(by)
    errors = Errors()
    values = _competency_values(errors, framework, data)
    errors.raise_if_any()
    last = db.session.scalar(
        select(Competency.sort_order)
        .where(Competency.framework_id == framework.id)
        .order_by(Competency.sort_order.desc())
        .limit(1)
    )
    competency = Competency(framework_id=framework.id, sort_order=(last or 0) + 1, **values)
    db.session.add(competency)
    db.session.flush()
    audit.record(
        "competency.create",
        by=by,
        entity=competency,
        after=snapshot(competency, *COMPETENCY_FIELDS),
    )
    return competency


def update_competency(competency: Competency, *, by: User, version, **data) -> Competency:
    require_configure(by)
    check_version(competency, version)
    errors = Errors()
    current = snapshot(competency, *COMPETENCY_FIELDS)
    values = _competency_values(errors, competency.framework, {**current, **data}, competency)
    errors.raise_if_any()
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
    return competency


def tree(framework: CompetencyFramework) -> list[tuple[Competency, int]]:
    """The framework's competencies depth-first, each with its depth (0 = top level)."""
    children: dict[int | None, list[Competency]] = {}
    for competency in framework.competencies:
        children.setdefault(competency.parent_id, []).append(competency)
    ordered: list[tuple[Competency, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        competency, depth = stack.pop()
        ordered.append((competency, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(competency.id, [])))
    return ordered


# --- Moodle CSV ----------------------------------------------------------------------------


def import_framework(data: bytes | str, *, by: User, sector_id=None) -> CompetencyFramework:
    """Import a Moodle framework file: all of it, or nothing with every bad row named."""
    require_configure(by)
    errors = Errors()
    sector = errors.ref("sector_id", Sector, sector_id, required=False, label=_("sector"))
    errors.raise_if_any()
    try:
        parsed = parse_framework_csv(data)
    except MoodleCsvError as error:
        raise _file_refusal(error.errors) from None
    if formulas := _formula_cells(parsed):
        raise _file_refusal(formulas)
    head = parsed.framework
    if (
        db.session.scalar(
            select(CompetencyFramework.id).where(CompetencyFramework.idnumber == head.idnumber)
        )
        is not None
    ):
        raise _file_refusal(
            [(head.row, _("A framework with ID number %(id)s already exists.", id=head.idnumber))]
        )
    framework = CompetencyFramework(
        name=head.short_name,
        idnumber=head.idnumber,
        sector_id=sector.id if sector else None,
        description=head.description,
        description_format=head.description_format,
        scale_values=head.scale_values,
        scale_configuration=head.scale_configuration,
        taxonomy=head.taxonomy,
    )
    db.session.add(framework)
    db.session.flush()
    by_idnumber: dict[str, Competency] = {}
    for order, row in enumerate(parsed.competencies, start=1):
        parent = by_idnumber.get(row.parent_idnumber) if row.parent_idnumber else None
        competency = Competency(
            framework_id=framework.id,
            parent_id=parent.id if parent else None,
            idnumber=row.idnumber,
            short_name=row.short_name,
            description=row.description,
            description_format=row.description_format,
            core=bool(row.core),
            sort_order=order,
            rule_type=row.rule_type,
            rule_outcome=row.rule_outcome,
            rule_config=row.rule_config,
            cross_references=list(row.cross_references),
        )
        db.session.add(competency)
        db.session.flush()  # parents come first: their ids are needed by the children
        by_idnumber[row.idnumber] = competency
    audit.record(
        "framework.import",
        by=by,
        entity=framework,
        after={
            "idnumber": framework.idnumber,
            "competencies": len(by_idnumber),
            "sector_id": framework.sector_id,
        },
    )
    return framework


def _file_refusal(errors: list[tuple[int, str]]) -> ValidationFailed:
    rows = [{"row": row, "message": message} for row, message in errors]
    lines = [
        (_("Row %(row)d: %(message)s", row=row, message=message) if row else message)
        for row, message in errors
    ]
    return ValidationFailed(
        _("The file was not imported; nothing was stored. Fix these rows and try again."),
        code="invalid_file",
        fields={"file": lines},
        rows=rows,
    )


def export_framework(framework: CompetencyFramework) -> str:
    """The framework as a Moodle CSV file (plus the ``core`` column).

    Every cell is as stored (the Moodle round trip is exact) except one that would start
    as a formula, which only a record stored before that was refused can hold."""
    cell = neutralise
    head = FrameworkRow(
        idnumber=cell(framework.idnumber),
        short_name=cell(framework.name),
        description=cell(framework.description),
        description_format=framework.description_format,
        scale_values=cell(framework.scale_values),
        scale_configuration=cell(framework.scale_configuration),
        taxonomy=cell(framework.taxonomy),
    )
    idnumbers = {c.id: cell(c.idnumber) for c in framework.competencies}
    rows = [
        CompetencyRow(
            idnumber=cell(c.idnumber),
            short_name=cell(c.short_name),
            parent_idnumber=idnumbers.get(c.parent_id, ""),
            description=cell(c.description),
            description_format=c.description_format,
            rule_type=cell(c.rule_type),
            rule_outcome=cell(c.rule_outcome),
            rule_config=cell(c.rule_config),
            cross_references=[cell(ref) for ref in c.cross_references or []],
            core=c.core,
        )
        for c, _depth in tree(framework)
    ]
    return render_framework_csv(head, rows)


def _formula_free(errors: Errors, field: str, value: str | None) -> None:
    """Refuse text a spreadsheet opening the export would run as a formula."""
    if value and value.startswith(FORMULA_START):
        errors.add(
            field,
            _(
                "Start this text with a letter, a digit or a bracket: a spreadsheet opening "
                "the exported framework would run text starting with %(first)s as a formula.",
                first=value[0],
            ),
        )


def _formula_cells(parsed) -> list[tuple[int, str]]:
    """Each imported cell that would be stored and exported starting as a formula."""
    found = []
    for row in [parsed.framework, *parsed.competencies]:
        cells = {"Id number": row.idnumber, "Shortname": row.short_name}
        cells["Description"] = row.description
        if isinstance(row, CompetencyRow):
            cells["Rule type"], cells["Rule outcome"] = row.rule_type, row.rule_outcome
            cells["Rule config"] = row.rule_config
            cells["Cross referenced competency id numbers"] = ",".join(row.cross_references)
        else:
            cells["Scale values"] = row.scale_values
            cells["Scale configuration"] = row.scale_configuration
            cells["Taxonomy"] = row.taxonomy
        for column, text in cells.items():
            if text.startswith(FORMULA_START):
                message = _(
                    "%(column)s starts with %(first)r: a spreadsheet would run it as a "
                    "formula. Start it with a letter, a digit or a bracket.",
                    column=column,
                    first=text[0],
                )
                found.append((row.row, message))
    return found


def export_file_name(framework: CompetencyFramework) -> str:
    """The export's file name: the framework's idnumber (any script, see scbi.downloads)."""
    return f"{framework.idnumber}.csv"
