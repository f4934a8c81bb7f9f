"""Mentee list, registration, profile and status."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from scbi.auth.models import Role, User
from scbi.auth.permissions import SIGNED_IN, managed_sector_ids, role_required
from scbi.extensions import db
from scbi.forms import form_page, show_one_time_password
from scbi.loaders import hidden
from scbi.mentees import services
from scbi.mentees.forms import MenteeEditForm, MenteeNewForm, MenteeStatusForm
from scbi.mentees.labels import GENDER_LABELS, STATUS_LABELS
from scbi.mentees.models import Mentee, MenteeStatus
from scbi.mentees.queries import mentee_or_404, scope_mentees
from scbi.pagination import paginate
from scbi.programme import choices
from scbi.transfer.models import Pairing
from scbi.transfer.queries import scope_pairings

bp = Blueprint("mentees", __name__)

VIEWERS = (Role.SECRETARIAT, Role.COORDINATOR, Role.COACH)


@bp.route("/mentees")
@role_required(*VIEWERS)
def index():
    args = request.args
    query = scope_mentees(select(Mentee), current_user).join(User, User.id == Mentee.user_id)
    if q := (args.get("q") or "").strip():
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                User.email.like(like),
                Mentee.staff_number.ilike(like),
                Mentee.position.ilike(like),
            )
        )
    for name, column in (
        ("sector_id", Mentee.sector_id),
        ("institution_id", Mentee.institution_id),
        ("phase_id", Mentee.phase_id),
    ):
        if value := args.get(name, type=int):
            query = query.where(column == value)
    if args.get("unpaired"):
        query = query.where(
            Mentee.id.not_in(
                select(Pairing.mentee_id).where(Pairing.status.in_(["active", "paused"]))
            )
        )
    status = args.get("status", MenteeStatus.ACTIVE.value)
    if status in {s.value for s in MenteeStatus}:
        query = query.where(Mentee.status == status)
    page = paginate(query.order_by(User.full_name, Mentee.id))
    return render_template(
        "mentees/index.html",
        page=page,
        q=q,
        status=status,
        STATUS_LABELS=STATUS_LABELS,
        sectors=choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        institutions=choices.institutions(_("All institutions")),
        phases=choices.phases(_("All cohorts")),
    )


def _profile_choices(form) -> None:
    form.sector_id.choices = choices.sectors(_("Choose a sector"))
    form.institution_id.choices = choices.institutions(_("Choose an institution"))
    form.phase_id.choices = choices.phases(_("— none —"))


@bp.route("/mentees/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def new():
    form = MenteeNewForm()
    _profile_choices(form)

    return form_page(
        form,
        "programme/form.html",
        lambda v: services.register_mentee(by=current_user, **v),
        show_one_time_password("mentees.detail", "mentee_id"),
        title=_("Register a mentee"),
        cancel=url_for("mentees.index"),
    )


@bp.route("/mentees/<int:mentee_id>")
@role_required(*SIGNED_IN)
def detail(mentee_id: int):
    mentee = db.session.scalar(
        scope_mentees(
            select(Mentee).options(selectinload(Mentee.history)).where(Mentee.id == mentee_id),
            current_user,
        )
    )
    if mentee is None:
        raise hidden("mentee", mentee_id)
    pairings = db.session.scalars(
        scope_pairings(
            select(Pairing).where(Pairing.mentee_id == mentee.id), current_user
        ).order_by(Pairing.status, Pairing.start_date.desc())
    ).all()
    return render_template(
        "mentees/detail.html",
        mentee=mentee,
        pairings=pairings,
        GENDER_LABELS=GENDER_LABELS,
        STATUS_LABELS=STATUS_LABELS,
    )


@bp.route("/mentees/<int:mentee_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def edit(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    form = MenteeEditForm(obj=mentee)
    _profile_choices(form)
    return form_page(
        form,
        "programme/form.html",
        lambda v: services.update_mentee(mentee, by=current_user, **v),
        _back_to(mentee),
        title=_("Edit %(name)s", name=mentee.full_name),
        cancel=url_for("mentees.detail", mentee_id=mentee.id),
    )


@bp.route("/mentees/<int:mentee_id>/status", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def status(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    form = MenteeStatusForm(
        obj=mentee if request.method == "GET" else None,
        version=mentee.version if request.method == "GET" else None,
    )
    return form_page(
        form,
        "programme/form.html",
        lambda v: services.change_status(mentee, by=current_user, **v),
        _back_to(mentee),
        title=_("Change the status of %(name)s", name=mentee.full_name),
        intro=_(
            "Currently %(status)s since %(day)s. Mentees who withdraw or "
            "leave the public service stop counting as national experts from "
            "that date. Graduating, withdrawing or leaving the public service "
            "ends the mentee's open pairings on that date.",
            status=STATUS_LABELS[MenteeStatus(mentee.status)],
            day=mentee.status_changed_on.isoformat(),
        ),
        cancel=url_for("mentees.detail", mentee_id=mentee.id),
    )


def _back_to(mentee: Mentee):
    def done(_result):
        flash(_("%(name)s saved.", name=mentee.full_name), "success")
        return redirect(url_for("mentees.detail", mentee_id=mentee.id))

    return done
