"""Competencies and assessments (API.md "Competencies and assessments")."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import ON, component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.competencies import queries
from scbi.competencies.export import assessments_csv
from scbi.competencies.models import ASSESSMENT, Assessment
from scbi.competencies.profile import competency_profile
from scbi.competencies.services import create_assessment, pick_up_review
from scbi.dates import today
from scbi.downloads import send_download
from scbi.mentees.queries import mentee_or_404
from scbi.transaction import commit

AssessmentIn = Schema(
    "AssessmentIn",
    {
        "competency_id": F("integer", required=True),
        "level": F("integer", required=True, **ASSESSMENT["level"].api()),
        "assessed_on": F("date", required=True),
        "note": F("string", **ASSESSMENT["note"].api()),
        "log_ids": F(
            "array",
            items="integer",
            description="Logs cited as evidence; level ≥ 3 (not self) needs one "
            "acknowledged log of this mentee on this competency in which "
            "the mentee led",
        ),
        "request_review": F("boolean", description="Self-assessments only"),
        "resolves": F("integer", description="The id of a self-assessment's review this settles"),
    },
)
component(
    Schema(
        "Assessment",
        {
            "id": F("integer", required=True),
            "mentee_id": F("integer", required=True),
            "competency_id": F("integer", required=True),
            "level": F("integer", required=True),
            "assessed_on": F("date", required=True),
            "assessor": F("string", required=True),
            "assessor_role": F(
                "string", enum=("self", "coach", "coordinator", "secretariat"), required=True
            ),
            "validated": F("boolean", required=True),
            "note": F("string", required=True),
            "log_ids": F("array", items="integer", required=True),
            "review_status": F("string", required=True),
        },
    )
)
component(
    Schema(
        "CompetencyLevel",
        {
            "competency_id": F("integer", required=True),
            "idnumber": F("string", required=True),
            "short_name": F("string", required=True),
            "core": F("boolean", required=True),
            "baseline_level": F("integer", nullable=True, required=True),
            "target_level": F("integer", nullable=True, required=True),
            "current_level": F("integer", required=True),
            "self_level": F("integer", nullable=True, required=True),
            "validated_on": F("date", nullable=True, required=True),
            "evidence_log_count": F("integer", required=True),
        },
    )
)


def assessment_json(a: Assessment) -> dict:
    return {
        "id": a.id,
        "mentee_id": a.mentee_id,
        "competency_id": a.competency_id,
        "level": a.level,
        "assessed_on": a.assessed_on.isoformat(),
        "assessor": a.assessor.full_name,
        "assessor_role": a.assessor_role,
        "validated": a.validated,
        "note": a.note,
        "log_ids": [log.id for log in a.logs],
        "review_status": a.review_status,
    }


@bp.get("/mentees/<int:mentee_id>/assessments")
@endpoint(
    "The mentee's assessments, newest first (history is append-only)",
    tag="competencies",
    response="Assessment",
    list_of=True,
    query=(("competency_id", "integer", ""),),
)
@role_required(*SIGNED_IN)
def list_assessments(mentee_id: int):
    mentee = mentee_or_404(g.api_user, mentee_id)
    return list_response(
        queries.mentee_assessments(mentee, g.query.get("competency_id")), assessment_json
    )


@bp.post("/mentees/<int:mentee_id>/assessments")
@endpoint(
    "Assess a competency (the assessor role follows from the caller)",
    tag="competencies",
    body=AssessmentIn,
    response="Assessment",
    status=201,
    errors=(403, 409),
)
@role_required(*SIGNED_IN)
def add_assessment(mentee_id: int):
    mentee = mentee_or_404(g.api_user, mentee_id)
    assessment = create_assessment(mentee, by=g.api_user, **json_body(AssessmentIn))
    commit()
    return jsonify(assessment_json(assessment)), 201


@bp.get("/mentees/<int:mentee_id>/competencies")
@endpoint(
    "Baseline, current, target and self-assessed level per competency (a JSON array, one "
    "item per competency of the mentee's frameworks, as API.md shows it)",
    tag="competencies",
    response="CompetencyLevel",
    array_of=True,
    query=(("on", ON),),
)
@role_required(*SIGNED_IN)
def mentee_competencies(mentee_id: int):
    mentee = mentee_or_404(g.api_user, mentee_id)
    on = g.query.get("on") or today()
    return jsonify(
        [
            {
                "competency_id": r.competency.id,
                "idnumber": r.competency.idnumber,
                "short_name": r.competency.short_name,
                "core": r.competency.core,
                "baseline_level": r.baseline_level,
                "target_level": r.target_level,
                "current_level": r.current_level,
                "self_level": r.self_level,
                "validated_on": r.validated_on.isoformat() if r.validated_on else None,
                "evidence_log_count": r.evidence_log_count,
            }
            for r in competency_profile(mentee, on)
        ]
    )


@bp.post("/assessments/<int:assessment_id>/pick-up")
@endpoint(
    "Take a self-assessment's review request",
    tag="competencies",
    response="Assessment",
    errors=(409,),
)
@role_required(Role.COACH, Role.COORDINATOR, Role.SECRETARIAT)
def pick_up(assessment_id: int):
    assessment = queries.assessment_or_404(g.api_user, assessment_id)
    pick_up_review(assessment, by=g.api_user)
    commit()
    return jsonify(assessment_json(assessment))


@bp.get("/assessments")
@endpoint(
    "Assessments the caller may see; `format=csv` streams them",
    tag="competencies",
    response="Assessment",
    list_of=True,
    query=(
        ("format", F("string", enum=("json", "csv"), description="csv for a download")),
        ("sector_id", "integer", ""),
        ("mentee_id", "integer", ""),
        ("competency_id", "integer", ""),
    ),
    alternatives=("text/csv",),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def assessments_list():
    query = queries.visible_assessments(g.api_user, request.args)
    if request.args.get("format") == "csv":
        return send_download(assessments_csv(query, codes=True))
    return list_response(queries.with_cited_logs(query), assessment_json)
