"""Programme set-up pages. Everyone signed in reads; the secretariat changes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, can_configure, require_configure, role_required
from scbi.auth.views import accounts
from scbi.forms import form_page
from scbi.hooks import Hook
from scbi.loaders import load_or_404
from scbi.mail.outbox import enabled as mail_enabled
from scbi.programme import coordinators, queries, services
from scbi.programme.forms import (
    AssignCoordinatorForm,
    InstitutionForm,
    NewCoordinatorForm,
    PhaseForm,
    PriorityResultForm,
    SectorForm,
)
from scbi.programme.models import EARLIEST_DATE, Institution, Phase, PriorityResult, Sector
from scbi.programme.permissions import can_manage_indicators
from scbi.programme.queries import choices
from scbi.programme.queries import indicators as indicator_queries
from scbi.programme.views.blueprint import bp
from scbi.programme.views.common import saved

sector_counts = Hook(
    "programme.sector_counts",
    "Figures per sector that features above add to the programme's page: (user) -> "
    "hooks.Column keyed by sector id.",
)
institution_links = Hook(
    "programme.institution_links",
    "Links that features above add to an institution's page, each saying how many of "
    "their records the institution has: (institution) -> list of hooks.Link.",
)


# --- overview ------------------------------------------------------------------------------


@bp.route("/programme")
@role_required(*SIGNED_IN)
def overview():
    return render_template(
        "programme/overview.html",
        phases=queries.phases(),
        sectors=queries.sectors_with_coordinators(),
        institutions=queries.institutions_per_sector(),
        counts=sector_counts.ask(current_user),
        can_configure=can_configure(current_user),
    )


# --- phases --------------------------------------------------------------------------------


@bp.route("/phases/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def phase_new():
    return form_page(
        PhaseForm().for_new(),
        "programme/form.html",
        lambda v: services.create_phase(by=current_user, **v),
        saved(_("Phase saved."), "programme.overview"),
        title=_("New phase"),
        cancel=url_for("programme.overview"),
    )


@bp.route("/phases/<int:phase_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def phase_edit(phase_id: int):
    phase = load_or_404(Phase, phase_id)
    form = PhaseForm(obj=phase)
    return form_page(
        form,
        "programme/form.html",
        lambda v: services.update_phase(phase, by=current_user, **v),
        saved(_("Phase saved."), "programme.overview"),
        title=_("Edit %(name)s", name=phase.name),
        cancel=url_for("programme.overview"),
    )


# --- sectors -------------------------------------------------------------------------------


def _sector_page(sector: Sector) -> dict:
    """What the sector's page shows, beside its form (``form``: the secretariat's "add a
    coordinator", or None)."""
    return {
        "sector": sector,
        "institutions": queries.institutions_of_sector(sector.id),
        "frameworks": queries.frameworks_of_sector(sector.id),
        "core_counts": queries.core_counts(),
        "results": queries.results_of_sector(sector.id),
        "rules": queries.sector_rule_history(sector.id),
        "core_updates": queries.core_timeline(sector_id=sector.id),
        "from_the_start": EARLIEST_DATE,
        "can_configure": can_configure(current_user),
    }


def _assign_form(sector: Sector) -> AssignCoordinatorForm:
    form = AssignCoordinatorForm(version=sector.version if request.method == "GET" else None)
    form.user_id.choices = choices.coordinators(
        _("Choose a coordinator"), exclude=[u.id for u in sector.coordinators], emails=True
    )
    return form


@bp.route("/sectors/<int:sector_id>")
@role_required(*SIGNED_IN)
def sector(sector_id: int):
    sector = load_or_404(Sector, sector_id)
    form = _assign_form(sector) if can_configure(current_user) else None
    return render_template("programme/sector.html", form=form, **_sector_page(sector))


def _coordinates(user, sector: Sector) -> str:
    return _("%(name)s now coordinates %(sector)s.", name=user.full_name, sector=sector.name)


@bp.route("/sectors/<int:sector_id>/coordinators", methods=["POST"])
@role_required(Role.SECRETARIAT)
def sector_coordinator_add(sector_id: int):
    """The sector page's "add a coordinator": an existing coordinator account."""
    sector = load_or_404(Sector, sector_id)

    def done(user):
        flash(_coordinates(user, sector), "success")
        return redirect(url_for("programme.sector", sector_id=sector.id))

    return form_page(
        _assign_form(sector),
        "programme/sector.html",
        lambda v: coordinators.assign_coordinator(sector, by=current_user, **v),
        done,
        **_sector_page(sector),
    )


@bp.route("/sectors/<int:sector_id>/coordinators/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def sector_coordinator_new(sector_id: int):
    """A new coordinator account for this sector: invited by mail, or given a one-time
    password shown once, as on the account page (/users/new)."""
    sector = load_or_404(Sector, sector_id)
    form = NewCoordinatorForm(version=sector.version if request.method == "GET" else None)
    back = url_for("programme.sector", sector_id=sector.id)

    def created(made):
        user, password = made
        flash(_coordinates(user, sector), "success")
        if password is None:
            flash(
                _("An invitation to choose a password was mailed to %(email)s.", email=user.email),
                "success",
            )
            return redirect(back)
        return render_template(
            "auth/one_time_password.html", user=user, password=password, next_url=back
        )

    return form_page(
        form,
        "programme/coordinator_new.html",
        lambda v: coordinators.create_coordinator(sector, by=current_user, **v),
        created,
        sector=sector,
        cancel=back,
        mail_on=mail_enabled(),
    )


def _sector_form(sector: Sector | None = None) -> SectorForm:
    form = SectorForm(obj=sector)
    form.coordinators.choices = choices.coordinators()
    if sector is not None and request.method == "GET":
        form.coordinators.data = [u.id for u in sector.coordinators]
    return form


def _save_sector(sector: Sector | None, values: dict) -> Sector:
    coordinator_ids = values.pop("coordinators") or []
    if sector is None:
        values.pop("version", None)
        values.pop("effective_on", None)  # a new sector's settings hold from the start
        sector = services.create_sector(by=current_user, **values)
    else:
        services.update_sector(sector, by=current_user, **values)
    services.set_sector_coordinators(sector, coordinator_ids, by=current_user)
    return sector


@bp.route("/sectors/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def sector_new():
    form = _sector_form().for_new()
    del form.effective_on  # nothing of a new sector is dated before it
    return form_page(
        form,
        "programme/form.html",
        lambda v: _save_sector(None, v),
        saved(_("Sector saved."), "programme.sector", sector_id=lambda s: s.id),
        title=_("New sector"),
        cancel=url_for("programme.overview"),
    )


@bp.route("/sectors/<int:sector_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def sector_edit(sector_id: int):
    sector = load_or_404(Sector, sector_id)
    return form_page(
        _sector_form(sector),
        "programme/form.html",
        lambda v: _save_sector(sector, v),
        saved(_("Sector saved."), "programme.sector", sector_id=lambda s: s.id),
        title=_("Edit %(name)s", name=sector.name),
        cancel=url_for("programme.sector", sector_id=sector.id),
    )


# --- institutions --------------------------------------------------------------------------


@bp.route("/institutions/<int:institution_id>")
@role_required(*SIGNED_IN)
def institution(institution_id: int):
    institution = load_or_404(Institution, institution_id)
    return render_template(
        "programme/institution.html",
        institution=institution,
        links=[link for answer in institution_links.ask(institution) for link in answer],
        results=queries.results_of_institution(institution.id),
        can_configure=can_configure(current_user),
    )


def _institution_form(institution: Institution | None = None) -> InstitutionForm:
    form = InstitutionForm(obj=institution, sector_id=request.args.get("sector_id", type=int))
    form.sector_id.choices = choices.sectors(_("Choose a sector"))
    return form


@bp.route("/institutions/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def institution_new():
    return form_page(
        _institution_form().for_new(),
        "programme/form.html",
        lambda v: services.create_institution(by=current_user, **v),
        saved(_("Institution saved."), "programme.institution", institution_id=lambda i: i.id),
        title=_("New institution"),
        cancel=url_for("programme.overview"),
    )


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def institution_edit(institution_id: int):
    institution = load_or_404(Institution, institution_id)
    return form_page(
        _institution_form(institution),
        "programme/form.html",
        lambda v: services.update_institution(institution, by=current_user, **v),
        saved(_("Institution saved."), "programme.institution", institution_id=lambda i: i.id),
        title=_("Edit %(name)s", name=institution.acronym),
        cancel=url_for("programme.institution", institution_id=institution.id),
    )


# --- priority results ----------------------------------------------------------------------


def _result_form(result: PriorityResult | None = None) -> PriorityResultForm:
    form = PriorityResultForm(obj=result, sector_id=request.args.get("sector_id", type=int))
    form.sector_id.choices = choices.sectors(_("Choose a sector"))
    form.institution_id.choices = choices.institutions(_("— none —"))
    return form


@bp.route("/priority-results/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def result_new():
    return form_page(
        _result_form().for_new(),
        "programme/form.html",
        lambda v: services.create_priority_result(by=current_user, **v),
        saved(_("Priority result saved."), "programme.result", result_id=lambda r: r.id),
        title=_("New priority result"),
        cancel=url_for("programme.overview"),
    )


@bp.route("/priority-results/<int:result_id>", methods=["GET", "POST"])
@role_required(*SIGNED_IN)
def result(result_id: int):
    result = queries.priority_result_page(result_id)
    if request.method == "POST":
        require_configure(current_user)
    form = _result_form(result)
    if request.method == "GET":
        form.status_note.data = ""
    return form_page(
        form,
        "programme/result.html",
        lambda v: services.update_priority_result(result, by=current_user, **v),
        saved(_("Priority result saved."), "programme.result", result_id=lambda r: r.id),
        result=result,
        can_configure=can_configure(current_user),
        indicators=indicator_queries.indicators_of(result),
        can_manage_indicators=can_manage_indicators(current_user, result),
    )


@accounts.coordinator_sectors.answer
def _sectors_of_coordinators() -> accounts.Assignment:
    """The account page offers the sectors; programme assigns them (and audits it)."""
    return accounts.Assignment(
        lambda _user: choices.sectors(),
        services.set_coordinator_sectors,
        lambda user: [s.id for s in user.sectors],
        services.coordinator_sector_problems,
    )
