"""Sign-in, sign-out and the change-password page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from scbi.auth import queries, services
from scbi.auth.forms import ChangePasswordForm, LoginForm
from scbi.auth.views.blueprint import bp
from scbi.errors import Throttled
from scbi.extensions import login_manager
from scbi.forms import form_page
from scbi.mail.outbox import enabled
from scbi.transaction import commit


@login_manager.user_loader
def load_user(ident: str):
    """Accept a session only while its epoch is the user's current one."""
    try:
        user_id, epoch = (int(part) for part in ident.split(":"))
    except ValueError:
        return None
    return queries.session_user(user_id, epoch)


def safe_next(target: str | None) -> str | None:
    # Browsers read a backslash as "/", so "/\evil.example" would leave the site.
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next"))
    status, headers = 200, {}
    if form.is_submitted():
        status = 422
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data, client=request.remote_addr
            )
        except services.LoginFailed:
            commit()  # the failure count and its audit event stay
            form.add_error(_("The e-mail or password is not correct."))
            status = 401
        except Throttled as error:
            commit()
            form.add_error(error.message)
            status, headers = 429, {"Retry-After": str(error.retry_after)}
        else:
            commit()
            session.clear()  # a new session at sign-in: nothing from before carries over
            login_user(user)
            session.permanent = True
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    return render_template("auth/login.html", form=form, mail_on=enabled()), status, headers


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.record_logout(current_user._get_current_object())
    commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()

    def changed(_result):
        # Every other session ended with the old epoch; this one continues on the new.
        session.clear()
        login_user(user)
        session.permanent = True
        flash(
            _(
                "Your password has been changed. Other sessions and API tokens have "
                "been signed out."
            ),
            "success",
        )
        return redirect(url_for("main.home"))

    return form_page(
        ChangePasswordForm(),
        "auth/change_password.html",
        lambda v: services.change_password(
            user, current=v["current_password"], new=v["new_password"]
        ),
        changed,
    )
