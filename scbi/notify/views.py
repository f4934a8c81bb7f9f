"""The outbox page of the secretariat (/mail): what was sent, what waits, what failed and
why, and the button that sends a failed message again."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.forms import ConfirmForm
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.mail import MailStatus
from scbi.mail.delivery import send_again
from scbi.mail.outbox import enabled
from scbi.notify import events, needs  # noqa: F401  (answer the hooks)
from scbi.notify.queries import message_or_404, outbox, status_counts
from scbi.pagination import paginate
from scbi.transaction import commit

bp = Blueprint("notify", __name__)


@bp.route("/mail")
@role_required(Role.SECRETARIAT)
def outbox_page():
    status = request.args.get("status") or ""
    q = (request.args.get("q") or "").strip()
    return render_template(
        "notify/outbox.html",
        page=paginate(outbox(status, q), default_per_page=50),
        counts=status_counts(),
        statuses=list(MailStatus),
        status=status,
        q=q,
        mail_on=enabled(),
        action_form=ConfirmForm(),
    )


@bp.route("/mail/<int:message_id>")
@role_required(Role.SECRETARIAT)
def message(message_id: int):
    found = message_or_404(message_id)
    return render_template(
        "notify/message.html",
        message=found,
        can_send_again=found.status == MailStatus.FAILED,
        waiting=found.status == MailStatus.QUEUED,
        action_form=ConfirmForm(),
    )


@bp.route("/mail/<int:message_id>/send-again", methods=["POST"])
@role_required(Role.SECRETARIAT)
def message_send_again(message_id: int):
    found = message_or_404(message_id)
    if ConfirmForm().validate_on_submit():
        send_again(found, by=current_user)
        commit()
        flash(_("The message to %(to)s will be sent again.", to=found.to_address), "success")
    return redirect(url_for("notify.message", message_id=found.id))
