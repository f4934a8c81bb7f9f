"""Conversion into the reporting currency at the rates the secretariat enters per fiscal
quarter (docs/partners.md, "Exchange rates").

The rule: a cost is split into the fiscal quarters it falls in (a span of days is cut at
the quarters' edges, each piece costing what scbi.partners.costs gives it), and each
quarter's piece is converted at that quarter's rate. So a quarter's cost is converted at
its own rate, a fiscal year or a date range quarter by quarter, and a cumulative figure is
the sum of each quarter's cost at that quarter's rate. A cost in the reporting currency
needs no rate. A converted total exists only when every rate it needs is entered;
otherwise the (currency, quarter) pairs without one are named and there is no total.

Fiscal quarters are those of ``FISCAL_YEAR_START_MONTH``, named by the calendar year the
fiscal year starts in, as the reports' periods are (scbi.dates: ``fiscal_quarter_of``,
``fiscal_quarter_dates``, ``fiscal_label``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app

from scbi.dates import fiscal_quarter_dates, fiscal_quarter_of

Quarter = tuple[int, int]  # (fiscal year, quarter 1–4)


def reporting_currency() -> str:
    """The ISO 4217 code reports convert into (the ``REPORTING_CURRENCY`` setting)."""
    return current_app.config["REPORTING_CURRENCY"]


def following(quarter: Quarter) -> Quarter:
    year, number = quarter
    return (year, number + 1) if number < 4 else (year + 1, 1)


def pieces(start: date, end: date) -> list[tuple[Quarter, date, date]]:
    """``[start, end]`` cut at the fiscal quarters' edges: ``[(quarter, first, last)]``."""
    out: list[tuple[Quarter, date, date]] = []
    if end < start:
        return out
    quarter = fiscal_quarter_of(start)
    while True:
        first, last = fiscal_quarter_dates(*quarter)
        out.append((quarter, max(first, start), min(last, end)))
        if last >= end:
            return out
        quarter = following(quarter)


@dataclass
class Converted:
    """A sum converted into the reporting currency: ``total`` is None when a rate is
    missing (``missing`` names each (currency, quarter) without one); ``used`` the
    (currency, quarter) rates it was converted at."""

    total: Decimal | None
    used: set[tuple[str, Quarter]] = field(default_factory=set)
    missing: set[tuple[str, Quarter]] = field(default_factory=set)


def convert(
    amounts: dict[tuple[str, Quarter], Decimal],
    rates: dict[tuple[str, Quarter], Decimal],
    into: str,
) -> Converted:
    """``amounts`` by (currency, quarter) in ``into``, each quarter at its own rate."""
    total, used, missing = Decimal(0), set(), set()
    for key, amount in amounts.items():
        if not amount:
            continue
        if key[0] == into:
            total += amount
        elif key in rates:
            total += amount * rates[key]
            used.add(key)
        else:
            missing.add(key)
    return Converted(None if missing else total, used, missing)
