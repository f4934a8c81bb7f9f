"""Pairings: created and ended by the secretariat and the sector's coordinators."""

from __future__ import annotations

from flask import g, jsonify, url_for

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.transaction import commit
from scbi.transfer import queries, services
from scbi.transfer.models import PAIRING, PAIRING_END, Pairing, PairingStatus
from scbi.transfer.queries import pairing_or_404

STATUSES = tuple(s.value for s in PairingStatus)
MANAGERS = (Role.SECRETARIAT, Role.COORDINATOR)

PairingIn = Schema(
    "PairingIn",
    {
        "coach_id": F("integer", required=True),
        "mentee_id": F("integer", required=True),
        "phase_id": F("integer", required=True),
        "sector_id": F(
            "integer",
            nullable=True,
            description="Left out or null: the sector the coach and the mentee share "
            "(422 naming sector_id when they do not share one)",
        ),
        "start_date": F("date", required=True),
        "planned_end_date": F("date", required=True),
        "cross_sector_reason": F(
            "string",
            **PAIRING["cross_sector_reason"].api(),
            description="Required when the sector is not the mentee's",
        ),
    },
)
PairingEnd = Schema(
    "PairingEnd",
    {
        "status": F("string", required=True, enum=("completed", "terminated")),
        "end_date": F("date", required=True),
        "reason": F("string", **PAIRING_END["reason"].api()),
        "version": F("integer", required=True),
    },
)
VersionOnly = Schema("VersionOnly", {"version": F("integer", required=True)})
component(
    Schema(
        "Pairing",
        {
            "id": F("integer", required=True),
            "coach_id": F("integer", required=True),
            "mentee_id": F("integer", required=True),
            "phase_id": F("integer", required=True),
            "sector_id": F("integer", required=True),
            "coach_name": F("string", required=True),
            "mentee_name": F("string", required=True),
            "start_date": F("date", required=True),
            "planned_end_date": F("date", required=True),
            "status": F("string", enum=STATUSES, required=True),
            "end_date": F("date", nullable=True, required=True),
            "end_reason": F("string", required=True),
            "cross_sector_reason": F("string", required=True),
            "version": F("integer", required=True),
        },
    )
)


def pairing_json(p: Pairing) -> dict:
    return {
        "id": p.id,
        "coach_id": p.coach_id,
        "mentee_id": p.mentee_id,
        "phase_id": p.phase_id,
        "sector_id": p.sector_id,
        "coach_name": p.coach.user.full_name,
        "mentee_name": p.mentee.user.full_name,
        "start_date": p.start_date.isoformat(),
        "planned_end_date": p.planned_end_date.isoformat(),
        "status": p.status,
        "end_date": p.end_date.isoformat() if p.end_date else None,
        "end_reason": p.end_reason,
        "cross_sector_reason": p.cross_sector_reason,
        "version": p.version,
    }


@bp.get("/pairings")
@endpoint(
    "List the pairings the caller may see",
    tag="pairings",
    response="Pairing",
    list_of=True,
    query=(
        ("sector_id", "integer", ""),
        ("status", "string", ""),
        ("coach_id", "integer", ""),
        ("mentee_id", "integer", ""),
        ("phase_id", "integer", ""),
    ),
)
@role_required(*SIGNED_IN)
def list_pairings():
    # g.query: the query parameters declared above, checked by @endpoint
    return list_response(queries.api_pairing_list(g.api_user, g.query), pairing_json)


@bp.post("/pairings")
@endpoint(
    "Pair a coach and a mentee",
    tag="pairings",
    body=PairingIn,
    response="Pairing",
    status=201,
)
@role_required(*MANAGERS)
def create_pairing():
    pairing = services.create_pairing(by=g.api_user, **json_body(PairingIn))
    commit()
    response = jsonify(pairing_json(pairing))
    response.headers["Location"] = url_for("api.get_pairing", pairing_id=pairing.id)
    return response, 201


@bp.get("/pairings/<int:pairing_id>")
@endpoint("One pairing", tag="pairings", response="Pairing")
@role_required(*SIGNED_IN)
def get_pairing(pairing_id: int):
    return jsonify(pairing_json(pairing_or_404(g.api_user, pairing_id)))


@bp.post("/pairings/<int:pairing_id>/end")
@endpoint(
    "End a pairing as completed or terminated",
    tag="pairings",
    body=PairingEnd,
    response="Pairing",
)
@role_required(*MANAGERS)
def end_pairing(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    services.end_pairing(pairing, by=g.api_user, **json_body(PairingEnd))
    commit()
    return jsonify(pairing_json(pairing))


@bp.post("/pairings/<int:pairing_id>/pause")
@endpoint(
    "Pause an active pairing",
    tag="pairings",
    body=VersionOnly,
    response="Pairing",
)
@role_required(*MANAGERS)
def pause_pairing(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    services.pause_pairing(pairing, by=g.api_user, **json_body(VersionOnly))
    commit()
    return jsonify(pairing_json(pairing))


@bp.post("/pairings/<int:pairing_id>/resume")
@endpoint(
    "Resume a paused pairing (if the coach has room)",
    tag="pairings",
    body=VersionOnly,
    response="Pairing",
)
@role_required(*MANAGERS)
def resume_pairing(pairing_id: int):
    pairing = pairing_or_404(g.api_user, pairing_id)
    services.resume_pairing(pairing, by=g.api_user, **json_body(VersionOnly))
    commit()
    return jsonify(pairing_json(pairing))
