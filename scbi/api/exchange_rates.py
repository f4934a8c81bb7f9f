"""Exchange rates per fiscal quarter into the reporting currency (docs/partners.md,
"Exchange rates"): the secretariat's, read and written.

A rate is sent and answered as a decimal string (``"1.0825"``): a JSON number would pass
through binary floating point."""

from __future__ import annotations

from flask import g, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.dates import fiscal_label, fiscal_quarter_dates
from scbi.partners import queries, services
from scbi.partners.models import ExchangeRate
from scbi.transaction import commit_with
from scbi.validation import exact_text

RateIn = Schema(
    "ExchangeRateIn",
    {
        "rate": F(
            "string",
            required=True,
            max_length=40,
            description="Units of the reporting currency for one unit of the currency over "
            'the quarter, as a decimal string ("1.0825"): more than 0, at most 10 decimals '
            "and 15 significant digits",
        ),
        "version": F(
            "integer",
            nullable=True,
            description="The version read; absent or null for a rate not entered yet",
        ),
    },
)
component(
    Schema(
        "ExchangeRate",
        {
            "id": F("integer", required=True),
            "fiscal_year": F(
                "integer", required=True, description="named by the calendar year it starts in"
            ),
            "quarter": F("integer", required=True, description="1 to 4"),
            "period": F(
                "object",
                required=True,
                description="{start, end, label}: the quarter's first and last days",
            ),
            "currency": F("string", required=True, description="ISO 4217"),
            "reporting_currency": F(
                "string", required=True, description="ISO 4217: the currency it converts into"
            ),
            "rate": F(
                "string",
                required=True,
                description="units of the reporting currency for one unit of the currency",
            ),
            "entered_by": F(
                "object", required=True, description="{id, full_name}: who entered it as it is"
            ),
            "updated_at": F("datetime", required=True),
            "version": F("integer", required=True),
        },
    )
)


def rate_json(found: ExchangeRate) -> dict:
    quarter = (found.fiscal_year, found.quarter)
    start, end = fiscal_quarter_dates(*quarter)
    return {
        "id": found.id,
        "fiscal_year": found.fiscal_year,
        "quarter": found.quarter,
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": fiscal_label(*quarter),
        },
        "currency": found.currency,
        "reporting_currency": found.reporting_currency,
        "rate": exact_text(found.rate),
        "entered_by": {"id": found.entered_by.id, "full_name": found.entered_by.full_name},
        "updated_at": found.updated_at.isoformat(),
        "version": found.version,
    }


@bp.get("/exchange-rates")
@endpoint(
    "List the exchange rates into the reporting currency, the latest quarter first",
    tag="partners",
    response="ExchangeRate",
    list_of=True,
    query=(("currency", "string", "Only this currency's rates (ISO 4217)"),),
)
@role_required(Role.SECRETARIAT)
def list_exchange_rates():
    return list_response(queries.rate_list(g.query.get("currency")), rate_json)


@bp.put("/exchange-rates/<int:fiscal_year>/<int:quarter>/<currency>")
@endpoint(
    "Enter or change the rate of a currency for a fiscal quarter (201 when new)",
    tag="partners",
    body=RateIn,
    response="ExchangeRate",
    also=((201, "ExchangeRate", "a rate entered for the first time"),),
)
@role_required(Role.SECRETARIAT)
def put_exchange_rate(fiscal_year: int, quarter: int, currency: str):
    body = json_body(RateIn)
    found, new = services.put_rate(
        fiscal_year,
        quarter,
        currency,
        by=g.api_user,
        rate=body["rate"],
        version=body.get("version"),
    )
    return jsonify(commit_with(lambda: rate_json(found))), 201 if new else 200
