"""Development partners and the funding of coach contracts (docs/partners.md).

Amounts are exact decimals, sent and answered as strings (``"10000.00"``; a JSON number is
accepted in a request): a JSON number would pass through binary floating point."""

from __future__ import annotations

from flask import g, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.programme import created
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.partners import queries, services
from scbi.partners.models import PARTNER, Partner
from scbi.transaction import commit_with

PartnerIn = Schema(
    "PartnerIn",
    {
        "name": F("string", **PARTNER["name"].api()),
        "acronym": F("string", **PARTNER["acronym"].api()),
        "active": F("boolean"),
    },
)
PartnerPatch = Schema(
    "PartnerPatch",
    {
        "name": F("string", **PARTNER["name"].api(required=False)),
        "acronym": F("string", **PARTNER["acronym"].api(required=False)),
        "active": F("boolean"),
        "version": F("integer", required=True),
    },
)
component(
    Schema(
        "Partner",
        {
            "id": F("integer", required=True),
            "name": F("string", required=True),
            "acronym": F("string", required=True),
            "active": F("boolean", required=True),
            "version": F("integer", required=True),
        },
    )
)
FUNDING_ITEM = (
    "{partner_id, currency (ISO 4217), basis: total|monthly, amount (total basis: the "
    'whole contract\'s, a decimal string such as "10000.00"), months (monthly basis: '
    "[{month: YYYY-MM, amount}])}"
)
FundingIn = Schema(
    "FundingIn",
    {
        "items": F(
            "array",
            items="object",
            required=True,
            description="The contract's whole funding, replacing what was stored: " + FUNDING_ITEM,
        ),
        "version": F("integer", required=True, description="the coach's (the contract's)"),
    },
)
component(
    Schema(
        "Funding",
        {
            "coach_id": F("integer", required=True),
            "contract_start": F("date", required=True),
            "contract_end": F("date", required=True),
            "items": F("array", items="object", required=True, description=FUNDING_ITEM),
            "version": F("integer", required=True, description="the coach's (the contract's)"),
        },
    )
)


def partner_json(p: Partner) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "acronym": p.acronym,
        "active": p.active,
        "version": p.version,
    }


def funding_json(coach, fundings) -> dict:
    return {
        "coach_id": coach.id,
        "contract_start": coach.contract_start.isoformat(),
        "contract_end": coach.contract_end.isoformat(),
        "items": services.funding_snapshot(fundings),
        "version": coach.version,
    }


@bp.get("/partners")
@endpoint("List development partners", tag="partners", response="Partner", list_of=True)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def list_partners():
    return list_response(queries.partner_list(), partner_json)


@bp.post("/partners")
@endpoint("Create a partner", tag="partners", body=PartnerIn, response="Partner", status=201)
@role_required(Role.SECRETARIAT)
def create_partner():
    partner = services.create_partner(by=g.api_user, **json_body(PartnerIn))
    return created(commit_with(lambda: partner_json(partner)), "api.list_partners")


@bp.patch("/partners/<int:partner_id>")
@endpoint(
    "Change a partner (name, acronym, active)",
    tag="partners",
    body=PartnerPatch,
    response="Partner",
)
@role_required(Role.SECRETARIAT)
def patch_partner(partner_id: int):
    partner = queries.partner_or_404(partner_id)
    services.update_partner(partner, by=g.api_user, **json_body(PartnerPatch))
    return jsonify(commit_with(lambda: partner_json(partner)))


@bp.get("/coaches/<int:coach_id>/funding")
@endpoint(
    "The funding of a coach's contract, by partner (secretariat; coordinators of the "
    "coach's sector)",
    tag="partners",
    response="Funding",
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def get_funding(coach_id: int):
    coach = queries.funded_coach_or_404(g.api_user, coach_id)
    return jsonify(funding_json(coach, queries.fundings_of(coach.id)))


@bp.put("/coaches/<int:coach_id>/funding")
@endpoint(
    "Replace the funding of a coach's contract",
    tag="partners",
    body=FundingIn,
    response="Funding",
)
@role_required(Role.SECRETARIAT)
def put_funding(coach_id: int):
    coach = queries.funded_coach_or_404(g.api_user, coach_id)
    body = json_body(FundingIn)
    fundings = services.set_funding(coach, body["items"], by=g.api_user, version=body["version"])
    return jsonify(commit_with(lambda: funding_json(coach, fundings)))
