"""What technical assistance cost over a span of days, per currency (docs/partners.md).

- A **total** funding is spread evenly over the contract's days: a span overlapping ``d``
  of the contract's ``D`` days costs ``amount × d / D``.
- A **monthly** amount is spread evenly over its calendar month's days: a span
  overlapping ``d`` of the month's ``M`` days costs ``amount × d / M`` (a partial month
  counts pro rata by days, so a quarter starting mid-month takes its share of each month).
  Months are counted as entered, even outside the contract's dates (the service refuses
  months wholly outside it).

Cost is attributed to the coach's sector. Arithmetic is exact ``Decimal`` (rounded only
where shown); amounts of different currencies are never added: every result is keyed
by currency. A national programme has at most some 500 coaches: their fundings are read
in one statement (:func:`scbi.partners.queries.fundings_and_rates`) and computed here.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from scbi.dates import fiscal_quarter_dates, fiscal_quarter_of
from scbi.partners.conversion import Quarter, pieces, reporting_currency
from scbi.partners.models import FundingBasis
from scbi.partners.queries import Funded, fundings_and_rates

BEGINNING = date(1900, 1, 1)  # "from the programme's start": before any contract


def overlap(start: date, end: date, first: date, last: date) -> int:
    """Days of ``[start, end]`` within ``[first, last]`` (both ends included)."""
    return max(0, (min(end, last) - max(start, first)).days + 1)


def funding_quarters(funding: Funded, start: date, end: date) -> dict[Quarter, Decimal]:
    """The cost of one funding over ``[start, end]``, exact, split into the fiscal quarters
    it falls in: ``{quarter: cost}``, quarters without cost left out."""
    out: dict[Quarter, Decimal] = defaultdict(Decimal)
    if funding.basis == FundingBasis.TOTAL:
        first, last = funding.contract_start, funding.contract_end
        days = (last - first).days + 1
        for quarter, lo, hi in pieces(max(start, first), min(end, last)):
            out[quarter] += funding.amount * ((hi - lo).days + 1) / days
    else:
        for month, amount in funding.months:  # a month lies in one quarter
            length = calendar.monthrange(month.year, month.month)[1]
            within = overlap(start, end, month, month + timedelta(days=length - 1))
            if within:
                out[fiscal_quarter_of(month)] += amount * within / length
    return {q: cost for q, cost in out.items() if cost}


def quarter_costs(fundings: list[Funded], spans: list[tuple[date, date]]) -> list[dict]:
    """For each span, ``{(sector_id, coach_id, partner_id, currency, quarter): cost}`` of
    ``fundings``: what the conversion and the attribution to partners read."""
    out: list[dict] = [defaultdict(Decimal) for _s in spans]
    for funding in fundings:
        key = (funding.sector_id, funding.coach_id, funding.partner_id, funding.currency)
        for found, (start, end) in zip(out, spans, strict=True):
            for quarter, cost in funding_quarters(funding, start, end).items():
                found[(*key, quarter)] += cost
    return out


def select_costs(found: dict, sector_ids=None, partner=None) -> dict:
    """The costs of ``found`` (a span of :func:`quarter_costs`) of some sectors or of one
    partner, by (currency, quarter)."""
    out: dict = defaultdict(Decimal)
    for (sector, _coach, who, currency, quarter), cost in found.items():
        if (sector_ids is None or sector in sector_ids) and (partner is None or who == partner):
            out[(currency, quarter)] += cost
    return out


def by_currency(amounts: dict) -> dict[str, Decimal]:
    """Costs by (currency, quarter) summed per currency."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for (currency, _quarter), cost in amounts.items():
        out[currency] += cost
    return dict(sorted(out.items()))


def ta_cost(sector_ids, start: date, end: date) -> dict[str, Decimal]:
    """Technical-assistance cost of the sectors (None: all) over ``[start, end]``:
    ``{currency: Decimal}``."""
    fundings, _partners, _rates = fundings_and_rates(sector_ids)
    return by_currency(select_costs(quarter_costs(fundings, [(start, end)])[0]))


def ta_cost_by_partner(sector_ids, start: date, end: date) -> dict:
    """``{partner acronym: {currency: Decimal}}`` over ``[start, end]``."""
    fundings, partners, _rates = fundings_and_rates(sector_ids)
    found = quarter_costs(fundings, [(start, end)])[0]
    ids = sorted({key[2] for key in found}, key=lambda p: partners[p][0])
    return {partners[p][0]: by_currency(select_costs(found, partner=p)) for p in ids}


def rates_needed(until: date) -> dict[tuple[str, Quarter], bool]:
    """Every (currency, fiscal quarter) whose costs a report up to the end of ``until``'s
    quarter converts (all sectors; the reporting currency needs none), and whether its rate
    is entered: ``{(currency, quarter): entered}``, in order."""
    fundings, _partners, rates = fundings_and_rates(None)
    last = fiscal_quarter_dates(*fiscal_quarter_of(until))[1]
    into = reporting_currency()
    needed = {
        (funding.currency, quarter)
        for funding in fundings
        if funding.currency != into
        for quarter in funding_quarters(funding, BEGINNING, last)
    }
    return {key: key in rates for key in sorted(needed)}
