"""The demo's development partners and the funding of its coaches' contracts, so that the
reports show their value-for-money section: a bilateral agency pays the energy coaches'
contracts as totals in USD, a development bank some other coaches month by month in RWF.
The secretariat has entered the RWF rate of every fiscal quarter from the contracts' start
to the current one, the franc losing a little each quarter, so every report of the demo
shows its total converted into the reporting currency (USD by default) beside each
currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scbi.dates import fiscal_quarter_of, today
from scbi.partners.conversion import following, reporting_currency
from scbi.partners.services import create_partner, create_rate, set_funding

AGENCY = ("Bilateral Cooperation Agency", "BCA")
BANK = ("Regional Development Bank", "RDB")
CONTRACT_TOTAL_USD = 180_000
MONTHLY_RWF = 4_500_000
# What one franc was worth in US dollars in the first quarter, and its fall each quarter
RWF_IN_USD = Decimal("0.00078")
RWF_FALL = Decimal("0.985")


def _months(first: date, last: date) -> list[str]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def build_funding(admin, coaches: dict[str, list]) -> None:
    """``coaches``: the demo's coaches by sector code."""
    agency = create_partner(by=admin, name=AGENCY[0], acronym=AGENCY[1])
    bank = create_partner(by=admin, name=BANK[0], acronym=BANK[1])
    for code, found in coaches.items():
        for n, coach in enumerate(found):
            if code == "ENE":
                item = {
                    "partner_id": agency.id,
                    "currency": "USD",
                    "basis": "total",
                    "amount": CONTRACT_TOTAL_USD,
                }
            elif n == 0:
                months = _months(coach.contract_start, coach.contract_end)
                item = {
                    "partner_id": bank.id,
                    "currency": "RWF",
                    "basis": "monthly",
                    "months": [{"month": m, "amount": MONTHLY_RWF} for m in months],
                }
            else:
                continue
            set_funding(coach, [item], by=admin, version=coach.version)


def build_rates(admin, first: date) -> None:
    """The RWF rate into USD of each fiscal quarter from ``first``'s to today's. An install
    that reports in another currency gets none (the demo makes up no other rate): its
    reports show each currency apart and name the rates missing."""
    if reporting_currency() != "USD":
        return
    quarter, last, rate = fiscal_quarter_of(first), fiscal_quarter_of(today()), RWF_IN_USD
    while quarter <= last:
        create_rate(
            by=admin,
            fiscal_year=quarter[0],
            quarter=quarter[1],
            currency="RWF",
            rate=rate.quantize(Decimal("0.00000001")),
        )
        quarter, rate = following(quarter), rate * RWF_FALL
