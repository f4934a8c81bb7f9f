"""Report pages and their downloads: thin handlers over scbi.reports.services."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.competencies.export import assessments_csv
from scbi.downloads import send_download
from scbi.reports import periods, publishing, services
from scbi.reports.forms import PublishForm
from scbi.reports.permissions import READERS
from scbi.reports.views.blueprint import bp
from scbi.reports.views.common import period_asked, picker, sector_page


@bp.get("/reports")
@role_required(*READERS)
def programme():
    period, errors = period_asked()
    kind = request.args.get("format", "")
    if kind in services.FILE_FORMATS and not errors:
        return send_download(services.programme_file(current_user, period, kind))
    overview = services.programme_overview(current_user, period)
    year = (
        period.fiscal_year if period.fiscal_year is not None else periods.fiscal_year_of(period.end)
    )
    return render_template(
        "reports/programme.html",
        overview=overview,
        published=publishing.summaries(current_user, fiscal_year=year),
        published_year=periods.fiscal_year(year),
        **picker(period, errors),
    ), (422 if errors else 200)


@bp.get("/reports/sectors/<int:sector_id>")
@role_required(*READERS)
def sector(sector_id: int):
    period, errors = period_asked()
    kind = request.args.get("format", "")
    if kind in services.FILE_FORMATS and not errors:
        return send_download(services.sector_file(current_user, sector_id, period, kind))
    return sector_page(sector_id, period, errors, PublishForm())


@bp.get("/reports/sectors/<int:sector_id>/assessments.csv")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def sector_assessments_csv(sector_id: int):
    return send_download(
        assessments_csv(
            services.sector_assessments(current_user, sector_id, periods.parse(request.args))
        )
    )
