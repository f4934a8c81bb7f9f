"""Reports (API.md "Reports"): sector reports, the programme overview and the critical
mass, as JSON or, with ``format``, as the PDF and XLSX files the pages offer."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import ON, component, day, endpoint
from scbi.api.schema import F, Schema
from scbi.auth.permissions import role_required
from scbi.dates import today
from scbi.downloads import send_download
from scbi.reports import access, metrics, periods, services
from scbi.reports.critical_mass import critical_masses
from scbi.reports.models import PERIOD
from scbi.reports.permissions import READERS

component(
    Schema(
        "CriticalMass",
        {
            "sector_id": F("integer", required=True),
            "experts": F("integer", required=True),
            "target": F("integer", required=True),
            "progress": F("number", required=True),
            "target_date": F("date", required=True),
            "expert_level": F(
                "integer", required=True, description="the expert level in force on the date"
            ),
            "core_competencies": F(
                "integer",
                required=True,
                description="the number of core competencies in force on the date",
            ),
            "forecast_date": F("date", nullable=True, required=True),
            "on_track": F("boolean", required=True),
            "trend_per_month": F(
                "number", required=True, description="least-squares experts per month"
            ),
            "trajectory": F(
                "array",
                items="object",
                required=True,
                description="[{month: YYYY-MM-DD (month end), experts}]",
            ),
            "pipeline": F(
                "object",
                required=True,
                description="Counting mentees by core competencies still below the expert "
                'level: {"0", "1", "2", "3+"}',
            ),
        },
    )
)

_object = "object"
VALUE_FOR_MONEY = (
    "Technical-assistance cost and value for money, one entry per currency (never added "
    "across currencies; amounts as decimal strings, ratios null when the denominator is 0): "
    "{period: {CUR: {ta_cost, cost_per_expert, cost_per_ack_hour, cost_per_led_hour}}, "
    "cumulative: {the same, up to the period's as-of date}, experts: {period, cumulative}, "
    "hours: {period: {acknowledged, led}, cumulative}, converted: null when no cost is "
    "recorded, else {currency: the reporting currency, period: {ta_cost, cost_per_expert, "
    "cost_per_ack_hour, cost_per_led_hour} or null when a rate it needs is missing, "
    "cumulative: the same, rates: [{currency, fiscal_year, quarter, label, rate, in_period}] "
    "(the rates used, units of the reporting currency for one unit), missing: [{currency, "
    "fiscal_year, quarter, label, in_period}] (the rates not entered)}: each fiscal quarter's "
    "cost at that quarter's rate, by_partner: [{partner_id, acronym, name, period: {CUR: "
    "ta_cost}, cumulative, ratios: {period: {CUR: {experts, acknowledged_hours, led_hours, "
    "cost_per_expert, cost_per_ack_hour, cost_per_led_hour}}, cumulative} (the experts and "
    "hours attributed to the partner through the coaches it funds; all null when a rate the "
    "attribution needs is missing), converted: {period: {ta_cost, the ratios and figures} or "
    "null, cumulative}}], by_sector: [{sector_id, code, name, period, cumulative, experts, "
    "hours, converted: {currency, period, cumulative} or null}]} (docs/partners.md). A "
    "published report made before a key existed lacks it."
)
PRIORITY_RESULTS = (
    "Section 8, the results chain: {by_status: {status: count}, results: [{id, title, "
    "institution, due_date, status, note (the status on the as-of date), hours, logs "
    "(acknowledged and verified logs dated in the period that named the result), "
    "plan_items (the items of the plans in force those logs served: their pairing's, of a "
    "competency they addressed), indicators: [{id, name, unit, baseline_value, "
    "baseline_date, target_value, target_date, latest_value, latest_period, "
    "latest_fiscal_year, latest_quarter, latest_period_end (the value of the latest fiscal "
    "quarter ending on or before the period's end, or nulls), progress ((latest − baseline) "
    "/ (target − baseline): 0.4 is 40 % of the way; null without an actual)}]}]}. Values "
    "are decimal strings. A published report made before the results chain lacks hours, "
    "logs, plan_items and indicators."
)
_GROUP = (
    '{experts, pipeline: {"0", "1", "2", "3+"}, coaching_hours, led_hours, gains: '
    "{items, mean_baseline, mean_current, mean_gain}}: national experts and the pipeline "
    "at the period's end (as of), acknowledged hours in the period and those the mentee "
    "led, and the plan items in force with their mean levels (null without items)"
)
BY_GENDER = F(
    _object,
    required=True,
    description="The figures of each gender on its own — female, male, other, undisclosed "
    "(never merged; all four always present): {gender: " + _GROUP + "}. They add up to the "
    "undisaggregated figures. A published report made before this key existed lacks it.",
)
BY_INSTITUTION = F(
    _object,
    required=True,
    description="The same figures per institution, keyed by the institution's id: {id: "
    "{acronym, name, ...the figures of by_gender's groups}}; every institution of the "
    "sectors and of their mentees is listed. A published report made before this key "
    "existed lacks it.",
)
_MILESTONE = (
    "{due: mentees whose follow-up fell due by the as-of date, followed_up: those who "
    "answered by then, retained: those still in public service, rate: retained / "
    "followed_up (null when none), cascade: those now coaching or mentoring others}"
)
RETENTION = F(
    _object,
    description="Retention after the programme (docs/retention.md): "
    '{"6": ' + _MILESTONE + ', "12": …, "24": …, cascade: former mentees whose latest '
    "follow-up says they coach or mentor others, by_gender: {gender: {the same}} (the "
    "four, each on its own), by_institution: {id: {acronym, name, the same}}; in the "
    "programme overview also by_sector: [{sector_id, code, name, the same}]}. A published "
    "report made before this key existed lacks it.",
)
_PEERS = (
    "{exchanges: {held, by_kind: {study_visit, peer_review, exchange_workshop, "
    "community_of_practice}}: the exchanges held at some time of the period, up to its as-"
    "of date, that concern the sector; participants: {total, by_gender: {female, male, "
    "other, undisclosed, not_recorded}, by_kind: {mentee, coach, external: {total, "
    "by_gender}}}: their participants by kind and gender (a mentee's gender from their "
    "profile, someone from outside's as given, a coach's not recorded); countries: "
    "{involved: how many countries the exchanges involved (a host abroad, people from "
    "outside), by_country: {ISO code: exchanges involving it}}; follow_up_actions: {open, "
    "overdue}: the follow-up actions of the sector's exchanges begun by the as-of date "
    "still open that day, and of them those due before it; engagements: {opened (requests "
    "received), started, closed, declined, withdrawn: in the period; outcomes: {achieved, "
    "partly, not}: the objectives of those closed; longer_pairings: the close-outs "
    "recommending one}}"
)
PEER_LEARNING = F(
    _object,
    description="Peer exchanges and short engagements (docs/reports.md): "
    + _PEERS
    + "; in the programme overview an exchange of two sectors counts once, and by_sector: "
    "[{sector_id, code, name, the same}]. A published report made before this key existed "
    "lacks it.",
)
component(
    Schema(
        "SectorReport",
        {
            "sector": F(_object, required=True, description="{id, code, name}"),
            "period": F(
                _object,
                required=True,
                description="{start, end, label, as_of, fiscal_year, quarter}",
            ),
            "headline": F(_object, required=True),
            "critical_mass": F(_object, required=True),
            "plans": F(_object, required=True),
            "competency_gains": F(_object, required=True),
            "transfer": F(
                _object, required=True, description="{hours_by_activity, hours_by_mentee_role}"
            ),
            "institutions": F("array", items=_object, required=True),
            "coaches": F("array", items=_object, required=True),
            "priority_results": F(_object, required=True, description=PRIORITY_RESULTS),
            "value_for_money": F(_object, description=VALUE_FOR_MONEY),
            "previous": F(
                _object,
                required=True,
                description="The period before, for quarter-on-quarter figures: {period: "
                "{start, end, label, as_of, fiscal_year, quarter}, headline: {the keys of "
                "headline}, experts: national experts on the previous period's as-of date, "
                "or null when that is no month end (a date range's)}. The previous period "
                "of a fiscal quarter is the quarter before, of a fiscal year the year "
                "before, of a date range the range of the same length ending the day "
                "before it starts. A published report made before this key existed lacks it.",
            ),
            "by_gender": BY_GENDER,
            "by_institution": BY_INSTITUTION,
            "retention": RETENTION,
            "peer_learning": PEER_LEARNING,
        },
    )
)
component(
    Schema(
        "ProgrammeOverview",
        {
            "period": F(_object, required=True),
            "sectors": F(
                "array",
                items=_object,
                required=True,
                description="[{sector, headline, critical_mass, previous}]; previous as in "
                "SectorReport",
            ),
            "totals": F(
                _object,
                required=True,
                description="the headline summed, experts, expert_target, sectors_on_track, "
                "and previous: {period, headline, experts} for the programme",
            ),
            "cascade": F(
                _object, description="former mentees now coaching (the secretariat's only)"
            ),
            "value_for_money": F(_object, description=VALUE_FOR_MONEY),
            "by_gender": BY_GENDER,
            "by_institution": BY_INSTITUTION,
            "retention": RETENTION,
            "peer_learning": PEER_LEARNING,
        },
    )
)


@bp.get("/reports/critical-mass")
@endpoint(
    "National experts per sector (a JSON array, one item per sector the caller may see): "
    "count, target, trajectory, forecast, pipeline",
    tag="reports",
    response="CriticalMass",
    array_of=True,
    query=(("on", ON),),
)
@role_required(*READERS)
def critical_mass_report():
    on = g.query.get("on") or today()
    sectors = access.visible_sectors(g.api_user)
    return jsonify(
        [
            {"sector_id": cm.sector.id, **metrics.critical_mass_data(cm)}
            for cm in critical_masses(sectors, on)
        ]
    )


PERIOD_QUERY = (
    (
        "fy",
        F(
            "integer",
            **PERIOD["fy"].api(),
            description="Fiscal year, named by the calendar year it starts in",
        ),
    ),
    (
        "quarter",
        F("integer", **PERIOD["quarter"].api(), description="With fy; without it the whole year"),
    ),
    ("from", day("With to: any date range instead of a fiscal period.")),
    ("to", day("The range's last day.")),
    (
        "format",
        F(
            "string",
            enum=("json", *services.FILE_FORMATS),
            description="pdf or xlsx: the same report as a file; default JSON",
        ),
    ),
)
REPORT_FILES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def _file_format() -> str | None:
    kind = request.args.get("format", "")
    return None if kind in ("", "json") else kind


@bp.get("/reports/sectors/<int:sector_id>")
@endpoint(
    "A sector's report for a period: the eight sections of DESIGN.md",
    tag="reports",
    response="SectorReport",
    query=PERIOD_QUERY,
    alternatives=REPORT_FILES,
)
@role_required(*READERS)
def sector_report(sector_id: int):
    kind = _file_format()
    period = periods.parse(request.args)
    if kind:
        return send_download(services.sector_file(g.api_user, sector_id, period, kind))
    return jsonify(services.sector_report(g.api_user, sector_id, period))


@bp.get("/reports/programme")
@endpoint(
    "The programme overview of the sectors the caller reads: one row per sector, the totals "
    "and, for the secretariat, the cascade",
    tag="reports",
    response="ProgrammeOverview",
    query=PERIOD_QUERY,
    alternatives=REPORT_FILES,
)
@role_required(*READERS)
def programme_report():
    kind = _file_format()
    period = periods.parse(request.args)
    if kind:
        return send_download(services.programme_file(g.api_user, period, kind))
    return jsonify(services.programme_overview(g.api_user, period))
