"""Short engagements' pages: the list, a request's form, one engagement's page, and a form
for each step (team, broker, start, check-in, close-out, decline, withdrawal)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from scbi.auth.permissions import managed_sector_ids, role_required
from scbi.dates import today
from scbi.engagements import (
    needs,  # noqa: F401  (answers the home page's needs)
    queries,
    services,
)
from scbi.engagements.forms import (
    BrokerForm,
    CheckInForm,
    CloseForm,
    EndForm,
    RequestForm,
    StartForm,
    TeamForm,
)
from scbi.engagements.models import EngagementStatus, PractitionerKind
from scbi.engagements.permissions import (
    MANAGERS,
    READERS,
    RUNNERS,
    can_broker,
    can_check_in,
    can_close,
    can_edit_request,
    can_edit_team,
    can_end_request,
    can_manage,
    can_record_requests,
    can_start,
    may_run,
)
from scbi.engagements.queries import filters
from scbi.engagements.services import check_ins, close_out, running
from scbi.errors import InvalidTransition, NotAllowed
from scbi.filters import chips, kept
from scbi.forms import FORM_ERRORS, form_page
from scbi.hooks import Hook, Link, page_parts
from scbi.pagination import paginate
from scbi.programme.queries import choices
from scbi.programme.views import setup as programme_pages
from scbi.transaction import commit, rollback

bp = Blueprint("engagements", __name__)

page = Hook(
    "engagements.page",
    "What a feature above adds to an engagement's page: (user, engagement) -> hooks.Part.",
)

BLANK_MEMBERS = 3


def _status_choices() -> list[SelectChoice]:
    return [
        SelectChoice(queries.OPEN, _("Open: requested, brokered or active")),
        SelectChoice(queries.DUE, _("Close-out due")),
        *(SelectChoice(s.value, s.label.capitalize()) for s in EngagementStatus),
        SelectChoice(queries.ALL, _("All")),
    ]


@bp.route("/engagements")
@role_required(*READERS)
def index():
    """The engagements the user may read: open ones by default, the latest request first;
    filtered by status, sector and institution, or as a report's figure opens it."""
    found = filters.figure_filters(request.args)  # 422 naming a bad one
    query = queries.engagement_list(current_user, request.args)
    return render_template(
        "engagements/list.html",
        page=paginate(query),
        outcome=found.outcome,
        objectives=filters.objectives(query, found.outcome) if found.outcome else None,
        chips=chips(filters.filter_words(found)),
        kept=kept(request.args, filters.KEPT),
        status=queries.list_status(request.args),
        statuses=_status_choices(),
        sectors=choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        institutions=choices.institutions(_("All institutions")),
        can_record=can_record_requests(current_user),
        today=today(),
    )


def _to_page(message: str, engagement=None):
    """Back to the engagement's page (``engagement``, or the one the service answers)."""

    def done(result):
        flash(message, "success")
        return redirect(_back((engagement or result).id))

    return done


def _request_choices(form: RequestForm) -> RequestForm:
    form.institution_id.choices = choices.institutions(_("Choose an institution"))
    form.sector_id.choices = choices.sectors(
        _("The institution's sector"), managed_sector_ids(current_user)
    )
    return form


def _objective_field(name: str) -> str | None:
    return "objectives" if name.startswith("objectives") else None


@bp.route("/engagements/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def new():
    """Record a request as it came from a partner institution."""
    form = _request_choices(RequestForm(received_on=today()).for_new())
    return form_page(
        form,
        "programme/form.html",
        lambda v: services.record_request(by=current_user, **v),
        _to_page(_("The request is recorded: it waits for a broker.")),
        aliases=_objective_field,
        title=_("Record a request"),
        cancel=url_for("engagements.index"),
    )


@bp.route("/engagements/<int:engagement_id>")
@role_required(*READERS)
def detail(engagement_id: int):
    engagement = queries.engagement_or_404(current_user, engagement_id)
    user = current_user
    recorded = queries.check_ins_of(engagement.id)
    return render_template(
        "engagements/detail.html",
        e=engagement,
        check_ins=recorded,
        words={o.id: _last_word(recorded, o.id) for o in engagement.objectives},
        objective_numbers={o.id: o.number for o in engagement.objectives},
        close_out=queries.close_out(engagement),
        due=engagement.close_out_due_on(today()),
        is_coach=engagement.practitioner_kind == PractitionerKind.COACH,
        can_edit=can_edit_request(user, engagement),
        can_team=can_edit_team(user, engagement),
        can_broker=can_broker(user, engagement),
        can_start=can_start(user, engagement),
        can_check_in=can_check_in(user, engagement),
        can_close=can_close(user, engagement),
        can_end=can_end_request(user, engagement),
        parts=page_parts(page, user, engagement),
    )


def _last_word(check_ins, objective_id: int):
    """The latest check-in's word on an objective (check-ins come latest first)."""
    for check_in in check_ins:
        for flag in check_in.progress:
            if flag.objective_id == objective_id:
                return flag.progress
    return None


def _step(engagement_id: int, allowed, may_ever):
    """The engagement of a step's page: 403 for whoever may never take the step, 409 when
    its state does not allow it now (the service says the same on a POST)."""
    engagement = queries.engagement_or_404(current_user, engagement_id)
    if not may_ever(current_user, engagement):
        raise NotAllowed
    if request.method == "GET" and not allowed(current_user, engagement):
        raise InvalidTransition(
            _(
                "This cannot be done while the engagement is %(status)s.",
                status=engagement.status.label,
            )
        )
    return engagement


def _back(engagement_id: int) -> str:
    return url_for("engagements.detail", engagement_id=engagement_id)


@bp.route("/engagements/<int:engagement_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit(engagement_id: int):
    """The request and its objectives, until the engagement starts."""
    e = _step(engagement_id, can_edit_request, can_manage)
    form = RequestForm.of(e)
    return form_page(
        _request_choices(form),
        "programme/form.html",
        lambda v: services.update_request(e, by=current_user, **v),
        _to_page(_("The request is saved.")),
        aliases=_objective_field,
        title=_("The request of %(institution)s", institution=e.institution.acronym),
        cancel=_back(e.id),
    )


def _rows_page(form, save, done, template: str, rows: str, **context):
    """A form with rows (the team, the words on objectives, the outcomes): as
    scbi.forms.form_page, with each refusal of a row put beside that row's field."""
    status = 200
    if form.validate_on_submit():
        try:
            result = save(form.values())
        except FORM_ERRORS as error:
            rollback()
            form.apply_rows(error, rows, form.row_index())
            status = error.status
        else:
            commit()
            return done(result)
    elif form.is_submitted():
        status = 422
    return render_template(template, form=form, **context), status


@bp.route("/engagements/<int:engagement_id>/team", methods=["GET", "POST"])
@role_required(*MANAGERS)
def team(engagement_id: int):
    """The counterpart team at the institution (three empty rows to add people)."""
    e = _step(engagement_id, can_edit_team, can_manage)
    if request.method == "POST":
        form = TeamForm()
    else:
        form = TeamForm(data={"members": queries.team_rows(e), "version": e.version})
        for _n in range(BLANK_MEMBERS):
            form.members.append_entry()
    mentees = queries.mentee_choices(e.institution_id, {m.mentee_id for m in e.members})
    for entry in form.members.entries:
        entry.form.mentee_id.choices = mentees
    return _rows_page(
        form,
        lambda v: services.set_team(e, by=current_user, **v),
        _to_page(_("The counterpart team is saved.")),
        "engagements/team.html",
        "members",
        e=e,
    )


@bp.route("/engagements/<int:engagement_id>/broker", methods=["GET", "POST"])
@role_required(*MANAGERS)
def broker(engagement_id: int):
    """Broker a practitioner for a span of weeks (again, to change them, until it starts)."""
    e = _step(engagement_id, can_broker, can_manage)
    form = BrokerForm(obj=e)
    if request.method == "GET":
        form.kind.data = (e.practitioner_kind or PractitionerKind.COACH).value
        form.weeks.data = e.weeks or 6
    form.coach_id.choices = queries.coach_choices(current_user, keep=e.coach_id)
    return form_page(
        form,
        "engagements/broker.html",
        lambda v: running.broker(e, by=current_user, **v),
        _to_page(_("The practitioner is brokered.")),
        e=e,
    )


@bp.route("/engagements/<int:engagement_id>/start", methods=["GET", "POST"])
@role_required(*RUNNERS)
def start(engagement_id: int):
    e = _step(engagement_id, can_start, may_run)
    form = StartForm(start_date=min(e.start_date, today()), version=e.version)
    return form_page(
        form,
        "programme/form.html",
        lambda v: running.start(e, by=current_user, **v),
        _to_page(_("The engagement has started.")),
        title=_("Start the engagement with %(institution)s", institution=e.institution.acronym),
        intro=_(
            "Planned from %(start)s for %(weeks)d weeks.",
            start=format_date(e.start_date, "long"),
            weeks=e.weeks,
        ),
        cancel=_back(e.id),
    )


@bp.route("/engagements/<int:engagement_id>/check-ins/new", methods=["GET", "POST"])
@role_required(*RUNNERS)
def check_in(engagement_id: int):
    """A check-in: what happened, and a word on each objective if there is one to say."""
    e = _step(engagement_id, can_check_in, may_run)
    form = CheckInForm()
    if request.method == "GET":
        form.held_on.data = today()
        for objective in e.objectives:
            form.progress.append_entry({"objective_id": objective.id})
    _objective_labels(form.progress.entries, e, "progress")
    return _rows_page(
        form,
        lambda v: check_ins.record_check_in(e, by=current_user, **v),
        _to_page(_("The check-in is recorded."), e),
        "engagements/check_in.html",
        "progress",
        e=e,
    )


def _objective_labels(entries, engagement, field: str) -> None:
    """Each row's label is its objective (the rows follow the objectives' order)."""
    for entry, objective in zip(entries, engagement.objectives, strict=False):
        getattr(entry.form, field).label.text = f"{objective.number}. {objective.text}"


@bp.route("/engagements/<int:engagement_id>/close", methods=["GET", "POST"])
@role_required(*RUNNERS)
def close(engagement_id: int):
    """The close-out: the outcome against each objective, what the team can now do on
    its own, and whether a longer pairing should follow."""
    e = _step(engagement_id, can_close, may_run)
    form = CloseForm()
    if request.method == "GET":
        form.version.data = e.version
        form.closed_on.data = today()
        for objective in e.objectives:
            form.outcomes.append_entry({"objective_id": objective.id})
    _objective_labels(form.outcomes.entries, e, "outcome")
    return _rows_page(
        form,
        lambda v: close_out.close(e, by=current_user, **v),
        _to_page(_("The engagement is closed.")),
        "engagements/close.html",
        "outcomes",
        e=e,
    )


def _end_page(engagement_id: int, change, title: str, message: str):
    e = _step(engagement_id, can_end_request, can_manage)
    return form_page(
        EndForm(version=e.version),
        "programme/form.html",
        lambda v: change(e, by=current_user, **v),
        _to_page(message),
        title=title % {"institution": e.institution.acronym},
        cancel=_back(e.id),
    )


@bp.route("/engagements/<int:engagement_id>/decline", methods=["GET", "POST"])
@role_required(*MANAGERS)
def decline(engagement_id: int):
    return _end_page(
        engagement_id,
        services.decline,
        _("Decline the request of %(institution)s"),
        _("The request is declined."),
    )


@bp.route("/engagements/<int:engagement_id>/withdraw", methods=["GET", "POST"])
@role_required(*MANAGERS)
def withdraw(engagement_id: int):
    return _end_page(
        engagement_id,
        services.withdraw,
        _("The request of %(institution)s is withdrawn"),
        _("The request is recorded as withdrawn."),
    )


@programme_pages.institution_links.answer
def _engagements_of_institution(institution) -> list[Link]:
    n = queries.engagements_of_institution(institution.id)
    return [
        Link(
            ngettext("%(num)d short engagement", "%(num)d short engagements", n),
            url_for("engagements.index", institution_id=institution.id, status=queries.ALL),
        )
    ]
