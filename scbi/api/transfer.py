"""Transfer plans, transfer logs and their evidence (API.md "Plans", "Transfer logs")."""

from __future__ import annotations

from flask import Response, g, jsonify, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scbi.api import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import (
    SIGNED_IN,
    evidence_or_404,
    log_or_404,
    pairing_or_404,
    plan_or_404,
    role_required,
)
from scbi.errors import BadRequest
from scbi.extensions import db
from scbi.files import path_of
from scbi.transfer import evidence as evidence_service
from scbi.transfer import logs, plans
from scbi.transfer.export import logs_csv_response, visible_logs
from scbi.transfer.models import (
    ActivityType,
    Evidence,
    LogStatus,
    MenteeRole,
    PlanStatus,
    TransferLog,
    TransferPlan,
)

ACTIVITIES = tuple(a.value for a in ActivityType)
ROLES = tuple(r.value for r in MenteeRole)

PlanItemIn = Schema(
    "PlanItemIn",
    {
        "competency_id": F("integer", required=True),
        "baseline_level": F("integer", required=True, min=0, max=3),
        "target_level": F("integer", required=True, min=1, max=4),
        "target_date": F("date", required=True),
        "methods": F("array", items="string", enum=ACTIVITIES, required=True),
        "expected_evidence": F("string", required=True, max_length=2000),
        "priority_result_id": F("integer", nullable=True),
    },
)
PlanIn = Schema("PlanIn", {"items": F("array", ref="PlanItemIn", required=True)})
PlanPut = Schema(
    "PlanPut",
    {"items": F("array", ref="PlanItemIn", required=True), "version": F("integer", required=True)},
)
Decision = Schema("Decision", {"comment": F("string", max_length=2000), "version": F("integer")})
Transition = Schema("Transition", {"version": F("integer", description="Checked if sent")})
LogIn = Schema(
    "LogIn",
    {
        "activity_date": F("date", required=True),
        "activity_type": F("string", enum=ACTIVITIES, required=True),
        "hours": F("number", required=True, min=0.25, max=24),
        "title": F("string", required=True, max_length=200),
        "description": F("string", max_length=10000),
        "mentee_role": F("string", enum=ROLES, required=True),
        "competency_ids": F("array", items="integer", required=True),
        "off_plan_reason": F("string", max_length=2000),
    },
)
LogPut = Schema(
    "LogPut",
    {
        "version": F("integer", required=True),
        **{
            k: F(f.type, enum=f.enum, items=f.items, min=f.min, max=f.max, max_length=f.max_length)
            for k, f in LogIn.fields.items()
        },
    },
)
Response_ = Schema(
    "MenteeResponse", {"comment": F("string", max_length=2000), "version": F("integer")}
)
LinkIn = Schema(
    "LinkIn",
    {
        "url": F("string", required=True, max_length=2000),
        "title": F("string", required=True, max_length=200),
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
                k: F(f.type, enum=f.enum, items=f.items, required=k != "off_plan_reason")
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
        "activity_date": log.activity_date.isoformat(),
        "activity_type": log.activity_type,
        "hours": log.hours,
        "title": log.title,
        "description": log.description,
        "mentee_role": log.mentee_role,
        "competency_ids": [c.id for c in log.competencies],
        "off_plan_reason": log.off_plan_reason,
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
@endpoint(
    "The pairing's plans, newest first", tag="plans", response="Plan", list_of=True, errors=(404,)
)
@role_required(*SIGNED_IN)
def list_plans(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    query = (
        select(TransferPlan)
        .options(selectinload(TransferPlan.items))
        .where(TransferPlan.pairing_id == pairing.id)
        .order_by(TransferPlan.number.desc())
    )
    if pairing.coach.user_id != g.api_user.id:
        query = query.where(TransferPlan.status != PlanStatus.DRAFT.value)
    return list_response(query, plan_json)


@bp.post("/pairings/<int:pairing_id>/plans")
@endpoint(
    "Start the pairing's plan (a draft)",
    tag="plans",
    body=PlanIn,
    response="Plan",
    status=201,
    errors=(400, 403, 404, 409, 422),
)
@role_required(Role.COACH)
def create_plan(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    plan = plans.create_plan(pairing, by=g.api_user, **json_body(PlanIn))
    db.session.commit()
    return jsonify(plan_json(plan)), 201


@bp.get("/plans/<int:plan_id>")
@endpoint("One plan", tag="plans", response="Plan", errors=(404,))
@role_required(*SIGNED_IN)
def get_plan(plan_id: int):
    return jsonify(plan_json(plan_or_404(g.api_user, plan_id)))


@bp.put("/plans/<int:plan_id>")
@endpoint(
    "Replace a draft or returned plan's items",
    tag="plans",
    body=PlanPut,
    response="Plan",
    errors=(400, 403, 404, 409, 422),
)
@role_required(Role.COACH)
def put_plan(plan_id: int):
    plan = plan_or_404(g.api_user, plan_id)
    plans.update_plan(plan, by=g.api_user, **json_body(PlanPut))
    db.session.commit()
    return jsonify(plan_json(plan))


def _plan_action(plan_id: int, action, schema=Transition, status: int = 200):
    plan = plan_or_404(g.api_user, plan_id)
    result = action(plan, by=g.api_user, **json_body(schema))
    db.session.commit()
    return jsonify(plan_json(result)), status


@bp.post("/plans/<int:plan_id>/submit")
@endpoint(
    "Submit the plan for a decision",
    tag="plans",
    body=Transition,
    response="Plan",
    errors=(403, 404, 409),
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
    errors=(403, 404, 409, 422),
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
    errors=(403, 404, 409, 422),
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
    errors=(403, 404, 409),
)
@role_required(Role.COACH)
def revise_plan(plan_id: int):
    plan = plan_or_404(g.api_user, plan_id)
    draft = plans.revise_plan(plan, by=g.api_user)
    db.session.commit()
    return jsonify(plan_json(draft)), 201


# --- logs ----------------------------------------------------------------------------------


@bp.get("/pairings/<int:pairing_id>/logs")
@endpoint(
    "The pairing's logs, newest first",
    tag="logs",
    response="Log",
    list_of=True,
    errors=(404,),
    query=(("status", "string", ""),),
)
@role_required(*SIGNED_IN)
def list_pairing_logs(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    query = visible_logs(g.api_user).where(TransferLog.pairing_id == pairing.id)
    if status := request.args.get("status"):
        query = query.where(TransferLog.status == status)
    query = query.options(
        selectinload(TransferLog.competencies), selectinload(TransferLog.evidence)
    )
    return list_response(
        query.order_by(TransferLog.activity_date.desc(), TransferLog.id.desc()),
        lambda log: log_json(log, full=False),
    )


@bp.post("/pairings/<int:pairing_id>/logs")
@endpoint(
    "Write a log (a draft)",
    tag="logs",
    body=LogIn,
    response="Log",
    status=201,
    errors=(400, 403, 404, 409, 422),
)
@role_required(Role.COACH)
def create_log(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    log = logs.create_log(pairing, by=g.api_user, **json_body(LogIn))
    db.session.commit()
    return jsonify(log_json(log)), 201


@bp.get("/logs/<int:log_id>")
@endpoint("One log, with its evidence and history", tag="logs", response="Log", errors=(404,))
@role_required(*SIGNED_IN)
def get_log(log_id: int):
    return jsonify(log_json(log_or_404(g.api_user, log_id)))


@bp.put("/logs/<int:log_id>")
@endpoint(
    "Change a draft or correct a disputed log",
    tag="logs",
    body=LogPut,
    response="Log",
    errors=(400, 403, 404, 409, 422),
)
@role_required(Role.COACH)
def put_log(log_id: int):
    log = log_or_404(g.api_user, log_id)
    logs.update_log(log, by=g.api_user, **json_body(LogPut))
    db.session.commit()
    return jsonify(log_json(log))


def _log_action(log_id: int, action, schema=Transition):
    log = log_or_404(g.api_user, log_id)
    action(log, by=g.api_user, **json_body(schema))
    db.session.commit()
    return jsonify(log_json(log))


@bp.post("/logs/<int:log_id>/submit")
@endpoint(
    "Submit the log to the mentee",
    tag="logs",
    body=Transition,
    response="Log",
    errors=(403, 404, 409, 422),
)
@role_required(Role.COACH)
def submit_log(log_id: int):
    return _log_action(log_id, logs.submit_log)


@bp.post("/logs/<int:log_id>/acknowledge")
@endpoint(
    "The mentee confirms the log",
    tag="logs",
    body=Response_,
    response="Log",
    errors=(403, 404, 409, 422),
)
@role_required(Role.MENTEE)
def acknowledge_log(log_id: int):
    return _log_action(log_id, logs.acknowledge_log, Response_)


@bp.post("/logs/<int:log_id>/dispute")
@endpoint(
    "The mentee disputes the log (comment required)",
    tag="logs",
    body=Response_,
    response="Log",
    errors=(403, 404, 409, 422),
)
@role_required(Role.MENTEE)
def dispute_log(log_id: int):
    return _log_action(log_id, logs.dispute_log, Response_)


@bp.post("/logs/<int:log_id>/verify")
@endpoint(
    "Verify an acknowledged log",
    tag="logs",
    body=Transition,
    response="Log",
    errors=(403, 404, 409),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def verify_log(log_id: int):
    return _log_action(log_id, logs.verify_log)


@bp.get("/logs")
@endpoint(
    "Logs the caller may see; `format=csv` streams them as CSV",
    tag="logs",
    response="Log",
    list_of=True,
    query=(
        ("format", "string", "csv for a download"),
        ("sector_id", "integer", ""),
        ("status", "string", ""),
        ("coach_id", "integer", ""),
        ("mentee_id", "integer", ""),
        ("from", "string", "YYYY-MM-DD"),
        ("to", "string", "YYYY-MM-DD"),
    ),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def list_logs():
    from scbi.transfer.export import filtered_logs

    query = filtered_logs(g.api_user, request.args)
    if request.args.get("format") == "csv":
        return logs_csv_response(query)
    query = query.options(
        selectinload(TransferLog.competencies), selectinload(TransferLog.evidence)
    )
    return list_response(query, lambda log: log_json(log, full=False))


# --- evidence ------------------------------------------------------------------------------


@bp.get("/logs/<int:log_id>/evidence")
@endpoint("The log's evidence", tag="evidence", response="Evidence", list_of=True, errors=(404,))
@role_required(*SIGNED_IN)
def list_evidence(log_id: int):
    log = log_or_404(g.api_user, log_id)
    query = select(Evidence).where(Evidence.log_id == log.id).order_by(Evidence.id)
    return list_response(query, evidence_json)


@bp.post("/logs/<int:log_id>/evidence")
@endpoint(
    "Attach a file (multipart `file`, optional `title`) or a link (JSON {url, title})",
    tag="evidence",
    body=LinkIn,
    response="Evidence",
    status=201,
    errors=(400, 403, 404, 409, 413, 422),
)
@role_required(Role.COACH)
def add_evidence(log_id: int):
    log = log_or_404(g.api_user, log_id)
    if "file" in request.files:
        upload = request.files["file"]
        evidence = evidence_service.add_file(
            log,
            by=g.api_user,
            stream=upload.stream,
            filename=upload.filename or "",
            title=request.form.get("title", ""),
        )
    elif request.is_json:
        evidence = evidence_service.add_link(log, by=g.api_user, **json_body(LinkIn))
    else:
        raise BadRequest(code="file_required")
    db.session.commit()
    return jsonify(evidence_json(evidence)), 201


@bp.delete("/evidence/<int:evidence_id>")
@endpoint("Remove evidence from a draft log", tag="evidence", status=204, errors=(403, 404, 409))
@role_required(Role.COACH)
def delete_evidence(evidence_id: int):
    evidence = evidence_or_404(g.api_user, evidence_id)
    evidence_service.remove_evidence(evidence, by=g.api_user)
    db.session.commit()
    return "", 204


@bp.get("/evidence/<int:evidence_id>/download")
@endpoint(
    "The evidence file, as an attachment",
    tag="evidence",
    content_type="application/octet-stream",
    errors=(404,),
)
@role_required(*SIGNED_IN)
def download_evidence(evidence_id: int):
    return send_evidence(evidence_or_404(g.api_user, evidence_id))


def send_evidence(evidence: Evidence) -> Response:
    """The stored file as an attachment (never rendered inline), with its own type."""
    from scbi.errors import NotFound

    if not evidence.is_file:
        raise NotFound
    path = path_of(evidence.stored_name)
    if not path.exists():
        raise NotFound
    response = send_file(
        path,
        mimetype=evidence.content_type,
        as_attachment=True,
        download_name=evidence.original_name,
        max_age=0,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
