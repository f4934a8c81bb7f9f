"""Transfer logs and their evidence (API.md "Transfer logs and evidence")."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import day, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, json_body
from scbi.api.transfer import LinkIn, LogIn, LogPut, Response_, Transition, evidence_json, log_json
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.downloads import send_download
from scbi.errors import BadRequest
from scbi.files import ALLOWED
from scbi.mentees.models import Gender
from scbi.transaction import commit, commit_with
from scbi.transfer import queries
from scbi.transfer.models import ActivityType, LogStatus, MenteeRole
from scbi.transfer.queries import evidence_or_404, log_or_404, pairing_or_404
from scbi.transfer.queries.export import logs_csv
from scbi.transfer.queries.log_filters import DATED_BY
from scbi.transfer.services import evidence as evidence_service
from scbi.transfer.services import logs, sending

LOG_STATUSES = tuple(s.value for s in LogStatus)

# --- logs ----------------------------------------------------------------------------------


@bp.get("/pairings/<int:pairing_id>/logs")
@endpoint(
    "The pairing's logs, newest first",
    tag="logs",
    response="Log",
    list_of=True,
    query=(("status", F("string", enum=LOG_STATUSES)),),
)
@role_required(*SIGNED_IN)
def list_pairing_logs(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    return list_response(
        queries.pairing_logs(g.api_user, pairing, g.query.get("status")),
        lambda log: log_json(log, full=False),
    )


@bp.post("/pairings/<int:pairing_id>/logs")
@endpoint(
    "Write a log (a draft). With an Idempotency-Key header (8–64 letters, digits or _.:-, "
    "made by the client for this log), sending it again returns the log the first sending "
    "made (200, Idempotent-Replayed: true) instead of a second one",
    tag="logs",
    body=LogIn,
    response="Log",
    status=201,
    errors=(409,),
)
@role_required(Role.COACH)
def create_log(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    key = request.headers.get("Idempotency-Key")
    if key is None:
        log = logs.create_log(pairing, by=g.api_user, **json_body(LogIn))
        return jsonify(commit_with(lambda: log_json(log))), 201
    log, made = sending.create_log_once(pairing, by=g.api_user, key=key, **json_body(LogIn))
    if made:
        return jsonify(commit_with(lambda: log_json(log))), 201
    return jsonify(log_json(log)), 200, {"Idempotent-Replayed": "true"}


@bp.get("/logs/<int:log_id>")
@endpoint("One log, with its evidence and history", tag="logs", response="Log")
@role_required(*SIGNED_IN)
def get_log(log_id: int):
    return jsonify(log_json(log_or_404(g.api_user, log_id)))


@bp.put("/logs/<int:log_id>")
@endpoint(
    "Change a draft or correct a disputed log",
    tag="logs",
    body=LogPut,
    response="Log",
)
@role_required(Role.COACH)
def put_log(log_id: int):
    log = log_or_404(g.api_user, log_id)
    logs.update_log(log, by=g.api_user, **json_body(LogPut))
    return jsonify(commit_with(lambda: log_json(log)))


def _log_action(log_id: int, action, schema=Transition):
    log = log_or_404(g.api_user, log_id)
    action(log, by=g.api_user, **json_body(schema))
    return jsonify(commit_with(lambda: log_json(log)))


@bp.post("/logs/<int:log_id>/submit")
@endpoint(
    "Submit the log to the mentee",
    tag="logs",
    body=Transition,
    response="Log",
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
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def verify_log(log_id: int):
    return _log_action(log_id, logs.verify_log)


@bp.get("/logs")
@endpoint(
    "Logs the caller may see, newest first; `total` counts at most 10,000 (a list of more "
    "says 10,000); `after` (the `next` of a page) reads the page after it, however deep, "
    "where `page` skips its predecessors; `format=csv` streams them all as CSV",
    tag="logs",
    response="Log",
    list_of=True,
    query=(
        ("format", F("string", enum=("json", "csv"), description="csv for a download")),
        ("after", F("string", max_length=40, description="the `next` of the page before")),
        ("sector_id", "integer", "The pairing's sector; repeat it for several sectors."),
        ("status", F("string", enum=LOG_STATUSES)),
        ("coach_id", "integer", ""),
        ("mentee_id", "integer", ""),
        ("pairing_id", "integer", ""),
        ("from", day("On or after this day (of the event `dated_by` names).")),
        ("to", day("On or before this day (of the event `dated_by` names).")),
        (
            "dated_by",
            F(
                "string",
                enum=DATED_BY,
                description="What `from` and `to` date: the activity (the default), the "
                "log's first submission, its acknowledgement or a dispute (those three by "
                "the day in the programme's time zone, as the reports count them).",
            ),
        ),
        (
            "counted",
            F(
                "string",
                enum=("1",),
                description="1: only the logs whose hours the reports count "
                "(acknowledged or verified).",
            ),
        ),
        ("activity_type", F("string", enum=tuple(t.value for t in ActivityType))),
        ("mentee_role", F("string", enum=tuple(r.value for r in MenteeRole))),
        (
            "gender",
            F(
                "string",
                enum=tuple(g.value for g in Gender),
                description="The mentee's, as recorded today.",
            ),
        ),
        ("institution_id", "integer", "The mentee's institution, as recorded today."),
        (
            "priority_result_id",
            "integer",
            "The priority result the log named as served; repeat it for several results.",
        ),
    ),
    alternatives=("text/csv",),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def list_logs():
    if request.args.get("format") == "csv":
        return send_download(logs_csv(queries.filtered_logs(g.api_user, request.args), codes=True))
    return list_response(
        queries.api_log_list(g.api_user, request.args), lambda log: log_json(log, full=False)
    )


# --- evidence ------------------------------------------------------------------------------


@bp.get("/logs/<int:log_id>/evidence")
@endpoint("The log's evidence", tag="evidence", response="Evidence", list_of=True)
@role_required(*SIGNED_IN)
def list_evidence(log_id: int):
    log = log_or_404(g.api_user, log_id)
    return list_response(queries.log_evidence(log), evidence_json)


@bp.post("/logs/<int:log_id>/evidence")
@endpoint(
    "Attach a file (multipart `file`, optional `title`) or a link (JSON {url, title})",
    tag="evidence",
    body=LinkIn,
    uploads=("multipart/form-data",),
    response="Evidence",
    status=201,
    errors=(409,),
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
    commit()
    return jsonify(evidence_json(evidence)), 201


@bp.delete("/evidence/<int:evidence_id>")
@endpoint("Remove evidence from a draft log", tag="evidence", status=204, errors=(409,))
@role_required(Role.COACH)
def delete_evidence(evidence_id: int):
    evidence = evidence_or_404(g.api_user, evidence_id)
    evidence_service.remove_evidence(evidence, by=g.api_user)
    commit()
    return "", 204


@bp.get("/evidence/<int:evidence_id>/download")
@endpoint(
    "The evidence file, as an attachment",
    tag="evidence",
    alternatives=tuple(sorted({content_type for content_type, _kind in ALLOWED.values()})),
)
@role_required(*SIGNED_IN)
def download_evidence(evidence_id: int):
    return send_download(evidence_service.evidence_file(evidence_or_404(g.api_user, evidence_id)))
