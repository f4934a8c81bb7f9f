"""Storing an import: a new framework, or the update of the one with the file's idnumber.
Competencies are written without core flags first; ``frameworks.set_core`` then gives the
flags (the one place where they are written)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from scbi import audit
from scbi.auth.models import User
from scbi.errors import check_version
from scbi.extensions import db
from scbi.programme.core_choice import effective_on_value
from scbi.programme.framework_file import file_refusal
from scbi.programme.framework_import.preview import (
    COMPETENCY_FIELDS,
    FRAMEWORK_FIELDS,
    Changes,
    ImportPreview,
    file_value,
    preview_import,
    stored_value,
)
from scbi.programme.frameworks import set_core, touch
from scbi.programme.models import Competency, CompetencyFramework
from scbi.programme.moodle import (
    CompetencyRow,
)
from scbi.validation import Errors


@dataclass
class ImportResult:
    framework: CompetencyFramework
    created: bool
    changes: Changes | None
    core_changed: list[Competency]


def import_framework(
    data: bytes | str,
    *,
    by: User,
    sector_id=None,
    core_idnumbers=None,
    effective_on=None,
    update: bool = False,
    version=None,
) -> ImportResult:
    """Import a Moodle framework file: all of it, or nothing with every bad row named.

    ``core_idnumbers`` are the competencies to make core (default: the preview's
    proposal). A framework with the file's idnumber is updated only with ``update``
    (else 422 saying so); ``version``, when given, is the version the preview showed
    (409 when the framework changed since). ``effective_on``: the day the core flags
    take effect (default today)."""
    preview = preview_import(data, by=by, sector_id=sector_id)
    head = preview.parsed.framework
    if preview.existing is not None and not update:
        message = _(
            "A framework with ID number %(id)s already exists. To update it from this file, "
            "confirm the update (API: ?update=true; command line: --update).",
            id=head.idnumber,
        )
        raise file_refusal([(head.row, message)])
    errors = Errors()
    day = effective_on_value(errors, effective_on)
    core = preview.proposed if core_idnumbers is None else set(core_idnumbers)
    unknown = sorted(core - {item.row.idnumber for item in preview.items})
    if unknown:
        errors.add(
            "core_ids",
            ngettext(
                "%(ids)s is not a competency of the file.",
                "These are not competencies of the file: %(ids)s.",
                len(unknown),
                ids=", ".join(unknown[:20]),
            ),
        )
    errors.raise_if_any()
    if preview.existing is None:
        return _create(preview, core, by=by, effective_on=day)
    if version is not None:
        check_version(preview.existing, version)
    return _update(preview, core, by=by, effective_on=day)


def _children_first(competencies: list[Competency]) -> list[Competency]:
    by_id = {c.id: c for c in competencies}

    def below(competency: Competency) -> int:
        count, parent = 0, by_id.get(competency.parent_id)
        while parent is not None:
            count, parent = count + 1, by_id.get(parent.parent_id)
        return count

    return sorted(competencies, key=below, reverse=True)


def _competency(framework_id: int, row: CompetencyRow, parent_id, order: int) -> Competency:
    return Competency(
        framework_id=framework_id,
        parent_id=parent_id,
        idnumber=row.idnumber,
        sort_order=order,
        core=False,  # the flags are given by set_core, once the tree exists
        **{k: file_value(row, k) for k in COMPETENCY_FIELDS},
    )


def _create(preview: ImportPreview, core: set[str], *, by: User, effective_on) -> ImportResult:
    head = preview.parsed.framework
    framework = CompetencyFramework(
        idnumber=head.idnumber,
        sector_id=preview.sector.id if preview.sector else None,
        **{k: getattr(head, attr) for k, attr in FRAMEWORK_FIELDS.items()},
    )
    db.session.add(framework)
    db.session.flush()
    ids: dict[str, int] = {}
    for order, row in enumerate(preview.parsed.competencies, start=1):
        competency = _competency(framework.id, row, ids.get(row.parent_idnumber), order)
        db.session.add(competency)
        db.session.flush()  # parents come first: their ids are needed by the children
        ids[row.idnumber] = competency.id
    audit.record(
        "framework.import",
        by=by,
        entity=framework,
        after={
            "idnumber": framework.idnumber,
            "competencies": len(ids),
            "sector_id": framework.sector_id,
        },
    )
    changed = set_core(framework, [ids[i] for i in core], by=by, effective_on=effective_on)
    db.session.expire(framework, ["competencies"])
    return ImportResult(framework, True, None, changed)


def _update(preview: ImportPreview, core: set[str], *, by: User, effective_on) -> ImportResult:
    framework, changes, head = preview.existing, preview.changes, preview.parsed.framework
    for name in changes.framework_fields:
        setattr(framework, name, getattr(head, FRAMEWORK_FIELDS[name]))
    stored = {c.idnumber: c for c in framework.competencies}
    for order, row in enumerate(preview.parsed.competencies, start=1):
        parent = stored.get(row.parent_idnumber)
        competency = stored.get(row.idnumber)
        if competency is None:
            competency = _competency(framework.id, row, parent.id if parent else None, order)
            db.session.add(competency)
            db.session.flush()  # parents come first: their ids are needed by the children
            stored[row.idnumber] = competency
            continue
        competency.parent_id = parent.id if parent else None
        competency.sort_order = order
        for name in COMPETENCY_FIELDS:
            if stored_value(competency, name) != file_value(row, name):
                setattr(competency, name, file_value(row, name))
    for order, kept in enumerate(changes.kept, start=len(preview.parsed.competencies) + 1):
        kept.competency.sort_order = order
    db.session.flush()
    for competency in _children_first(changes.deleted):
        db.session.delete(competency)
        db.session.flush()  # a child's row goes before its parent's, which it references
    touch(framework)
    db.session.flush()
    summary = changes.summary()
    audit.record(
        "framework.update_import",
        by=by,
        entity=framework,
        after={
            "added": len(summary["added"]),
            "changed": len(summary["changed"]),
            "deleted": len(summary["deleted"]),
            "kept": len(summary["kept"]),
            "framework_fields": summary["framework_fields"],
            "idnumbers": {k: summary[k] for k in ("added", "deleted")}
            | {"changed": [c["idnumber"] for c in summary["changed"]]}
            | {"kept": [k["idnumber"] for k in summary["kept"]]},
        },
    )
    wanted = [stored[i].id for i in core] + [
        k.competency.id for k in changes.kept if k.competency.core
    ]
    changed = set_core(framework, wanted, by=by, effective_on=effective_on)
    db.session.expire(framework, ["competencies"])
    return ImportResult(framework, False, changes, changed)
