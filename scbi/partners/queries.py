"""The read side of partners and funding: lists, the scoped loader of a coach's funding,
and the funding rows the value-for-money figures read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, Select, String, cast, literal_column, null, select, union_all

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.coaches.queries import coach_or_404
from scbi.dates import as_day
from scbi.errors import NotAllowed, NotFound
from scbi.extensions import db
from scbi.loaders import load_or_404
from scbi.partners.conversion import reporting_currency
from scbi.partners.models import (
    MONEY,
    RATE_DECIMALS,
    ContractFunding,
    ExchangeRate,
    FundingBasis,
    FundingMonth,
    Partner,
    PartnerAccount,
)
from scbi.partners.permissions import can_see_funding

RATE_STEP = Decimal(1).scaleb(-RATE_DECIMALS)


def partner_list(active_only: bool = False) -> Select:
    query = select(Partner).order_by(Partner.acronym)
    return query.where(Partner.active) if active_only else query


def partner_or_404(partner_id: int) -> Partner:
    return load_or_404(Partner, partner_id)


def partner_choices(first: str, keep: set[int] | None = None) -> list[tuple[str, str]]:
    """The active partners (and any of ``keep``, a funding's current ones) for a select."""
    keep = keep or set()
    rows = db.session.scalars(partner_list()).all()
    return [("", first)] + [(str(p.id), str(p)) for p in rows if p.active or p.id in keep]


def account_partner_id(user_id: int) -> int | None:
    """The development partner a ``partner`` account reads for (None when unlinked)."""
    return db.session.scalar(
        select(PartnerAccount.partner_id).where(PartnerAccount.user_id == user_id)
    )


def account_partners(user_ids) -> dict[int, int]:
    """``{user id: partner id}`` of those of ``user_ids`` that are partner accounts."""
    rows = db.session.execute(
        select(PartnerAccount.user_id, PartnerAccount.partner_id).where(
            PartnerAccount.user_id.in_(list(user_ids))
        )
    )
    return dict(rows.all())


def funded_sectors(user_id: int) -> Select:
    """The sectors whose reports a ``partner`` account reads, as a subquery of their ids:
    those of the coaches whose contracts its partner funds (any funding, of any date).
    Unlinked: none. A subquery, so a scoped read costs no statement of its own."""
    return (
        select(Coach.sector_id)
        .join(ContractFunding, ContractFunding.coach_id == Coach.id)
        .join(PartnerAccount, PartnerAccount.partner_id == ContractFunding.partner_id)
        .where(PartnerAccount.user_id == user_id)
    )


def fundings_of(coach_id: int) -> list[ContractFunding]:
    return list(
        db.session.scalars(
            select(ContractFunding)
            .where(ContractFunding.coach_id == coach_id)
            .order_by(ContractFunding.id)
        )
    )


def funded_coach_or_404(user: User, coach_id: int) -> Coach:
    """The coach whose funding ``user`` asks for: 404 when they may not see the coach,
    403 when they see the coach but not the cost of the contract (coaches, mentees)."""
    coach = coach_or_404(user, coach_id)
    if not can_see_funding(user, coach):
        raise NotAllowed
    return coach


# --- the fundings the value-for-money figures read, as rows of one UNION ALL ---------------
#
# A report page may run at most 15 statements (QUALITY.md), so the fundings, their months,
# their partners and the exchange rates are read as parts of one UNION ALL, to which the
# report adds its own parts (its hours, its pairings): every part has the columns of
# ``part`` below.

INTS, DATES, TEXTS = 6, 2, 2


def part(kind: str, ints=(), dates=(), texts=(), amount=None):
    """The columns of one part: its kind, then ints, dates, texts and an amount, padded
    with typed NULLs (PostgreSQL types each column of a UNION)."""
    ints = [*ints, *[cast(null(), Integer)] * (INTS - len(ints))]
    dates = [*dates, *[cast(null(), Date)] * (DATES - len(dates))]
    texts = [*texts, *[cast(null(), String)] * (TEXTS - len(texts))]
    amount = cast(null(), MONEY) if amount is None else amount
    return [literal_column(f"'{kind}'", String), *ints, *dates, *texts, amount]


def columns(row) -> tuple[str, tuple, tuple, tuple, object]:
    """A row of :func:`part`'s columns as (kind, ints, dates, texts, amount)."""
    dates = 1 + INTS
    texts = dates + DATES
    return row[0], tuple(row[1:dates]), tuple(row[dates:texts]), tuple(row[texts:-1]), row[-1]


def funding_parts(sector_ids=None) -> list[Select]:
    """The fundings of the coaches of ``sector_ids`` (None: all) with their contracts
    (``f``), the months of the monthly ones (``m``), their partners (``p``) and the
    exchange rates into the reporting currency (``r``). A national programme has at most
    some 500 coaches, so these rows are few and are computed on in Python
    (scbi.partners.costs, scbi.partners.conversion)."""
    scope = [Coach.sector_id.in_(list(sector_ids))] if sector_ids is not None else []
    in_scope = select(ContractFunding.id).join(Coach, Coach.id == ContractFunding.coach_id)
    in_scope = in_scope.where(*scope)
    fundings = (
        select(
            *part(
                "f",
                (
                    ContractFunding.id,
                    Coach.sector_id,
                    ContractFunding.partner_id,
                    ContractFunding.coach_id,
                ),
                (Coach.contract_start, Coach.contract_end),
                # the basis as text: the first part types each column of the UNION, and
                # read as the enum, the other parts' texts (names, rates) would be lost
                (ContractFunding.currency, cast(ContractFunding.basis, String)),
                ContractFunding.amount,
            )
        )
        .join(Coach, Coach.id == ContractFunding.coach_id)
        .where(*scope)
    )
    months = select(
        *part("m", (FundingMonth.funding_id,), (FundingMonth.month,), (), FundingMonth.amount)
    ).where(FundingMonth.funding_id.in_(in_scope))
    partners = select(*part("p", (Partner.id,), (), (Partner.acronym, Partner.name))).where(
        Partner.id.in_(
            select(ContractFunding.partner_id)
            .join(Coach, Coach.id == ContractFunding.coach_id)
            .where(*scope)
        )
    )
    return [fundings, months, partners, rate_part()]


def rate_part() -> Select:
    """The exchange rates into the reporting currency (``r``): a few a quarter. The rate
    is read as text: in the amount column it would be read back as money, to cents."""
    rate = ExchangeRate
    texts = (rate.currency, cast(rate.rate, String))
    return select(*part("r", (rate.fiscal_year, rate.quarter), (), texts)).where(
        rate.reporting_currency == reporting_currency()
    )


@dataclass
class Funded:
    """One funding as the cost computation reads it."""

    sector_id: int
    partner_id: int
    coach_id: int
    contract_start: date
    contract_end: date
    currency: str
    basis: FundingBasis
    amount: Decimal | None
    months: list[tuple[date, Decimal]] = field(default_factory=list)


def read_fundings(rows) -> tuple[list[Funded], dict[int, tuple[str, str]]]:
    """The fundings and the partners (``{id: (acronym, name)}``) in the rows of
    :func:`funding_parts` (rows of other kinds are left alone)."""
    fundings: dict[int, Funded] = {}
    months, partners = [], {}
    for row in rows:
        kind, ints, (d1, d2), (t1, t2), amount = columns(row)
        if kind == "f":
            funding, sector, partner, coach = ints[:4]
            fundings[funding] = Funded(
                sector, partner, coach, as_day(d1), as_day(d2), t1, FundingBasis(t2), _money(amount)
            )
        elif kind == "m":
            months.append((ints[0], as_day(d1), _money(amount)))
        elif kind == "p":
            partners[ints[0]] = (t1, t2)
    for funding_id, month, amount in sorted(months):
        fundings[funding_id].months.append((month, amount))
    return list(fundings.values()), partners


def read_rates(rows) -> dict[tuple[str, tuple[int, int]], Decimal]:
    """``{(currency, (fiscal year, quarter)): rate}`` of the ``r`` rows of
    :func:`funding_parts`."""
    found = {}
    for row in rows:
        kind, ints, _dates, texts, _amount = columns(row)
        if kind == "r":
            found[(texts[0], (ints[0], ints[1]))] = _rate(texts[1])
    return found


def fundings_and_rates(sector_ids=None):
    """:func:`read_fundings` and :func:`read_rates` of the fundings of ``sector_ids``
    (None: all) and the rates, in one statement."""
    rows = db.session.execute(union_all(*funding_parts(sector_ids))).all()
    return (*read_fundings(rows), read_rates(rows))


# --- exchange rates ------------------------------------------------------------------------


def rate_list(currency: str | None = None) -> Select:
    """The rates into the reporting currency, the latest quarter first."""
    query = select(ExchangeRate).where(ExchangeRate.reporting_currency == reporting_currency())
    if currency:
        query = query.where(ExchangeRate.currency == currency.strip().upper())
    return query.order_by(
        ExchangeRate.fiscal_year.desc(), ExchangeRate.quarter.desc(), ExchangeRate.currency
    )


def rate_or_404(rate_id: int) -> ExchangeRate:
    found = load_or_404(ExchangeRate, rate_id)
    if found.reporting_currency != reporting_currency():
        raise NotFound  # a rate into a currency the install no longer reports in
    return found


def rate_for(fiscal_year: int, quarter: int, currency: str) -> ExchangeRate | None:
    return db.session.scalar(
        select(ExchangeRate).where(
            ExchangeRate.fiscal_year == fiscal_year,
            ExchangeRate.quarter == quarter,
            ExchangeRate.currency == currency,
            ExchangeRate.reporting_currency == reporting_currency(),
        )
    )


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _rate(value) -> Decimal:
    """A rate as entered, from its text (SQLite's shows the 15 digits a rate may have)."""
    return Decimal(str(value)).quantize(RATE_STEP).normalize()
