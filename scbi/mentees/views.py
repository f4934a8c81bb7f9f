"""Mentee list, registration, profile and status."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, can_configure, managed_sector_ids, role_required
from scbi.filters import chips
from scbi.forms import form_page, show_one_time_password, status_filter
from scbi.hooks import Column, Hook, Link, page_parts
from scbi.mentees import queries, services
from scbi.mentees.forms import MenteeEditForm, MenteeNewForm, MenteeStatusForm
from scbi.mentees.models import Mentee, MenteeStatus
from scbi.mentees.queries import mentee_or_404
from scbi.pagination import paginate
from scbi.programme.queries import choices
from scbi.programme.views import setup as programme_pages

bp = Blueprint("mentees", __name__)

VIEWERS = (Role.SECRETARIAT, Role.COORDINATOR, Role.COACH)

page = Hook(
    "mentees.page",
    "What a feature above adds to a mentee's page: (user, mentee) -> hooks.Part.",
)


@bp.route("/mentees")
@role_required(*VIEWERS)
def index():
    query, filters = queries.mentee_list(current_user, request.args)
    return render_template(
        "mentees/index.html",
        page=paginate(query),
        q=(request.args.get("q") or "").strip(),
        status=queries.list_status(request.args),
        filters=filters,
        chips=chips(queries.list_filter_words(request.args)),
        statuses=status_filter(MenteeStatus),
        can_register=can_configure(current_user),
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
    mentee = queries.mentee_page(current_user, mentee_id)
    return render_template(
        "mentees/detail.html",
        mentee=mentee,
        parts=page_parts(page, current_user, mentee),
        can_list=current_user.has_role(*VIEWERS),
        can_configure=can_configure(current_user),
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
            status=mentee.status.label,
            day=mentee.status_changed_on.isoformat(),
        ),
        cancel=url_for("mentees.detail", mentee_id=mentee.id),
    )


def _back_to(mentee: Mentee):
    def done(_result):
        flash(_("%(name)s saved.", name=mentee.full_name), "success")
        return redirect(url_for("mentees.detail", mentee_id=mentee.id))

    return done


@programme_pages.sector_counts.answer
def _mentees_per_sector(user) -> Column:
    return Column(
        _("Active mentees"),
        queries.active_mentees_per_sector(),
        lambda sector_id: url_for("mentees.index", sector_id=sector_id),
    )


@programme_pages.institution_links.answer
def _mentees_of_institution(institution) -> list[Link]:
    n = queries.active_mentees_of_institution(institution.id)
    return [
        Link(
            ngettext("%(num)d active mentee", "%(num)d active mentees", n),
            url_for("mentees.index", institution_id=institution.id),
        )
    ]
