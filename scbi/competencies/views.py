"""Competency pages: a mentee's profile, assessing a competency, review requests, the
portfolio and the levels of a sector."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.competencies import (
    needs,  # noqa: F401  (answers the home page's needs)
    queries,
)
from scbi.competencies.dashboard import level_chart, role_chart
from scbi.competencies.forms import AssessmentForm
from scbi.competencies.models import Assessment, AssessorRole
from scbi.competencies.permissions import (
    can_assess,
    can_pick_up_review,
    can_request_review,
    can_resolve_review,
    is_self_assessment,
)
from scbi.competencies.portfolio import build_portfolio, openable_evidence, portfolio_file
from scbi.competencies.services import assessor_role, create_assessment, pick_up_review
from scbi.dates import today
from scbi.downloads import send_download
from scbi.errors import NotAllowed
from scbi.forms import FORM_ERRORS, form_page
from scbi.hooks import Link, Part
from scbi.mentees import views as mentee_pages
from scbi.mentees.models import Mentee
from scbi.mentees.queries import mentee_or_404
from scbi.pagination import paginate
from scbi.programme.queries import choices
from scbi.transaction import commit, rollback

bp = Blueprint("competencies", __name__)


def _assessor_role(mentee: Mentee) -> AssessorRole | None:
    """The role the current user would assess the mentee in, or None when they may not."""
    try:
        return assessor_role(current_user, mentee)
    except NotAllowed:
        return None


@dataclass(frozen=True)
class ReviewRequest:
    """An open review request as the page lists it, with what the user may do about it."""

    assessment: Assessment
    can_pick_up: bool
    can_resolve: bool


@bp.route("/mentees/<int:mentee_id>/competencies")
@role_required(*SIGNED_IN)
def competencies(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    on = today()
    page = queries.profile_page(mentee, on)
    charts = {
        "roles": role_chart(mentee, on),
        "levels": level_chart(mentee, page.rows, on, mentee.sector.expert_level),
    }
    role = _assessor_role(mentee)
    return render_template(
        "competencies/competencies.html",
        mentee=mentee,
        rows=page.rows,
        history=page.history,
        reviews=[
            ReviewRequest(a, can_pick_up_review(role, a), can_resolve_review(role, a))
            for a in page.reviews
        ],
        can_assess=can_assess(role),
        self_assessment=is_self_assessment(role),
        form=AssessmentForm(),
        short=page.short,
        next_up=page.next_up,
        has_core=page.has_core,
        charts=charts,
    )


@bp.route("/mentees/<int:mentee_id>/assessments/new", methods=["GET", "POST"])
@role_required(*SIGNED_IN)
def assess(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    role = _assessor_role(mentee)
    if not can_assess(role):
        raise NotAllowed(_("You may not assess this mentee."))
    form = AssessmentForm(
        competency_id=request.args.get("competency_id", type=int),
        resolves=request.args.get("resolves", ""),
        assessed_on=today() if request.method == "GET" else None,
    )
    form.competency_id.choices = queries.competency_choices(mentee, _("— choose —"))
    form.log_ids.choices = queries.citable_log_choices(
        current_user, mentee, form.competency_id.data
    )
    if not can_request_review(role):
        del form.request_review
    page = {
        "mentee": mentee,
        "self_assessment": is_self_assessment(role),
        "citable_limit": queries.CITABLE_LOGS,
        # why no log is offered, when none is: what there is on the competency
        "uncited": None
        if form.log_ids.choices
        else queries.uncited_logs(current_user, mentee, form.competency_id.data),
    }
    if form.is_submitted() and form.show_logs.data:
        # the same form with the logs of the competency chosen; nothing is recorded
        return render_template("competencies/assess.html", form=form, **page)

    def done(_assessment):
        flash(_("Assessment recorded."), "success")
        return redirect(url_for("competencies.competencies", mentee_id=mentee.id))

    return form_page(
        form,
        "competencies/assess.html",
        lambda v: create_assessment(mentee, by=current_user, **v),
        done,
        **page,
    )


@bp.route("/assessments/<int:assessment_id>/pick-up", methods=["POST"])
@role_required(Role.COACH, Role.COORDINATOR, Role.SECRETARIAT)
def review_pick_up(assessment_id: int):
    assessment = queries.assessment_or_404(current_user, assessment_id)
    try:
        pick_up_review(assessment, by=current_user)
    except FORM_ERRORS as error:
        rollback()
        flash(error.message, "danger")
        return redirect(url_for("competencies.competencies", mentee_id=assessment.mentee_id))
    commit()
    return redirect(
        url_for(
            "competencies.assess",
            mentee_id=assessment.mentee_id,
            competency_id=assessment.competency_id,
            resolves=assessment.id,
        )
    )


@bp.route("/my/competencies")
@role_required(Role.MENTEE)
def my_competencies():
    mentee = queries.own_mentee_or_404(current_user)
    return redirect(url_for("competencies.competencies", mentee_id=mentee.id))


@bp.route("/mentees/<int:mentee_id>/portfolio")
@role_required(*SIGNED_IN)
def portfolio(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    sections = build_portfolio(mentee, today())
    return render_template(
        "competencies/portfolio.html",
        mentee=mentee,
        sections=sections,
        openable=openable_evidence(current_user, sections),
        on=today(),
    )


@bp.route("/mentees/<int:mentee_id>/portfolio.pdf")
@role_required(*SIGNED_IN)
def portfolio_pdf(mentee_id: int):
    mentee = mentee_or_404(current_user, mentee_id)
    return send_download(portfolio_file(mentee, today(), reader=current_user))


@bp.route("/reviews")
@role_required(Role.COACH, Role.COORDINATOR, Role.SECRETARIAT)
def reviews():
    """The self-assessments asking for a review across the mentees the user sees."""
    return render_template(
        "competencies/reviews.html", page=paginate(queries.review_requests(current_user))
    )


@bp.route("/mentees/levels")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def levels():
    """Mentees across a sector with their levels, filterable by institution, competency
    and level; without a competency, how many core competencies are below the expert level."""
    page = queries.sector_levels(
        current_user, request.args, today(), core_label=_("Core competencies (expert standing)")
    )
    return render_template(
        "competencies/levels.html",
        rows=page.rows,
        sector=page.sector,
        sectors=page.sectors,
        competencies=page.competencies,
        competency_id=page.competency_id,
        level_min=page.level_min,
        institutions=choices.institutions(_("All institutions")),
    )


@mentee_pages.page.answer
def _competencies_of_mentee(user, mentee) -> Part:
    """Whoever sees a mentee's page may open their competencies."""
    link = Link(_("Competencies"), url_for("competencies.competencies", mentee_id=mentee.id))
    return Part(links=(link,))
