"""The SQL behind the headline (section 1), for several periods in one statement each.

A report shows its period beside the one before it (scbi.reports.periods.previous), so
each function takes the periods and answers for every one of them from one statement: a
CASE names the period a row falls in and the WHERE spans them all (the periods compared
are adjacent, so the span holds nothing else). Grouping happens outside a subquery that
names the period, so PostgreSQL sees the same grouping expression as the one selected.

Counting rules (DESIGN.md "Reports"): hours count acknowledged and verified logs whose
activity date is in the period; submitted counts the logs that left draft in the period,
acknowledged / disputed those that took that step in it (from their history).
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, cast, func, literal_column, null, or_, select

from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports.periods import Period
from scbi.reports.queries import COUNTED, LOG_STEPS
from scbi.reports.sql import (
    contract_overlaps,
    date_in,
    days_between,
    instant_in,
    pairing_overlaps,
)
from scbi.sql import month_of
from scbi.transfer.models import LogEvent, Pairing, TransferLog

MEDIAN = "median"


def transfer_minutes(sector_ids, periods: list[Period]) -> list[tuple]:
    """``(period_index, sector_id, month, activity_type, mentee_role, minutes)`` of the
    counted logs, ``period_index`` being the position in ``periods``."""
    index, spanned = date_in(TransferLog.activity_date, periods)
    logs = (
        select(
            index.label("period"),
            Pairing.sector_id.label("sector_id"),
            month_of(TransferLog.activity_date).label("month"),
            TransferLog.activity_type.label("activity_type"),
            TransferLog.mentee_role.label("mentee_role"),
            TransferLog.minutes.label("minutes"),
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(Pairing.sector_id.in_(sector_ids), spanned, TransferLog.status.in_(COUNTED))
        .subquery()
    )
    keys = (logs.c.period, logs.c.sector_id, logs.c.month, logs.c.activity_type, logs.c.mentee_role)
    return [
        tuple(row)
        for row in db.session.execute(select(*keys, func.sum(logs.c.minutes)).group_by(*keys))
        if row[0] is not None
    ]


def log_figures(sector_ids, periods: list[Period]):
    """Per period: the logs that left draft (their first submission), were acknowledged
    and were disputed, per sector; and the median days from (last) submission to
    acknowledgement of the logs acknowledged in it, per sector and over all of them (key
    None). One statement: the counts and the medians (window functions, the same on both
    databases) as one UNION ALL.

    Submissions and acknowledgements are read from the logs' own times
    (``first_submitted_at``, ``acknowledged_at``: scbi.transfer.services.derived), pairing by
    pairing through their indexes, so a sector's figures read that sector's logs only;
    disputes, which a log may take several times, from the history's "disputed" events.

    Returns ``(steps, medians)``, two lists in the order of ``periods``."""
    parts = [
        _submitted(sector_ids, periods),
        _disputed(sector_ids, periods),
        *_acknowledged(sector_ids, periods),
    ]
    steps = [{s: dict.fromkeys(LOG_STEPS, 0) for s in sector_ids} for _p in periods]
    medians: list[dict[int | None, float | None]] = [
        dict.fromkeys([*sector_ids, None]) for _p in periods
    ]
    rows = db.session.execute(parts[0].union_all(*parts[1:]))
    for index, sector_id, what, value, acknowledged in rows:
        if index is None:
            continue
        if what != MEDIAN:
            steps[index][sector_id][what] = int(value)
            continue
        medians[index][sector_id] = round(float(value), 1)
        if sector_id is not None:
            steps[index][sector_id]["acknowledged"] = int(acknowledged)
    if len(sector_ids) == 1:  # the programme-wide median of one sector is that sector's
        for found in medians:
            found[None] = found[sector_ids[0]]
    return steps, medians


def _grouped(what: str, rows, count):
    """``(period, sector_id, what, count, NULL)`` per period and sector of ``rows`` (a
    subquery with ``period`` and ``sector_id`` columns)."""
    return select(
        rows.c.period,
        rows.c.sector_id,
        literal_column(f"'{what}'", String),
        cast(count, Float),
        cast(null(), Integer),
    ).group_by(rows.c.period, rows.c.sector_id)


def _submitted(sector_ids, periods: list[Period]):
    """A correction resubmitted is not a new submission: the first one counts (one row
    a log)."""
    index, spanned = instant_in(TransferLog.first_submitted_at, periods)
    rows = (
        select(index.label("period"), Pairing.sector_id.label("sector_id"))
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(Pairing.sector_id.in_(sector_ids), spanned)
        .subquery()
    )
    return _grouped("submitted", rows, func.count())


def _disputed(sector_ids, periods: list[Period]):
    """A log disputed and acknowledged in one period counts once in each; disputed twice
    in one period, once."""
    index, spanned = instant_in(LogEvent.at, periods)
    rows = (
        select(
            index.label("period"),
            Pairing.sector_id.label("sector_id"),
            LogEvent.log_id.label("log_id"),
        )
        .join(TransferLog, TransferLog.id == LogEvent.log_id)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(Pairing.sector_id.in_(sector_ids), LogEvent.action == "disputed", spanned)
        .subquery()
    )
    return _grouped("disputed", rows, func.count(func.distinct(rows.c.log_id)))


def _acknowledged(sector_ids, periods: list[Period]):
    """The median per sector (and over all sectors, when there are several), each with
    the number of logs acknowledged."""
    index, spanned = instant_in(TransferLog.acknowledged_at, periods)
    days = days_between(TransferLog.submitted_at, TransferLog.acknowledged_at)
    acknowledged = (
        select(
            index.label("period"),
            Pairing.sector_id.label("sector_id"),
            days.label("days"),
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(Pairing.sector_id.in_(sector_ids), spanned)
        .cte("acknowledged")  # read once, ranked per sector and over all of them
    )
    parts = []
    for by_sector in (True, False) if len(sector_ids) > 1 else (True,):
        partition = [acknowledged.c.period] + ([acknowledged.c.sector_id] if by_sector else [])
        ranked = select(
            acknowledged.c.period,
            (acknowledged.c.sector_id if by_sector else cast(null(), Integer)).label("sector_id"),
            acknowledged.c.days,
            func.row_number()
            .over(partition_by=partition, order_by=acknowledged.c.days)
            .label("rank"),
            func.count().over(partition_by=partition).label("total"),
        ).subquery()
        parts.append(
            select(
                ranked.c.period,
                ranked.c.sector_id,
                literal_column(f"'{MEDIAN}'", String),
                cast(func.avg(ranked.c.days), Float),
                cast(func.max(ranked.c.total), Integer),
            )
            .where(
                or_(
                    ranked.c.rank == (ranked.c.total + 1) // 2,
                    ranked.c.rank == (ranked.c.total + 2) // 2,
                )
            )
            .group_by(ranked.c.period, ranked.c.sector_id)
        )
    return parts


def active_people(sector_ids, periods: list[Period]) -> list[dict[int, tuple[int, int]]]:
    """Per period and sector: pairings whose dates overlap the period, and coaches whose
    contract does (one statement: two correlated counts per sector and period)."""
    counts = []
    for period in periods:
        counts.append(
            select(func.count())
            .where(Pairing.sector_id == Sector.id, pairing_overlaps(period))
            .correlate(Sector)
            .scalar_subquery()
        )
        counts.append(
            select(func.count())
            .where(Coach.sector_id == Sector.id, contract_overlaps(period))
            .correlate(Sector)
            .scalar_subquery()
        )
    rows = db.session.execute(select(Sector.id, *counts).where(Sector.id.in_(sector_ids))).all()
    return [{row[0]: (row[1 + 2 * i], row[2 + 2 * i]) for row in rows} for i in range(len(periods))]
