"""The lists behind a report's figures that no other feature has (docs/reports.md "Figures
you can open"): the mentees of the critical mass, with the assessments and evidence that
make them experts, the plan items of section 3, the priority results of section 8 and the
contracts behind a cost — for the programme's staff, scoped like the reports (a
coordinator's sectors; another sector's is a 404)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.filters import chips
from scbi.reports import cost_list, plan_item_list, result_list
from scbi.reports import experts as standing
from scbi.reports.links import NO_LINKS, FigureLinks
from scbi.reports.views.blueprint import bp


def _list_page(template: str, read, words, **context):
    """A list behind a figure: ``read`` (user, args) gives what it holds, ``words`` (what
    it read, args) its filters for the chips."""
    found = read(current_user, request.args)
    return render_template(
        template, found=found, chips=chips(words(found, request.args)), **context
    )


@bp.get("/reports/experts")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def experts():
    return _list_page("reports/experts.html", standing.standing_list, standing.standing_words)


@bp.get("/reports/plan-items")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def plan_items():
    return _list_page(
        "reports/plan_items.html",
        plan_item_list.plan_item_list,
        plan_item_list.plan_item_words,
        state_labels=plan_item_list.STATE_LABELS,
    )


@bp.get("/reports/costs")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def costs():
    return _list_page("reports/costs.html", cost_list.cost_list, cost_list.cost_words)


@bp.get("/reports/priority-results")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def priority_results():
    return _list_page(
        "reports/priority_results.html", result_list.result_list, result_list.result_words
    )


# The report pages link their figures (scbi.reports.links); the PDF and publications don't.
bp.add_app_template_global(FigureLinks.of_report, "report_links")
bp.add_app_template_global(FigureLinks.of_overview, "overview_links")
bp.add_app_template_global(NO_LINKS, "no_figure_links")
