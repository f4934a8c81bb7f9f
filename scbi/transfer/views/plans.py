"""Plan pages: write and submit (coach), decide (secretariat, coordinator), revise."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.dates import today
from scbi.forms import FORM_ERRORS, form_page
from scbi.pagination import paginate
from scbi.transaction import commit, rollback
from scbi.transfer import queries
from scbi.transfer.forms import DecisionForm, PlanForm
from scbi.transfer.models import Pairing, PlanStatus, TransferPlan
from scbi.transfer.permissions import (
    can_decide_plan,
    can_edit_plan,
    can_revise_plan,
    is_coach_of,
    require_plan_writer,
)
from scbi.transfer.queries import pairing_or_404, plan_or_404
from scbi.transfer.services import plans
from scbi.transfer.views.blueprint import bp

BLANK_ROWS = 3


def _choices(form: PlanForm, pairing: Pairing) -> None:
    competencies = queries.competency_choices(pairing)
    results = queries.result_choices(pairing)
    for entry in form.items.entries:
        entry.form.competency_id.choices = competencies
        entry.form.priority_result_id.choices = results


def _plan_form(plan: TransferPlan | None, pairing: Pairing) -> PlanForm:
    if request.method == "POST":
        form = PlanForm()
    else:
        items = [
            {
                "competency_id": i.competency_id,
                "baseline_level": i.baseline_level,
                "target_level": i.target_level,
                "target_date": i.target_date,
                "methods": list(i.methods),
                "expected_evidence": i.expected_evidence,
                "priority_result_id": i.priority_result_id,
            }
            for i in (plan.items if plan else [])
        ]
        form = PlanForm(data={"items": items, "version": plan.version if plan else None})
        for _n in range(BLANK_ROWS):
            form.items.append_entry(
                {"baseline_level": 1, "target_level": 3, "target_date": pairing.planned_end_date}
            )
    if plan is None:
        del form.version
    _choices(form, pairing)
    return form


def _save_plan(form: PlanForm, pairing: Pairing, plan: TransferPlan | None):
    """Create or update, then submit when asked; errors go back beside their row."""
    rows, index = form.item_rows()
    try:
        if plan is None:
            plan = plans.create_plan(pairing, by=current_user, items=rows)
        else:
            plans.update_plan(plan, by=current_user, version=form.version.data, items=rows)
        if form.submit_plan.data:
            plans.submit_plan(plan, by=current_user)
    except FORM_ERRORS as error:
        rollback()
        form.apply_rows(error, "items", index)
        return None
    commit()
    return plan


def _edit_page(pairing: Pairing, plan: TransferPlan | None):
    """The plan form. Not ``form_page``: a refusal names rows of the plan (put beside the
    row's fields) and is always answered 422, with a row to fill when none is left."""
    form = _plan_form(plan, pairing)
    status = 200
    if form.validate_on_submit():
        saved = _save_plan(form, pairing, plan)
        if saved is not None:
            flash(
                _("The plan was submitted for approval.")
                if saved.status == PlanStatus.SUBMITTED
                else _("The draft plan was saved."),
                "success",
            )
            return redirect(url_for("transfer.plan", plan_id=saved.id))
        status = 422
    elif form.is_submitted():
        status = 422
    if status == 422 and len(form.items.entries) < 1:
        form.items.append_entry()
        _choices(form, pairing)
    return render_template(
        "transfer/plan_edit.html",
        form=form,
        pairing=pairing,
        plan=plan,
        guide=_date_guide(pairing, plan),
    ), status


def _date_guide(pairing: Pairing, plan: TransferPlan | None) -> dict:
    """What the plan form's script checks target dates against as they are typed (the
    service's rule, its messages in the page's language): inside the pairing, and from
    today on unless kept as the approved plan has it. A guide: the service decides."""
    day = today()
    return {
        "first": pairing.start_date.isoformat(),
        "last": (pairing.end_date or pairing.planned_end_date).isoformat(),
        "today": day.isoformat(),
        "outside": plans.outside_pairing_message(pairing),
        "passed": plans.passed_message("{day}", day),
        "kept": {
            str(c): d.isoformat() for c, d in (plans.approved_targets(plan) if plan else {}).items()
        },
    }


@bp.route("/pairings/<int:pairing_id>/plans/new", methods=["GET", "POST"])
@role_required(Role.COACH)
def plan_new(pairing_id: int):
    pairing = pairing_or_404(current_user, pairing_id)
    require_plan_writer(current_user, pairing)
    existing = queries.open_plan(pairing.id)
    if existing is not None:
        return redirect(url_for("transfer.plan_edit", plan_id=existing.id))
    approved = queries.approved_plan(pairing.id)
    if approved is not None:
        flash(_("This pairing has an approved plan: revise it to change it."), "info")
        return redirect(url_for("transfer.plan", plan_id=approved.id))
    return _edit_page(pairing, None)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@role_required(Role.COACH)
def plan_edit(plan_id: int):
    plan = plan_or_404(current_user, plan_id)
    # the form opens for the coach even once the pairing has ended: saving then says why not
    if not plan.editable or not is_coach_of(current_user, plan.pairing):
        flash(_("This plan cannot be edited now."), "warning")
        return redirect(url_for("transfer.plan", plan_id=plan.id))
    return _edit_page(plan.pairing, plan)


@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@role_required(*SIGNED_IN)
def plan(plan_id: int):
    """The plan; managers decide here (approve, or return with a comment)."""
    plan = plan_or_404(current_user, plan_id)
    deciding = can_decide_plan(current_user, plan)
    if request.method == "POST" and not deciding:
        flash(_("This plan is not waiting for your decision."), "warning")
        return redirect(url_for("transfer.plan", plan_id=plan.id))
    form = DecisionForm(version=plan.version if request.method == "GET" else None)

    def decide(values: dict) -> TransferPlan:
        action = plans.approve_plan if values["approve"] else plans.return_plan
        return action(
            plan, by=current_user, version=values["version"], comment=values["comment"] or ""
        )

    def done(decided: TransferPlan):
        flash(
            _("The plan was approved.")
            if decided.status == PlanStatus.APPROVED
            else _("The plan was returned to the coach."),
            "success",
        )
        return redirect(url_for("transfer.plan", plan_id=decided.id))

    return form_page(
        form,
        "transfer/plan.html",
        decide,
        done,
        plan=plan,
        deciding=deciding,
        can_edit=can_edit_plan(current_user, plan),
        can_revise=can_revise_plan(current_user, plan)
        and queries.open_plan(plan.pairing_id) is None,
        steps=queries.plan_history(plan),
        history=queries.other_versions(plan),
    )


@bp.route("/plans/<int:plan_id>/revise", methods=["POST"])
@role_required(Role.COACH)
def plan_revise(plan_id: int):
    plan = plan_or_404(current_user, plan_id)
    form = DecisionForm()
    if form.is_submitted():
        try:
            draft = plans.revise_plan(plan, by=current_user)
        except FORM_ERRORS as error:
            rollback()
            flash(error.message, "danger")
            return redirect(url_for("transfer.plan", plan_id=plan.id))
        commit()
        return redirect(url_for("transfer.plan_edit", plan_id=draft.id))
    return redirect(url_for("transfer.plan", plan_id=plan.id))


@bp.route("/plans")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def plans_waiting():
    """Plans waiting for a decision in the sectors the user manages."""
    return render_template(
        "transfer/plans.html", page=paginate(queries.plan_list(current_user, request.args))
    )
