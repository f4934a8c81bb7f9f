"""Programme configuration: phases, sectors, institutions, priority results, frameworks."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import int_arg, list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.loaders import load_or_404
from scbi.programme import queries, services
from scbi.programme.models import (
    INSTITUTION,
    PHASE,
    PRIORITY_RESULT,
    SECTOR,
    Institution,
    Phase,
    PriorityResult,
    ResultStatus,
    Sector,
)
from scbi.transaction import commit

RESULT_STATUSES = tuple(s.value for s in ResultStatus)


def created(payload: dict, endpoint_name: str, **ids):
    """A 201 answer with ``payload`` and the new record's address in ``Location``."""
    response = jsonify(payload)
    response.headers["Location"] = url_for(endpoint_name, **ids)
    return response, 201


# --- phases --------------------------------------------------------------------------------

PhaseIn = Schema(
    "PhaseIn",
    {
        "name": F("string", **PHASE["name"].api()),
        "start_date": F("date", required=True),
        "end_date": F("date", nullable=True),
        "description": F("string", **PHASE["description"].api()),
    },
)
component(
    Schema(
        "Phase",
        {
            "id": F("integer", required=True),
            "name": F("string", required=True),
            "start_date": F("date", required=True),
            "end_date": F("date", nullable=True, required=True),
            "description": F("string", required=True),
            "version": F("integer", required=True),
        },
    )
)


def phase_json(p: Phase) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "description": p.description,
        "version": p.version,
    }


@bp.get("/phases")
@endpoint("List phases", tag="programme", response="Phase", list_of=True)
@role_required(*SIGNED_IN)
def list_phases():
    return list_response(queries.phase_list(), phase_json)


@bp.post("/phases")
@endpoint(
    "Create a phase",
    tag="programme",
    body=PhaseIn,
    response="Phase",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_phase():
    phase = services.create_phase(by=g.api_user, **json_body(PhaseIn))
    commit()
    return jsonify(phase_json(phase)), 201


# --- sectors -------------------------------------------------------------------------------

SectorIn = Schema(
    "SectorIn",
    {
        "code": F("string", **SECTOR["code"].api()),
        "name": F("string", **SECTOR["name"].api()),
        # the minimum only, as documented so far (the service holds the maximum too)
        "expert_target": F("integer", required=True, min=SECTOR["expert_target"].min),
        "target_date": F("date", required=True),
        "expert_level": F("integer", **SECTOR["expert_level"].api(), description="Default 3"),
        "active": F("boolean"),
    },
)
SectorPatch = Schema(
    "SectorPatch",
    {
        "version": F("integer", required=True),
        **{
            k: F(f.type, min=f.min, max=f.max, max_length=f.max_length)
            for k, f in SectorIn.fields.items()
        },
        "effective_on": F(
            "date",
            description="When a new expert level, target or target date takes effect (default "
            "today; not in the future, not before the latest change): figures of earlier dates "
            "keep the settings then in force",
        ),
    },
)
component(
    Schema(
        "Sector",
        {
            "id": F("integer", required=True),
            "code": F("string", required=True),
            "name": F("string", required=True),
            "active": F("boolean", required=True),
            "expert_target": F("integer", required=True),
            "target_date": F("date", required=True),
            "expert_level": F("integer", required=True),
            "coordinator_ids": F("array", items="integer", required=True),
            "version": F("integer", required=True),
            "rules": F(
                "array",
                items="object",
                description="In GET/PATCH /sectors/{id} only: the dated settings, newest first "
                "[{effective_on, expert_level, expert_target, target_date}]",
            ),
        },
    )
)


def sector_json(s: Sector, *, full: bool = False) -> dict:
    return {
        "id": s.id,
        "code": s.code,
        "name": s.name,
        "active": s.active,
        "expert_target": s.expert_target,
        "target_date": s.target_date.isoformat(),
        "expert_level": s.expert_level,
        "coordinator_ids": [u.id for u in s.coordinators],
        "version": s.version,
    } | ({"rules": _rules(s)} if full else {})


def _rules(s: Sector) -> list[dict]:
    return [
        {
            "effective_on": r.effective_on.isoformat(),
            "expert_level": r.expert_level,
            "expert_target": r.expert_target,
            "target_date": r.target_date.isoformat(),
        }
        for r in queries.sector_rule_history(s.id)
    ]


@bp.get("/sectors")
@endpoint("List sectors", tag="programme", response="Sector", list_of=True)
@role_required(*SIGNED_IN)
def list_sectors():
    return list_response(queries.sector_list(), sector_json)


@bp.post("/sectors")
@endpoint(
    "Create a sector",
    tag="programme",
    body=SectorIn,
    response="Sector",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_sector():
    sector = services.create_sector(by=g.api_user, **json_body(SectorIn))
    commit()
    return created(sector_json(sector), "api.get_sector", sector_id=sector.id)


@bp.get("/sectors/<int:sector_id>")
@endpoint("One sector", tag="programme", response="Sector")
@role_required(*SIGNED_IN)
def get_sector(sector_id: int):
    return jsonify(sector_json(load_or_404(Sector, sector_id), full=True))


@bp.patch("/sectors/<int:sector_id>")
@endpoint(
    "Change a sector (targets, expert level…)",
    tag="programme",
    body=SectorPatch,
    response="Sector",
)
@role_required(Role.SECRETARIAT)
def patch_sector(sector_id: int):
    sector = load_or_404(Sector, sector_id)
    services.update_sector(sector, by=g.api_user, **json_body(SectorPatch))
    commit()
    return jsonify(sector_json(sector, full=True))


# --- institutions --------------------------------------------------------------------------

InstitutionIn = Schema(
    "InstitutionIn",
    {
        "name": F("string", **INSTITUTION["name"].api()),
        "acronym": F("string", **INSTITUTION["acronym"].api()),
        "sector_id": F("integer", required=True),
    },
)
component(
    Schema(
        "Institution",
        {
            "id": F("integer", required=True),
            "name": F("string", required=True),
            "acronym": F("string", required=True),
            "sector_id": F("integer", required=True),
            "version": F("integer", required=True),
        },
    )
)


def institution_json(i: Institution) -> dict:
    return {
        "id": i.id,
        "name": i.name,
        "acronym": i.acronym,
        "sector_id": i.sector_id,
        "version": i.version,
    }


@bp.get("/institutions")
@endpoint(
    "List institutions",
    tag="programme",
    response="Institution",
    list_of=True,
    query=(("sector_id", "integer", "Only this sector's"),),
)
@role_required(*SIGNED_IN)
def list_institutions():
    query = queries.institution_list(sector_id=int_arg("sector_id"))
    return list_response(query, institution_json)


@bp.post("/institutions")
@endpoint(
    "Create an institution",
    tag="programme",
    body=InstitutionIn,
    response="Institution",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_institution():
    institution = services.create_institution(by=g.api_user, **json_body(InstitutionIn))
    commit()
    return jsonify(institution_json(institution)), 201


# --- priority results ----------------------------------------------------------------------

ResultIn = Schema(
    "PriorityResultIn",
    {
        "sector_id": F("integer", required=True),
        "institution_id": F("integer", nullable=True),
        "title": F("string", **PRIORITY_RESULT["title"].api()),
        "due_date": F("date", required=True),
        "status": F("string", enum=RESULT_STATUSES),
        "status_note": F("string", **PRIORITY_RESULT["status_note"].api()),
    },
)
ResultPatch = Schema(
    "PriorityResultPatch",
    {
        "version": F("integer", required=True),
        **{
            k: F(f.type, nullable=f.nullable, enum=f.enum, max_length=f.max_length)
            for k, f in ResultIn.fields.items()
        },
    },
)
component(
    Schema(
        "PriorityResultStatus",
        {
            "status": F("string", required=True),
            "status_on": F("date", required=True),
            "note": F("string", required=True),
        },
    )
)
component(
    Schema(
        "PriorityResult",
        {
            "id": F("integer", required=True),
            "sector_id": F("integer", required=True),
            "institution_id": F("integer", nullable=True, required=True),
            "title": F("string", required=True),
            "due_date": F("date", required=True),
            "status": F("string", enum=RESULT_STATUSES, required=True),
            "history": F("array", ref="PriorityResultStatus", required=True),
            "version": F("integer", required=True),
        },
    )
)


def result_json(r: PriorityResult) -> dict:
    return {
        "id": r.id,
        "sector_id": r.sector_id,
        "institution_id": r.institution_id,
        "title": r.title,
        "due_date": r.due_date.isoformat(),
        "status": r.status,
        "history": [
            {"status": h.status, "status_on": h.status_on.isoformat(), "note": h.note}
            for h in r.history
        ],
        "version": r.version,
    }


@bp.get("/priority-results")
@endpoint(
    "List priority results",
    tag="programme",
    response="PriorityResult",
    list_of=True,
    query=(
        ("sector_id", "integer", "Only this sector's"),
        ("status", "string", "Only results with this status"),
    ),
)
@role_required(*SIGNED_IN)
def list_priority_results():
    query = queries.priority_result_list(
        sector_id=int_arg("sector_id"), status=request.args.get("status")
    )
    return list_response(query, result_json)


@bp.post("/priority-results")
@endpoint(
    "Create a priority result",
    tag="programme",
    body=ResultIn,
    response="PriorityResult",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_priority_result():
    result = services.create_priority_result(by=g.api_user, **json_body(ResultIn))
    commit()
    return jsonify(result_json(result)), 201


@bp.patch("/priority-results/<int:result_id>")
@endpoint(
    "Change a priority result; a new status is added to its dated history",
    tag="programme",
    body=ResultPatch,
    response="PriorityResult",
)
@role_required(Role.SECRETARIAT)
def patch_priority_result(result_id: int):
    result = load_or_404(PriorityResult, result_id)
    services.update_priority_result(result, by=g.api_user, **json_body(ResultPatch))
    commit()
    return jsonify(result_json(result))
