"""What the report pages share: their template filters, the period asked for and its
picker, and the sector report page (shown again by a refused publication)."""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template, request
from flask_babel import format_date, format_datetime
from flask_login import current_user
from markupsafe import Markup

from scbi.errors import ValidationFailed
from scbi.exchanges.countries import country_name
from scbi.reports import labels, periods, publishing, services
from scbi.reports.charts import sector_charts
from scbi.reports.forms import PublishForm
from scbi.reports.views.blueprint import bp

bp.add_app_template_global(labels.compared, "compared")
bp.add_app_template_global(labels.mentee_roles, "mentee_roles")
bp.add_app_template_filter(labels.sign, "sign")
bp.add_app_template_filter(labels.figure, "figure")
bp.add_app_template_filter(country_name, "country")


@bp.app_template_filter("css_string")
def css_string(value) -> Markup:
    """Text inside a quoted CSS string (the PDF's running footer): every character that
    could end the string, the rule or the style element is a CSS escape."""
    return Markup(  # noqa: S704 - escaped here for the CSS context
        "".join(c if c.isalnum() or c in " .,-_/()" else f"\\{ord(c):x} " for c in str(value))
    )


@bp.app_template_filter("isodatetime")
def isodatetime(value: str | None, style: str = "medium") -> str:
    """An ISO timestamp (as stored in a publication) in the programme's time zone."""
    return format_datetime(datetime.fromisoformat(value), style) if value else ""


@bp.app_template_filter("isodate")
def isodate(value: str | None, style: str = "medium") -> str:
    return format_date(date.fromisoformat(value), style) if value else ""


def period_asked():
    """The period asked for; a refused one falls back to the current quarter, with the
    refusal shown next to the picker and the typed values kept."""
    try:
        return periods.parse(request.args), {}
    except ValidationFailed as refused:
        return periods.current_quarter(), refused.fields


def picker(period, errors) -> dict:
    return {
        "period": period,
        "errors": errors,
        "fiscal_years": periods.fiscal_year_choices(),
        "current": periods.current_quarter(),
        "args": request.args,
    }


def sector_page(sector_id: int, period, errors, form: PublishForm, status: int = 200):
    """The sector report page: the report, its publications and the publish form."""
    report = services.sector_report(current_user, sector_id, period)
    published = publishing.summaries(current_user, sector_id=sector_id)
    return render_template(
        "reports/sector.html",
        report=report,
        charts=sector_charts(report),
        published=published,
        this_period=[
            p
            for p in published
            if (p["period"]["start"], p["period"]["end"])
            == (report["period"]["start"], report["period"]["end"])
        ],
        refusal=publishing.refusal(period),
        form=form,
        **picker(period, errors),
    ), (422 if errors else status)
