"""Coach list, registration, profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, can_configure, managed_sector_ids, role_required
from scbi.coaches import queries, services
from scbi.coaches.forms import CoachEditForm, CoachNewForm
from scbi.coaches.models import CoachStatus
from scbi.coaches.queries import coach_or_404
from scbi.filters import chips
from scbi.forms import form_page, show_one_time_password, status_filter
from scbi.hooks import Column, Hook, Link, page_parts
from scbi.pagination import paginate
from scbi.programme.queries import choices
from scbi.programme.views import setup as programme_pages

bp = Blueprint("coaches", __name__)

VIEWERS = (Role.SECRETARIAT, Role.COORDINATOR)

page = Hook(
    "coaches.page",
    "What a feature above adds to a coach's page: (user, coach) -> hooks.Part.",
)


@bp.route("/coaches")
@role_required(*VIEWERS)
def index():
    page = paginate(queries.coach_list(current_user, request.args))
    return render_template(
        "coaches/index.html",
        page=page,
        q=(request.args.get("q") or "").strip(),
        status=queries.list_status(request.args),
        chips=chips(queries.list_filter_words(request.args)),
        statuses=status_filter(CoachStatus),
        active=queries.active_mentee_counts([c.id for c in page.items]),
        can_register=can_configure(current_user),
        sectors=choices.sectors(
            _("All sectors") if can_configure(current_user) else _("All my sectors"),
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
    return render_template(
        "coaches/detail.html",
        coach=coach,
        parts=page_parts(page, current_user, coach),
        can_list=current_user.has_role(*VIEWERS),
        can_configure=can_configure(current_user),
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
    silent_only = bool(request.args.get("silent"))
    return render_template(
        "coaches/follow_up.html",
        rows=queries.follow_up(current_user, silent_only=silent_only),
        silent_only=silent_only,
    )


@programme_pages.sector_counts.answer
def _coaches_per_sector(user) -> Column:
    return Column(
        _("Active coaches"),
        queries.active_coaches_per_sector(),
        lambda sector_id: url_for("coaches.index", sector_id=sector_id),
    )


@programme_pages.institution_links.answer
def _coaches_hosted(institution) -> list[Link]:
    n = queries.active_coaches_hosted(institution.id)
    return [
        Link(
            ngettext("%(num)d coach hosted", "%(num)d coaches hosted", n),
            url_for("coaches.index", institution_id=institution.id),
        )
    ]
