"""The people of an exchange: its participants (those who manage it add and remove them),
a participating mentee's reflection, and a coach's links to their mentees' plans."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.forms import ConfirmForm
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.dates import today
from scbi.errors import NotAllowed, ValidationFailed
from scbi.exchanges.countries import country_choices, country_name
from scbi.exchanges.forms import (
    CoachParticipantForm,
    ExternalParticipantForm,
    MenteeParticipantForm,
    ParticipantKindForm,
    PlanLinkForm,
    ReflectionForm,
)
from scbi.exchanges.models import ParticipantKind
from scbi.exchanges.permissions import (
    MANAGERS,
    can_link_plans,
    can_reflect,
    own_participation,
    require_manager,
)
from scbi.exchanges.queries import choices
from scbi.exchanges.queries import detail as shown
from scbi.exchanges.queries.scope import (
    coached_among,
    exchange_or_404,
    participant_or_404,
    plan_link_or_404,
)
from scbi.exchanges.services import participants as participant_service
from scbi.exchanges.services import reflections as reflection_service
from scbi.exchanges.views.blueprint import bp
from scbi.forms import FORM_ERRORS, form_page
from scbi.transaction import commit, rollback

PARTICIPANT_FORMS = {
    ParticipantKind.MENTEE: MenteeParticipantForm,
    ParticipantKind.COACH: CoachParticipantForm,
    ParticipantKind.EXTERNAL: ExternalParticipantForm,
}


def _back_to(exchange, anchor: str = ""):
    return redirect(url_for("exchanges.detail", exchange_id=exchange.id) + anchor)


@bp.route("/exchanges/<int:exchange_id>/participants", methods=["GET", "POST"])
@role_required(*MANAGERS)
def participants(exchange_id: int):
    """Who took part, and a form for each kind of participant to add."""
    exchange = exchange_or_404(current_user, exchange_id)
    require_manager(current_user, exchange)
    sent = ParticipantKindForm().kind.data if request.method == "POST" else None
    if request.method == "POST" and sent not in PARTICIPANT_FORMS:
        raise ValidationFailed(_("Choose who to add: a mentee, a coach or someone from outside."))
    # only the form sent reads the request: the others are shown blank beside it
    forms = {
        kind: form_class() if kind == sent else form_class(formdata=None)
        for kind, form_class in PARTICIPANT_FORMS.items()
    }
    forms[ParticipantKind.MENTEE].mentee_id.choices = choices.mentee_choices(current_user, exchange)
    forms[ParticipantKind.COACH].coach_id.choices = choices.coach_choices(current_user, exchange)
    forms[ParticipantKind.EXTERNAL].country.choices = country_choices(_("Choose the country"))
    page = {
        "exchange": exchange,
        "participants": shown.participants(exchange),
        "forms": forms,
        "remove_form": ConfirmForm(),
        "country_name": country_name,
    }
    if sent is None:
        return render_template("exchanges/participants.html", **page)

    def done(participant):
        flash(_("%(name)s added.", name=participant.full_name), "success")
        return redirect(url_for("exchanges.participants", exchange_id=exchange.id))

    return form_page(
        forms[sent],
        "exchanges/participants.html",
        lambda v: participant_service.add_participant(exchange, by=current_user, **v),
        done,
        **page,
    )


@bp.route(
    "/exchanges/<int:exchange_id>/participants/<int:exchange_participant_id>/remove",
    methods=["POST"],
)
@role_required(*MANAGERS)
def participant_remove(exchange_id: int, exchange_participant_id: int):
    exchange = exchange_or_404(current_user, exchange_id)
    participant = participant_or_404(exchange, exchange_participant_id)
    if ConfirmForm().validate_on_submit():
        name = participant.full_name
        try:
            participant_service.remove_participant(participant, by=current_user)
        except FORM_ERRORS as error:
            rollback()
            flash(error.message, "danger")
        else:
            commit()
            flash(_("%(name)s removed from the participants.", name=name), "info")
    return redirect(url_for("exchanges.participants", exchange_id=exchange.id))


@bp.route("/exchanges/<int:exchange_id>/reflection", methods=["GET", "POST"])
@role_required(Role.MENTEE)
def reflection(exchange_id: int):
    """A participating mentee's own reflection: written once the exchange has begun,
    changed as often as they like (each version is kept)."""
    exchange = exchange_or_404(current_user, exchange_id)
    if own_participation(current_user, exchange) is None:
        raise NotAllowed(_("Only a mentee who took part writes a reflection on the exchange."))
    existing = shown.own_reflection(current_user, exchange)
    page = {
        "exchange": exchange,
        "existing": existing,
        "open": can_reflect(current_user, exchange, today()),
    }
    if request.method == "GET":
        data = {"text": existing.text, "version": existing.version} if existing else {}
        form = ReflectionForm(data=data)
    else:
        form = ReflectionForm()
    if existing is None:
        form.for_new()

    def done(_reflection):
        flash(_("Your reflection is saved."), "success")
        return _back_to(exchange, "#reflections")

    return form_page(
        form,
        "exchanges/reflection.html",
        lambda v: reflection_service.save_reflection(exchange, by=current_user, **v),
        done,
        **page,
    )


@bp.route("/exchanges/<int:exchange_id>/plan-links", methods=["GET", "POST"])
@role_required(Role.COACH)
def plan_links(exchange_id: int):
    """A coach links the exchange to the plan of a mentee they coach who took part."""
    exchange = exchange_or_404(current_user, exchange_id)
    mentees = {p.mentee_id for p in exchange.participants if p.mentee_id}
    if not can_link_plans(current_user, coached_among(current_user, mentees)):
        raise NotAllowed(_("Only the coach of a mentee who took part links it to their plan."))
    plans = choices.linkable_plans(current_user, exchange)
    form = PlanLinkForm()
    form.plan_id.choices = choices.plan_choices(plans)

    def done(_link):
        flash(_("The exchange is linked to the plan."), "success")
        return _back_to(exchange, "#plans")

    return form_page(
        form,
        "exchanges/plan_link.html",
        lambda v: reflection_service.link_plan(exchange, by=current_user, **v),
        done,
        exchange=exchange,
        plans=plans,
    )


@bp.route("/exchange-plan-links/<int:exchange_plan_link_id>/remove", methods=["POST"])
@role_required(Role.COACH, *MANAGERS)
def plan_unlink(exchange_plan_link_id: int):
    link = plan_link_or_404(current_user, exchange_plan_link_id)
    exchange = link.exchange
    if ConfirmForm().validate_on_submit():
        try:
            reflection_service.unlink_plan(link, by=current_user)
        except FORM_ERRORS as error:
            rollback()
            flash(error.message, "danger")
        else:
            commit()
            flash(_("The link to the plan is removed."), "info")
    return _back_to(exchange, "#plans")
