"""The contracts behind a value-for-money cost (docs/reports.md "Figures you can open"):
each coach's funding by a partner in a currency, with what it cost over the period — from
its first day, or from the programme's start (``span=cumulative``), to its as-of date, the
spans of the report's "period" and "cumulative" rows. The amounts are those the report sums
(scbi.partners.costs.quarter_costs), so the list's total in a currency is the figure.

Two statements: the fundings (with the rates, read with them) and the coaches' names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _

from scbi.auth.models import User
from scbi.errors import ValidationFailed
from scbi.filters import checked_choice, whole_numbers
from scbi.pagination import paginate_list
from scbi.partners.costs import BEGINNING, quarter_costs
from scbi.partners.queries import fundings_and_rates
from scbi.reports import periods
from scbi.reports.experts import common_words, reached_sectors
from scbi.reports.periods import Period
from scbi.transfer.queries.log_filters import named_records

PERIOD, CUMULATIVE = "period", "cumulative"
CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class ListedCost:
    coach_id: int
    coach: str
    sector_code: str
    partner_id: int
    partner: str
    partner_name: str
    currency: str
    amount: Decimal


@dataclass
class CostList:
    period: Period
    span: str
    start: date
    end: date
    sectors: list
    totals: dict[str, Decimal]  # by currency, of every row (not only the page's)
    partners: dict[int, tuple[str, str]]  # the listed partners' (acronym, name)
    page: object  # scbi.pagination.paginate_list's page of ListedCost


def _filters(args) -> tuple[str, str | None]:
    fields: dict[str, list[str]] = {}
    span = checked_choice(args, "span", (PERIOD, CUMULATIVE), fields) or PERIOD
    currency = (args.get("currency") or "").strip().upper() or None
    if currency is not None and not CURRENCY.fullmatch(currency):
        fields["currency"] = [_("Use a three-letter ISO 4217 code, such as USD.")]
    if fields:
        raise ValidationFailed(fields=fields)
    return span, currency


def cost_list(user: User, args) -> CostList:
    """The costs a value-for-money figure sums: ``sector_id`` (repeated for several; none:
    the active sectors whose reports ``user`` reads), the period (as a report's), ``span``,
    ``currency`` and ``partner_id`` (repeatable). The costliest first in each currency."""
    period = periods.parse(args)
    span, currency = _filters(args)
    wanted_partners = set(whole_numbers(args, "partner_id"))
    sectors = reached_sectors(user, args)
    start = BEGINNING if span == CUMULATIVE else period.start
    end = period.as_of
    amounts: dict[tuple[int, int, int, str], Decimal] = defaultdict(Decimal)
    partners: dict[int, tuple[str, str]] = {}
    if sectors:
        fundings, partners, _rates = fundings_and_rates([s.id for s in sectors])
        for (sector, coach, partner, code, _q), cost in quarter_costs(fundings, [(start, end)])[
            0
        ].items():
            if (currency is None or code == currency) and (
                not wanted_partners or partner in wanted_partners
            ):
                amounts[(sector, coach, partner, code)] += cost
    names = named_records({"coach_id": sorted({key[1] for key in amounts})})
    codes = {s.id: s.code for s in sectors}
    listed = [
        ListedCost(
            coach_id=coach,
            coach=names.get(("coach_id", coach), f"#{coach}"),
            sector_code=codes[sector],
            partner_id=partner,
            partner=partners[partner][0],
            partner_name=partners[partner][1],
            currency=code,
            amount=amount,
        )
        for (sector, coach, partner, code), amount in amounts.items()
    ]
    listed.sort(key=lambda c: (c.currency, -c.amount, c.coach, c.partner))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in listed:
        totals[row.currency] += row.amount
    return CostList(
        period=period,
        span=span,
        start=start,
        end=end,
        sectors=sectors,
        totals=dict(sorted(totals.items())),
        partners={row.partner_id: (row.partner, row.partner_name) for row in listed},
        page=paginate_list(listed, default_per_page=50),
    )


def cost_words(found: CostList, args) -> list[tuple[tuple[str, ...], str]]:
    """The list's filters in words, for its chips."""
    if found.span == CUMULATIVE:
        when = _("Cost from the programme’s start to %(end)s", end=format_date(found.end))
    else:
        when = _(
            "Cost from %(start)s to %(end)s",
            start=format_date(found.start),
            end=format_date(found.end),
        )
    out = [(("from", "to", "fy", "quarter", "span"), when)]
    if currency := (args.get("currency") or "").strip().upper():
        out.append((("currency",), _("Currency: %(code)s", code=currency)))
    if wanted := whole_numbers(args, "partner_id"):
        named = ", ".join(found.partners.get(p, (f"#{p}",))[0] for p in wanted)
        out.append((("partner_id",), _("Partner: %(names)s", names=named)))
    return out + common_words(args, found.sectors, {})
