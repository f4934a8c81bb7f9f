"""The indicators of priority results and their actual values per fiscal quarter (the
results chain, docs/programme.md).

Values are exact decimals, sent and answered as strings (``"12.5"``): a JSON number would
pass through binary floating point. Whoever reads a result reads its indicators; the
secretariat and the coordinators of the result's sector change and delete them. A DELETE
names the version read in its query (``?version=3``, as a PATCH sends it in its body): a
stale one is 409 and nothing is deleted."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.programme import created
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.downloads import send_download
from scbi.errors import BadRequest, ValidationFailed
from scbi.files import ALLOWED
from scbi.programme import indicators, queries
from scbi.programme.models import INDICATOR, INDICATOR_VALUE, Indicator, IndicatorValue
from scbi.programme.queries import indicators as indicator_queries
from scbi.transaction import commit, commit_with
from scbi.validation import exact_text

DECIMAL = 'An exact decimal as a string, such as "12.5" (at most 4 decimals, 11 digits before)'
IndicatorIn = Schema(
    "IndicatorIn",
    {
        "name": F("string", **INDICATOR["name"].api()),
        "unit": F("string", **INDICATOR["unit"].api()),
        "baseline_value": F("string", required=True, max_length=40, description=DECIMAL),
        "baseline_date": F("date", required=True),
        "target_value": F(
            "string", required=True, max_length=40, description=DECIMAL + "; not the baseline's"
        ),
        "target_date": F("date", required=True, description="Not before the baseline date"),
    },
)
IndicatorPatch = Schema(
    "IndicatorPatch",
    {
        "version": F("integer", required=True),
        **{
            k: F(f.type, max_length=f.max_length, description=f.description)
            for k, f in IndicatorIn.fields.items()
        },
    },
)
ValueIn = Schema(
    "IndicatorValueIn",
    {
        "value": F("string", required=True, max_length=40, description=DECIMAL),
        "source": F("string", **INDICATOR_VALUE["source"].api()),
        "version": F(
            "integer",
            description="The version read of the quarter's value: required to correct one "
            "(without it, or stale: 409)",
        ),
    },
)
VERSION_READ = (
    (
        "version",
        F(
            "integer",
            required=True,
            min=1,
            description="The version you read: a stale one is 409 and nothing is deleted",
        ),
    ),
)
component(
    Schema(
        "IndicatorValue",
        {
            "id": F("integer", required=True),
            "indicator_id": F("integer", required=True),
            "fiscal_year": F(
                "integer", required=True, description="named by the calendar year it starts in"
            ),
            "quarter": F("integer", required=True),
            "period": F("string", required=True, description='"FY 2025/26 Q3"'),
            "period_start": F("date", required=True),
            "period_end": F("date", required=True),
            "value": F("string", required=True, description="an exact decimal"),
            "source": F("string", required=True),
            "evidence": F(
                "object",
                nullable=True,
                required=True,
                description="{original_name, content_type, size, sha256, download_url} or null",
            ),
            "recorded_by": F("string", nullable=True, required=True),
            "recorded_at": F("datetime", required=True),
            "version": F("integer", required=True),
        },
    )
)
component(
    Schema(
        "Indicator",
        {
            "id": F("integer", required=True),
            "result_id": F("integer", required=True),
            "name": F("string", required=True),
            "unit": F("string", required=True),
            "baseline_value": F("string", required=True),
            "baseline_date": F("date", required=True),
            "target_value": F("string", required=True),
            "target_date": F("date", required=True),
            "latest": F(
                "object",
                ref="IndicatorValue",
                nullable=True,
                required=True,
                description="the value of the latest quarter recorded",
            ),
            "progress": F(
                "number",
                nullable=True,
                required=True,
                description="(latest − baseline) / (target − baseline): 0.4 is 40 % of the "
                "way; null without a value",
            ),
            "values": F("array", ref="IndicatorValue", required=True, description="latest first"),
            "version": F("integer", required=True),
        },
    )
)


def value_json(v: IndicatorValue) -> dict:
    return {
        "id": v.id,
        "indicator_id": v.indicator_id,
        "fiscal_year": v.fiscal_year,
        "quarter": v.quarter,
        "period": v.period_label,
        "period_start": v.period_start.isoformat(),
        "period_end": v.period_end.isoformat(),
        "value": exact_text(v.value),
        "source": v.source,
        "evidence": {
            "original_name": v.original_name,
            "content_type": v.content_type,
            "size": v.size,
            "sha256": v.sha256,
            "download_url": f"/api/v1/indicators/{v.indicator_id}/values/{v.fiscal_year}/"
            f"{v.quarter}/evidence",
        }
        if v.has_evidence
        else None,
        "recorded_by": v.recorded_by.full_name if v.recorded_by else None,
        "recorded_at": v.recorded_at.isoformat(),
        "version": v.version,
    }


def indicator_json(i: Indicator) -> dict:
    share = i.progress
    return {
        "id": i.id,
        "result_id": i.result_id,
        "name": i.name,
        "unit": i.unit,
        "baseline_value": exact_text(i.baseline_value),
        "baseline_date": i.baseline_date.isoformat(),
        "target_value": exact_text(i.target_value),
        "target_date": i.target_date.isoformat(),
        "latest": value_json(i.latest) if i.latest else None,
        "progress": None if share is None else float(round(share, 4)),
        "values": [
            value_json(v) for v in sorted(i.values, key=lambda v: v.period_end, reverse=True)
        ],
        "version": i.version,
    }


@bp.get("/priority-results/<int:result_id>/indicators")
@endpoint(
    "The result's indicators, each with its values by quarter",
    tag="indicators",
    response="Indicator",
    list_of=True,
)
@role_required(*SIGNED_IN)
def list_indicators(result_id: int):
    result = queries.priority_result_page(result_id)
    return list_response(indicator_queries.indicator_list(result.id), indicator_json)


@bp.post("/priority-results/<int:result_id>/indicators")
@endpoint(
    "Add an indicator to a result (secretariat; coordinators of the result's sector)",
    tag="indicators",
    body=IndicatorIn,
    response="Indicator",
    status=201,
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def create_indicator(result_id: int):
    result = queries.priority_result_page(result_id)
    indicators.require_manager(g.api_user, result)  # 403 before the body is read
    indicator = indicators.create_indicator(result, by=g.api_user, **json_body(IndicatorIn))
    payload = commit_with(lambda: indicator_json(indicator))
    return created(payload, "api.get_indicator", indicator_id=payload["id"])


@bp.get("/indicators/<int:indicator_id>")
@endpoint("One indicator, with its values by quarter", tag="indicators", response="Indicator")
@role_required(*SIGNED_IN)
def get_indicator(indicator_id: int):
    return jsonify(indicator_json(indicator_queries.indicator_or_404(indicator_id)))


@bp.patch("/indicators/<int:indicator_id>")
@endpoint(
    "Change an indicator (name, unit, baseline, target)",
    tag="indicators",
    body=IndicatorPatch,
    response="Indicator",
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def patch_indicator(indicator_id: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(g.api_user, indicator.result)
    indicators.update_indicator(indicator, by=g.api_user, **json_body(IndicatorPatch))
    return jsonify(commit_with(lambda: indicator_json(indicator)))


@bp.delete("/indicators/<int:indicator_id>")
@endpoint(
    "Delete an indicator that has no actual value left (else 409 `has_values`, saying how "
    "many: delete them first)",
    tag="indicators",
    status=204,
    query=VERSION_READ,
    errors=(409,),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def delete_indicator(indicator_id: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(g.api_user, indicator.result)
    indicators.delete_indicator(indicator, by=g.api_user, version=g.query["version"])
    commit()
    return "", 204


@bp.put("/indicators/<int:indicator_id>/values/<int:fiscal_year>/<int:quarter>")
@endpoint(
    "Record the actual value of a fiscal quarter (201), or correct it with the `version` "
    "read (200); a quarter not started yet or ending before the baseline date is 422",
    tag="indicators",
    body=ValueIn,
    response="IndicatorValue",
    also=((201, "IndicatorValue", "when the quarter had no value"),),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def put_indicator_value(indicator_id: int, fiscal_year: int, quarter: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(g.api_user, indicator.result)
    value, made = indicators.record_value(
        indicator, by=g.api_user, fiscal_year=fiscal_year, quarter=quarter, **json_body(ValueIn)
    )
    return jsonify(commit_with(lambda: value_json(value))), 201 if made else 200


@bp.delete("/indicators/<int:indicator_id>/values/<int:fiscal_year>/<int:quarter>")
@endpoint(
    "Delete the actual value of a fiscal quarter, with its evidence file",
    tag="indicators",
    status=204,
    query=VERSION_READ,
    errors=(409,),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def delete_indicator_value(indicator_id: int, fiscal_year: int, quarter: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(g.api_user, indicator.result)
    value = indicator_queries.value_or_404(indicator, fiscal_year, quarter)
    indicators.delete_value(value, by=g.api_user, version=g.query["version"])
    commit()
    return "", 204


@bp.post("/indicators/<int:indicator_id>/values/<int:fiscal_year>/<int:quarter>/evidence")
@endpoint(
    "Attach the evidence file of a quarter's value (multipart `file`; optional `version`, "
    "checked when sent); it replaces the quarter's file",
    tag="indicators",
    uploads=("multipart/form-data",),
    response="IndicatorValue",
    errors=(409,),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def add_indicator_evidence(indicator_id: int, fiscal_year: int, quarter: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(g.api_user, indicator.result)
    found = indicator_queries.value_or_404(indicator, fiscal_year, quarter)
    if "file" not in request.files:
        raise BadRequest(code="file_required")
    version = request.form.get("version", "").strip()
    if version and not version.isdecimal():
        raise ValidationFailed(fields={"version": [_("Send the version you read.")]})
    upload = request.files["file"]
    value, _made = indicators.record_value(
        indicator,
        by=g.api_user,
        fiscal_year=fiscal_year,
        quarter=quarter,
        version=int(version) if version else found.version,
        evidence=(upload.stream, upload.filename or ""),
    )
    return jsonify(commit_with(lambda: value_json(value)))


@bp.get("/indicators/<int:indicator_id>/values/<int:fiscal_year>/<int:quarter>/evidence")
@endpoint(
    "The evidence file of a quarter's value, as an attachment",
    tag="indicators",
    alternatives=tuple(sorted({content_type for content_type, _kind in ALLOWED.values()})),
)
@role_required(*SIGNED_IN)
def download_indicator_evidence(indicator_id: int, fiscal_year: int, quarter: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    value = indicator_queries.value_or_404(indicator, fiscal_year, quarter)
    return send_download(indicators.evidence_file(value))
