"""Published reports on the web: publishing from the sector report, a publication's page
(frozen figures, narrative, what changed since) with its files, and addenda. Thin
handlers over scbi.reports.publishing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.downloads import send_download
from scbi.errors import ValidationFailed
from scbi.forms import FORM_ERRORS
from scbi.reports import periods, publishing, services
from scbi.reports.charts import sector_charts
from scbi.reports.forms import PublishForm
from scbi.reports.permissions import READERS
from scbi.reports.views.blueprint import bp
from scbi.reports.views.common import sector_page
from scbi.transaction import commit, rollback

STAFF = (Role.SECRETARIAT, Role.COORDINATOR)


def _publish(form: PublishForm, sector_id: int, period):
    """Validate, publish, commit; or the refusal kept in the form with its status."""
    if not form.validate_on_submit():
        return None, 422
    try:
        report = publishing.publish(
            by=current_user, sector_id=sector_id, period=period, **form.values()
        )
    except FORM_ERRORS as error:
        rollback()
        form.apply(error)
        return None, error.status
    commit()
    flash(
        _("Published as version %(n)s. It will not change from now on.", n=report.number),
        "success",
    )
    return redirect(url_for("reports.published", report_id=report.id)), 302


@bp.post("/reports/sectors/<int:sector_id>/publish")
@role_required(*STAFF)
def publish(sector_id: int):
    try:
        period = periods.parse(request.args)
    except ValidationFailed as refused:
        return sector_page(sector_id, periods.current_quarter(), refused.fields, PublishForm())
    form = PublishForm()
    done, status = _publish(form, sector_id, period)
    return done or sector_page(sector_id, period, {}, form, status)


def _published_page(reading: publishing.Reading, form: PublishForm, status: int = 200):
    figures = reading.figures
    return render_template(
        "reports/published.html",
        reading=reading,
        publication=reading.report,
        report=figures,
        charts=sector_charts(figures),
        form=form,
        sector_query=publishing.period_of(reading.report).query(),
    ), status


@bp.get("/reports/published/<int:report_id>")
@role_required(*READERS)
def published(report_id: int):
    kind = request.args.get("format", "")
    if kind in services.FILE_FORMATS:
        return send_download(publishing.publication_file(current_user, report_id, kind))
    return _published_page(publishing.read(current_user, report_id), PublishForm())


@bp.post("/reports/published/<int:report_id>/addendum")
@role_required(*STAFF)
def addendum(report_id: int):
    reading = publishing.read(current_user, report_id, compare=False)
    form = PublishForm()
    latest = reading.latest
    done, status = _publish(form, latest.sector_id, publishing.period_of(latest))
    if done:
        return done
    reading = publishing.read(current_user, report_id)
    return _published_page(reading, form, status)
