"""Account administration for the secretariat: list, create, edit, reset, unlock."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from scbi.auth import links, preferences, queries, services
from scbi.auth.forms import ConfirmForm, MailPreferencesForm, UserCreateForm, UserEditForm
from scbi.auth.models import Role, User
from scbi.auth.permissions import can_reset_password, role_required
from scbi.auth.queries import user_or_404
from scbi.auth.views.blueprint import bp
from scbi.forms import form_page
from scbi.hooks import Hook
from scbi.mail.outbox import enabled
from scbi.pagination import paginate
from scbi.transaction import commit
from scbi.validation import refusing_also

STATE_CHOICES = [
    SelectChoice("", _l("Any")),
    SelectChoice("active", _l("Active")),
    SelectChoice("inactive", _l("Inactive")),
]


class Assignment(NamedTuple):
    """What an account is given beside its roles, by the feature that holds it."""

    choices: Callable[[User | None], list]  # select choices for the account (None: new)
    assign: Callable[..., None]  # (user, value, *, by); ValidationFailed naming the field
    current: Callable[[User], object]  # the user's value, for the edit form
    problems: Callable[..., dict]  # (user or None, roles, value): what assign would refuse


coordinator_sectors = Hook(
    "auth.coordinator_sectors",
    "The sectors a coordinator is given on the account page: an Assignment (one answer, "
    "from the feature that holds the sectors).",
    required=True,
)
account_partner = Hook(
    "auth.account_partner",
    "The development partner a partner account reads for, on the account page: an "
    "Assignment (one answer, from the feature that holds the partners).",
    required=True,
)


def _sectors() -> Assignment:
    (answer,) = coordinator_sectors.ask()
    return answer


def _partner() -> Assignment:
    (answer,) = account_partner.ask()
    return answer


def _assign(user: User, values: dict) -> None:
    _sectors().assign(user, values["sectors"], by=current_user)
    _partner().assign(user, values["partner_id"], by=current_user)


def _problems(user: User | None, values: dict):
    """What the assignments would refuse, checked when the account's own change is."""
    return (
        lambda: _sectors().problems(user, values["roles"], values["sectors"]),
        lambda: _partner().problems(user, values["roles"], values["partner_id"]),
    )


def _offer(form, user: User | None = None) -> None:
    form.sectors.choices = _sectors().choices(user)
    form.partner_id.choices = _partner().choices(user)


ALIASES = {"sector_ids": "sectors"}


@bp.route("/users")
@role_required(Role.SECRETARIAT)
def users():
    args = request.args
    q, role, state = (args.get("q") or "").strip(), args.get("role") or "", args.get("state") or ""
    query = queries.account_list(
        q=q, role=role if role in Role._value2member_map_ else "", state=state
    )
    page = paginate(query.order_by(User.full_name, User.id))
    return render_template(
        "auth/users.html",
        page=page,
        locked=queries.locked_emails([u.email for u in page.items]),
        q=q,
        role=role,
        state=state,
        roles=list(Role),
        states=STATE_CHOICES,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def user_new():
    form = UserCreateForm()
    _offer(form)

    def create(values: dict):
        with refusing_also(*_problems(None, values)):
            user, password = links.create_account(
                by=current_user,
                email=values["email"],
                full_name=values["full_name"],
                roles=values["roles"],
            )
        _assign(user, values)
        return user, password

    def created(made):
        user, password = made
        if password is None:
            flash(
                _("An invitation to choose a password was mailed to %(email)s.", email=user.email),
                "success",
            )
            return redirect(url_for("auth.user_edit", user_id=user.id))
        return render_template("auth/one_time_password.html", user=user, password=password)

    return form_page(
        form,
        "auth/user_new.html",
        create,
        created,
        aliases=ALIASES,
        mail_on=enabled(),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def user_edit(user_id: int):
    user = user_or_404(current_user, user_id)
    if request.method == "GET":
        staff_roles = [r.value for r in user.roles if r in services.STAFF_ROLES]
        form = UserEditForm(
            obj=user,
            roles=staff_roles,
            sectors=_sectors().current(user),
            partner_id=_partner().current(user),
        )
    else:
        form = UserEditForm()
    _offer(form, user)

    def save(values: dict):
        with refusing_also(*_problems(user, values)):
            services.update_user(
                user,
                by=current_user,
                version=values["version"],
                full_name=values["full_name"],
                active=values["active"],
                roles=values["roles"],
            )
        _assign(user, values)

    def saved(_result):
        flash(_("The account of %(name)s was saved.", name=user.full_name), "success")
        return redirect(url_for("auth.user_edit", user_id=user.id))

    return form_page(
        form,
        "auth/user_edit.html",
        save,
        saved,
        aliases=ALIASES,
        user=user,
        action_form=ConfirmForm(),
        locked=queries.is_locked(user),
        can_reset_password=can_reset_password(current_user, user),
        invited=links.waits_for_invitation(user),
        can_resend_invitation=enabled() and links.can_resend_invitation(current_user, user),
    )


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@role_required(Role.SECRETARIAT)
def user_invite(user_id: int):
    user = user_or_404(current_user, user_id)
    if ConfirmForm().validate_on_submit():
        links.resend_invitation(user, by=current_user)
        commit()
        flash(_("A new invitation was mailed to %(email)s.", email=user.email), "success")
    return redirect(url_for("auth.user_edit", user_id=user.id))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user._get_current_object()
    form = MailPreferencesForm(obj=user) if request.method == "GET" else MailPreferencesForm()

    def saved(_result):
        flash(_("Your mail preferences are saved."), "success")
        return redirect(url_for("auth.account"))

    return form_page(
        form,
        "auth/account.html",
        lambda values: preferences.set_mail_preferences(user, by=user, **values),
        saved,
        mail_on=enabled(),
    )


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@role_required(Role.SECRETARIAT)
def user_reset_password(user_id: int):
    user = user_or_404(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.user_edit", user_id=user.id))
    password = services.reset_password(user, by=current_user)
    commit()
    return render_template("auth/one_time_password.html", user=user, password=password)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@role_required(Role.SECRETARIAT)
def user_unlock(user_id: int):
    user = user_or_404(current_user, user_id)
    if ConfirmForm().validate_on_submit():
        services.unlock(user, by=current_user)
        commit()
        flash(_("Sign-in for %(name)s is unlocked.", name=user.full_name), "success")
    return redirect(url_for("auth.user_edit", user_id=user.id))
