"""Pairing pages: list, create, detail, pause, resume, end."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role, User
from scbi.auth.permissions import SIGNED_IN, managed_sector_ids, role_required
from scbi.coaches.models import Coach, CoachStatus
from scbi.coaches.queries import scope_coaches
from scbi.extensions import db
from scbi.forms import FORM_ERRORS, form_page
from scbi.mentees.models import Mentee, MenteeStatus
from scbi.mentees.queries import scope_mentees
from scbi.pagination import paginate
from scbi.programme.queries import choices
from scbi.transfer import services
from scbi.transfer.forms import PairingActionForm, PairingEndForm, PairingForm
from scbi.transfer.models import Pairing, PairingStatus
from scbi.transfer.permissions import (
    can_manage_pairing,
    can_pause_pairing,
    can_resume_pairing,
    can_write_log,
    can_write_plan,
)
from scbi.transfer.queries import active_pairing_counts, pairing_or_404, scope_pairings
from scbi.transfer.views.blueprint import bp

MANAGERS = (Role.SECRETARIAT, Role.COORDINATOR)
STATUS_LABELS = PairingStatus.labels()


@bp.route("/pairings")
@role_required(*SIGNED_IN)
def pairings():
    args = request.args
    query = scope_pairings(select(Pairing), current_user)
    for name in ("sector_id", "coach_id", "mentee_id", "phase_id"):
        if value := args.get(name, type=int):
            query = query.where(getattr(Pairing, name) == value)
    status = args.get("status", "open")
    if status == "open":
        query = query.where(Pairing.status.in_(["active", "paused"]))
    elif status in {s.value for s in PairingStatus}:
        query = query.where(Pairing.status == status)
    page = paginate(query.order_by(Pairing.start_date.desc(), Pairing.id.desc()))
    return render_template(
        "transfer/pairings.html",
        page=page,
        status=status,
        STATUS_LABELS=STATUS_LABELS,
        sectors=choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        can_create=current_user.has_role(*MANAGERS),
    )


def _people_choices(form: PairingForm) -> None:
    """Active coaches and mentees the user manages, with the coach's load in the label."""
    coaches = db.session.execute(
        scope_coaches(select(Coach, User.full_name), current_user)
        .join(User, User.id == Coach.user_id)
        .where(Coach.status == CoachStatus.ACTIVE.value)
        .order_by(User.full_name)
    ).all()
    load = active_pairing_counts([c.id for c, _n in coaches])
    form.coach_id.choices = [SelectChoice("", _("Choose a coach"))] + [
        SelectChoice(
            c.id,
            _(
                "%(name)s — %(sector)s, %(n)d of %(max)d mentees",
                name=n,
                sector=c.sector.code,
                n=load.get(c.id, 0),
                max=c.max_mentees,
            ),
        )
        for c, n in coaches
    ]
    mentees = db.session.execute(
        scope_mentees(select(Mentee, User.full_name), current_user)
        .join(User, User.id == Mentee.user_id)
        .where(Mentee.status == MenteeStatus.ACTIVE.value)
        .order_by(User.full_name)
    ).all()
    form.mentee_id.choices = [SelectChoice("", _("Choose a mentee"))] + [
        SelectChoice(m.id, f"{n} — {m.institution.acronym} ({m.sector.code})") for m, n in mentees
    ]
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
        mentee = db.session.get(Mentee, form.mentee_id.data)
        if mentee is not None:
            form.sector_id.data = mentee.sector_id
            form.phase_id.data = mentee.phase_id or form.phase_id.data

    def done(pairing):
        flash(
            _(
                "%(coach)s now coaches %(mentee)s.",
                coach=pairing.coach.full_name,
                mentee=pairing.mentee.full_name,
            ),
            "success",
        )
        return redirect(url_for("transfer.pairing", pairing_id=pairing.id))

    return form_page(
        form,
        "programme/form.html",
        lambda v: services.create_pairing(by=current_user, **v),
        done,
        title=_("New pairing"),
        cancel=url_for("transfer.pairings"),
    )


@bp.route("/pairings/<int:pairing_id>")
@role_required(*SIGNED_IN)
def pairing(pairing_id: int):
    from sqlalchemy import func
    from sqlalchemy.orm import selectinload

    from scbi.transfer import plans
    from scbi.transfer.export import visible_logs
    from scbi.transfer.models import COUNTED_LOG_STATUSES, TransferLog, TransferPlan
    from scbi.transfer.permissions import is_coach_of

    pairing = pairing_or_404(current_user, pairing_id)
    approved = plans.approved_plan(pairing.id)
    open_plan = plans.open_plan(pairing.id)
    if (
        open_plan is not None
        and open_plan.status == "draft"
        and not is_coach_of(current_user, pairing)
    ):
        open_plan = None  # a draft is the coach's own until submitted
    logs_query = visible_logs(current_user).where(TransferLog.pairing_id == pairing.id)
    recent = db.session.scalars(
        logs_query.options(selectinload(TransferLog.competencies))
        .order_by(TransferLog.activity_date.desc(), TransferLog.id.desc())
        .limit(10)
    ).all()
    counted = db.session.execute(
        select(func.count(), func.coalesce(func.sum(TransferLog.minutes), 0)).where(
            TransferLog.pairing_id == pairing.id,
            TransferLog.status.in_([s.value for s in COUNTED_LOG_STATUSES]),
        )
    ).one()
    return render_template(
        "transfer/pairing.html",
        pairing=pairing,
        STATUS_LABELS=STATUS_LABELS,
        can_manage=can_manage_pairing(current_user, pairing),
        can_pause=can_pause_pairing(current_user, pairing),
        can_resume=can_resume_pairing(current_user, pairing),
        can_plan=can_write_plan(current_user, pairing) and not open_plan and not approved,
        can_log=can_write_log(current_user, pairing),
        is_coach=is_coach_of(current_user, pairing),
        action_form=PairingActionForm(version=pairing.version),
        approved=approved,
        open_plan=open_plan,
        logs=recent,
        counted_logs=counted[0],
        counted_hours=counted[1] / 60,
        TransferPlan=TransferPlan,
    )


def _action(pairing_id: int, change, message: str):
    pairing = pairing_or_404(current_user, pairing_id)
    form = PairingActionForm()
    if form.validate_on_submit():
        try:
            change(pairing, by=current_user, version=form.version.data)
        except FORM_ERRORS as error:
            db.session.rollback()
            flash(
                " ".join([error.message, *[m for ms in error.fields.values() for m in ms]]),
                "danger",
            )
        else:
            db.session.commit()
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
