"""Section 8 of the sector report, the results chain: each priority result with its status
on the as-of date, its indicators against target, and the coaching that served it.

- **Status**: from the result's dated history, the latest entry on or before the as-of
  date (before any, not started).
- **Indicators**: baseline, target and the **latest actual at or before the period's
  end** — the value of the latest fiscal quarter that ends on or before it, with that
  quarter — and the progress, ``(actual − baseline) / (target − baseline)``: the share of
  the way from the baseline to the target (0.4 is 40 %; below 0 when it went back, above
  1 beyond the target; null without an actual).
- **Hours** and **logs**: the acknowledged and verified logs dated in the period that
  named the result (the report's counting rule for hours).
- **Plan items**: a log names the competencies it addressed, not a plan item; the items
  served are those of the plan in force on the as-of date of each pairing with such a
  log, whose competency one of its logs addressed — each item once
  (:func:`served_items`, which the list behind the figure reads too).

All of it is one statement: a UNION ALL of typed rows (the pattern of ``funding_parts``
in scbi.partners.queries), so the report sends no more statements than before it had
indicators (QUALITY.md: at most 15 a page).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Date,
    Integer,
    String,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from scbi.dates import as_day, fiscal_label
from scbi.extensions import db
from scbi.programme.models import (
    INDICATOR_NUMBER,
    Indicator,
    IndicatorValue,
    Institution,
    PriorityResult,
    PriorityResultStatus,
    ResultStatus,
    progress,
)
from scbi.reports.headline import hours
from scbi.reports.periods import Period
from scbi.reports.queries import COUNTED, _plans_in_force
from scbi.transfer.models import PlanItem, TransferLog, TransferPlan, log_competency
from scbi.validation import exact_text

INTS, DATES, TEXTS, NUMBERS = 3, 2, 4, 2
PLACES = Decimal("0.0001")


def _part(kind: str, ints=(), dates=(), texts=(), numbers=()):
    """The columns of one part: its kind, then ints, dates, texts and numbers, padded with
    typed NULLs (PostgreSQL types each column of a UNION)."""

    def pad(values, n, kind_):
        return [*values, *[cast(null(), kind_) for _ in range(n - len(values))]]

    return [
        literal_column(f"'{kind}'", String),
        *pad(ints, INTS, Integer),
        *pad(dates, DATES, Date),
        *pad(texts, TEXTS, String),
        *pad(numbers, NUMBERS, INDICATOR_NUMBER),
    ]


def _parts(sector_id: int, period: Period) -> list:
    as_of = period.as_of
    results = select(PriorityResult.id).where(PriorityResult.sector_id == sector_id)
    ranked = (
        select(
            PriorityResultStatus.result_id,
            PriorityResultStatus.status,
            PriorityResultStatus.note,
            func.row_number()
            .over(
                partition_by=PriorityResultStatus.result_id,
                order_by=(PriorityResultStatus.status_on.desc(), PriorityResultStatus.id.desc()),
            )
            .label("rank"),
        )
        .where(PriorityResultStatus.status_on <= as_of, PriorityResultStatus.result_id.in_(results))
        .subquery()
    )
    latest_status = select(ranked).where(ranked.c.rank == 1).subquery()
    status = func.coalesce(latest_status.c.status, ResultStatus.NOT_STARTED.value)
    result_rows = (
        select(
            *_part(
                "r",
                (PriorityResult.id,),
                (PriorityResult.due_date,),
                (
                    PriorityResult.title,
                    Institution.acronym,
                    status,
                    func.coalesce(latest_status.c.note, ""),
                ),
            )
        )
        .outerjoin(Institution, Institution.id == PriorityResult.institution_id)
        .outerjoin(latest_status, latest_status.c.result_id == PriorityResult.id)
        .where(PriorityResult.sector_id == sector_id)
    )
    indicators = select(Indicator.id).where(Indicator.result_id.in_(results))
    indicator_rows = select(
        *_part(
            "i",
            (Indicator.id, Indicator.result_id),
            (Indicator.baseline_date, Indicator.target_date),
            (Indicator.name, Indicator.unit),
            (Indicator.baseline_value, Indicator.target_value),
        )
    ).where(Indicator.result_id.in_(results))
    ranked_values = (
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.fiscal_year,
            IndicatorValue.quarter,
            IndicatorValue.period_end,
            IndicatorValue.value,
            func.row_number()
            .over(
                partition_by=IndicatorValue.indicator_id,
                order_by=(IndicatorValue.period_end.desc(), IndicatorValue.id.desc()),
            )
            .label("rank"),
        )
        .where(IndicatorValue.indicator_id.in_(indicators), IndicatorValue.period_end <= period.end)
        .subquery()
    )
    latest_rows = select(
        *_part(
            "v",
            (ranked_values.c.indicator_id, ranked_values.c.fiscal_year, ranked_values.c.quarter),
            (ranked_values.c.period_end,),
            (),
            (ranked_values.c.value,),
        )
    ).where(ranked_values.c.rank == 1)
    hour_rows = (
        select(
            *_part(
                "h",
                (
                    TransferLog.priority_result_id,
                    cast(func.sum(TransferLog.minutes), Integer),
                    cast(func.count(), Integer),
                ),
            )
        )
        .where(*_served_by(results, period))
        .group_by(TransferLog.priority_result_id)
    )
    items = served_items(results, period, as_of).subquery()
    item_rows = select(
        *_part("p", (items.c.result_id, cast(func.count(items.c.item_id.distinct()), Integer)))
    ).group_by(items.c.result_id)
    return [result_rows, indicator_rows, latest_rows, hour_rows, item_rows]


def _served_by(results, period: Period) -> tuple:
    """The logs that served one of ``results`` (ids, or a select of them) in the period:
    acknowledged or verified, dated in it, naming the result."""
    return (
        TransferLog.priority_result_id.in_(results),
        TransferLog.status.in_(COUNTED),
        TransferLog.activity_date >= period.start,
        TransferLog.activity_date <= period.end,
    )


def served_items(results, period: Period, on: date):
    """``(result_id, item_id)`` of the plan items the ``results`` (ids, or a select of
    them) were served by in the period — the rule of "plan items served": the items of the
    plan in force on ``on`` (the as-of date) of each pairing with a log that served the
    result, whose competency one of those logs addressed. An item may come once per log
    and competency: count it distinct."""
    return (
        select(TransferLog.priority_result_id.label("result_id"), PlanItem.id.label("item_id"))
        .join(log_competency, log_competency.c.log_id == TransferLog.id)
        .join(TransferPlan, TransferPlan.pairing_id == TransferLog.pairing_id)
        .join(
            PlanItem,
            (PlanItem.plan_id == TransferPlan.id)
            & (PlanItem.competency_id == log_competency.c.competency_id),
        )
        .where(
            *_served_by(results, period),
            # the plans of the pairings that served them only, not the programme's
            TransferPlan.id.in_(
                _plans_in_force(
                    on, select(TransferLog.pairing_id).where(*_served_by(results, period))
                )
            ),
        )
    )


def served_item_ids(result_ids: list[int], period: Period, on: date) -> set[int]:
    """The ids of the plan items :func:`served_items` gives for ``result_ids`` (the list of
    plan items behind a result's figure, scbi.reports.plan_item_list)."""
    items = served_items(result_ids, period, on).subquery()
    return set(db.session.scalars(select(items.c.item_id).distinct()))


def priority_results(sector_id: int, period: Period) -> dict:
    """Section 8 as data: ``{by_status, results: [{id, title, institution, due_date,
    status, note, hours, logs, plan_items, indicators: [...]}]}`` in one statement."""
    rows = db.session.execute(union_all(*_parts(sector_id, period))).all()
    results: dict[int, dict] = {}
    indicators: dict[int, dict] = {}
    latest: dict[int, tuple] = {}
    counts: dict[str, dict[int, tuple]] = {"h": {}, "p": {}}
    for kind, i1, i2, i3, d1, d2, t1, t2, t3, t4, n1, n2 in rows:
        if kind == "r":
            results[i1] = {
                "id": i1,
                "title": t1,
                "institution": t2,
                "due_date": as_day(d1).isoformat(),
                "status": t3,
                "note": t4,
            }
        elif kind == "i":
            indicators[i1] = {
                "result_id": i2,
                "id": i1,
                "name": t1,
                "unit": t2,
                "baseline_value": _number(n1),
                "baseline_date": as_day(d1).isoformat(),
                "target_value": _number(n2),
                "target_date": as_day(d2).isoformat(),
            }
        elif kind == "v":
            latest[i1] = (i2, i3, as_day(d1), _number(n1))
        else:
            counts[kind][i1] = (i2, i3)
    for ident, indicator in sorted(indicators.items()):
        owner = results.get(indicator.pop("result_id"))
        if owner is not None:
            owner.setdefault("indicators", []).append(_with_latest(indicator, latest.get(ident)))
    for ident, result in results.items():
        minutes, logs = counts["h"].get(ident, (0, 0))
        result["hours"] = hours(minutes)
        result["logs"] = logs
        result["plan_items"] = counts["p"].get(ident, (0,))[0]
        result["indicators"] = [_text_values(i) for i in result.get("indicators", [])]
    ordered = sorted(
        results.values(),
        key=lambda r: (r["status"] not in ("at_risk", "not_started"), r["due_date"], r["title"]),
    )
    by_status = dict.fromkeys((s.value for s in ResultStatus), 0)
    for result in ordered:
        by_status[result["status"]] += 1
    return {"by_status": by_status, "results": ordered}


def _with_latest(indicator: dict, found: tuple | None) -> dict:
    year, quarter, end, value = found or (None, None, None, None)
    share = progress(indicator["baseline_value"], indicator["target_value"], value)
    return {
        **indicator,
        "latest_value": value,
        "latest_period": fiscal_label(year, quarter) if found else None,
        "latest_fiscal_year": year,
        "latest_quarter": quarter,
        "latest_period_end": end.isoformat() if end else None,
        "progress": float(share.quantize(PLACES)) if share is not None else None,
    }


def _text_values(indicator: dict) -> dict:
    """Values as exact decimal strings ("12.5", "30"), as the API answers them."""
    for key in ("baseline_value", "target_value", "latest_value"):
        if indicator[key] is not None:
            indicator[key] = exact_text(indicator[key])
    return indicator


def _number(value) -> Decimal | None:
    """An exact decimal of the stored value (SQLite's UNION gives a float: 15 significant
    digits, which is what the column holds)."""
    return None if value is None else Decimal(str(value)).quantize(PLACES)
