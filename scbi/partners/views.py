"""Partners (the secretariat's list and forms) and the funding of a coach's contract."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.auth.views import accounts
from scbi.coaches.views import page as coach_page
from scbi.dates import fiscal_label, today
from scbi.errors import NotAllowed
from scbi.forms import BaseForm, VersionField, form_page, shown_decimal
from scbi.hooks import Link, Part
from scbi.pagination import paginate
from scbi.partners import queries, services
from scbi.partners.conversion import reporting_currency
from scbi.partners.costs import rates_needed
from scbi.partners.forms import FundingForm, PartnerForm, RateChangeForm, RateForm
from scbi.partners.permissions import can_manage_partners, can_see_funding

bp = Blueprint("partners", __name__)

VIEWERS = (Role.SECRETARIAT, Role.COORDINATOR)


def _saved(message: str):
    def done(_partner):
        flash(message, "success")
        return redirect(url_for("partners.index"))

    return done


@bp.route("/partners")
@role_required(Role.SECRETARIAT)
def index():
    return render_template("partners/index.html", page=paginate(queries.partner_list()))


@bp.route("/partners/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def new():
    return form_page(
        PartnerForm().for_new(),
        "programme/form.html",
        lambda v: services.create_partner(by=current_user, **v),
        _saved(_("Partner saved.")),
        title=_("New partner"),
        cancel=url_for("partners.index"),
    )


@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def edit(partner_id: int):
    partner = queries.partner_or_404(partner_id)
    return form_page(
        PartnerForm(obj=partner),
        "programme/form.html",
        lambda v: services.update_partner(partner, by=current_user, **v),
        _saved(_("Partner saved.")),
        title=_("Edit %(name)s", name=partner.acronym),
        cancel=url_for("partners.index"),
    )


# --- the funding of a coach's contract -----------------------------------------------------


class RemoveForm(BaseForm):
    version = VersionField()


def _field_of(n: int):
    """The form field of each service field of the funding added as item ``n`` (any of
    its months: the months box)."""
    prefix = f"items.{n}."

    def field(name: str) -> str | None:
        if not name.startswith(prefix):
            return None
        rest = name.removeprefix(prefix)
        return "months" if rest.startswith("months") else rest

    return field


def _page(coach) -> dict:
    """The funding page's values: the contract's fundings, the secretariat's forms."""
    can_manage = can_manage_partners(current_user)
    add_form = FundingForm(version=coach.version) if can_manage else None
    if add_form is not None:
        add_form.partner_id.choices = queries.partner_choices(_("Choose a partner"))
    return {
        "coach": coach,
        "fundings": queries.fundings_of(coach.id),
        "add_form": add_form,
        "remove_form": RemoveForm(version=coach.version) if can_manage else None,
    }


def _back(message: str, coach, category: str = "success"):
    def done(_fundings):
        flash(message, category)
        return redirect(url_for("partners.funding", coach_id=coach.id))

    return done


@bp.route("/coaches/<int:coach_id>/funding", methods=["GET", "POST"])
@role_required(*VIEWERS)
def funding(coach_id: int):
    """The fundings of the contract; the secretariat adds one with the form below them."""
    coach = queries.funded_coach_or_404(current_user, coach_id)
    page = _page(coach)
    form = page["add_form"]
    if form is None:
        if request.method == "POST":
            raise NotAllowed
        return render_template("partners/funding.html", **page)
    return form_page(
        form,
        "partners/funding.html",
        lambda v: services.add_funding(coach, form.item(), by=current_user, version=v["version"]),
        _back(_("Funding added to the contract of %(name)s.", name=coach.full_name), coach),
        aliases=_field_of(len(page["fundings"])),
        **page,
    )


@bp.route("/coaches/<int:coach_id>/funding/<int:position>/remove", methods=["POST"])
@role_required(Role.SECRETARIAT)
def remove_funding(coach_id: int, position: int):
    coach = queries.funded_coach_or_404(current_user, coach_id)
    return form_page(
        RemoveForm(),
        "partners/funding.html",
        lambda v: services.remove_funding(coach, position, by=current_user, version=v["version"]),
        _back(
            _("Funding removed from the contract of %(name)s.", name=coach.full_name),
            coach,
            "info",
        ),
        **_page(coach),
    )


@coach_page.answer
def _funding_link(user, coach) -> Part:
    if not can_see_funding(user, coach):
        return Part()
    return Part(links=(Link(_("Funding"), url_for("partners.funding", coach_id=coach.id)),))


@accounts.account_partner.answer
def _partner_of_account() -> accounts.Assignment:
    """The account page offers the partners; this feature links the account (audited)."""
    return accounts.Assignment(
        lambda user: queries.partner_choices(
            _("None (not a partner account)"),  # a partner since deactivated stays offered
            keep={queries.account_partner_id(user.id)} if user is not None else None,
        ),
        services.set_account_partner,
        lambda user: queries.account_partner_id(user.id),
        services.account_partner_problems,
    )


# --- exchange rates (docs/partners.md, "Exchange rates") ------------------------------------


def _rate_help(form) -> None:
    form.rate.description = _(
        "Units of %(into)s for one unit of the currency, over the quarter (at most 10 "
        "decimals): %(example)s for a euro worth %(example)s %(into)s.",
        into=reporting_currency(),
        example=shown_decimal("1.0825"),
    )


@bp.route("/partners/rates")
@role_required(Role.SECRETARIAT)
def rates():
    """The rates entered, the latest quarter first, and those the reports still lack."""
    page = paginate(queries.rate_list())
    missing = [
        {"currency": code, "quarter": quarter, "label": fiscal_label(*quarter)}
        for (code, quarter), entered in rates_needed(today()).items()
        if not entered
    ]
    return render_template(
        "partners/rates.html",
        page=page,
        labels={r.id: fiscal_label(r.fiscal_year, r.quarter) for r in page.items},
        shown={r.id: shown_decimal(r.rate) for r in page.items},
        missing=missing,
        into=reporting_currency(),
    )


def _rate_saved(found):
    flash(
        _(
            "Rate of %(code)s for %(quarter)s saved.",
            code=found.currency,
            quarter=fiscal_label(found.fiscal_year, found.quarter),
        ),
        "success",
    )
    return redirect(url_for("partners.rates"))


@bp.route("/partners/rates/new", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def rate_new():
    """A new rate; ``?fy=&quarter=&currency=`` fill the form in (the missing rates' links)."""
    asked = {
        "fiscal_year": request.args.get("fy", type=int),
        "quarter": request.args.get("quarter", type=int),
        "currency": request.args.get("currency", "")[:3],
    }
    form = RateForm(data={k: v for k, v in asked.items() if v})
    _rate_help(form)
    return form_page(
        form,
        "programme/form.html",
        lambda v: services.create_rate(by=current_user, **v),
        _rate_saved,
        title=_("Enter an exchange rate"),
        cancel=url_for("partners.rates"),
    )


@bp.route("/partners/rates/<int:rate_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARIAT)
def rate_edit(rate_id: int):
    found = queries.rate_or_404(rate_id)
    form = RateChangeForm(data={"rate": found.rate, "version": found.version})
    _rate_help(form)
    return form_page(
        form,
        "programme/form.html",
        lambda v: services.update_rate(found, by=current_user, **v),
        _rate_saved,
        title=_(
            "Rate of %(code)s for %(quarter)s",
            code=found.currency,
            quarter=fiscal_label(found.fiscal_year, found.quarter),
        ),
        cancel=url_for("partners.rates"),
    )
