"""Published sector reports (DESIGN.md "Reports"): the list, one publication with what
changed since, its PDF and XLSX, and publishing (a publication or an addendum)."""

from __future__ import annotations

from flask import g, jsonify, url_for

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import int_arg, list_response
from scbi.api.reports import _file_format
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.downloads import send_download
from scbi.reports import publishing
from scbi.reports.models import NARRATIVE, PERIOD, PUBLICATION
from scbi.reports.permissions import READERS
from scbi.transaction import commit

STAFF = (Role.SECRETARIAT, Role.COORDINATOR)
_object = "object"

PublishIn = Schema(
    "PublishIn",
    {
        "sector_id": F("integer", required=True),
        "fy": F(
            "integer",
            **PERIOD["fy"].api(),
            description="required: the fiscal year, named by the calendar year it starts in",
        ),
        "quarter": F(
            "integer",
            nullable=True,
            **PERIOD["quarter"].api(),
            description="1-4; absent: the whole year",
        ),
        "from": F("date", description="refused: a date range cannot be published"),
        "to": F("date", description="refused, as from"),
        **{name: F("string", **limit.api()) for name, limit in PUBLICATION.items()},
    },
)
_summary = {
    "id": F("integer", required=True),
    "sector": F(_object, required=True, description="{id, code, name}"),
    "fiscal_year": F("integer", required=True),
    "quarter": F("integer", nullable=True, required=True, description="null: the whole year"),
    "period": F(_object, required=True, description="{start, end, label}"),
    "number": F(
        "integer", required=True, description="1 the publication; 2, 3 … its addenda, in order"
    ),
    "published_at": F("datetime", required=True),
    "published_by": F(_object, required=True, description="{id, full_name}"),
}
component(Schema("PublishedReportSummary", _summary))
component(
    Schema(
        "PublishedReport",
        {
            **_summary,
            "went_well": F("string", required=True),
            "went_badly": F("string", required=True),
            "next_steps": F("string", required=True),
            "figures": F(
                "object",
                ref="SectorReport",
                required=True,
                description="the sector report as it was at publication, never changed",
            ),
            "latest_number": F(
                "integer", required=True, description="the latest version of this period"
            ),
            "changed_since_publication": F(
                "boolean",
                required=True,
                description="the live figures of the period differ from its latest version",
            ),
            "differences": F(
                "array",
                items=_object,
                required=True,
                description="[{path, label, published, now}]: each figure whose live value "
                "differs from the latest version's (null where a side has no such row)",
            ),
        },
    )
)


def publication_json(reading: publishing.Reading) -> dict:
    report = reading.report
    return {
        **publishing.summary(report),
        **{name: getattr(report, name) for name in NARRATIVE},
        "figures": reading.figures,
        "latest_number": reading.latest.number,
        "changed_since_publication": reading.changed,
        "differences": reading.differences,
    }


@bp.get("/reports/published")
@endpoint(
    "Published sector reports the caller may read, newest period first",
    tag="reports",
    response="PublishedReportSummary",
    list_of=True,
    errors=(422,),
    query=(
        ("sector_id", "integer", ""),
        ("fy", "integer", "fiscal year"),
        ("quarter", "integer", "1-4"),
    ),
)
@role_required(*READERS)
def list_published_reports():
    query = publishing.visible(
        g.api_user,
        sector_id=int_arg("sector_id"),
        fiscal_year=int_arg("fy"),
        quarter=int_arg("quarter"),
    )
    return list_response(query, publishing.summary)


@bp.get("/reports/published/<int:report_id>")
@endpoint(
    "One published report: its frozen figures and narrative, and what changed since",
    tag="reports",
    response="PublishedReport",
    errors=(404, 422),
    query=(("format", "string", "pdf or xlsx: the publication as a file; default JSON"),),
)
@role_required(*READERS)
def get_published_report(report_id: int):
    if kind := _file_format():
        return send_download(publishing.publication_file(g.api_user, report_id, kind))
    return jsonify(publication_json(publishing.read(g.api_user, report_id)))


@bp.post("/reports/published")
@endpoint(
    "Publish a sector report for an ended fiscal quarter or year; when the period is "
    "published already, an addendum (409 when nothing changed since its latest version)",
    tag="reports",
    body=PublishIn,
    response="PublishedReport",
    status=201,
    errors=(400, 403, 404, 409, 422),
)
@role_required(*STAFF)
def publish_report():
    data = json_body(PublishIn)
    asked = {key: data.pop(key, None) for key in ("fy", "quarter", "from", "to")}
    period = publishing.requested_period(asked["fy"], asked["quarter"], asked["from"], asked["to"])
    report = publishing.publish(by=g.api_user, period=period, **data)
    commit()
    reading = publishing.Reading(report, [report], [], report.figures)
    response = jsonify(publication_json(reading))
    response.headers["Location"] = url_for("api.get_published_report", report_id=report.id)
    return response, 201
