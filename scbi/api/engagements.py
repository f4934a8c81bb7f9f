"""Short engagements (docs/engagements.md): the list, one engagement, recording and editing
a request, its team, brokering, the start, check-ins, the close-out, and a request not
taken up. Who may do what is the pages' rule (scbi.engagements.permissions): the
secretariat all, coordinators their sectors', the brokered coach starts, checks in and
closes theirs, a counterpart mentee reads theirs; anything else is 404."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.programme import created
from scbi.api.schema import F, Schema, json_body
from scbi.auth.permissions import role_required
from scbi.dates import today
from scbi.engagements import queries, services
from scbi.engagements.models import (
    ENGAGEMENT,
    MEMBER,
    OBJECTIVE,
    CheckInProgress,
    Engagement,
    EngagementStatus,
    ObjectiveOutcome,
    PractitionerKind,
)
from scbi.engagements.permissions import MANAGERS, READERS, RUNNERS
from scbi.engagements.queries import filters
from scbi.engagements.services import running
from scbi.transaction import commit_with

STATUSES = tuple(s.value for s in EngagementStatus)
OUTCOMES = tuple(o.value for o in ObjectiveOutcome)
WORDS = tuple(p.value for p in CheckInProgress)


def text(limit, description: str = "", **kwargs) -> F:
    return F("string", plain_text=True, description=description, **limit.api(**kwargs))


REQUEST = {
    "institution_id": F("integer", required=True),
    "sector_id": F("integer", nullable=True, description="Left out or null: the institution's"),
    "received_on": F("date", required=True, description="Not in the future"),
    "requested_by_name": text(ENGAGEMENT["requested_by_name"]),
    "requested_by_role": text(ENGAGEMENT["requested_by_role"]),
    "problem": text(ENGAGEMENT["problem"]),
    "hoped_result": text(ENGAGEMENT["hoped_result"]),
    "objectives": F(
        "array",
        items="string",
        description=f"Up to 10 texts of at most {OBJECTIVE['text'].max_length} characters; "
        "at least one before brokering; fixed once the engagement starts",
    ),
}
EngagementIn = Schema("EngagementIn", REQUEST)
EngagementPatch = Schema(
    "EngagementPatch",
    {
        "version": F("integer", required=True),
        **{
            k: F(
                f.type,
                nullable=f.nullable,
                items=f.items,
                max_length=f.max_length,
                plain_text=f.plain_text,
                description=f.description,
            )
            for k, f in REQUEST.items()
        },
    },
)
component(
    Schema(
        "EngagementMemberIn",
        {
            "name": F(
                "string",
                plain_text=True,
                max_length=MEMBER["name"].max_length,
                description="Required unless a mentee is named (their name then)",
            ),
            "position": F(
                "string",
                plain_text=True,
                max_length=MEMBER["position"].max_length,
                description="Required unless a mentee is named (their position then)",
            ),
            "mentee_id": F("integer", nullable=True),
        },
    )
)
TeamPut = Schema(
    "TeamPut",
    {
        "members": F("array", ref="EngagementMemberIn", required=True),
        "version": F("integer", required=True),
    },
)
_EXPERT = "An external expert (leave coach_id out): required with the other expert_ fields"
BrokerIn = Schema(
    "BrokerIn",
    {
        "coach_id": F("integer", nullable=True, description="A coach of the programme"),
        "expert_name": text(ENGAGEMENT["expert_name"], _EXPERT, required=False),
        "expert_organisation": text(ENGAGEMENT["expert_organisation"], required=False),
        "expert_country": text(ENGAGEMENT["expert_country"], required=False),
        "expert_email": text(ENGAGEMENT["expert_email"], required=False),
        "start_date": F("date", required=True, description="Not before the request came"),
        "weeks": F("integer", required=True, **ENGAGEMENT["weeks"].api()),
        "version": F("integer", required=True),
    },
)
StartIn = Schema(
    "StartIn",
    {
        "start_date": F("date", description="Default the planned start; not in the future"),
        "version": F("integer", required=True),
    },
)
EndIn = Schema(
    "EngagementEnd",
    {"reason": text(ENGAGEMENT["end_reason"]), "version": F("integer", required=True)},
)
component(
    Schema(
        "Engagement",
        {
            "id": F("integer", required=True),
            "status": F("string", required=True, enum=STATUSES),
            "institution": F("object", required=True, description="{id, acronym, name}"),
            "sector_id": F("integer", required=True),
            "received_on": F("date", required=True),
            "requested_by_name": F("string", required=True),
            "requested_by_role": F("string", required=True),
            "problem": F("string", required=True),
            "hoped_result": F("string", required=True),
            "objectives": F(
                "array",
                items="object",
                required=True,
                description="[{id, number, text, outcome (achieved, partly, not; null until "
                "closed), outcome_note}]",
            ),
            "team": F(
                "array", items="object", required=True, description="[{name, position, mentee_id}]"
            ),
            "practitioner": F(
                "object",
                nullable=True,
                required=True,
                description="{kind: coach|expert, coach_id, name, organisation, country, "
                "email}; null until brokered",
            ),
            "start_date": F("date", nullable=True, required=True),
            "weeks": F("integer", nullable=True, required=True),
            "end_date": F("date", nullable=True, required=True, description="The span's last day"),
            "close_out_due": F("boolean", required=True),
            "close_out": F(
                "object",
                nullable=True,
                required=True,
                description="{closed_on, team_can_now, longer_pairing, longer_pairing_note}",
            ),
            "ended_on": F("date", nullable=True, required=True),
            "end_reason": F("string", required=True, description="Why declined or withdrawn"),
            "version": F("integer", required=True),
        },
    )
)


def _practitioner(e: Engagement) -> dict | None:
    kind = e.practitioner_kind
    if kind is None:
        return None
    if kind == PractitionerKind.COACH:
        return {
            "kind": kind.value,
            "coach_id": e.coach_id,
            "name": e.coach.full_name,
            "organisation": e.coach.organisation,
            "country": e.coach.nationality,
            "email": e.coach.user.email,
        }
    return {
        "kind": kind.value,
        "coach_id": None,
        "name": e.expert_name,
        "organisation": e.expert_organisation,
        "country": e.expert_country,
        "email": e.expert_email,
    }


def _day(value) -> str | None:
    return value.isoformat() if value else None


def engagement_json(e: Engagement) -> dict:
    found = queries.close_out(e)
    return {
        "id": e.id,
        "status": e.status.value,
        "institution": {
            "id": e.institution_id,
            "acronym": e.institution.acronym,
            "name": e.institution.name,
        },
        "sector_id": e.sector_id,
        "received_on": e.received_on.isoformat(),
        "requested_by_name": e.requested_by_name,
        "requested_by_role": e.requested_by_role,
        "problem": e.problem,
        "hoped_result": e.hoped_result,
        "objectives": [
            {
                "id": o.id,
                "number": o.number,
                "text": o.text,
                "outcome": o.outcome.value if o.outcome else None,
                "outcome_note": o.outcome_note,
            }
            for o in e.objectives
        ],
        "team": queries.team_rows(e),
        "practitioner": _practitioner(e),
        "start_date": _day(e.start_date),
        "weeks": e.weeks,
        "end_date": _day(e.end_date),
        "close_out_due": e.close_out_due_on(today()),
        "close_out": None
        if found is None
        else {
            "closed_on": found.closed_on.isoformat(),
            "team_can_now": found.team_can_now,
            "longer_pairing": found.longer_pairing,
            "longer_pairing_note": found.longer_pairing_note,
        },
        "ended_on": _day(e.ended_on),
        "end_reason": e.end_reason,
        "version": e.version,
    }


def answer(engagement: Engagement):
    """The engagement as changed, committed (the check-ins' module answers so too)."""
    return jsonify(commit_with(lambda: engagement_json(engagement)))


@bp.get("/engagements")
@endpoint(
    "Short engagements the caller may read, the latest request first",
    tag="engagements",
    response="Engagement",
    list_of=True,
    query=(
        (
            "status",
            F(
                "string",
                enum=queries.STATUS_FILTERS,
                description="a state; open (requested, brokered or active: the default); "
                "due (active, its span over: the close-out is due); all",
            ),
        ),
        ("sector_id", "integer", "Only this sector's"),
        ("institution_id", "integer", "Only this institution's"),
        ("coach_id", "integer", "Only those this coach is brokered for"),
        (
            "dated_by",
            F(
                "string",
                enum=filters.DATED_BY,
                description="What from and to date: the request's receipt (received, the "
                "default), the start of an engagement that started (active or closed), "
                "or the end of one closed, declined or withdrawn (ended)",
            ),
        ),
        ("from", "date", "Dated (dated_by) on or after this day"),
        ("to", "date", "Dated (dated_by) on or before this day"),
        (
            "outcome",
            F(
                "string",
                enum=OUTCOMES,
                description="Only the closed engagements with an objective of this outcome",
            ),
        ),
        (
            "longer_pairing",
            F(
                "string",
                enum=("1",),
                description="1: only those whose close-out recommends a longer pairing",
            ),
        ),
    ),
)
@role_required(*READERS)
def list_engagements():
    # the parameters are checked above; the list reads them as the page does
    return list_response(queries.engagement_list(g.api_user, request.args), engagement_json)


@bp.post("/engagements")
@endpoint(
    "Record a partner institution's request (state requested)",
    tag="engagements",
    body=EngagementIn,
    response="Engagement",
    status=201,
)
@role_required(*MANAGERS)
def create_engagement():
    engagement = services.record_request(by=g.api_user, **json_body(EngagementIn))
    payload = commit_with(lambda: engagement_json(engagement))
    return created(payload, "api.get_engagement", engagement_id=engagement.id)


@bp.get("/engagements/<int:engagement_id>")
@endpoint("One short engagement", tag="engagements", response="Engagement")
@role_required(*READERS)
def get_engagement(engagement_id: int):
    return jsonify(engagement_json(queries.engagement_or_404(g.api_user, engagement_id)))


@bp.patch("/engagements/<int:engagement_id>")
@endpoint(
    "Change the request and its objectives, until the engagement starts",
    tag="engagements",
    body=EngagementPatch,
    response="Engagement",
)
@role_required(*MANAGERS)
def patch_engagement(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    services.update_request(engagement, by=g.api_user, **json_body(EngagementPatch))
    return answer(engagement)


@bp.put("/engagements/<int:engagement_id>/team")
@endpoint(
    "Replace the counterpart team, while the engagement is open",
    tag="engagements",
    body=TeamPut,
    response="Engagement",
)
@role_required(*MANAGERS)
def put_engagement_team(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    services.set_team(engagement, by=g.api_user, **json_body(TeamPut))
    return answer(engagement)


@bp.post("/engagements/<int:engagement_id>/broker")
@endpoint(
    "Broker a coach or an external expert for 1 to 26 weeks (again, until it starts)",
    tag="engagements",
    body=BrokerIn,
    response="Engagement",
)
@role_required(*MANAGERS)
def broker_engagement(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    running.broker(engagement, by=g.api_user, **json_body(BrokerIn))
    return answer(engagement)


@bp.post("/engagements/<int:engagement_id>/start")
@endpoint(
    "Start a brokered engagement (the brokered coach too)",
    tag="engagements",
    body=StartIn,
    response="Engagement",
)
@role_required(*RUNNERS)
def start_engagement(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    running.start(engagement, by=g.api_user, **json_body(StartIn))
    return answer(engagement)


@bp.post("/engagements/<int:engagement_id>/decline")
@endpoint(
    "Decline a request not yet started, saying why",
    tag="engagements",
    body=EndIn,
    response="Engagement",
)
@role_required(*MANAGERS)
def decline_engagement(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    services.decline(engagement, by=g.api_user, **json_body(EndIn))
    return answer(engagement)


@bp.post("/engagements/<int:engagement_id>/withdraw")
@endpoint(
    "Record that the institution withdrew its request (not yet started), and why",
    tag="engagements",
    body=EndIn,
    response="Engagement",
)
@role_required(*MANAGERS)
def withdraw_engagement(engagement_id: int):
    engagement = queries.engagement_or_404(g.api_user, engagement_id)
    services.withdraw(engagement, by=g.api_user, **json_body(EndIn))
    return answer(engagement)
