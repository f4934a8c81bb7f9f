"""Pairing pages: list, create, detail, pause, resume, end."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, is_manager, managed_sector_ids, role_required
from scbi.filters import chips
from scbi.forms import FORM_ERRORS, flash_refusal, form_page
from scbi.pagination import paginate
from scbi.programme.queries import choices
from scbi.transaction import commit, rollback
from scbi.transfer import queries, services
from scbi.transfer.forms import PairingActionForm, PairingEndForm, PairingForm
from scbi.transfer.models import PairingStatus
from scbi.transfer.permissions import (
    can_manage_pairing,
    can_pause_pairing,
    can_read_plan,
    can_resume_pairing,
    can_write_log,
    can_write_plan,
    is_party_to,
)
from scbi.transfer.queries import pairing_or_404
from scbi.transfer.views.blueprint import bp

MANAGERS = (Role.SECRETARIAT, Role.COORDINATOR)


def _status_choices() -> list[SelectChoice]:
    """The list's status filter: open ones (the default), each state, or all."""
    return [
        SelectChoice("open", _("Active or paused")),
        *(SelectChoice(s.value, s.label.capitalize()) for s in PairingStatus),
        SelectChoice("all", _("All")),
    ]


@bp.route("/pairings")
@role_required(*SIGNED_IN)
def pairings():
    return render_template(
        "transfer/pairings.html",
        page=paginate(queries.pairing_list(current_user, request.args)),
        status=queries.pairing_list_status(request.args),
        chips=chips(queries.pairing_list_words(request.args)),
        statuses=_status_choices(),
        sectors=choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        can_create=is_manager(current_user),
    )


def _people_choices(form: PairingForm) -> None:
    """Active coaches and mentees the user manages, with the coach's load in the label."""
    form.coach_id.choices = queries.coach_choices(current_user)
    form.mentee_id.choices = queries.mentee_choices(current_user)
    form.phase_id.choices = choices.phases(_("Choose a phase"))
    form.sector_id.choices = choices.sectors(_("Choose a sector"), managed_sector_ids(current_user))


@bp.route("/pairings/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def pairing_new():
    form = PairingForm(
        coach_id=request.args.get("coach_id", type=int),
        mentee_id=request.args.get("mentee_id", type=int),
    )
    _people_choices(form)
    if request.method == "GET" and len(form.phase_id.choices) == 2:
        form.phase_id.data = form.phase_id.choices[1].value  # the only phase
    if request.method == "GET" and form.mentee_id.data:
        # the mentee's sector and cohort; a mentee the user may not see is ignored
        defaults = queries.mentee_defaults(current_user, form.mentee_id.data)
        if defaults:
            form.sector_id.data = defaults["sector_id"]
            form.phase_id.data = defaults["phase_id"] or form.phase_id.data

    def done(pairing):
        flash(
            _(
                "%(coach)s now coaches %(mentee)s.",
                coach=pairing.coach.full_name,
                mentee=pairing.mentee.full_name,
            ),
            "success",
        )
        if form.sector_id.data is None:  # left empty: the service took the one they share
            flash(
                _(
                    "The pairing is in %(sector)s, the sector the coach and the mentee share.",
                    sector=pairing.sector.name,
                ),
                "info",
            )
        return redirect(url_for("transfer.pairing", pairing_id=pairing.id))

    return form_page(
        form,
        "transfer/pairing_new.html",
        lambda v: services.create_pairing(by=current_user, **v),
        done,
        cancel=url_for("transfer.pairings"),
    )


@bp.route("/pairings/<int:pairing_id>")
@role_required(*SIGNED_IN)
def pairing(pairing_id: int):
    pairing = pairing_or_404(current_user, pairing_id)
    approved = queries.approved_plan(pairing.id)
    open_plan = queries.open_plan(pairing.id)
    if open_plan is not None and not can_read_plan(current_user, open_plan):
        open_plan = None  # a draft is the coach's own until submitted
    counted_logs, counted_hours = queries.counted_logs(pairing.id)
    return render_template(
        "transfer/pairing.html",
        pairing=pairing,
        can_manage=can_manage_pairing(current_user, pairing),
        can_pause=can_pause_pairing(current_user, pairing),
        can_resume=can_resume_pairing(current_user, pairing),
        can_plan=can_write_plan(current_user, pairing) and not open_plan and not approved,
        can_log=can_write_log(current_user, pairing),
        in_pairing=is_party_to(current_user, pairing),
        action_form=PairingActionForm(version=pairing.version),
        approved=approved,
        open_plan=open_plan,
        logs=queries.recent_logs(current_user, pairing),
        counted_logs=counted_logs,
        counted_hours=counted_hours,
    )


def _action(pairing_id: int, change, message: str):
    pairing = pairing_or_404(current_user, pairing_id)
    form = PairingActionForm()
    if form.validate_on_submit():
        try:
            change(pairing, by=current_user, version=form.version.data)
        except FORM_ERRORS as error:
            rollback()
            flash_refusal(error)
        else:
            commit()
            flash(message, "success")
    return redirect(url_for("transfer.pairing", pairing_id=pairing_id))


@bp.route("/pairings/<int:pairing_id>/pause", methods=["POST"])
@role_required(*MANAGERS)
def pairing_pause(pairing_id: int):
    return _action(pairing_id, services.pause_pairing, _("The pairing is paused."))


@bp.route("/pairings/<int:pairing_id>/resume", methods=["POST"])
@role_required(*MANAGERS)
def pairing_resume(pairing_id: int):
    return _action(pairing_id, services.resume_pairing, _("The pairing is active again."))


@bp.route("/pairings/<int:pairing_id>/end", methods=["GET", "POST"])
@role_required(*MANAGERS)
def pairing_end(pairing_id: int):
    pairing = pairing_or_404(current_user, pairing_id)
    form = PairingEndForm(version=pairing.version if request.method == "GET" else None)

    def done(_p):
        flash(_("The pairing has ended."), "success")
        return redirect(url_for("transfer.pairing", pairing_id=pairing.id))

    return form_page(
        form,
        "programme/form.html",
        lambda v: services.end_pairing(pairing, by=current_user, **v),
        done,
        title=_(
            "End the pairing of %(coach)s and %(mentee)s",
            coach=pairing.coach.full_name,
            mentee=pairing.mentee.full_name,
        ),
        cancel=url_for("transfer.pairing", pairing_id=pairing.id),
    )
