"""Ratios by partner (docs/partners.md, "Ratios by partner"): a partner pays for coaches,
so the experts built and the hours coached are attributed to partners through the coaches.

- A **coach's figures**: the acknowledged and led hours of their pairings counted in the
  report, and the experts of their pairings — a national expert whose pairings (of the
  report's sectors, started by the as-of date) had ``k`` coaches counts ``1/k`` for each.
  Experts built in the period: the coach's share of the experts on the as-of date less
  their share of the experts on the day before the period (net, as the report's count).
- A **partner's share** of a coach in a span (the period, or everything up to its as-of
  date) is what the partner's fundings of that coach cost in the span over what all of the
  coach's fundings cost in it: in their currency when all of them are in one currency,
  else in the reporting currency at the rates entered (each quarter at its own rate). When
  a rate that needs is missing, the shares of that coach are unknown.
- A partner's **attributed figures** in one currency: the sum over the coaches it funds in
  that currency of its share (of that currency's fundings) times the coach's figures; its
  ratios divide its cost in that currency by them. They are unknown (null) when one of
  those coaches' shares is. Converted: the partner's cost in the reporting currency over
  its figures in all its currencies.

Figures of coaches nobody funds, of coaches outside the report's sectors, and of experts
with no pairing are attributed to no partner. Exact ``Decimal`` arithmetic throughout.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from scbi.partners.conversion import convert

Figures = tuple[Decimal, int, int]  # experts, acknowledged minutes, led minutes
NONE: Figures = (Decimal(0), 0, 0)


def coach_experts(coaches_of: dict[int, set[int]], experts) -> dict[int, Decimal]:
    """Each coach's share of ``experts`` (mentee ids): 1/k of each for each of its k
    coaches."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    for mentee in experts:
        coaches = coaches_of.get(mentee)
        for coach in coaches or ():
            out[coach] += Decimal(1) / len(coaches)
    return out


def shares(found: dict, rates, into: str) -> dict[tuple[int, int, str], Decimal | None]:
    """``{(coach, partner, currency): share}`` of the costs ``found`` (keyed as
    scbi.partners.costs.quarter_costs); None where the coach's shares need a missing
    rate."""
    items: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    for (_sector, coach, partner, currency, quarter), cost in found.items():
        items[coach][(partner, currency, quarter)] += cost
    out: dict[tuple[int, int, str], Decimal | None] = {}
    for coach, costs in items.items():
        weights: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        currencies = {currency for _p, currency, _q in costs}
        known = True
        for (partner, currency, quarter), cost in costs.items():
            if len(currencies) == 1:
                weights[(partner, currency)] += cost
                continue
            converted = convert({(currency, quarter): cost}, rates, into).total
            if converted is None:
                known = False
            else:
                weights[(partner, currency)] += converted
        total = sum(weights.values())
        for partner, currency, _q in costs:
            share = weights[(partner, currency)] / total if known and total else None
            out[(coach, partner, currency)] = share
    return out


def attributed(found: dict, rates, into: str, figures: dict[int, Figures]) -> dict:
    """``{(partner, currency): Figures or None}``: each partner's attributed figures in
    each currency it pays in over the span of ``found``."""
    out: dict[tuple[int, str], list | None] = {}
    for (coach, partner, currency), share in shares(found, rates, into).items():
        key = (partner, currency)
        if key in out and out[key] is None:
            continue
        if share is None:
            out[key] = None
            continue
        sums = out.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])
        for n, value in enumerate(figures.get(coach, NONE)):
            sums[n] += share * value
    return {key: None if v is None else tuple(v) for key, v in out.items()}


def of_partner(found: dict[tuple[int, str], tuple | None], partner: int) -> tuple | None:
    """A partner's figures in all its currencies together (None when one is unknown)."""
    mine = [v for (p, _c), v in found.items() if p == partner]
    if not mine or any(v is None for v in mine):
        return None
    return tuple(sum(v[n] for v in mine) for n in range(3))
