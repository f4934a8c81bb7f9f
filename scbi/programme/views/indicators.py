"""The pages of a priority result's indicators: add, edit and delete an indicator, record,
correct or delete an actual value of a quarter, and download a value's evidence. The
result's own page (views/setup.py) shows them. A deletion is confirmed on its own page
(a POST form with the record's version), never by a link."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.dates import fiscal_quarter_of, today
from scbi.downloads import send_download
from scbi.forms import form_page, shown_decimal
from scbi.programme import indicators, queries
from scbi.programme.forms import DeleteForm, IndicatorForm, IndicatorValueForm
from scbi.programme.queries import indicators as indicator_queries
from scbi.programme.views.blueprint import bp
from scbi.programme.views.common import saved

MANAGERS = (Role.SECRETARIAT, Role.COORDINATOR)


def _back(result_id: int) -> str:
    return url_for("programme.result", result_id=result_id) + "#indicators"


def _to_result(message: str):
    return saved(message, "programme.result", result_id=lambda record: _result_id(record))


def _result_id(record) -> int:
    indicator = record[0].indicator if isinstance(record, tuple) else record
    return indicator.result_id


@bp.route("/priority-results/<int:result_id>/indicators/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def indicator_new(result_id: int):
    result = queries.priority_result_page(result_id)
    indicators.require_manager(current_user, result)
    return form_page(
        IndicatorForm().for_new(),
        "programme/form.html",
        lambda v: indicators.create_indicator(result, by=current_user, **v),
        _to_result(_("Indicator saved.")),
        title=_("New indicator of %(result)s", result=result.title),
        cancel=_back(result.id),
    )


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def indicator_edit(indicator_id: int):
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(current_user, indicator.result)
    return form_page(
        IndicatorForm(obj=indicator),
        "programme/form.html",
        lambda v: indicators.update_indicator(indicator, by=current_user, **v),
        _to_result(_("Indicator saved.")),
        title=_("Edit %(name)s", name=indicator.name),
        cancel=_back(indicator.result_id),
    )


@bp.route("/indicators/<int:indicator_id>/values", methods=["GET", "POST"])
@role_required(*MANAGERS)
def indicator_value(indicator_id: int):
    """Record the actual value of a quarter; ``?fy=&quarter=`` opens that quarter's value
    to correct it (the form carries its version)."""
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(current_user, indicator.result)
    form = IndicatorValueForm()
    if request.method == "GET":
        year, quarter = fiscal_quarter_of(today())
        year = request.args.get("fy", year, type=int)
        quarter = request.args.get("quarter", quarter, type=int)
        form.fiscal_year.data, form.quarter.data = year, quarter
        if found := indicator_queries.value_of(indicator, year, quarter):
            form.value.data = found.value
            form.source.data = found.source
            form.version.data, form.read_id.data = found.version, found.id
    return form_page(
        form,
        "programme/form.html",
        lambda v: indicators.record_value(indicator, by=current_user, **v),
        _to_result(_("Actual value saved.")),
        title=_("Actual value of %(name)s (%(unit)s)", name=indicator.name, unit=indicator.unit),
        intro=_(
            "One value per fiscal quarter. A quarter that has a value is corrected: open it "
            "from the result's page."
        ),
        cancel=_back(indicator.result_id),
        enctype="multipart/form-data",
    )


@bp.route("/indicators/<int:indicator_id>/delete", methods=["GET", "POST"])
@role_required(*MANAGERS)
def indicator_delete(indicator_id: int):
    """Confirm the deletion of an indicator; one that has actual values says so at once
    (and the service refuses it: its values are deleted first)."""
    indicator = indicator_queries.indicator_or_404(indicator_id)
    indicators.require_manager(current_user, indicator.result)
    form = DeleteForm(version=indicator.version if request.method == "GET" else None)
    if request.method == "GET" and (problem := indicators.kept_by_values(indicator)):
        form.add_error(problem)
    result_id = indicator.result_id
    return form_page(
        form,
        "programme/form.html",
        lambda v: indicators.delete_indicator(indicator, by=current_user, **v),
        lambda _none: _deleted(_("Indicator deleted."), result_id),
        title=_("Delete the indicator %(name)s?", name=indicator.name),
        intro=_("The indicator leaves the result and the reports. This cannot be undone."),
        submit_label=_("Delete"),
        cancel=_back(result_id),
    )


@bp.route("/indicator-values/<int:value_id>/delete", methods=["GET", "POST"])
@role_required(*MANAGERS)
def indicator_value_delete(value_id: int):
    """Confirm the deletion of an actual value (and of its evidence file)."""
    value = indicator_queries.indicator_value_or_404(value_id)
    indicator = value.indicator
    indicators.require_manager(current_user, indicator.result)
    form = DeleteForm(version=value.version if request.method == "GET" else None)
    result_id = indicator.result_id
    return form_page(
        form,
        "programme/form.html",
        lambda v: indicators.delete_value(value, by=current_user, **v),
        lambda _none: _deleted(_("Actual value deleted."), result_id),
        title=_(
            "Delete the actual value of %(period)s of %(name)s?",
            period=value.period_label,
            name=indicator.name,
        ),
        intro=_(
            "%(value)s %(unit)s, from: %(source)s. The value goes, with its evidence file "
            "if it has one; the reports then read the latest value left. This cannot be "
            "undone.",
            value=shown_decimal(value.value),
            unit=indicator.unit,
            source=value.source,
        ),
        submit_label=_("Delete"),
        cancel=_back(result_id),
    )


def _deleted(message: str, result_id: int):
    flash(message, "success")
    return redirect(_back(result_id))


@bp.route("/indicator-values/<int:value_id>/download")
@role_required(*SIGNED_IN)
def indicator_evidence(value_id: int):
    """The evidence file of an actual value, to whoever reads the result: an image or a
    PDF opens in the browser (sandboxed), anything else downloads."""
    value = indicator_queries.indicator_value_or_404(value_id)
    return send_download(indicators.evidence_file(value, inline=True))
