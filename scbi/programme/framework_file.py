"""A framework as a Moodle CSV file, and what such a file may carry.

The export is a Moodle file, so it is written exactly (no apostrophe before a leading
``=``) and every role may download it; instead, no text it carries may start as a
spreadsheet formula: such names and descriptions are refused when typed
(:func:`refuse_formula`) or imported (:func:`formula_cells`), and anything stored before
that rule is neutralised on the way out (docs/security.md). An import that cannot be
stored is refused whole, row by row (:func:`file_refusal`).
"""

from __future__ import annotations

from flask_babel import gettext as _

from scbi.csv_export import FORMULA_START, neutralise
from scbi.downloads import Download
from scbi.errors import ValidationFailed
from scbi.programme.models import CompetencyFramework
from scbi.programme.moodle import CompetencyRow, FrameworkRow, render_framework_csv
from scbi.validation import Errors


def file_refusal(errors: list[tuple[int, str]]) -> ValidationFailed:
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
        for c, _depth in framework.tree()
    ]
    return render_framework_csv(head, rows)


def refuse_formula(errors: Errors, field: str, value: str | None) -> None:
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


def formula_cells(parsed) -> list[tuple[int, str]]:
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


def framework_file(framework: CompetencyFramework) -> Download:
    """The Moodle CSV export as a file named after the framework's idnumber (any script,
    see scbi.downloads)."""
    return Download(f"{framework.idnumber}.csv", "text/csv", export_framework(framework))
