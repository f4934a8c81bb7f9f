"""Peer exchanges (docs/exchanges.md; API.md "Peer exchanges"): the list, an exchange (with
its participants, follow-up actions and plan links), its creation and change with the
version read; what hangs on an exchange is changed in scbi.api.exchange_parts. Who may do
what is the pages' rule (scbi.exchanges.permissions); an exchange outside the caller's
scope is a 404."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import component, day, endpoint
from scbi.api.lists import list_response
from scbi.api.programme import created
from scbi.api.schema import F, Schema, json_body
from scbi.auth.permissions import role_required
from scbi.dates import today
from scbi.exchanges import services
from scbi.exchanges.countries import CODES, country_name
from scbi.exchanges.models import EXCHANGE, ExchangeKind, ExchangeState, ParticipantKind
from scbi.exchanges.permissions import MANAGERS, READERS
from scbi.exchanges.queries import detail, figure_filters, lists
from scbi.exchanges.queries.scope import exchange_or_404
from scbi.pagination import paginate
from scbi.transaction import commit_with

KINDS = tuple(k.value for k in ExchangeKind)
IDS = "ids, as a JSON array of integers"


def _exchange_fields(required: bool) -> dict[str, F]:
    return {
        "kind": F("string", enum=KINDS, required=required),
        "title": F("string", plain_text=True, **EXCHANGE["title"].api(required=required)),
        "starts_on": F("date", required=required),
        "ends_on": F("date", nullable=True, description="empty or null: a one-day exchange"),
        "sector_ids": F("array", items="integer", required=required, description=IDS),
        "host_institution_id": F(
            "integer",
            nullable=True,
            description="an institution of the programme hosts it; else null, and "
            "host_organisation with host_country name the host",
        ),
        "host_organisation": F(
            "string", nullable=True, plain_text=True, **EXCHANGE["host_organisation"].api()
        ),
        "host_country": F(
            "string", nullable=True, max_length=2, description="ISO 3166-1 alpha-2 code"
        ),
        "questions": F("string", plain_text=True, **EXCHANGE["questions"].api()),
        "learnt": F(
            "string",
            plain_text=True,
            description="what was learnt (once the exchange has begun)",
            **EXCHANGE["learnt"].api(),
        ),
        "competency_ids": F("array", items="integer", description=IDS),
        "result_ids": F("array", items="integer", description="priority result " + IDS),
    }


ExchangeIn = Schema("ExchangeIn", _exchange_fields(required=True))
ExchangePatch = Schema(
    "ExchangePatch",
    {**_exchange_fields(required=False), "version": F("integer", required=True)},
)
PARTICIPANT_OUT = {
    "id": F("integer", required=True),
    "kind": F("string", required=True, enum=tuple(k.value for k in ParticipantKind)),
    "mentee_id": F("integer", nullable=True, required=True),
    "coach_id": F("integer", nullable=True, required=True),
    "full_name": F("string", required=True),
    "organisation": F("string", nullable=True, required=True, description="external only"),
    "country": F("string", nullable=True, required=True, description="external only"),
    "gender": F("string", nullable=True, required=True, description="external only, if given"),
}
ACTION_OUT = {
    "id": F("integer", required=True),
    "exchange_id": F("integer", required=True),
    "description": F("string", required=True),
    "owner_id": F("integer", nullable=True, required=True),
    "owner_name": F("string", nullable=True, required=True),
    "owner": F("string", required=True, description="the owner's name, either way"),
    "due_on": F("date", required=True),
    "done_on": F("date", nullable=True, required=True),
    "overdue": F("boolean", required=True),
    "version": F("integer", required=True),
}
PLAN_LINK_OUT = {
    "id": F("integer", required=True),
    "plan_id": F("integer", required=True),
    "pairing_id": F("integer", required=True),
    "mentee_id": F("integer", required=True),
    "note": F("string", required=True),
    "linked_by": F("object", required=True, description="{id, full_name}"),
}
_SUMMARY = {
    "id": F("integer", required=True),
    "kind": F("string", required=True, enum=KINDS),
    "title": F("string", required=True),
    "starts_on": F("date", required=True),
    "ends_on": F("date", required=True),
    "state": F("string", required=True, enum=tuple(s.value for s in ExchangeState)),
    "host_institution_id": F("integer", nullable=True, required=True),
    "host_organisation": F("string", nullable=True, required=True),
    "host_country": F("string", nullable=True, required=True),
    "host_country_name": F(
        "string", nullable=True, required=True, description="in the language asked for"
    ),
    "sector_ids": F("array", items="integer", required=True),
    "version": F("integer", required=True),
}
component(Schema("ExchangeParticipant", PARTICIPANT_OUT))
component(Schema("ExchangeAction", ACTION_OUT))
component(Schema("ExchangePlanLink", PLAN_LINK_OUT))
component(
    Schema(
        "ListedExchange",
        {
            **_SUMMARY,
            "participants": F("integer", required=True, description="how many"),
            "open_actions": F(
                "integer", required=True, description="not done on the day `on` (today)"
            ),
            "overdue_actions": F("integer", required=True, description="of them, due before it"),
        },
    )
)
component(
    Schema(
        "Exchange",
        {
            **_SUMMARY,
            "questions": F("string", required=True),
            "learnt": F("string", required=True),
            "competency_ids": F("array", items="integer", required=True),
            "result_ids": F("array", items="integer", required=True),
            "participants": F("array", ref="ExchangeParticipant", required=True),
            "actions": F("array", ref="ExchangeAction", required=True),
            "plan_links": F(
                "array",
                ref="ExchangePlanLink",
                required=True,
                description="those the caller may know of",
            ),
        },
    )
)


def _summary(e) -> dict:
    return {
        "id": e.id,
        "kind": e.kind.value,
        "title": e.title,
        "starts_on": e.starts_on.isoformat(),
        "ends_on": e.ends_on.isoformat(),
        "state": e.state_on(today()).value,
        "host_institution_id": e.host_institution_id,
        "host_organisation": e.host_organisation,
        "host_country": e.host_country,
        "host_country_name": country_name(e.host_country) or None,
        "sector_ids": e.sector_ids,
        "version": e.version,
    }


def participant_json(p) -> dict:
    return {
        "id": p.id,
        "kind": p.kind.value,
        "mentee_id": p.mentee_id,
        "coach_id": p.coach_id,
        "full_name": p.full_name,
        "organisation": p.organisation,
        "country": p.country,
        "gender": p.gender.value if p.gender else None,
    }


def action_json(a) -> dict:
    return {
        "id": a.id,
        "exchange_id": a.exchange_id,
        "description": a.description,
        "owner_id": a.owner_id,
        "owner_name": a.owner_name,
        "owner": a.owner_label,
        "due_on": a.due_on.isoformat(),
        "done_on": a.done_on.isoformat() if a.done_on else None,
        "overdue": a.overdue_on(today()),
        "version": a.version,
    }


def plan_link_json(link) -> dict:
    return {
        "id": link.id,
        "plan_id": link.plan_id,
        "pairing_id": link.plan.pairing_id,
        "mentee_id": link.plan.pairing.mentee_id,
        "note": link.note,
        "linked_by": {"id": link.linked_by_id, "full_name": link.linked_by.full_name},
    }


def exchange_json(e) -> dict:
    return {
        **_summary(e),
        "questions": e.questions,
        "learnt": e.learnt,
        "competency_ids": e.competency_ids,
        "result_ids": e.result_ids,
        "participants": [participant_json(p) for p in detail.participants(e)],
        "actions": [action_json(a) for a in e.actions],
        "plan_links": [plan_link_json(link) for link in detail.plan_links(g.api_user, e)],
    }


@bp.get("/exchanges")
@endpoint(
    "Peer exchanges the caller may read, newest first (coordinators: their sectors'; "
    "coaches and mentees: those they, or the mentees they coach, took part in)",
    tag="exchanges",
    response="ListedExchange",
    list_of=True,
    query=(
        ("kind", F("string", enum=KINDS)),
        (
            "state",
            F(
                "string",
                enum=lists.STATES,
                description="planned (not begun), under_way or held (ended) today",
            ),
        ),
        ("sector_id", "integer", "Only the exchanges that concern this sector"),
        ("from", "date", "Held at some time on or after this day"),
        ("to", "date", "Held at some time on or before this day"),
        (
            "actions",
            F(
                "string",
                enum=lists.ACTION_FILTERS,
                description="with follow-up actions not yet done (open), overdue ones "
                "(overdue), or not yet done ones the caller owns (mine), on the day `on`",
            ),
        ),
        ("on", day("The day the follow-up actions stand on (`actions`); default today")),
        (
            "participant",
            F(
                "string",
                enum=tuple(k.value for k in ParticipantKind),
                description="Only the exchanges with a participant of this kind",
            ),
        ),
        (
            "gender",
            F(
                "string",
                enum=figure_filters.GENDERS,
                description="Only the exchanges with a participant of this gender (a "
                "mentee's, or someone from outside's as given; not_recorded: none known)",
            ),
        ),
        (
            "country",
            F(
                "string",
                enum=tuple(sorted(CODES)),
                description="Only the exchanges that involved this country (ISO 3166-1 "
                "alpha-2): hosted there, or with someone from there",
            ),
        ),
    ),
)
@role_required(*READERS)
def list_exchanges():
    page = paginate(lists.exchange_list(g.api_user, request.args), 50)
    figures = lists.listed(g.api_user, page.items, g.query.get("on"))

    def listed(e) -> dict:
        row = figures[e.id]
        return {
            **_summary(e),
            "participants": row.participants,
            "open_actions": row.open_actions,
            "overdue_actions": row.overdue_actions,
        }

    return list_response(page, listed)


@bp.post("/exchanges")
@endpoint(
    "Record an exchange (the secretariat; a coordinator, in their sectors)",
    tag="exchanges",
    body=ExchangeIn,
    response="Exchange",
    status=201,
)
@role_required(*MANAGERS)
def create_exchange():
    exchange = services.create_exchange(by=g.api_user, **json_body(ExchangeIn))
    payload = commit_with(lambda: exchange_json(exchange))
    return created(payload, "api.get_exchange", exchange_id=exchange.id)


@bp.get("/exchanges/<int:exchange_id>")
@endpoint(
    "An exchange, with its participants, follow-up actions and the plan links the caller "
    "may know of",
    tag="exchanges",
    response="Exchange",
)
@role_required(*READERS)
def get_exchange(exchange_id: int):
    return jsonify(exchange_json(exchange_or_404(g.api_user, exchange_id)))


@bp.patch("/exchanges/<int:exchange_id>")
@endpoint(
    "Change an exchange (what was learnt too) with the version read; fields not sent keep "
    "their values (to change the host, send all three host fields)",
    tag="exchanges",
    body=ExchangePatch,
    response="Exchange",
)
@role_required(*MANAGERS)
def patch_exchange(exchange_id: int):
    exchange = exchange_or_404(g.api_user, exchange_id)
    services.update_exchange(exchange, by=g.api_user, **json_body(ExchangePatch))
    return jsonify(commit_with(lambda: exchange_json(exchange)))
