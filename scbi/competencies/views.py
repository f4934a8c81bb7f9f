"""Competency pages: a mentee's profile, assessing a competency, review requests, the
portfolio and the levels of a sector."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.competencies import needs  # noqa: F401  (answers the home page's needs)
from scbi.competencies.assessments import (
    assessable,
    assessor_role,
    create_assessment,
    pick_up_review,
)
from scbi.competencies.forms import AssessmentForm
from scbi.competencies.models import Assessment, ReviewStatus
from scbi.competencies.profile import competency_profile
from scbi.dates import today
from scbi.errors import NotAllowed, NotFound
from scbi.extensions import db
from scbi.forms import FORM_ERRORS
from scbi.loaders import hidden
from scbi.mentees.queries import mentee_or_404
from scbi.programme.models import Competency
from scbi.transfer.export import visible_logs
from scbi.transfer.models import COUNTED_LOG_STATUSES, Pairing, TransferLog

bp = Blueprint("competencies", __name__)


def _can_assess(mentee) -> str | None:
    try:
        return assessor_role(current_user, mentee).value
    except NotAllowed:
        return None


@bp.route("/mentees/<int:mentee_id>/competencies")
@role_required(*SIGNED_IN)
def competencies(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    rows = competency_profile(mentee, today())
    history = db.session.scalars(
        select(Assessment)
        .options(selectinload(Assessment.logs))
        .where(Assessment.mentee_id == mentee.id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(30)
    ).all()
    reviews = [
        a
        for a in history
        if a.review_status in (ReviewStatus.WAITING.value, ReviewStatus.IN_REVIEW.value)
    ]
    from scbi.competencies.dashboard import level_chart, role_chart

    expert = mentee.sector.expert_level
    short = [r for r in rows if r.competency.core and r.current_level < expert]
    next_up = sorted(
        (r for r in rows if r.target_level is not None and r.current_level < r.target_level),
        key=lambda r: (r.target_date or today(), r.competency.sort_order),
    )[:3]
    charts = {
        "roles": role_chart(mentee, today()),
        "levels": level_chart(mentee, rows, today(), expert),
    }
    return render_template(
        "competencies/competencies.html",
        mentee=mentee,
        rows=rows,
        history=history,
        reviews=reviews,
        role=_can_assess(mentee),
        form=AssessmentForm(),
        short=short,
        next_up=next_up,
        has_core=any(r.competency.core for r in rows),
        charts=charts,
    )


def _log_choices(mentee, competency_id: int | None) -> list[SelectChoice]:
    if not competency_id:
        return []
    # the logs this assessor may cite: only those they may read
    logs = db.session.scalars(
        visible_logs(current_user)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.status.in_([s.value for s in COUNTED_LOG_STATUSES]),
            TransferLog.competencies.any(Competency.id == competency_id),
        )
        .order_by(TransferLog.activity_date.desc())
        .limit(50)
    ).all()
    return [
        SelectChoice(
            log.id,
            f"{log.activity_date.isoformat()} · {log.title} · {log.mentee_role.replace('_', '-')}",
        )
        for log in logs
    ]


@bp.route("/mentees/<int:mentee_id>/assessments/new", methods=["GET", "POST"])
@role_required(*SIGNED_IN)
def assess(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    role = _can_assess(mentee)
    if role is None:
        raise NotAllowed(_("You may not assess this mentee."))
    form = AssessmentForm(
        competency_id=request.args.get("competency_id", type=int),
        resolves=request.args.get("resolves", ""),
        assessed_on=today() if request.method == "GET" else None,
    )
    form.competency_id.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(c.id, f"{c.short_name} ({c.idnumber})")
        for c in db.session.scalars(assessable(mentee).order_by(Competency.sort_order))
    ]
    form.log_ids.choices = _log_choices(mentee, form.competency_id.data)
    if role != "self":
        del form.request_review
    status = 200
    if form.validate_on_submit():
        values = form.values()
        raw = values.get("resolves") or ""
        values["resolves"] = int(raw) if raw.isdecimal() and len(raw) < 10 else None
        try:
            create_assessment(mentee, by=current_user, **values)
        except FORM_ERRORS as error:
            db.session.rollback()
            form.apply(error)
            status = error.status
        else:
            db.session.commit()
            flash(_("Assessment recorded."), "success")
            return redirect(url_for("competencies.competencies", mentee_id=mentee.id))
    elif form.is_submitted():
        status = 422
    return render_template("competencies/assess.html", form=form, mentee=mentee, role=role), status


@bp.route("/assessments/<int:assessment_id>/pick-up", methods=["POST"])
@role_required(Role.COACH, Role.COORDINATOR, Role.SECRETARIAT)
def review_pick_up(assessment_id: int):
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise hidden("assessment", assessment_id)
    mentee = mentee_or_404(current_user, assessment.mentee_id)
    try:
        pick_up_review(assessment, by=current_user)
    except FORM_ERRORS as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("competencies.competencies", mentee_id=mentee.id))
    db.session.commit()
    return redirect(
        url_for(
            "competencies.assess",
            mentee_id=mentee.id,
            competency_id=assessment.competency_id,
            resolves=assessment.id,
        )
    )


@bp.route("/my/competencies")
@role_required(Role.MENTEE)
def my_competencies():
    from scbi.mentees.models import Mentee

    mentee = db.session.scalar(select(Mentee).where(Mentee.user_id == current_user.id))
    if mentee is None:
        raise NotFound
    return redirect(url_for("competencies.competencies", mentee_id=mentee.id))


@bp.route("/mentees/<int:mentee_id>/portfolio")
@role_required(*SIGNED_IN)
def portfolio(mentee_id: int):
    from scbi.competencies.portfolio import build_portfolio

    mentee = mentee_or_404(current_user, mentee_id)
    return render_template(
        "competencies/portfolio.html",
        mentee=mentee,
        sections=build_portfolio(mentee, today()),
        on=today(),
    )


@bp.route("/mentees/<int:mentee_id>/portfolio.pdf")
@role_required(*SIGNED_IN)
def portfolio_pdf(mentee_id: int):
    from scbi.competencies.portfolio import portfolio_file
    from scbi.downloads import send_download

    return send_download(portfolio_file(mentee_or_404(current_user, mentee_id), today()))


@bp.route("/mentees/levels")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def levels():
    """Mentees across a sector with their levels, filterable by institution, competency
    and level; without a competency, how many core competencies are below the expert level."""
    from scbi.auth.permissions import managed_sector_ids
    from scbi.competencies.levels import current_levels
    from scbi.mentees.models import Mentee
    from scbi.mentees.queries import scope_mentees
    from scbi.programme.models import CompetencyFramework, Sector
    from scbi.programme.queries import choices

    managed = managed_sector_ids(current_user)
    sector_id = request.args.get("sector_id", type=int)
    sectors = db.session.scalars(
        select(Sector)
        .where(Sector.id.in_(managed) if managed is not None else True)
        .order_by(Sector.name)
    ).all()
    sector = next((s for s in sectors if s.id == sector_id), sectors[0] if sectors else None)
    rows, competencies_choices, level_min = [], [], request.args.get("level", type=int)
    competency_id = request.args.get("competency_id", type=int)
    if sector is not None:
        frameworks_q = (
            select(Competency)
            .join(CompetencyFramework)
            .where(
                (CompetencyFramework.sector_id == sector.id)
                | CompetencyFramework.sector_id.is_(None)
            )
            .order_by(CompetencyFramework.sector_id.is_(None), Competency.sort_order)
        )
        competencies = db.session.scalars(frameworks_q).all()
        competencies_choices = [SelectChoice("", _("Core competencies (expert standing)"))] + [
            SelectChoice(c.id, c.short_name) for c in competencies
        ]
        core_ids = [c.id for c in competencies if c.core and c.framework.sector_id == sector.id]
        query = scope_mentees(select(Mentee), current_user).where(
            Mentee.sector_id == sector.id, Mentee.status.in_(["active", "graduated"])
        )
        if institution_id := request.args.get("institution_id", type=int):
            query = query.where(Mentee.institution_id == institution_id)
        mentees = db.session.scalars(query).all()
        wanted = [competency_id] if competency_id else core_ids
        levels_now = current_levels([m.id for m in mentees], today(), wanted)
        for mentee in sorted(mentees, key=lambda m: m.user.full_name):
            if competency_id:
                value = levels_now.get((mentee.id, competency_id))
                value = value.level if value else 0
            else:
                value = sum(
                    1
                    for c in core_ids
                    if (levels_now.get((mentee.id, c)) or _ZERO).level < sector.expert_level
                )
            if level_min is not None and competency_id and value < level_min:
                continue
            rows.append((mentee, value))
    return render_template(
        "competencies/levels.html",
        rows=rows,
        sector=sector,
        sectors=sectors,
        competencies=competencies_choices,
        competency_id=competency_id,
        level_min=level_min,
        institutions=choices.institutions(_("All institutions")),
    )


class _Zero:
    level = 0


_ZERO = _Zero()
