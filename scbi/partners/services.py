"""The rules of partners and contract funding: only the secretariat writes; each change is
validated, audited and flushed (the caller commits)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.numbers import list_currencies
from flask_babel import gettext as _
from sqlalchemy import func, select

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import Role, User
from scbi.auth.permissions import require_configure
from scbi.coaches.models import Coach
from scbi.dates import fiscal_label
from scbi.errors import Conflict, NotFound, check_version
from scbi.extensions import db
from scbi.partners.conversion import reporting_currency
from scbi.partners.models import (
    EXCHANGE_RATE,
    MAX_AMOUNT,
    PARTNER,
    RATE_DECIMALS,
    RATE_DIGITS,
    ContractFunding,
    ExchangeRate,
    FundingBasis,
    FundingMonth,
    Partner,
    PartnerAccount,
)
from scbi.partners.queries import account_partner_id, fundings_of, rate_for
from scbi.validation import Errors

CURRENCIES = frozenset(list_currencies())  # ISO 4217 codes, as Babel knows them
MAX_FUNDINGS = 20  # partners co-funding one contract
MONTH = re.compile(r"^(\d{4})-(\d{2})$")

# --- partners ------------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "acronym", "active")


def _partner_values(errors: Errors, data: dict, exclude_id=None) -> dict:
    values = {
        "name": errors.text("name", data.get("name"), **PARTNER["name"].check()),
        "acronym": errors.text(
            "acronym", data.get("acronym"), **PARTNER["acronym"].check()
        ).upper(),
        "active": data.get("active", True),
    }
    if not isinstance(values["active"], bool):
        errors.add("active", _("Must be true or false."))
    if values["acronym"]:
        query = select(Partner.id).where(func.upper(Partner.acronym) == values["acronym"])
        if exclude_id is not None:
            query = query.where(Partner.id != exclude_id)
        if db.session.scalar(query) is not None:
            errors.add("acronym", _("Another partner has this acronym."))
    return values


def create_partner(*, by: User, **data) -> Partner:
    require_configure(by)
    errors = Errors()
    values = _partner_values(errors, data)
    errors.raise_if_any()
    return audit.add_created(Partner(**values), *PARTNER_FIELDS, by=by, action="partner.create")


def update_partner(partner: Partner, *, by: User, version, **data) -> Partner:
    require_configure(by)
    check_version(partner, version)
    errors = Errors()
    current = snapshot(partner, *PARTNER_FIELDS)
    values = _partner_values(errors, {**current, **data}, partner.id)
    errors.raise_if_any()
    return audit.apply_changes(partner, values, by=by, action="partner.update")


def _linked_partner(errors: Errors, is_partner: bool, partner_id, before: int | None):
    """The partner an account is linked to, by the rule: a partner account needs one, and
    only partner accounts are linked (an account losing the role drops its link, though a
    form or PATCH may still send it)."""
    partner = errors.ref("partner_id", Partner, partner_id, required=False, label=_("partner"))
    if is_partner and partner_id in (None, ""):
        errors.add("partner_id", _("Choose the development partner this account reads for."))
    if partner is not None and not is_partner and partner.id != before:
        errors.add("partner_id", _("Only development partner accounts are linked to a partner."))
    return partner.id if partner is not None and is_partner else None


def account_partner_problems(user: User | None, roles, partner_id) -> dict[str, list[str]]:
    """What :func:`set_account_partner` would refuse for ``user`` (None: an account being
    created) given ``roles``: checked with the account's own fields, so that every problem
    of a form or request is named at once."""
    errors = Errors()
    before = account_partner_id(user.id) if user is not None else None
    _linked_partner(errors, Role.PARTNER.value in {str(r) for r in roles or ()}, partner_id, before)
    return errors.fields


def set_account_partner(user: User, partner_id, *, by: User) -> None:
    """Link ``user``, a ``partner`` account, to the development partner it reads for (or
    unlink an account that no longer holds the role). A partner account needs one."""
    require_configure(by)
    errors = Errors()
    link = db.session.get(PartnerAccount, user.id)
    before = link.partner_id if link is not None else None
    wanted = _linked_partner(errors, user.has_role(Role.PARTNER), partner_id, before)
    errors.raise_if_any()
    if before == wanted:
        return
    if wanted is None:
        db.session.delete(link)
    elif link is None:
        db.session.add(PartnerAccount(user_id=user.id, partner_id=wanted))
    else:
        link.partner_id = wanted
    db.session.flush()
    audit.record(
        "user.partner",
        by=by,
        entity=user,
        before={"partner_id": before},
        after={"partner_id": wanted},
    )


# --- the funding of a coach's contract -----------------------------------------------------


def money(errors: Errors, field: str, value) -> Decimal | None:
    """A non-negative amount with at most two decimals (a JSON number or a string)."""
    amount = errors.decimal(field, value, unreadable=_("Enter an amount, such as 1500 or 1500.50."))
    if amount is None:
        return None
    if amount < 0:
        errors.add(field, _("An amount cannot be negative."))
    elif amount > MAX_AMOUNT:
        errors.add(field, _("This amount is too large."))
    elif amount != amount.quantize(Decimal("0.01")):
        errors.add(field, _("Use at most two decimals."))
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def _month(errors: Errors, field: str, value, coach: Coach) -> date | None:
    match = MONTH.match(str(value or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        errors.add(field, _("Enter a month as YYYY-MM."))
        return None
    month = date(int(match[1]), int(match[2]), 1)
    if not coach.contract_start.replace(day=1) <= month <= coach.contract_end:
        errors.add(field, _("This month is outside the coach's contract."))
        return None
    return month


def _funding_values(errors: Errors, n: int, item, coach: Coach) -> dict | None:
    key = f"items.{n}."
    if not isinstance(item, dict):
        errors.add(f"items.{n}", _("Must be an object."))
        return None
    partner = errors.ref(key + "partner_id", Partner, item.get("partner_id"), label=_("partner"))
    currency = str(item.get("currency") or "").strip().upper()
    if not currency:
        errors.add(key + "currency", _("This field is required."))
    elif currency not in CURRENCIES:
        errors.add(key + "currency", _("Unknown currency: use an ISO 4217 code such as USD."))
    basis = errors.choice(key + "basis", item.get("basis"), FundingBasis)
    values = {
        "partner_id": partner.id if partner else None,
        "currency": currency,
        "basis": basis,
        "amount": None,
        "months": [],
    }
    if basis == FundingBasis.TOTAL:
        values["amount"] = money(errors, key + "amount", item.get("amount"))
    elif basis == FundingBasis.MONTHLY:
        months = item.get("months")
        if not isinstance(months, list) or not months:
            errors.add(key + "months", _("Give the amount of at least one month."))
            return values
        seen = set()
        for m, row in enumerate(months):
            at = f"{key}months.{m}."
            if not isinstance(row, dict):
                errors.add(f"{key}months.{m}", _("Must be an object."))
                continue
            month = _month(errors, at + "month", row.get("month"), coach)
            amount = money(errors, at + "amount", row.get("amount"))
            if month in seen:
                errors.add(at + "month", _("This month is given twice."))
            seen.add(month)
            values["months"].append((month, amount))
    return values


def funding_snapshot(fundings) -> list[dict]:
    """A coach's fundings as plain data (the audit's before and after, the API)."""
    return [
        {
            "partner_id": f.partner_id,
            "currency": f.currency,
            "basis": f.basis.value if f.basis else None,
            "amount": None if f.amount is None else str(f.amount),
            "months": [
                {"month": m.month.strftime("%Y-%m"), "amount": str(m.amount)} for m in f.months
            ],
        }
        for f in fundings
    ]


def set_funding(coach: Coach, items, *, by: User, version) -> list[ContractFunding]:
    """Replace the funding of ``coach``'s contract by ``items`` (``[{partner_id, currency,
    basis, amount?, months?: [{month: YYYY-MM, amount}]}]``; an empty list: unfunded).
    The fundings are part of the contract, so they are edited under the coach's version,
    which moves on with them."""
    require_configure(by)
    check_version(coach, version)
    errors = Errors()
    if not isinstance(items, list):
        errors.add("items", _("Must be a list."))
        errors.raise_if_any()
    if len(items) > MAX_FUNDINGS:
        errors.add("items", _("At most %(n)d fundings per contract.", n=MAX_FUNDINGS))
    values = [_funding_values(errors, n, item, coach) for n, item in enumerate(items)]
    errors.raise_if_any()
    existing = fundings_of(coach.id)
    before = funding_snapshot(existing)
    for funding in existing:
        db.session.delete(funding)
    db.session.flush()
    fundings = []
    for v in values:
        funding = ContractFunding(
            coach_id=coach.id,
            partner_id=v["partner_id"],
            currency=v["currency"],
            basis=FundingBasis(v["basis"]),
            amount=v["amount"],
            months=[FundingMonth(month=m, amount=a) for m, a in v["months"]],
        )
        db.session.add(funding)
        fundings.append(funding)
    db.session.flush()
    after = funding_snapshot(fundings)
    if after != before:
        coach.version += 1
        db.session.flush()
        audit.record(
            "coach.funding",
            by=by,
            entity=coach,
            before={"funding": before},
            after={"funding": after},
        )
    return fundings


def add_funding(coach: Coach, item: dict, *, by: User, version) -> list[ContractFunding]:
    """Add one funding (``item`` as :func:`set_funding` reads each) to the contract's; its
    refusals are named ``items.<n>.…``, n being the new funding's place."""
    current = funding_snapshot(fundings_of(coach.id))
    return set_funding(coach, [*current, item], by=by, version=version)


def remove_funding(coach: Coach, position: int, *, by: User, version) -> list[ContractFunding]:
    """Remove the contract's funding at ``position`` (0 the first, in the page's order).
    The version is checked first: a position read from a stale page may name another
    funding, or none (409, not 404)."""
    require_configure(by)
    check_version(coach, version)
    current = funding_snapshot(fundings_of(coach.id))
    if not 0 <= position < len(current):
        raise NotFound
    del current[position]
    return set_funding(coach, current, by=by, version=version)


# --- exchange rates (docs/partners.md, "Exchange rates") ------------------------------------

RATE_WHOLE_DIGITS = 10  # what Numeric(20, 10) holds before the decimal point
RATE_FIELDS = ("fiscal_year", "quarter", "currency", "reporting_currency", "rate", "entered_by_id")


def rate_value(errors: Errors, field: str, value) -> Decimal | None:
    """A rate above 0 (a JSON number or a string): at most 10 decimals and 15 significant
    digits, which every database keeps exactly."""
    rate = errors.decimal(field, value, unreadable=_("Enter a rate, such as 1.0825 or 0.00077."))
    if rate is None:
        return None
    if rate <= 0:
        errors.add(field, _("A rate must be more than 0."))
    elif rate.as_tuple().exponent < -RATE_DECIMALS:
        errors.add(field, _("Use at most %(n)d decimals.", n=RATE_DECIMALS))
    elif rate.adjusted() >= RATE_WHOLE_DIGITS:
        errors.add(field, _("This rate is too large."))
    elif len(rate.normalize().as_tuple().digits) > RATE_DIGITS:
        errors.add(field, _("Use at most %(n)d significant digits.", n=RATE_DIGITS))
    else:
        return rate.normalize()
    return None


def _rate_key(errors: Errors, fiscal_year, quarter, currency) -> tuple:
    year = errors.integer("fiscal_year", fiscal_year, **EXCHANGE_RATE["fiscal_year"].check())
    number = errors.integer("quarter", quarter, **EXCHANGE_RATE["quarter"].check())
    code = str(currency or "").strip().upper()
    if not code:
        errors.add("currency", _("This field is required."))
    elif code not in CURRENCIES:
        errors.add("currency", _("Unknown currency: use an ISO 4217 code such as USD."))
    elif code == reporting_currency():
        errors.add(
            "currency",
            _("%(code)s is the reporting currency: its costs need no rate.", code=code),
        )
    return year, number, code


def create_rate(*, by: User, fiscal_year, quarter, currency, rate) -> ExchangeRate:
    """Enter the rate of ``currency`` for a fiscal quarter: units of the reporting currency
    for one unit of it."""
    require_configure(by)
    errors = Errors()
    year, number, code = _rate_key(errors, fiscal_year, quarter, currency)
    value = rate_value(errors, "rate", rate)
    if not errors and rate_for(year, number, code) is not None:
        errors.add(
            "currency",
            _(
                "The rate of %(code)s for %(quarter)s is already entered: change it instead.",
                code=code,
                quarter=fiscal_label(year, number),
            ),
        )
    errors.raise_if_any()
    return _insert_rate(year, number, code, value, by=by)


def _insert_rate(year: int, number: int, code: str, value: Decimal, *, by: User):
    found = ExchangeRate(
        fiscal_year=year,
        quarter=number,
        currency=code,
        reporting_currency=reporting_currency(),
        rate=value,
        entered_by_id=by.id,
    )
    return audit.add_created(found, *RATE_FIELDS, by=by, action="exchange_rate.create")


def update_rate(found: ExchangeRate, *, by: User, version, rate) -> ExchangeRate:
    """Change a rate (under its version); whoever changes it is the one who entered it."""
    require_configure(by)
    check_version(found, version)
    errors = Errors()
    value = rate_value(errors, "rate", rate)
    errors.raise_if_any()
    if value == found.rate:
        return found
    changes = {"rate": value, "entered_by_id": by.id}
    return audit.apply_changes(found, changes, by=by, action="exchange_rate.update")


def put_rate(
    fiscal_year, quarter, currency, *, by: User, rate, version=None
) -> tuple[ExchangeRate, bool]:
    """Enter or change the rate of a (fiscal quarter, currency): the API's PUT. A new one
    takes no version; an existing one needs the version read (another's new rate, when
    none was read: 409). Answers the rate and whether it is new."""
    require_configure(by)
    errors = Errors()
    year, number, code = _rate_key(errors, fiscal_year, quarter, currency)
    errors.raise_if_any()
    found = rate_for(year, number, code)
    if found is not None:
        if version is None:
            raise Conflict(
                _(
                    "The rate of %(code)s for %(quarter)s is already entered: send the "
                    "version you read to change it.",
                    code=code,
                    quarter=fiscal_label(year, number),
                ),
                code="already_entered",
                fields={"version": [_("Send the version of the rate you read.")]},
            )
        return update_rate(found, by=by, version=version, rate=rate), False
    if version is not None:  # the rate read is no longer there
        raise Conflict(code="stale_version")
    value = rate_value(errors, "rate", rate)
    errors.raise_if_any()
    return _insert_rate(year, number, code, value, by=by), True
