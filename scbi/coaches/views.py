"""Coach list, registration, profile."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from scbi.auth.models import Role, User
from scbi.auth.permissions import SIGNED_IN, managed_sector_ids, role_required
from scbi.coaches import services
from scbi.coaches.forms import CoachEditForm, CoachNewForm
from scbi.coaches.models import Coach, CoachStatus
from scbi.coaches.queries import coach_or_404, scope_coaches
from scbi.dates import today
from scbi.extensions import db
from scbi.forms import form_page, show_one_time_password
from scbi.pagination import paginate
from scbi.programme import choices
from scbi.transfer.models import Pairing
from scbi.transfer.queries import active_pairing_counts, scope_pairings

bp = Blueprint("coaches", __name__)

VIEWERS = (Role.SECRETARIAT, Role.COORDINATOR)


@bp.route("/coaches")
@role_required(*VIEWERS)
def index():
    args = request.args
    query = scope_coaches(select(Coach), current_user).join(User, User.id == Coach.user_id)
    if q := (args.get("q") or "").strip():
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                User.email.like(like),
                Coach.technical_expertise.ilike(like),
            )
        )
    if sector_id := args.get("sector_id", type=int):
        query = query.where(Coach.sector_id == sector_id)
    if institution_id := args.get("institution_id", type=int):
        query = query.where(Coach.host_institution_id == institution_id)
    if args.get("ending"):
        query = query.where(Coach.contract_end <= today() + timedelta(days=60))
    status = args.get("status", CoachStatus.ACTIVE.value)
    if status in {s.value for s in CoachStatus}:
        query = query.where(Coach.status == status)
    page = paginate(query.order_by(User.full_name, Coach.id))
    return render_template(
        "coaches/index.html",
        page=page,
        q=q,
        status=status,
        active=active_pairing_counts([c.id for c in page.items]),
        sectors=choices.sectors(
            _("All my sectors")
            if not current_user.has_role(Role.SECRETARIAT)
            else _("All sectors"),
            managed_sector_ids(current_user),
        ),
    )


def _profile_choices(form) -> None:
    form.sector_id.choices = choices.sectors(_("Choose a sector"))
    form.host_institution_id.choices = choices.institutions(_("Choose an institution"))


@bp.route("/coaches/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def new():
    form = CoachNewForm()
    _profile_choices(form)

    return form_page(
        form,
        "programme/form.html",
        lambda v: services.register_coach(by=current_user, **v),
        show_one_time_password("coaches.detail", "coach_id"),
        title=_("Register a coach"),
        cancel=url_for("coaches.index"),
    )


@bp.route("/coaches/<int:coach_id>")
@role_required(*SIGNED_IN)
def detail(coach_id: int):
    coach = coach_or_404(current_user, coach_id)
    pairings = db.session.scalars(
        scope_pairings(select(Pairing).where(Pairing.coach_id == coach.id), current_user).order_by(
            Pairing.status, Pairing.start_date.desc()
        )
    ).all()
    return render_template(
        "coaches/detail.html",
        coach=coach,
        pairings=pairings,
        active=active_pairing_counts([coach.id]).get(coach.id, 0),
    )


@bp.route("/coaches/<int:coach_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def edit(coach_id: int):
    coach = coach_or_404(current_user, coach_id)
    form = CoachEditForm(obj=coach)
    _profile_choices(form)

    def done(_coach):
        flash(_("Profile of %(name)s saved.", name=coach.full_name), "success")
        return redirect(url_for("coaches.detail", coach_id=coach.id))

    return form_page(
        form,
        "programme/form.html",
        lambda v: services.update_coach(coach, by=current_user, **v),
        done,
        title=_("Edit %(name)s", name=coach.full_name),
        cancel=url_for("coaches.detail", coach_id=coach.id),
    )


@bp.route("/coaches/follow-up")
@role_required(*VIEWERS)
def follow_up():
    """Each coach's last log and recent hours; coaches silent for more than 14 days flagged."""
    from scbi.transfer.queries import coach_activity, is_silent

    rows = [
        (coach, last, minutes / 60, active, is_silent(last, active))
        for coach, last, minutes, active in db.session.execute(
            coach_activity(scope_coaches(select(Coach), current_user))
        )
    ]
    if request.args.get("silent"):
        rows = [r for r in rows if r[4]]
    return render_template("coaches/follow_up.html", rows=rows)
