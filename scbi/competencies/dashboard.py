"""The mentee's dashboard charts: the share of hours by their part over the months (the
transfer made visible), and their levels over time. Two queries."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import extract, func, select

from scbi.charts import Series, stacked_bars, step_lines
from scbi.competencies.models import Assessment, AssessorRole
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.transfer.models import COUNTED_LOG_STATUSES, MenteeRole, Pairing, TransferLog


def month_ends(on: date, count: int = 6) -> list[date]:
    """The last ``count`` month ends up to ``on`` (the current month ends ``on``)."""
    result, year, month = [], on.year, on.month
    for _i in range(count):
        result.append(on if not result else _last_day(year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


def _last_day(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def role_chart(mentee: Mentee, on: date):
    ends = month_ends(on)
    start = date(ends[0].year, ends[0].month, 1)
    rows = db.session.execute(
        select(
            extract("year", TransferLog.activity_date),
            extract("month", TransferLog.activity_date),
            TransferLog.mentee_role,
            func.sum(TransferLog.minutes),
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.activity_date >= start,
            TransferLog.activity_date <= on,
            TransferLog.status.in_(COUNTED_LOG_STATUSES),
        )
        .group_by(
            extract("year", TransferLog.activity_date),
            extract("month", TransferLog.activity_date),
            TransferLog.mentee_role,
        )
    ).all()
    hours = {(int(y), int(m), role): minutes / 60 for y, m, role, minutes in rows}
    labels = [format_date(d, "MMM yy") for d in ends]
    series = [
        Series(r.short, [hours.get((d.year, d.month, r), 0.0) for d in ends]) for r in MenteeRole
    ]
    chart = stacked_bars(
        _("Hours by the mentee's part, by month"),
        _(
            "Acknowledged hours each month, split by whether the mentee observed, assisted, "
            "co-led or led. A growing share of led hours shows the transfer."
        ),
        labels,
        series,
        unit="h",
    )
    return chart, labels, series


def level_chart(mentee: Mentee, rows, on: date, expert_level: int):
    """Validated levels at each month end for the profile's competencies (before the
    first validated assessment, the plan's baseline)."""
    ends = month_ends(on, 12)
    ids = [r.competency.id for r in rows][:8]
    assessments = db.session.execute(
        select(Assessment.competency_id, Assessment.assessed_on, Assessment.level)
        .where(
            Assessment.mentee_id == mentee.id,
            Assessment.competency_id.in_(ids),
            Assessment.assessor_role != AssessorRole.SELF,
            Assessment.assessed_on <= on,
        )
        .order_by(Assessment.assessed_on, Assessment.id)
    ).all()
    by_competency: dict[int, list[tuple[date, int]]] = {}
    for competency_id, day, level in assessments:
        by_competency.setdefault(competency_id, []).append((day, level))
    series = []
    for row in rows[:8]:
        history = by_competency.get(row.competency.id, [])
        values = []
        for end in ends:
            known = [level for day, level in history if day <= end]
            values.append(known[-1] if known else (row.baseline_level or 0))
        series.append(Series(row.competency.short_name, values))  # the legend wraps
    labels = [format_date(d, "MMM yy") for d in ends]
    chart = step_lines(
        _("Validated level by competency over the last twelve months"),
        _(
            "Each line is a competency; the dashed line is the expert level %(level)d.",
            level=expert_level,
        ),
        labels,
        series,
        maximum=4,
        target=expert_level,
    )
    return chart, labels, series
