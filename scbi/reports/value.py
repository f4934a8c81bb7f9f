"""Value for money (DESIGN.md: what the assistance cost per expert built and per hour the
mentee led): technical-assistance cost, and cost per national expert built, per
acknowledged coaching hour and per hour the mentee led, for the period and cumulatively,
by partner and by sector — one row per currency, never added across currencies.

- **Cost** is scbi.partners.costs over ``[period.start, period.as_of]`` (the period, up to
  today while it runs) and, cumulatively, over everything up to ``period.as_of``.
- **Experts built** in the period: national experts on ``as_of`` less those on the day
  before the period starts (the report's own critical-mass counts; net of any who stopped
  counting). Cumulatively: the experts on ``as_of`` (the programme began with none).
- **Hours**: acknowledged and verified logs (the report's coaching hours), by activity
  date; "led" hours are those whose mentee role is ``led``.

A ratio whose denominator is 0 (no expert built, no hour) is null ("—" on the page).
Amounts are strings of two decimals (exact; rounded only here, for showing).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Integer, case, cast, func, select, union_all

from scbi.extensions import db
from scbi.partners.costs import BEGINNING, by_currency, costs
from scbi.partners.queries import funding_parts, part, read_fundings
from scbi.reports.critical_mass import standings
from scbi.reports.headline import hours
from scbi.reports.periods import Period
from scbi.reports.queries import COUNTED
from scbi.transfer.models import MenteeRole, Pairing, TransferLog

CENT = Decimal("0.01")
FIGURES = ("ta_cost", "cost_per_expert", "cost_per_ack_hour", "cost_per_led_hour")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _ratio(cost: Decimal, denominator) -> str | None:
    return money(cost / Decimal(denominator)) if denominator else None


def _hours_part(sector_ids, period: Period):
    """Per sector (an ``h`` part of scbi.partners.queries.part): acknowledged and led
    minutes in the period, then up to its as-of date."""
    in_period = TransferLog.activity_date >= period.start
    led = TransferLog.mentee_role == MenteeRole.LED
    minutes = TransferLog.minutes
    sums = (
        func.sum(case((in_period, minutes), else_=0)),
        func.sum(case((in_period & led, minutes), else_=0)),
        func.sum(minutes),
        func.sum(case((led, minutes), else_=0)),
    )
    return (
        select(*part("h", (Pairing.sector_id, *(cast(v, Integer) for v in sums))))
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.sector_id.in_(sector_ids),
            TransferLog.status.in_(COUNTED),
            TransferLog.activity_date <= period.as_of,
        )
        .group_by(Pairing.sector_id)
    )


def _read(sector_ids, period: Period):
    """The fundings, their partners and each sector's minutes: one statement."""
    rows = db.session.execute(
        union_all(*funding_parts(sector_ids), _hours_part(sector_ids, period))
    ).all()
    fundings, partners = read_fundings(rows)
    minutes = {row[1]: tuple(int(v or 0) for v in row[2:6]) for row in rows if row[0] == "h"}
    return fundings, partners, minutes


def _figures(cost: dict[str, Decimal], experts, acknowledged: int, led: int) -> dict:
    """``{currency: {ta_cost, cost_per_expert, cost_per_ack_hour, cost_per_led_hour}}``
    (hours given in minutes, kept exact)."""
    return {
        currency: {
            "ta_cost": money(amount),
            "cost_per_expert": _ratio(amount, experts if experts and experts > 0 else 0),
            "cost_per_ack_hour": _ratio(amount * 60, acknowledged),
            "cost_per_led_hour": _ratio(amount * 60, led),
        }
        for currency, amount in cost.items()
    }


def value_for_money(sectors, period: Period, experts: dict[int, tuple[int, int | None]]) -> dict:
    """The section for ``sectors``; ``experts`` gives each sector's national experts on
    the period's as-of date and on the day before it starts (None when the report has no
    count for that day: read here)."""
    ids = [s.id for s in sectors]
    missing = [s for s in sectors if experts[s.id][1] is None]
    if missing:  # a date range: the day before it is no month end the sweep counted
        found = standings(missing, period.start - timedelta(days=1), 1)
        experts = experts | {s.id: (experts[s.id][0], len(found[s.id].experts)) for s in missing}
    fundings, partners, minutes = _read(ids, period)
    now, total = costs(fundings, [(period.start, period.as_of), (BEGINNING, period.as_of)])

    def scope(sector_ids) -> dict:
        m = [sum(minutes.get(s, (0, 0, 0, 0))[i] for s in sector_ids) for i in range(4)]
        cumulative = sum(experts[s][0] for s in sector_ids)
        built = cumulative - sum(experts[s][1] for s in sector_ids)
        return {
            "period": _figures(_sum(now, sector_ids), built, m[0], m[1]),
            "cumulative": _figures(_sum(total, sector_ids), cumulative, m[2], m[3]),
            "experts": {"period": built, "cumulative": cumulative},
            "hours": {
                "period": {"acknowledged": hours(m[0]), "led": hours(m[1])},
                "cumulative": {"acknowledged": hours(m[2]), "led": hours(m[3])},
            },
        }

    out = scope(ids)
    funders = sorted({p for found in (now, total) for _s, p, _c in found}, key=partners.get)
    out["by_partner"] = [
        {
            "partner_id": p,
            "acronym": partners[p][0],
            "name": partners[p][1],
            "period": {c: money(v) for c, v in by_currency(now, partner=p).items()},
            "cumulative": {c: money(v) for c, v in by_currency(total, partner=p).items()},
        }
        for p in funders
    ]
    out["by_sector"] = [
        {"sector_id": s.id, "code": s.code, "name": s.name, **scope([s.id])} for s in sectors
    ]
    return out


def _sum(found: dict, sector_ids) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for sector_id in sector_ids:
        for currency, cost in by_currency(found, sector_id=sector_id).items():
            out[currency] = out.get(currency, Decimal(0)) + cost
    return dict(sorted(out.items()))
