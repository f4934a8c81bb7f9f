"""Transfer plans, transfer logs and their evidence (API.md "Plans", "Transfer logs")."""

from __future__ import annotations

from flask import g, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.transaction import commit
from scbi.transfer import queries
from scbi.transfer.models import (
    EVIDENCE,
    LOG,
    LOG_RESPONSE,
    PLAN_DECISION,
    PLAN_ITEM,
    ActivityType,
    Evidence,
    LogStatus,
    MenteeRole,
    PlanStatus,
    TransferLog,
    TransferPlan,
)
from scbi.transfer.queries import pairing_or_404, plan_or_404
from scbi.transfer.services import logs, plans

ACTIVITIES = tuple(a.value for a in ActivityType)
ROLES = tuple(r.value for r in MenteeRole)

PlanItemIn = Schema(
    "PlanItemIn",
    {
        "competency_id": F("integer", required=True),
        "baseline_level": F("integer", required=True, **PLAN_ITEM["baseline_level"].api()),
        "target_level": F("integer", required=True, **PLAN_ITEM["target_level"].api()),
        "target_date": F("date", required=True),
        "methods": F("array", items="string", enum=ACTIVITIES, required=True),
        "expected_evidence": F("string", **PLAN_ITEM["expected_evidence"].api()),
        "priority_result_id": F("integer", nullable=True),
    },
)
PlanIn = Schema("PlanIn", {"items": F("array", ref="PlanItemIn", required=True)})
PlanPut = Schema(
    "PlanPut",
    {"items": F("array", ref="PlanItemIn", required=True), "version": F("integer", required=True)},
)
Decision = Schema(
    "Decision", {"comment": F("string", **PLAN_DECISION["comment"].api()), "version": F("integer")}
)
Transition = Schema("Transition", {"version": F("integer", description="Checked if sent")})
LogIn = Schema(
    "LogIn",
    {
        "activity_date": F("date", required=True),
        "activity_type": F("string", enum=ACTIVITIES, required=True),
        "hours": F("number", required=True, **LOG["hours"].api()),
        "title": F("string", **LOG["title"].api()),
        "description": F("string", **LOG["description"].api()),
        "mentee_role": F("string", enum=ROLES, required=True),
        "competency_ids": F("array", items="integer", required=True),
        "off_plan_reason": F("string", **LOG["off_plan_reason"].api()),
        "priority_result_id": F(
            "integer",
            nullable=True,
            description="The priority result of the pairing's sector the activity served, "
            "or null (a result of another sector: 422 naming this field)",
        ),
        "exchange_id": F(
            "integer",
            nullable=True,
            description="A peer_exchange activity's exchange, one the pairing's mentee took "
            "part in, or null (any other: 422 naming this field)",
        ),
    },
)
LogPut = Schema(
    "LogPut",
    {
        "version": F("integer", required=True),
        **{
            k: F(
                f.type,
                nullable=f.nullable,
                enum=f.enum,
                items=f.items,
                min=f.min,
                max=f.max,
                max_length=f.max_length,
                description=f.description,
            )
            for k, f in LogIn.fields.items()
        },
    },
)
Response_ = Schema(
    "MenteeResponse",
    {"comment": F("string", **LOG_RESPONSE["comment"].api()), "version": F("integer")},
)
LinkIn = Schema(
    "LinkIn",
    {
        "url": F("string", **EVIDENCE["url"].api()),
        "title": F("string", **EVIDENCE["title"].api()),
    },
)
component(PlanItemIn)
component(
    Schema(
        "PlanItem",
        {
            **PlanItemIn.fields,
            "id": F("integer", required=True),
            "competency_idnumber": F("string", required=True),
            "competency_name": F("string", required=True),
        },
    )
)
component(
    Schema(
        "Plan",
        {
            "id": F("integer", required=True),
            "pairing_id": F("integer", required=True),
            "number": F(
                "integer", required=True, description="1 for the first plan, +1 per revision"
            ),
            "status": F("string", enum=tuple(s.value for s in PlanStatus), required=True),
            "items": F("array", ref="PlanItem", required=True),
            "decided_by": F("string", nullable=True, required=True),
            "decided_at": F("datetime", nullable=True, required=True),
            "decision_comment": F("string", required=True),
            "version": F("integer", required=True),
        },
    )
)
component(
    Schema(
        "Evidence",
        {
            "id": F("integer", required=True),
            "title": F("string", required=True),
            "kind": F("string", enum=("file", "link"), required=True),
            "original_name": F("string", nullable=True),
            "content_type": F("string", nullable=True),
            "size": F("integer", nullable=True),
            "sha256": F("string", nullable=True),
            "url": F("string", nullable=True),
            "download_url": F("string", nullable=True),
            "uploaded_at": F("datetime", required=True),
        },
    )
)
component(
    Schema(
        "Log",
        {
            "id": F("integer", required=True),
            "pairing_id": F("integer", required=True),
            **{
                k: F(
                    f.type,
                    nullable=f.nullable,
                    enum=f.enum,
                    items=f.items,
                    required=k != "off_plan_reason",
                )
                for k, f in LogIn.fields.items()
            },
            "status": F("string", enum=tuple(s.value for s in LogStatus), required=True),
            "mentee_comment": F("string", required=True),
            "submitted_at": F("datetime", nullable=True, required=True),
            "verified_at": F("datetime", nullable=True, required=True),
            "evidence": F("array", ref="Evidence", required=True),
            "history": F(
                "array",
                items="object",
                required=True,
                description="[{action, by, at, comment}] oldest first",
            ),
            "version": F("integer", required=True),
        },
    )
)


def _iso(value):
    return value.isoformat() if value else None


def plan_json(plan: TransferPlan) -> dict:
    return {
        "id": plan.id,
        "pairing_id": plan.pairing_id,
        "number": plan.number,
        "status": plan.status,
        "items": [
            {
                "id": i.id,
                "competency_id": i.competency_id,
                "competency_idnumber": i.competency.idnumber,
                "competency_name": i.competency.short_name,
                "baseline_level": i.baseline_level,
                "target_level": i.target_level,
                "target_date": i.target_date.isoformat(),
                "methods": list(i.methods),
                "expected_evidence": i.expected_evidence,
                "priority_result_id": i.priority_result_id,
            }
            for i in plan.items
        ],
        "decided_by": plan.decided_by.full_name if plan.decided_by else None,
        "decided_at": _iso(plan.decided_at),
        "decision_comment": plan.decision_comment,
        "version": plan.version,
    }


def evidence_json(e: Evidence) -> dict:
    return {
        "id": e.id,
        "title": e.title,
        "kind": "file" if e.is_file else "link",
        "original_name": e.original_name,
        "content_type": e.content_type,
        "size": e.size,
        "sha256": e.sha256,
        "url": e.url,
        "download_url": f"/api/v1/evidence/{e.id}/download" if e.is_file else None,
        "uploaded_at": e.uploaded_at.isoformat(),
    }


def log_json(log: TransferLog, *, full: bool = True) -> dict:
    body = {
        "id": log.id,
        "pairing_id": log.pairing_id,
        **logs.content(log),  # what the coach wrote, as the audit trail records it
        "status": log.status,
        "mentee_comment": log.mentee_comment,
        "submitted_at": _iso(log.submitted_at),
        "verified_at": _iso(log.verified_at),
        "version": log.version,
        "evidence": [evidence_json(e) for e in log.evidence],
    }
    body["history"] = (
        [
            {
                "action": e.action,
                "by": e.by.full_name if e.by else None,
                "at": e.at.isoformat(),
                "comment": e.comment,
            }
            for e in log.events
        ]
        if full
        else []
    )
    return body


# --- plans ---------------------------------------------------------------------------------


@bp.get("/pairings/<int:pairing_id>/plans")
@endpoint("The pairing's plans, newest first", tag="plans", response="Plan", list_of=True)
@role_required(*SIGNED_IN)
def list_plans(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    return list_response(queries.pairing_plans(g.api_user, pairing), plan_json)


@bp.post("/pairings/<int:pairing_id>/plans")
@endpoint(
    "Start the pairing's plan (a draft)",
    tag="plans",
    body=PlanIn,
    response="Plan",
    status=201,
    errors=(409,),
)
@role_required(Role.COACH)
def create_plan(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    plan = plans.create_plan(pairing, by=g.api_user, **json_body(PlanIn))
    commit()
    return jsonify(plan_json(plan)), 201


@bp.get("/plans/<int:plan_id>")
@endpoint("One plan", tag="plans", response="Plan")
@role_required(*SIGNED_IN)
def get_plan(plan_id: int):
    return jsonify(plan_json(plan_or_404(g.api_user, plan_id)))


@bp.put("/plans/<int:plan_id>")
@endpoint(
    "Replace a draft or returned plan's items",
    tag="plans",
    body=PlanPut,
    response="Plan",
)
@role_required(Role.COACH)
def put_plan(plan_id: int):
    plan = plan_or_404(g.api_user, plan_id)
    plans.update_plan(plan, by=g.api_user, **json_body(PlanPut))
    commit()
    return jsonify(plan_json(plan))


def _plan_action(plan_id: int, action, schema=Transition, status: int = 200):
    plan = plan_or_404(g.api_user, plan_id)
    result = action(plan, by=g.api_user, **json_body(schema))
    commit()
    return jsonify(plan_json(result)), status


@bp.post("/plans/<int:plan_id>/submit")
@endpoint(
    "Submit the plan for a decision",
    tag="plans",
    body=Transition,
    response="Plan",
)
@role_required(Role.COACH)
def submit_plan(plan_id: int):
    return _plan_action(plan_id, plans.submit_plan)


@bp.post("/plans/<int:plan_id>/approve")
@endpoint(
    "Approve a submitted plan",
    tag="plans",
    body=Decision,
    response="Plan",
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def approve_plan(plan_id: int):
    return _plan_action(plan_id, plans.approve_plan, Decision)


@bp.post("/plans/<int:plan_id>/return")
@endpoint(
    "Return a submitted plan to the coach (comment required)",
    tag="plans",
    body=Decision,
    response="Plan",
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def return_plan(plan_id: int):
    return _plan_action(plan_id, plans.return_plan, Decision)


@bp.post("/plans/<int:plan_id>/revise")
@endpoint(
    "Start a new draft from the approved plan",
    tag="plans",
    response="Plan",
    status=201,
    errors=(409,),
)
@role_required(Role.COACH)
def revise_plan(plan_id: int):
    plan = plan_or_404(g.api_user, plan_id)
    draft = plans.revise_plan(plan, by=g.api_user)
    commit()
    return jsonify(plan_json(draft)), 201
