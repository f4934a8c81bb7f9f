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
from scbi.errors import NotAllowed
from scbi.extensions import db
from scbi.loaders import load_or_404
from scbi.partners.models import MONEY, ContractFunding, FundingBasis, FundingMonth, Partner
from scbi.partners.permissions import can_see_funding


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
# A report page may run at most 15 statements (QUALITY.md), so the fundings, their months
# and their partners are read as parts of one UNION ALL, to which the report adds its own
# part (its hours): every part has the columns of ``part`` below.

INTS, DATES, TEXTS = 5, 2, 2


def part(kind: str, ints=(), dates=(), texts=(), amount=None):
    """The columns of one part: its kind, then ints, dates, texts and an amount, padded
    with typed NULLs (PostgreSQL types each column of a UNION)."""
    ints = [*ints, *[cast(null(), Integer)] * (INTS - len(ints))]
    dates = [*dates, *[cast(null(), Date)] * (DATES - len(dates))]
    texts = [*texts, *[cast(null(), String)] * (TEXTS - len(texts))]
    amount = cast(null(), MONEY) if amount is None else amount
    return [literal_column(f"'{kind}'", String), *ints, *dates, *texts, amount]


def funding_parts(sector_ids=None) -> list[Select]:
    """The fundings of the coaches of ``sector_ids`` (None: all) with their contracts
    (``f``), the months of the monthly ones (``m``) and their partners (``p``). A national
    programme has at most some 500 coaches, so these rows are few and are computed on in
    Python (scbi.partners.costs)."""
    scope = [Coach.sector_id.in_(list(sector_ids))] if sector_ids is not None else []
    in_scope = select(ContractFunding.id).join(Coach, Coach.id == ContractFunding.coach_id)
    in_scope = in_scope.where(*scope)
    fundings = (
        select(
            *part(
                "f",
                (ContractFunding.id, Coach.sector_id, ContractFunding.partner_id),
                (Coach.contract_start, Coach.contract_end),
                (ContractFunding.currency, ContractFunding.basis),
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
    return [fundings, months, partners]


@dataclass
class Funded:
    """One funding as the cost computation reads it."""

    sector_id: int
    partner_id: int
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
    for kind, i1, i2, i3, _i4, _i5, d1, d2, t1, t2, amount in rows:
        if kind == "f":
            fundings[i1] = Funded(i2, i3, _day(d1), _day(d2), t1, FundingBasis(t2), _money(amount))
        elif kind == "m":
            months.append((i1, _day(d1), _money(amount)))
        elif kind == "p":
            partners[i1] = (t1, t2)
    for funding_id, month, amount in sorted(months):
        fundings[funding_id].months.append((month, amount))
    return list(fundings.values()), partners


def funding_rows(sector_ids=None):
    """:func:`read_fundings` of the fundings of ``sector_ids`` (None: all), one statement."""
    parts = funding_parts(sector_ids)
    return read_fundings(db.session.execute(union_all(*parts)))


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite's UNION loses the column type


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
