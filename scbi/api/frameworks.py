"""Competency frameworks and competencies; the Moodle CSV import and export."""

from __future__ import annotations

from flask import Response, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scbi.api import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import int_arg, list_response
from scbi.api.programme import _created, _get
from scbi.api.schema import F, Schema, json_body, uploaded_csv
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.extensions import db
from scbi.programme import frameworks
from scbi.programme.models import (
    Competency,
    CompetencyFramework,
)

# --- frameworks ----------------------------------------------------------------------------

FrameworkIn = Schema(
    "FrameworkIn",
    {
        "name": F("string", required=True, max_length=200),
        "idnumber": F("string", required=True, max_length=100),
        "sector_id": F("integer", nullable=True, description="Empty for a cross-cutting framework"),
        "description": F("string", max_length=20000),
    },
)
CompetencyIn = Schema(
    "CompetencyIn",
    {
        "idnumber": F("string", required=True, max_length=100),
        "short_name": F("string", required=True, max_length=100),
        "description": F("string", max_length=20000),
        "parent_id": F("integer", nullable=True),
        "core": F("boolean"),
    },
)
CompetencyPatch = Schema(
    "CompetencyPatch",
    {
        "version": F("integer", required=True),
        **{
            k: F(f.type, nullable=f.nullable, max_length=f.max_length)
            for k, f in CompetencyIn.fields.items()
        },
    },
)
component(
    Schema(
        "Competency",
        {
            "id": F("integer", required=True),
            "idnumber": F("string", required=True),
            "short_name": F("string", required=True),
            "description": F("string", required=True),
            "parent_id": F("integer", nullable=True, required=True),
            "core": F("boolean", required=True),
            "version": F("integer", required=True),
        },
    )
)
component(
    Schema(
        "Framework",
        {
            "id": F("integer", required=True),
            "name": F("string", required=True),
            "idnumber": F("string", required=True),
            "sector_id": F("integer", nullable=True, required=True),
            "description": F("string", required=True),
            "competency_count": F("integer", required=True),
            "version": F("integer", required=True),
            "competencies": F(
                "array", ref="Competency", description="In GET /frameworks/{id} only"
            ),
        },
    )
)


def competency_json(c: Competency) -> dict:
    return {
        "id": c.id,
        "idnumber": c.idnumber,
        "short_name": c.short_name,
        "description": c.description,
        "parent_id": c.parent_id,
        "core": c.core,
        "version": c.version,
    }


def framework_json(f: CompetencyFramework, *, full: bool = False, count: int | None = None) -> dict:
    body = {
        "id": f.id,
        "name": f.name,
        "idnumber": f.idnumber,
        "sector_id": f.sector_id,
        "description": f.description,
        "version": f.version,
        "competency_count": count if count is not None else len(f.competencies),
    }
    if full:
        body["competencies"] = [competency_json(c) for c, _ in frameworks.tree(f)]
    return body


@bp.get("/frameworks")
@endpoint(
    "List competency frameworks",
    tag="frameworks",
    response="Framework",
    list_of=True,
    query=(("sector_id", "integer", "Only this sector's"),),
)
@role_required(*SIGNED_IN)
def list_frameworks():

    query = (
        select(CompetencyFramework)
        .options(selectinload(CompetencyFramework.competencies))
        .order_by(CompetencyFramework.name)
    )
    if (sector_id := int_arg("sector_id")) is not None:
        query = query.where(CompetencyFramework.sector_id == sector_id)
    return list_response(query, framework_json)


@bp.post("/frameworks")
@endpoint(
    "Create an empty framework",
    tag="frameworks",
    body=FrameworkIn,
    response="Framework",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_framework():
    framework = frameworks.create_framework(by=g.api_user, **json_body(FrameworkIn))
    db.session.commit()
    return _created(
        framework_json(framework, full=True), "api.get_framework", framework_id=framework.id
    )


@bp.get("/frameworks/<int:framework_id>")
@endpoint(
    "A framework with its competencies (tree order)",
    tag="frameworks",
    response="Framework",
)
@role_required(*SIGNED_IN)
def get_framework(framework_id: int):
    return jsonify(framework_json(_get(CompetencyFramework, framework_id), full=True))


@bp.post("/frameworks/<int:framework_id>/competencies")
@endpoint(
    "Add a competency",
    tag="frameworks",
    body=CompetencyIn,
    response="Competency",
    status=201,
)
@role_required(Role.SECRETARIAT)
def add_competency(framework_id: int):
    framework = _get(CompetencyFramework, framework_id)
    competency = frameworks.add_competency(framework, by=g.api_user, **json_body(CompetencyIn))
    db.session.commit()
    return jsonify(competency_json(competency)), 201


@bp.patch("/competencies/<int:competency_id>")
@endpoint(
    "Change a competency (name, parent, core flag…)",
    tag="frameworks",
    body=CompetencyPatch,
    response="Competency",
)
@role_required(Role.SECRETARIAT)
def patch_competency(competency_id: int):
    competency = _get(Competency, competency_id)
    frameworks.update_competency(competency, by=g.api_user, **json_body(CompetencyPatch))
    db.session.commit()
    return jsonify(competency_json(competency))


@bp.post("/frameworks/import")
@endpoint(
    "Import a Moodle competency-framework CSV (multipart `file`, or a text/csv body)",
    tag="frameworks",
    response="Framework",
    status=201,
    uploads=("multipart/form-data", "text/csv"),
    query=(("sector_id", "integer", "The sector it belongs to; none = cross-cutting"),),
)
@role_required(Role.SECRETARIAT)
def import_framework():
    data = uploaded_csv()
    framework = frameworks.import_framework(
        data, by=g.api_user, sector_id=request.args.get("sector_id") or None
    )
    db.session.commit()
    return _created(framework_json(framework), "api.get_framework", framework_id=framework.id)


@bp.get("/frameworks/<int:framework_id>/export")
@endpoint(
    "The framework as a Moodle CSV file",
    tag="frameworks",
    alternatives=("text/csv",),
)
@role_required(*SIGNED_IN)
def export_framework(framework_id: int):
    framework = _get(CompetencyFramework, framework_id)
    return Response(
        frameworks.export_framework(framework),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_safe_name(framework.idnumber)}.csv"'
        },
    )


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:60] or "framework"
