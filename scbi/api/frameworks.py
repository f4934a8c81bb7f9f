"""Competency frameworks and competencies, the bulk core choice and the Moodle CSV export
(the import and its preview are in ``framework_import``)."""

from __future__ import annotations

from flask import g, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import int_arg, list_response
from scbi.api.programme import created
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.downloads import send_download
from scbi.loaders import load_or_404
from scbi.programme import framework_file, frameworks, queries
from scbi.programme.core_choice import framework_warning
from scbi.programme.models import (
    COMPETENCY,
    FRAMEWORK,
    Competency,
    CompetencyFramework,
)
from scbi.transaction import commit

# --- frameworks ----------------------------------------------------------------------------

FrameworkIn = Schema(
    "FrameworkIn",
    {
        "name": F("string", **FRAMEWORK["name"].api()),
        "idnumber": F("string", **FRAMEWORK["idnumber"].api()),
        "sector_id": F("integer", nullable=True, description="Empty for a cross-cutting framework"),
        "description": F("string", **FRAMEWORK["description"].api()),
    },
)
CompetencyIn = Schema(
    "CompetencyIn",
    {
        "idnumber": F("string", **COMPETENCY["idnumber"].api()),
        "short_name": F("string", **COMPETENCY["short_name"].api()),
        "description": F("string", **COMPETENCY["description"].api()),
        "parent_id": F("integer", nullable=True),
        "core": F("boolean"),
        "effective_on": F(
            "date",
            description="When a new core flag takes effect (default today; not in the future, "
            "not before the competency's latest change): no figure of an earlier date changes",
        ),
    },
)
CompetencyPatch = Schema(
    "CompetencyPatch",
    {
        "version": F("integer", required=True),
        **{
            k: F(f.type, nullable=f.nullable, max_length=f.max_length, description=f.description)
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
CoreIn = Schema(
    "CoreIn",
    {
        "core_ids": F(
            "array",
            items="integer",
            required=True,
            description="Exactly the competencies that are core; the framework's others are not",
        ),
        "effective_on": F("date", description="The day the change takes effect; default today"),
        "version": F("integer", required=True, description="The framework's version as read"),
    },
)
component(
    Schema(
        "CoreWarning",
        {
            "code": F("string", required=True, enum=("many_core_competencies",)),
            "message": F("string", required=True, description="What it means"),
            "advice": F("string", required=True, description="How to change it"),
            "sector_id": F("integer", required=True),
            "core_count": F(
                "integer", required=True, description="Core competencies of all its frameworks"
            ),
            "expert_level": F("integer", required=True),
            "limit": F("integer", required=True, description="Warned above this count"),
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
            "core_count": F("integer", required=True),
            "version": F("integer", required=True),
            "competencies": F(
                "array", ref="Competency", description="In single-framework answers only"
            ),
            "warning": F(
                "object",
                ref="CoreWarning",
                nullable=True,
                description=(
                    "In single-framework answers only: set when the sector's expert rule "
                    "needs more than 12 core competencies"
                ),
            ),
            "changes": F(
                "object",
                ref="ImportChanges",
                description="After an update from a file (import with ?update=true) only",
            ),
            "core_changes": F(
                "array",
                items="object",
                description="In GET /frameworks/{id} only: the dated core flags, oldest first "
                "[{competency_id, core, sector_id, effective_on, recorded_at}]; the critical "
                "mass of a date uses those in force on it",
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
        "core_count": sum(1 for c in f.competencies if c.core),
    }
    if full:
        body["competencies"] = [competency_json(c) for c, _ in f.tree()]
        body["warning"] = framework_warning(f)
        body["core_changes"] = [
            {
                "competency_id": change.competency_id,
                "core": change.core,
                "sector_id": change.sector_id,
                "effective_on": change.effective_on.isoformat(),
                "recorded_at": change.recorded_at.isoformat(),
            }
            for change in reversed(queries.core_changes(framework_id=f.id))
        ]
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
    query = queries.framework_list(sector_id=int_arg("sector_id"))
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
    commit()
    return created(
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
    return jsonify(framework_json(load_or_404(CompetencyFramework, framework_id), full=True))


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
    framework = load_or_404(CompetencyFramework, framework_id)
    competency = frameworks.add_competency(framework, by=g.api_user, **json_body(CompetencyIn))
    commit()
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
    competency = load_or_404(Competency, competency_id)
    frameworks.update_competency(competency, by=g.api_user, **json_body(CompetencyPatch))
    commit()
    return jsonify(competency_json(competency))


@bp.put("/frameworks/<int:framework_id>/core")
@endpoint(
    "Choose the core competencies at once: exactly those in core_ids are core",
    tag="frameworks",
    body=CoreIn,
    response="Framework",
)
@role_required(Role.SECRETARIAT)
def put_framework_core(framework_id: int):
    framework = load_or_404(CompetencyFramework, framework_id)
    body = json_body(CoreIn)
    frameworks.choose_core(
        framework,
        body["core_ids"],
        by=g.api_user,
        version=body["version"],
        effective_on=body.get("effective_on"),
    )
    commit()
    return jsonify(framework_json(framework, full=True))


@bp.get("/frameworks/<int:framework_id>/export")
@endpoint(
    "The framework as a Moodle CSV file",
    tag="frameworks",
    alternatives=("text/csv",),
)
@role_required(*SIGNED_IN)
def export_framework(framework_id: int):
    return send_download(
        framework_file.framework_file(load_or_404(CompetencyFramework, framework_id))
    )
