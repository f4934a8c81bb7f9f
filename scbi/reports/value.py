"""Value for money (DESIGN.md: what the assistance cost per expert built and per hour the
mentee led): technical-assistance cost, and cost per national expert built, per
acknowledged coaching hour and per hour the mentee led, for the period and cumulatively,
by partner and by sector — one row per currency, never added across currencies — and,
converted into the reporting currency at the rates the secretariat enters per fiscal
quarter, one total when every rate it needs is entered (docs/partners.md).

- **Cost** is scbi.partners.costs over ``[period.start, period.as_of]`` (the period, up to
  today while it runs) and, cumulatively, over everything up to ``period.as_of``.
- **Converted**: each fiscal quarter's cost at that quarter's rate
  (scbi.partners.conversion); a missing rate is named and gives no converted total.
- **Experts built** in the period: national experts on ``as_of`` less those on the day
  before the period starts (the report's own critical-mass counts; net of any who stopped
  counting). Cumulatively: the experts on ``as_of`` (the programme began with none).
- **Hours**: acknowledged and verified logs (the report's coaching hours), by activity
  date; "led" hours are those whose mentee role is ``led``.
- **By partner**: the experts and hours attributed through the coaches each partner
  funds (scbi.reports.attribution).

A ratio whose denominator is 0 (no expert built, no hour) is null ("—" on the page).
Amounts are strings of two decimals (exact; rounded only here, for showing).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Integer, case, cast, func, literal_column, select, union_all

from scbi.dates import fiscal_label
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.partners.conversion import convert, reporting_currency
from scbi.partners.costs import BEGINNING, by_currency, quarter_costs, select_costs
from scbi.partners.queries import columns, funding_parts, part, read_fundings, read_rates
from scbi.reports import attribution
from scbi.reports.critical_mass import standings
from scbi.reports.headline import hours
from scbi.reports.periods import Period
from scbi.reports.queries import COUNTED
from scbi.transfer.log_months import month_key
from scbi.transfer.models import LogMonth, MenteeRole, Pairing, TransferLog
from scbi.validation import exact_text

CENT = Decimal("0.01")
FIGURES = ("ta_cost", "cost_per_expert", "cost_per_ack_hour", "cost_per_led_hour")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _ratio(cost: Decimal, denominator) -> str | None:
    return money(cost / Decimal(denominator)) if denominator and denominator > 0 else None


def _hours_part(sector_ids, period: Period):
    """Per sector and coach (an ``h`` part of scbi.partners.queries.part): acknowledged
    and led minutes in the period, then up to its as-of date. Since the programme began
    means the kept months before the as-of date's month (scbi.transfer.log_months) and
    the logs from that month's first day: the logs read are the period's and that
    month's, whatever the history."""
    month_start = period.as_of.replace(day=1)
    in_period = TransferLog.activity_date >= period.start
    recent = TransferLog.activity_date >= month_start
    led = TransferLog.mentee_role == MenteeRole.LED
    minutes = TransferLog.minutes
    logs = (
        select(
            Pairing.sector_id,
            Pairing.coach_id,
            case((in_period, minutes), else_=0).label("period"),
            case((in_period & led, minutes), else_=0).label("period_led"),
            case((recent, minutes), else_=0).label("total"),
            case((recent & led, minutes), else_=0).label("total_led"),
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.sector_id.in_(sector_ids),
            TransferLog.status.in_(COUNTED),
            TransferLog.activity_date >= min(period.start, month_start),
            TransferLog.activity_date <= period.as_of,
        )
    )
    kept = (
        select(
            Pairing.sector_id,
            Pairing.coach_id,
            literal_column("0", Integer),
            literal_column("0", Integer),
            LogMonth.minutes,
            LogMonth.led_minutes,
        )
        .join(Pairing, Pairing.id == LogMonth.pairing_id)
        .where(Pairing.sector_id.in_(sector_ids), LogMonth.month < month_key(month_start))
    )
    both = union_all(logs, kept).subquery("minutes")
    sums = (both.c.period, both.c.period_led, both.c.total, both.c.total_led)
    return select(
        *part("h", (both.c.sector_id, both.c.coach_id, *(cast(func.sum(c), Integer) for c in sums)))
    ).group_by(both.c.sector_id, both.c.coach_id)


def _pairings_part(sector_ids, period: Period):
    """The coaches of each mentee of the sectors (``e``): their pairings started by the
    as-of date, the experts' coaches for the attribution to partners."""
    return (
        select(*part("e", (Pairing.mentee_id, Pairing.coach_id)))
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(Mentee.sector_id.in_(sector_ids), Pairing.start_date <= period.as_of)
        .group_by(Pairing.mentee_id, Pairing.coach_id)
    )


def _read(sector_ids, period: Period):
    """The fundings, their partners, the rates, each sector's and coach's minutes and the
    mentees' coaches: one statement."""
    rows = db.session.execute(
        union_all(
            *funding_parts(sector_ids),
            _hours_part(sector_ids, period),
            _pairings_part(sector_ids, period),
        )
    ).all()
    fundings, partners = read_fundings(rows)
    minutes: dict[tuple[int, int], tuple[int, ...]] = {}
    coaches_of: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        kind, ints, _dates, _texts, _amount = columns(row)
        if kind == "h":
            minutes[(ints[0], ints[1])] = tuple(int(v or 0) for v in ints[2:6])
        elif kind == "e":
            coaches_of[ints[0]].add(ints[1])
    return fundings, partners, read_rates(rows), minutes, coaches_of


def _figures(cost: dict[str, Decimal], experts, acknowledged: int, led: int) -> dict:
    """``{currency: {ta_cost, cost_per_expert, cost_per_ack_hour, cost_per_led_hour}}``
    (hours given in minutes, kept exact)."""
    return {
        currency: _four(amount, experts, acknowledged, led) for currency, amount in cost.items()
    }


def _four(amount: Decimal, experts, acknowledged, led) -> dict:
    return {
        "ta_cost": money(amount),
        "cost_per_expert": _ratio(amount, experts),
        "cost_per_ack_hour": _ratio(amount * 60, acknowledged),
        "cost_per_led_hour": _ratio(amount * 60, led),
    }


def _quarter(currency: str, quarter, **more) -> dict:
    return {
        "currency": currency,
        "fiscal_year": quarter[0],
        "quarter": quarter[1],
        "label": fiscal_label(*quarter),
        **more,
    }


def value_for_money(sectors, period: Period, experts: dict) -> dict:
    """The section for ``sectors``; ``experts`` gives each sector's national experts (their
    mentee ids) on the period's as-of date and on the day before it starts (None when the
    report has no count for that day: read here)."""
    ids = [s.id for s in sectors]
    experts = {
        s: (list(now), None if then is None else list(then)) for s, (now, then) in experts.items()
    }
    missing = [s for s in sectors if experts[s.id][1] is None]
    if missing:  # a date range: the day before it is no month end the sweep counted
        found = standings(missing, period.start - timedelta(days=1), 1)
        experts |= {s.id: (experts[s.id][0], found[s.id].experts) for s in missing}
    fundings, partners, rates, minutes, coaches_of = _read(ids, period)
    into = reporting_currency()
    now, total = quarter_costs(fundings, [(period.start, period.as_of), (BEGINNING, period.as_of)])

    def scope(sector_ids) -> tuple[dict, list]:
        """The figures of some sectors, and their conversions (period, cumulative)."""
        m = [sum(v[i] for (s, _c), v in minutes.items() if s in sector_ids) for i in range(4)]
        cumulative = sum(len(experts[s][0]) for s in sector_ids)
        built = cumulative - sum(len(experts[s][1]) for s in sector_ids)
        spent = select_costs(now, sector_ids), select_costs(total, sector_ids)
        out = {
            "period": _figures(by_currency(spent[0]), built, m[0], m[1]),
            "cumulative": _figures(by_currency(spent[1]), cumulative, m[2], m[3]),
            "experts": {"period": built, "cumulative": cumulative},
            "hours": {
                "period": {"acknowledged": hours(m[0]), "led": hours(m[1])},
                "cumulative": {"acknowledged": hours(m[2]), "led": hours(m[3])},
            },
        }
        conversions = [convert(amounts, rates, into) for amounts in spent]
        out["converted"] = None
        if spent[1]:
            out["converted"] = {
                "currency": into,
                "period": _converted(conversions[0].total, built, m[0], m[1]),
                "cumulative": _converted(conversions[1].total, cumulative, m[2], m[3]),
            }
        return out, conversions

    out, (in_period, overall) = scope(ids)
    if out["converted"] is not None:
        out["converted"]["rates"] = [
            _quarter(c, q, rate=exact_text(rates[(c, q)]), in_period=(c, q) in in_period.used)
            for c, q in sorted(overall.used)
        ]
        out["converted"]["missing"] = [
            _quarter(c, q, in_period=(c, q) in in_period.missing)
            for c, q in sorted(overall.missing)
        ]
    out["by_partner"] = _by_partner(now, total, partners, rates, into, experts, minutes, coaches_of)
    out["by_sector"] = [
        {"sector_id": s.id, "code": s.code, "name": s.name, **scope([s.id])[0]} for s in sectors
    ]
    return out


def _converted(amount: Decimal | None, experts, acknowledged, led) -> dict | None:
    return None if amount is None else _four(amount, experts, acknowledged, led)


def _by_partner(now, total, partners, rates, into, experts, minutes, coaches_of) -> list[dict]:
    """Each partner's cost per currency, its ratios where its figures can be attributed
    (scbi.reports.attribution), and its cost converted."""
    cumulative = attribution.coach_experts(coaches_of, [m for e in experts.values() for m in e[0]])
    before = attribution.coach_experts(coaches_of, [m for e in experts.values() for m in e[1]])
    coach_minutes: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (_sector, coach), values in minutes.items():
        for n, value in enumerate(values):
            coach_minutes[coach][n] += value
    coaches = set(coach_minutes) | set(cumulative) | set(before)
    figures = [
        {c: (cumulative[c] - before[c], *coach_minutes[c][:2]) for c in coaches},
        {c: (cumulative[c], *coach_minutes[c][2:]) for c in coaches},
    ]
    spans = (now, total)
    found = [
        attribution.attributed(f, rates, into, figs) for f, figs in zip(spans, figures, strict=True)
    ]
    funders = sorted({key[2] for f in spans for key in f}, key=partners.get)
    out = []
    for p in funders:
        costs = [select_costs(f, partner=p) for f in spans]
        spent = [by_currency(c) for c in costs]
        out.append(
            {
                "partner_id": p,
                "acronym": partners[p][0],
                "name": partners[p][1],
                "period": {c: money(v) for c, v in spent[0].items()},
                "cumulative": {c: money(v) for c, v in spent[1].items()},
                "ratios": {
                    name: {c: _attributed(v, found[n].get((p, c))) for c, v in spent[n].items()}
                    for n, name in enumerate(("period", "cumulative"))
                },
                "converted": {
                    name: _attributed_converted(
                        convert(costs[n], rates, into).total, attribution.of_partner(found[n], p)
                    )
                    for n, name in enumerate(("period", "cumulative"))
                },
            }
        )
    return out


def _attributed(cost: Decimal, figures) -> dict:
    """A partner's ratios in one currency, with the figures attributed to it (all null
    when they cannot be attributed)."""
    if figures is None:
        return {
            "experts": None,
            "acknowledged_hours": None,
            "led_hours": None,
            **dict.fromkeys(FIGURES[1:]),
        }
    experts, acknowledged, led = figures
    return {
        "experts": round(float(experts), 2),
        "acknowledged_hours": round(float(acknowledged) / 60, 2),
        "led_hours": round(float(led) / 60, 2),
        **{k: v for k, v in _four(cost, experts, acknowledged, led).items() if k != "ta_cost"},
    }


def _attributed_converted(cost: Decimal | None, figures) -> dict | None:
    if cost is None:
        return None
    return {"ta_cost": money(cost), **_attributed(cost, figures)}
