"""The Moodle framework import over the API: a preview that stores nothing, a new
framework, or the update of the framework with the file's idnumber."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.frameworks import framework_json
from scbi.api.lists import int_arg
from scbi.api.programme import created
from scbi.api.schema import F, Schema, uploaded_csv
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.errors import ValidationFailed
from scbi.programme import framework_import
from scbi.transaction import commit

component(
    Schema(
        "PreviewCompetency",
        {
            "idnumber": F("string", required=True),
            "short_name": F("string", required=True),
            "parent_idnumber": F("string", nullable=True, required=True),
            "depth": F("integer", required=True, description="1 = top level"),
            "leaf": F("boolean", required=True),
            "core": F("boolean", required=True, description="Proposed core flag"),
            "core_in_file": F(
                "boolean", nullable=True, required=True, description="The file's own core value"
            ),
            "status": F(
                "string",
                required=True,
                enum=("new", "changed", "same"),
                description="For an update: new, changed or unchanged",
            ),
        },
    )
)
component(
    Schema(
        "ImportChanges",
        {
            "framework_fields": F("array", required=True, description="Framework fields changed"),
            "added": F("array", required=True, description="Idnumbers added"),
            "changed": F("array", items="object", required=True, description="{idnumber, fields}"),
            "deleted": F("array", required=True, description="Idnumbers deleted"),
            "kept": F(
                "array",
                items="object",
                required=True,
                description=(
                    "{idnumber, short_name, reasons}: missing from the file but kept; reasons "
                    "are assessments, plan_items, logs, core or children"
                ),
            ),
        },
    )
)
component(
    Schema(
        "ImportPreview",
        {
            "idnumber": F("string", required=True),
            "name": F("string", required=True),
            "description": F("string", required=True),
            "sector_id": F("integer", nullable=True, required=True),
            "existing_id": F(
                "integer",
                nullable=True,
                required=True,
                description="The framework with this idnumber: importing updates it",
            ),
            "version": F(
                "integer",
                nullable=True,
                required=True,
                description="Its version; send it back as ?version= with ?update=true",
            ),
            "competencies": F("array", ref="PreviewCompetency", required=True),
            "core_count": F("integer", required=True),
            "warning": F("object", ref="CoreWarning", nullable=True, required=True),
            "changes": F("object", ref="ImportChanges", nullable=True, required=True),
        },
    )
)


def _flag(name: str) -> bool:
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise ValidationFailed(fields={name: [_("Use true or false.")]})


@bp.post("/frameworks/import")
@endpoint(
    "Import a Moodle competency-framework CSV (multipart `file`, or a text/csv body). "
    "Without a core column, leaves are core except level descriptors (“Level N”). "
    "?preview=true answers the tree and proposed core flags, storing nothing; a file "
    "whose idnumber exists is refused (422) unless ?update=true",
    tag="frameworks",
    response="Framework",
    status=201,
    also=(
        (200, "ImportPreview", "With ?preview=true: nothing is stored"),
        (200, "Framework", "With ?update=true on an existing framework: updated, with changes"),
    ),
    errors=(409,),
    uploads=("multipart/form-data", "text/csv"),
    query=(
        ("sector_id", "integer", "The sector it belongs to; none = cross-cutting"),
        ("preview", "boolean", "true: only check the file and answer the preview"),
        (
            "update",
            "boolean",
            "true: update the framework with the file's idnumber (added, changed, deleted "
            "unless cited or core)",
        ),
        ("version", "integer", "With update: the version the preview showed (409 if stale)"),
        ("effective_on", "string", "YYYY-MM-DD: the day the core flags take effect"),
    ),
)
@role_required(Role.SECRETARIAT)
def import_framework():
    data = uploaded_csv()
    preview, update = _flag("preview"), _flag("update")
    sector_id = request.args.get("sector_id") or None
    if preview:
        checked = framework_import.preview_import(data, by=g.api_user, sector_id=sector_id)
        return jsonify(checked.as_json())
    result = framework_import.import_framework(
        data,
        by=g.api_user,
        sector_id=sector_id,
        effective_on=request.args.get("effective_on") or None,
        update=update,
        version=int_arg("version"),
    )
    commit()
    body = framework_json(result.framework, full=True)
    if result.created:
        return created(body, "api.get_framework", framework_id=result.framework.id)
    return jsonify(body | {"changes": result.changes.summary()})
