"""The list of exchanges, an exchange's page, and the forms that record and change one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from scbi.auth.forms import ConfirmForm
from scbi.auth.permissions import managed_sector_ids, role_required
from scbi.dates import today
from scbi.errors import NotAllowed
from scbi.exchanges import services
from scbi.exchanges.countries import country_choices, country_name
from scbi.exchanges.forms import ExchangeForm
from scbi.exchanges.models import ExchangeKind, ExchangeState
from scbi.exchanges.permissions import (
    MANAGERS,
    READERS,
    can_create_exchange,
    can_link_plans,
    can_manage_exchange,
    can_mark_done,
    can_reflect,
    can_unlink,
    own_participation,
    require_manager,
)
from scbi.exchanges.queries import choices, figure_filters, lists
from scbi.exchanges.queries import detail as shown
from scbi.exchanges.queries.scope import coached_among, exchange_or_404
from scbi.exchanges.views.blueprint import bp
from scbi.filters import chips, kept
from scbi.forms import enum_choices, form_page
from scbi.pagination import paginate
from scbi.programme.queries import choices as programme_choices
from scbi.transfer.permissions import can_read_plan


@bp.route("/exchanges")
@role_required(*READERS)
def index():
    """The exchanges the user may read, newest first, with their filters, and what they
    add up to (a report's figure opens the list narrowed to what it counts)."""
    found = figure_filters.figure_filters(request.args)  # 422 naming a bad one
    query = lists.exchange_list(current_user, request.args)
    page = paginate(query)
    return render_template(
        "exchanges/list.html",
        page=page,
        listed=lists.listed(current_user, page.items, found.on),
        sums=figure_filters.sums(query, found),
        on=found.on,
        kept=kept(request.args, figure_filters.KEPT),
        hosts={e.id: shown.host_label(e) for e in page.items},
        chips=chips(lists.filter_words(request.args) + figure_filters.filter_words(found)),
        kinds=[SelectChoice("", _("Every kind")), *enum_choices(ExchangeKind)],
        states=[SelectChoice("", _("Any")), *enum_choices(ExchangeState)],
        sectors=programme_choices.sectors(_("All sectors"), managed_sector_ids(current_user)),
        actions=[
            SelectChoice("", _("Any")),
            *(SelectChoice(k, v) for k, v in lists.action_filter_labels().items()),
        ],
        can_create=can_create_exchange(current_user),
    )


def _choices(form: ExchangeForm, keep: list[int]) -> None:
    """The exchange form's choices: the sectors the user may set (and those the exchange
    has), their competencies and priority results, the institutions, the countries."""
    ids = choices.choosable_sector_ids(current_user, keep)
    form.sector_ids.choices = choices.sector_choices(current_user, keep)
    form.host_institution_id.choices = choices.institution_choices()
    form.host_country.choices = country_choices(_("Choose the country"))
    form.competency_ids.choices = choices.competency_choices(ids)
    form.result_ids.choices = choices.result_choices(ids)


def _saved(message: str):
    def done(exchange):
        flash(message, "success")
        return redirect(url_for("exchanges.detail", exchange_id=exchange.id))

    return done


@bp.route("/exchanges/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def new():
    if not can_create_exchange(current_user):
        raise NotAllowed
    form = ExchangeForm().for_new()
    _choices(form, [])
    return form_page(
        form,
        "exchanges/form.html",
        lambda v: services.create_exchange(by=current_user, **v),
        _saved(_("Exchange recorded: now add its participants.")),
        title=_("New exchange"),
        cancel=url_for("exchanges.index"),
    )


@bp.route("/exchanges/<int:exchange_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit(exchange_id: int):
    exchange = exchange_or_404(current_user, exchange_id)
    require_manager(current_user, exchange)
    if request.method == "GET":
        form = ExchangeForm(data={**services.content(exchange), "version": exchange.version})
    else:
        form = ExchangeForm()
    _choices(form, exchange.sector_ids)
    return form_page(
        form,
        "exchanges/form.html",
        lambda v: services.update_exchange(exchange, by=current_user, **v),
        _saved(_("Exchange saved.")),
        title=_("Edit %(title)s", title=exchange.title),
        cancel=url_for("exchanges.detail", exchange_id=exchange.id),
    )


@bp.route("/exchanges/<int:exchange_id>")
@role_required(*READERS)
def detail(exchange_id: int):
    """The exchange: its host, sectors, participants, what it addressed and learnt, its
    follow-up actions, the reflections and plan links the reader may read, its logs."""
    exchange = exchange_or_404(current_user, exchange_id)
    day = today()
    people = shown.participants(exchange)
    coached = coached_among(current_user, {p.mentee_id for p in people if p.mentee_id})
    own = own_participation(current_user, exchange)
    manage = can_manage_exchange(current_user, exchange)
    links = shown.plan_links(current_user, exchange)
    reflections = shown.reflections(current_user, exchange)
    return render_template(
        "exchanges/detail.html",
        exchange=exchange,
        state=exchange.state_on(day),
        host=shown.host_label(exchange),
        country_name=country_name,
        participants=people,
        actions=exchange.actions,
        overdue={a.id for a in exchange.actions if a.overdue_on(day)},
        can_mark={a.id for a in exchange.actions if can_mark_done(current_user, a, exchange)},
        reflections=reflections,
        # the reader's own is among those they may read
        own_reflection=next((r for r in reflections if own and r.mentee_id == own.mentee_id), None),
        can_reflect=can_reflect(current_user, exchange, day),
        plan_links=links,
        readable_plans={link.id for link in links if can_read_plan(current_user, link.plan)},
        can_unlink={link.id for link in links if can_unlink(current_user, link, manage)},
        can_link=can_link_plans(current_user, coached),
        logs=shown.logs(current_user, exchange),
        can_manage=manage,
        button_form=ConfirmForm(),
    )
