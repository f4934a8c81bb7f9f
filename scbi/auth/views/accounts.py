"""Account administration for the secretariat: list, create, edit, reset, unlock."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from scbi.auth import services
from scbi.auth.forms import ConfirmForm, UserCreateForm, UserEditForm
from scbi.auth.models import LoginThrottle, Role, User, UserRole
from scbi.auth.passwords import hash_generated_password
from scbi.auth.permissions import role_required
from scbi.auth.queries import user_or_404
from scbi.auth.views.blueprint import bp
from scbi.database import utcnow
from scbi.errors import Conflict, ValidationFailed
from scbi.extensions import db
from scbi.hooks import Hook
from scbi.pagination import paginate


class SectorAssignment(NamedTuple):
    choices: Callable[[], list]  # the sectors, as select choices
    assign: Callable[..., None]  # (user, sector_ids, *, by); ValidationFailed on sector_ids


coordinator_sectors = Hook(
    "auth.coordinator_sectors",
    "The sectors a coordinator is given on the account page: a SectorAssignment (one "
    "answer, from the feature that holds the sectors).",
)


def _sectors() -> SectorAssignment:
    (answer,) = coordinator_sectors.ask()
    return answer


@bp.route("/users")
@role_required(Role.SECRETARIAT)
def users():
    q = (request.args.get("q") or "").strip()
    role = request.args.get("role") or ""
    state = request.args.get("state") or ""
    query = select(User).options(selectinload(User.role_rows)).order_by(User.full_name, User.id)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(User.email.like(like), User.full_name.ilike(like)))
    if role in {r.value for r in Role}:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if state in ("active", "inactive"):
        query = query.where(User.active.is_(state == "active"))
    page = paginate(query)
    emails = [u.email for u in page.items]
    locked = (
        set(
            db.session.scalars(
                select(LoginThrottle.email).where(
                    LoginThrottle.email.in_(emails), LoginThrottle.locked_until > utcnow()
                )
            )
        )
        if emails
        else set()
    )
    return render_template(
        "auth/users.html", page=page, locked=locked, q=q, role=role, state=state, roles=list(Role)
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def user_new():
    form = UserCreateForm()
    form.sectors.choices = _sectors().choices()
    status = 200
    if form.validate_on_submit():
        password = services.generate_password()
        try:
            user = services.create_user(
                by=current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                password_hash=hash_generated_password(password),
                roles=form.roles.data,
            )
            _sectors().assign(user, form.sectors.data, by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            form.apply(error, aliases={"sector_ids": "sectors"})
            status = 422
        else:
            db.session.commit()
            return render_template("auth/one_time_password.html", user=user, password=password)
    elif form.is_submitted():
        status = 422
    return render_template("auth/user_new.html", form=form), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def user_edit(user_id: int):
    user = user_or_404(current_user, user_id)
    staff_roles = [r.value for r in user.roles if r in services.STAFF_ROLES]
    if request.method == "GET":
        form = UserEditForm(obj=user, roles=staff_roles, sectors=[s.id for s in user.sectors])
    else:
        form = UserEditForm()
    form.sectors.choices = _sectors().choices()
    status = 200
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                by=current_user,
                version=form.version.data,
                full_name=form.full_name.data,
                active=form.active.data,
                roles=form.roles.data,
            )
            _sectors().assign(user, form.sectors.data, by=current_user)
        except (ValidationFailed, Conflict) as error:
            db.session.rollback()
            form.apply(error, aliases={"sector_ids": "sectors"})
            status = 409 if isinstance(error, Conflict) else 422
        else:
            db.session.commit()
            flash(_("The account of %(name)s was saved.", name=user.full_name), "success")
            return redirect(url_for("auth.user_edit", user_id=user.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "auth/user_edit.html",
        user=user,
        form=form,
        action_form=ConfirmForm(),
        locked=services.is_locked(user),
    ), status


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@role_required(Role.SECRETARIAT)
def user_reset_password(user_id: int):
    user = user_or_404(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.user_edit", user_id=user.id))
    password = services.reset_password(user, by=current_user)
    db.session.commit()
    return render_template("auth/one_time_password.html", user=user, password=password)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@role_required(Role.SECRETARIAT)
def user_unlock(user_id: int):
    user = user_or_404(current_user, user_id)
    if ConfirmForm().validate_on_submit():
        services.unlock(user, by=current_user)
        db.session.commit()
        flash(_("Sign-in for %(name)s is unlocked.", name=user.full_name), "success")
    return redirect(url_for("auth.user_edit", user_id=user.id))
