"""The follow-up actions of an exchange: added and changed by those who manage it, marked
done from the exchange's page by their owner or by them."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.permissions import role_required
from scbi.exchanges.forms import ActionForm, DoneForm
from scbi.exchanges.permissions import MANAGERS, READERS, require_manager
from scbi.exchanges.queries import choices
from scbi.exchanges.queries.scope import action_or_404, exchange_or_404
from scbi.exchanges.services import actions as action_service
from scbi.exchanges.views.blueprint import bp
from scbi.forms import FORM_ERRORS, flash_refusal, form_page
from scbi.transaction import commit, rollback


def _to_actions(exchange_id: int):
    return redirect(url_for("exchanges.detail", exchange_id=exchange_id) + "#actions")


def _saved(message: str):
    def done(action):
        flash(message, "success")
        return _to_actions(action.exchange_id)

    return done


@bp.route("/exchanges/<int:exchange_id>/actions/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def action_new(exchange_id: int):
    exchange = exchange_or_404(current_user, exchange_id)
    require_manager(current_user, exchange)
    form = ActionForm().for_new()
    form.owner_id.choices = choices.owner_choices(exchange)
    return form_page(
        form,
        "programme/form.html",
        lambda v: action_service.add_action(exchange, by=current_user, **v),
        _saved(_("Follow-up action added.")),
        title=_("A follow-up action of %(title)s", title=exchange.title),
        intro=_("Each action has an owner and a due date, and stays open until it is done."),
        cancel=url_for("exchanges.detail", exchange_id=exchange.id) + "#actions",
    )


@bp.route("/exchange-actions/<int:exchange_action_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def action_edit(exchange_action_id: int):
    action = action_or_404(current_user, exchange_action_id)
    require_manager(current_user, action.exchange)
    if request.method == "GET":
        form = ActionForm(data={**action_service.content(action), "version": action.version})
    else:
        form = ActionForm()
    form.owner_id.choices = choices.owner_choices(action.exchange, keep=action.owner_id)
    return form_page(
        form,
        "programme/form.html",
        lambda v: action_service.update_action(action, by=current_user, **v),
        _saved(_("Follow-up action saved.")),
        title=_("Follow-up action of %(title)s", title=action.exchange.title),
        cancel=url_for("exchanges.detail", exchange_id=action.exchange_id) + "#actions",
    )


@bp.route("/exchange-actions/<int:exchange_action_id>/done", methods=["POST"])
@role_required(*READERS)
def action_done(exchange_action_id: int):
    """The owner, or those who manage the exchange, mark the action done today."""
    action = action_or_404(current_user, exchange_action_id)
    form = DoneForm()
    if form.validate_on_submit():
        try:
            action_service.mark_done(action, by=current_user, version=form.version.data)
        except FORM_ERRORS as error:
            rollback()
            flash_refusal(error)
        else:
            commit()
            flash(_("Marked done: %(action)s", action=action.description), "success")
    return _to_actions(action.exchange_id)
