"""The demo's development partners and the funding of its coaches' contracts, so that the
reports show their value-for-money section: a bilateral agency pays the energy coaches'
contracts as totals in USD, a development bank some other coaches month by month in RWF."""

from __future__ import annotations

from datetime import date

from scbi.partners.services import create_partner, set_funding

AGENCY = ("Bilateral Cooperation Agency", "BCA")
BANK = ("Regional Development Bank", "RDB")
CONTRACT_TOTAL_USD = 180_000
MONTHLY_RWF = 4_500_000


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
