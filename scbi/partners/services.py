"""The rules of partners and contract funding: only the secretariat writes; each change is
validated, audited and flushed (the caller commits)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from flask_babel import gettext as _
from sqlalchemy import func, select

from scbi import audit
from scbi.audit import snapshot
from scbi.auth.models import User
from scbi.auth.permissions import require_configure
from scbi.coaches.models import Coach
from scbi.errors import NotFound, check_version
from scbi.extensions import db
from scbi.partners.models import (
    MAX_AMOUNT,
    PARTNER,
    ContractFunding,
    FundingBasis,
    FundingMonth,
    Partner,
)
from scbi.partners.queries import fundings_of
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


# --- the funding of a coach's contract -----------------------------------------------------


def money(errors: Errors, field: str, value) -> Decimal | None:
    """A non-negative amount with at most two decimals (a JSON number or a string)."""
    if value is None or value == "":
        errors.add(field, _("This field is required."))
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter an amount, such as 1500 or 1500.50."))
        return None
    if not amount.is_finite():
        errors.add(field, _("Enter an amount, such as 1500 or 1500.50."))
    elif amount < 0:
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
    """Remove the contract's funding at ``position`` (0 the first, in the page's order)."""
    current = funding_snapshot(fundings_of(coach.id))
    if not 0 <= position < len(current):
        raise NotFound
    del current[position]
    return set_funding(coach, current, by=by, version=version)
