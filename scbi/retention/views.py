"""The follow-ups after the programme: the secretariat's list, one follow-up's page (its
answer, and the form for those who may record it), and the section on a mentee's page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role
from scbi.auth.permissions import managed_sector_ids, role_required
from scbi.errors import NotFound
from scbi.filters import chips
from scbi.forms import form_page
from scbi.hooks import Part, Section
from scbi.mentees import views as mentee_pages
from scbi.pagination import paginate_rows
from scbi.programme.queries import choices
from scbi.retention import (
    needs,  # noqa: F401  (answers the home page's needs)
    queries,
    services,
)
from scbi.retention.forms import FollowUpForm
from scbi.retention.models import MILESTONES, FollowUpState
from scbi.retention.permissions import (
    READERS,
    can_answer,
    can_read_follow_ups,
    can_record_for_others,
    is_own,
)
from scbi.retention.queries import listing

bp = Blueprint("retention", __name__)


@bp.route("/follow-ups")
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def follow_ups():
    """Every follow-up that has fallen due, overdue first; coordinators see their sectors'.
    A report's retention figure opens it narrowed to what it counts (on its as-of date)."""
    found = listing.list_filters(request.args)
    page = paginate_rows(listing.follow_up_list(current_user, found))
    page.items = [listing.listed(row, found.on) for row in page.items]
    return render_template(
        "retention/list.html",
        page=page,
        state=found.state,
        chips=chips(listing.list_filter_words(found)),
        kept=listing.kept_filters(request.args),
        states=_state_choices(),
        months=_month_choices(),
        sectors=choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        can_record=can_record_for_others(current_user),
    )


def _state_choices() -> list[SelectChoice]:
    return [
        SelectChoice("", _("All that have fallen due")),
        SelectChoice("open", _("Waiting for an answer")),
        *(SelectChoice(s.value, s.label) for s in FollowUpState),
    ]


def _month_choices() -> list[SelectChoice]:
    return [
        SelectChoice("", _("6, 12 and 24 months")),
        *(SelectChoice(m, _("%(months)d months", months=m)) for m in MILESTONES),
    ]


@bp.route("/mentees/<int:mentee_id>/follow-ups/<int:months>", methods=["GET", "POST"])
@role_required(*READERS)
def answer(mentee_id: int, months: int):
    """One follow-up: the stored answer, and the short form for the mentee (their current
    one) and the secretariat (any that has fallen due)."""
    mentee = queries.follow_up_mentee_or_404(current_user, mentee_id)
    if months not in MILESTONES:
        raise NotFound
    found = queries.follow_ups_of(mentee)
    milestone = found.get(months)
    own = is_own(current_user, mentee)
    may_answer = milestone is not None and can_answer(
        current_user, mentee, milestone.state, current=milestone.current
    )
    page = {
        "mentee": mentee,
        "months": months,
        "exit_on": found.exit_on,
        "milestone": milestone,
        "own": own,
        "heading": (
            _("Your %(months)d-month follow-up", months=months)
            if own
            else _("%(months)d-month follow-up of %(name)s", months=months, name=mentee.full_name)
        ),
        "can_list": current_user.has_role(Role.SECRETARIAT, Role.COORDINATOR),
    }
    if request.method == "POST":
        services.require_may_answer(current_user, mentee)  # a coordinator only reads: 403
    elif not may_answer:
        return render_template("retention/answer.html", form=None, **page)
    recorder = can_record_for_others(current_user) and not own
    answer_ = milestone.answer if milestone else None
    form = FollowUpForm.of(answer_, recorder=recorder)
    return form_page(
        form,
        "retention/answer.html",
        lambda v: services.record_follow_up(mentee, months, by=current_user, **v),
        _saved(mentee, months, own),
        **page,
    )


def _saved(mentee, months: int, own: bool):
    def done(_follow_up):
        if own:
            flash(_("Thank you: your %(months)d-month follow-up is recorded.", months=months))
            return redirect(url_for("main.home"))
        flash(
            _(
                "The %(months)d-month follow-up of %(name)s is recorded.",
                months=months,
                name=mentee.full_name,
            ),
            "success",
        )
        return redirect(url_for("mentees.detail", mentee_id=mentee.id))

    return done


@mentee_pages.page.answer
def mentee_part(user, mentee) -> Part:
    """The follow-ups on the mentee's page: for the mentee, the secretariat and the
    sector's coordinators, once the mentee has left the programme."""
    if not can_read_follow_ups(user, mentee):
        return Part()
    found = queries.follow_ups_of(mentee)
    if found.exit_on is None:
        return Part()
    rows = [(m, can_answer(user, mentee, m.state, current=m.current)) for m in found.milestones]
    return Part(
        sections=(
            Section(
                _("Follow-ups after the programme"),
                "retention/_section.html",
                {"mentee": mentee, "exit_on": found.exit_on, "rows": rows},
            ),
        )
    )
