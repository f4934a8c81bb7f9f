"""Pages reached from a mail, without signing in: accepting an invitation, "Forgot your
password?" and its reset link, and the one-click unsubscribe."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from scbi.auth import links, preferences
from scbi.auth.forms import ChoosePasswordForm, ConfirmForm, ForgotPasswordForm
from scbi.auth.models import LinkPurpose
from scbi.auth.views.blueprint import bp
from scbi.errors import Throttled
from scbi.extensions import csrf
from scbi.forms import form_page
from scbi.mail.outbox import enabled, read_unsubscribe_token
from scbi.transaction import commit


def _sign_in(user, message: str):
    session.clear()  # a new session: nothing from before carries over
    login_user(user)
    session.permanent = True
    flash(message, "success")
    return redirect(url_for("main.home"))


def _link_page(token: str, purpose: LinkPurpose, template: str, done_message: str):
    try:
        found = links.open_link(token, purpose)
    except links.LinkRefused as refused:
        return (
            render_template(
                "auth/link_refused.html",
                reason=refused.reason,
                is_invitation=purpose == LinkPurpose.INVITATION,
            ),
            410 if refused.reason != "unknown" else 404,
        )
    return form_page(
        ChoosePasswordForm(),
        template,
        lambda values: links.use_link(token, purpose, values["password"]),
        lambda user: _sign_in(user, done_message),
        user=found.user,
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _link_page(
        token,
        LinkPurpose.INVITATION,
        "auth/accept_invitation.html",
        _("Welcome. Your password is saved and you are signed in."),
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_with_link(token: str):
    return _link_page(
        token,
        LinkPurpose.RESET,
        "auth/reset_password.html",
        _("Your password has been changed. Other sessions and API tokens have been signed out."),
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    status, headers = 200, {}
    if not enabled():
        return render_template("auth/forgot_password.html", form=None)
    if form.validate_on_submit():
        try:
            links.request_reset(form.email.data, client=request.remote_addr)
        except Throttled as error:
            form.add_error(error.message)
            return (
                render_template("auth/forgot_password.html", form=form),
                429,
                {"Retry-After": str(error.retry_after)},
            )
        commit()
        return render_template("auth/forgot_password_sent.html", email=form.email.data)
    if form.is_submitted():
        status = 422
    return render_template("auth/forgot_password.html", form=form), status, headers


# The signed token in the address is what authorises the change (a mail client's one-click
# POST, RFC 8058, carries no CSRF token); GET only asks to confirm.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    found = read_unsubscribe_token(token)
    if found is None:
        return render_template("auth/unsubscribe.html", done=False, valid=False), 404
    user_id, kind = found
    what = {
        "event": _("mails when something needs you"),
        "reminder": _("reminders"),
        "digest": _("the weekly digest"),
    }[kind]
    if request.method == "POST":
        user = preferences.unsubscribe(user_id, kind)
        if user is None:
            return render_template("auth/unsubscribe.html", done=False, valid=False), 404
        commit()
        return render_template("auth/unsubscribe.html", done=True, valid=True, what=what)
    return render_template(
        "auth/unsubscribe.html", done=False, valid=True, what=what, form=ConfirmForm()
    )
