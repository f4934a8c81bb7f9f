"""What hangs on a peer exchange, in the API (API.md "Peer exchanges"): its participants,
follow-up actions, reflections and plan links. The exchange itself, and the answers'
shapes of participants, actions and plan links, are scbi.api.exchanges'."""

from __future__ import annotations

from flask import g, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.exchanges import action_json, participant_json, plan_link_json
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.exchanges.models import ACTION, PARTICIPANT, PLAN_LINK, REFLECTION, ParticipantKind
from scbi.exchanges.permissions import MANAGERS, READERS
from scbi.exchanges.queries import detail
from scbi.exchanges.queries.scope import (
    action_or_404,
    exchange_or_404,
    participant_or_404,
    plan_link_or_404,
)
from scbi.exchanges.services import actions as action_service
from scbi.exchanges.services import participants as participant_service
from scbi.exchanges.services import reflections as reflection_service
from scbi.mentees.models import Gender
from scbi.transaction import commit, commit_with

ParticipantIn = Schema(
    "ParticipantIn",
    {
        "kind": F("string", enum=tuple(k.value for k in ParticipantKind), required=True),
        "mentee_id": F("integer", description="kind mentee"),
        "coach_id": F("integer", description="kind coach"),
        "name": F("string", plain_text=True, **PARTICIPANT["name"].api(required=False)),
        "organisation": F(
            "string", plain_text=True, **PARTICIPANT["organisation"].api(required=False)
        ),
        "country": F("string", max_length=2, description="kind external: ISO 3166-1 alpha-2"),
        "gender": F("string", nullable=True, enum=tuple(gender.value for gender in Gender)),
    },
)
_ACTION = {
    "description": F("string", plain_text=True, **ACTION["description"].api(required=False)),
    "owner_id": F(
        "integer",
        nullable=True,
        description="an account: one of the exchange's mentees or coaches, a coordinator "
        "of its sectors, the secretariat; or null and owner_name",
    ),
    "owner_name": F("string", nullable=True, plain_text=True, **ACTION["owner_name"].api()),
    "due_on": F("date", nullable=True),
    "done_on": F("date", nullable=True, description="null while not done"),
}
ActionIn = Schema("ActionIn", _ACTION)
ActionPatch = Schema("ActionPatch", {**_ACTION, "version": F("integer", required=True)})
DoneIn = Schema(
    "ActionDone",
    {"version": F("integer", required=True), "done_on": F("date", description="default today")},
)
ReflectionIn = Schema(
    "ReflectionIn",
    {
        "text": F("string", plain_text=True, **REFLECTION["text"].api()),
        "version": F("integer", description="the stored reflection's (to change it)"),
    },
)
PlanLinkIn = Schema(
    "PlanLinkIn",
    {
        "plan_id": F("integer", required=True),
        "note": F("string", plain_text=True, **PLAN_LINK["note"].api()),
    },
)

component(
    Schema(
        "ExchangeReflection",
        {
            "id": F("integer", required=True),
            "exchange_id": F("integer", required=True),
            "mentee_id": F("integer", required=True),
            "mentee": F("string", required=True, description="the mentee's name"),
            "text": F("string", required=True),
            "updated_at": F("datetime", required=True),
            "version": F("integer", required=True),
        },
    )
)


def reflection_json(r) -> dict:
    return {
        "id": r.id,
        "exchange_id": r.exchange_id,
        "mentee_id": r.mentee_id,
        "mentee": r.mentee.full_name,
        "text": r.text,
        "updated_at": r.updated_at.isoformat(),
        "version": r.version,
    }


@bp.post("/exchanges/<int:exchange_id>/participants")
@endpoint(
    "Add a participant: a mentee (mentee_id), a coach (coach_id) or someone from outside "
    "the programme (name, organisation, country, gender optional)",
    tag="exchanges",
    body=ParticipantIn,
    response="ExchangeParticipant",
    status=201,
)
@role_required(*MANAGERS)
def add_exchange_participant(exchange_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    body = json_body(ParticipantIn)
    participant = participant_service.add_participant(exchange, by=g.api_user, **body)
    return jsonify(commit_with(lambda: participant_json(participant))), 201


@bp.delete("/exchanges/<int:exchange_id>/participants/<int:exchange_participant_id>")
@endpoint(
    "Remove a participant added by mistake (409 participant_recorded for a mentee whose "
    "reflection, plan link or log records the exchange)",
    tag="exchanges",
    status=204,
    errors=(409,),
)
@role_required(*MANAGERS)
def remove_exchange_participant(exchange_id: int, exchange_participant_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    participant = participant_or_404(exchange, exchange_participant_id)
    participant_service.remove_participant(participant, by=g.api_user)
    commit()
    return "", 204


@bp.post("/exchanges/<int:exchange_id>/actions")
@endpoint(
    "Add a follow-up action (an owner and a due date are required)",
    tag="exchanges",
    body=ActionIn,
    response="ExchangeAction",
    status=201,
)
@role_required(*MANAGERS)
def add_exchange_action(exchange_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    action = action_service.add_action(exchange, by=g.api_user, **json_body(ActionIn))
    return jsonify(commit_with(lambda: action_json(action))), 201


@bp.patch("/exchange-actions/<int:exchange_action_id>")
@endpoint(
    "Change a follow-up action with the version read (done_on null opens it again)",
    tag="exchanges",
    body=ActionPatch,
    response="ExchangeAction",
)
@role_required(*MANAGERS)
def patch_exchange_action(exchange_action_id: int):
    action = action_or_404(g.api_user, exchange_action_id)
    action_service.update_action(action, by=g.api_user, **json_body(ActionPatch))
    return jsonify(commit_with(lambda: action_json(action)))


@bp.post("/exchange-actions/<int:exchange_action_id>/done")
@endpoint(
    "Mark a follow-up action done (its owner, or those who manage the exchange; 409 already_done)",
    tag="exchanges",
    body=DoneIn,
    response="ExchangeAction",
    errors=(409,),
)
@role_required(*READERS)
def exchange_action_done(exchange_action_id: int):
    action = action_or_404(g.api_user, exchange_action_id)
    action_service.mark_done(action, by=g.api_user, **json_body(DoneIn))
    return jsonify(commit_with(lambda: action_json(action)))


@bp.get("/exchanges/<int:exchange_id>/reflections")
@endpoint(
    "The reflections on the exchange the caller may read (their own; a manager all; a "
    "coach their mentees')",
    tag="exchanges",
    response="ExchangeReflection",
    array_of=True,
)
@role_required(*READERS)
def list_exchange_reflections(exchange_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    return jsonify([reflection_json(r) for r in detail.reflections(g.api_user, exchange)])


@bp.put("/exchanges/<int:exchange_id>/reflection")
@endpoint(
    "Write the caller's own reflection (201) or change it with the version read (200): a "
    "mentee who took part, once the exchange has begun (409 not_started before)",
    tag="exchanges",
    body=ReflectionIn,
    response="ExchangeReflection",
    also=((201, "ExchangeReflection", "a new reflection"),),
    errors=(409,),
)
@role_required(Role.MENTEE)
def put_exchange_reflection(exchange_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    body = json_body(ReflectionIn)
    new = detail.own_reflection(g.api_user, exchange) is None
    found = reflection_service.save_reflection(exchange, by=g.api_user, **body)
    return jsonify(commit_with(lambda: reflection_json(found))), 201 if new else 200


@bp.post("/exchanges/<int:exchange_id>/plan-links")
@endpoint(
    "Link the exchange to a plan of a mentee the caller coaches who took part (the plan in "
    "force or being written)",
    tag="exchanges",
    body=PlanLinkIn,
    response="ExchangePlanLink",
    status=201,
)
@role_required(Role.COACH)
def link_exchange_plan(exchange_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    link = reflection_service.link_plan(exchange, by=g.api_user, **json_body(PlanLinkIn))
    return jsonify(commit_with(lambda: plan_link_json(link))), 201


@bp.delete("/exchange-plan-links/<int:exchange_plan_link_id>")
@endpoint(
    "Remove a plan link (the coach of the plan's pairing, or those who manage the exchange)",
    tag="exchanges",
    status=204,
)
@role_required(Role.COACH, *MANAGERS)
def unlink_exchange_plan(exchange_plan_link_id: int):
    link = plan_link_or_404(g.api_user, exchange_plan_link_id)
    reflection_service.unlink_plan(link, by=g.api_user)
    commit()
    return "", 204
