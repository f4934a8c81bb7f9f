"""Short engagements' check-ins and close-out (docs/engagements.md): the check-ins of an
engagement, recording one, and closing it with the outcome of each objective. The
secretariat, the sector's coordinators and the brokered coach record them; whoever reads
the engagement reads its check-ins (scbi.api.engagements has the rest)."""

from __future__ import annotations

from flask import g, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.engagements import OUTCOMES, WORDS, answer, text
from scbi.api.schema import F, Schema, json_body
from scbi.auth.permissions import role_required
from scbi.engagements import queries
from scbi.engagements.models import CHECK_IN, ENGAGEMENT, OBJECTIVE, EngagementCheckIn
from scbi.engagements.permissions import READERS, RUNNERS
from scbi.engagements.services import check_ins, close_out
from scbi.transaction import commit_with

component(
    Schema(
        "ProgressIn",
        {
            "objective_id": F("integer", required=True),
            "progress": F("string", required=True, enum=WORDS),
        },
    )
)
CheckInIn = Schema(
    "CheckInIn",
    {
        "held_on": F("date", description="Default today; inside the span so far"),
        "note": text(CHECK_IN["note"]),
        "progress": F("array", ref="ProgressIn", description="A word on some objectives"),
    },
)
component(
    Schema(
        "OutcomeIn",
        {
            "objective_id": F("integer", required=True),
            "outcome": F("string", required=True, enum=OUTCOMES),
            "note": text(OBJECTIVE["outcome_note"]),
        },
    )
)
CloseIn = Schema(
    "CloseIn",
    {
        "outcomes": F(
            "array",
            ref="OutcomeIn",
            required=True,
            description="One for each objective (422 on outcomes naming those missing)",
        ),
        "team_can_now": text(ENGAGEMENT["team_can_now"]),
        "longer_pairing": F("boolean", required=True),
        "longer_pairing_note": text(
            ENGAGEMENT["longer_pairing_note"], "Required when longer_pairing is true"
        ),
        "closed_on": F("date", description="Default today"),
        "version": F("integer", required=True),
    },
)
component(
    Schema(
        "EngagementCheckIn",
        {
            "id": F("integer", required=True),
            "held_on": F("date", required=True),
            "note": F("string", required=True),
            "recorded_by": F("object", required=True, description="{id, full_name}"),
            "progress": F(
                "array", items="object", required=True, description="[{objective_id, progress}]"
            ),
        },
    )
)


def check_in_json(c: EngagementCheckIn) -> dict:
    return {
        "id": c.id,
        "held_on": c.held_on.isoformat(),
        "note": c.note,
        "recorded_by": {"id": c.recorded_by_id, "full_name": c.recorded_by.full_name},
        "progress": [
            {"objective_id": p.objective_id, "progress": p.progress.value} for p in c.progress
        ],
    }


@bp.get("/engagements/<int:engagement_id>/check-ins")
@endpoint(
    "An engagement's check-ins, the latest first",
    tag="engagements",
    response="EngagementCheckIn",
    array_of=True,
)
@role_required(*READERS)
def list_engagement_check_ins(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    return jsonify([check_in_json(c) for c in queries.check_ins_of(engagement.id)])


@bp.post("/engagements/<int:engagement_id>/check-ins")
@endpoint(
    "Record a check-in of an active engagement (the brokered coach too)",
    tag="engagements",
    body=CheckInIn,
    response="EngagementCheckIn",
    status=201,
    errors=(409,),
)
@role_required(*RUNNERS)
def add_engagement_check_in(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    check_in = check_ins.record_check_in(engagement, by=g.api_user, **json_body(CheckInIn))
    return jsonify(commit_with(lambda: check_in_json(check_in))), 201


@bp.post("/engagements/<int:engagement_id>/close")
@endpoint(
    "Close an active engagement with its close-out: an outcome for each objective (the "
    "brokered coach too)",
    tag="engagements",
    body=CloseIn,
    response="Engagement",
)
@role_required(*RUNNERS)
def close_engagement(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    close_out.close(engagement, by=g.api_user, **json_body(CloseIn))
    return answer(engagement)
