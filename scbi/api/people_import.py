"""Bulk registration of coaches or mentees from a CSV file, and its template."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from scbi.api.blueprint import bp
from scbi.api.docs import endpoint
from scbi.api.schema import F, uploaded_csv
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.downloads import send_download
from scbi.errors import ValidationFailed
from scbi.people.importer import TEMPLATES, import_people, template_file
from scbi.transaction import commit

KIND = F("string", required=True, enum=tuple(TEMPLATES), description="coach or mentee")


@bp.post("/people/import")
@endpoint(
    "Register coaches or mentees from a CSV file: all rows or none",
    tag="people",
    response="ImportResult",
    status=201,
    uploads=("multipart/form-data", "text/csv"),
    query=(("kind", KIND),),
)
@role_required(Role.SECRETARIAT)
def import_people_api():
    kind = request.args.get("kind", "")
    if kind not in TEMPLATES:
        raise ValidationFailed(fields={"kind": [_("Choose coach or mentee.")]})
    created = import_people(uploaded_csv(), kind=kind, by=g.api_user)
    commit()
    return jsonify(
        kind=kind,
        created=len(created),
        people=[
            {
                "id": p.id,
                "email": p.email,
                "full_name": p.full_name,
                "one_time_password": p.password,
                "invitation_sent": p.invited,
            }
            for p in created
        ],
    ), 201


@bp.get("/people/import/template")
@endpoint(
    "The CSV template for an import",
    tag="people",
    alternatives=("text/csv",),
    query=(("kind", KIND),),
)
@role_required(*SIGNED_IN)
def import_template():
    return send_download(template_file(request.args.get("kind", "")))
